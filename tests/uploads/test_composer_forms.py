"""Attaching files without JavaScript: the composer forms (new topic, reply, edit) carry a plain
file input; the files are stored with the post, or on any refusal neither is and the form
comes back with the typed text and a message."""

from __future__ import annotations

import io

from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder

from forum.extensions import db
from forum.models import Post, PostUpload, Topic, Upload
from forum.topics import services as topic_services
from forum.uploads import composer
from tests.library.builders import first_post
from tests.uploads import samples


def upload_count() -> int:
    return db.session.scalar(select(func.count(Upload.id)))


def post_count() -> int:
    return db.session.scalar(select(func.count(Post.id)))


def files(*pairs):
    return [(io.BytesIO(data), name) for data, name in pairs]


def send(client, url, **fields):
    return client.post(url, data=fields, content_type="multipart/form-data")


def last_post(topic_id: int) -> Post:
    return db.session.scalar(select(Post).where(Post.topic_id == topic_id)
                             .order_by(Post.post_number.desc()).limit(1))


def test_the_composer_forms_send_files_without_javascript(client, login, member, topic):
    login(member)
    for url in ("/new-topic", f"/t/{topic.id}/reply", f"/posts/{first_post(topic).id}/edit",
                f"/t/{topic.slug}/{topic.id}"):
        page = client.get(url).text
        assert 'enctype="multipart/form-data"' in page, url
        assert '<input type="file" multiple name="attachments"' in page, url


def test_a_reply_attaches_the_chosen_files_and_references_them(client, login, member, topic):
    login(member)
    response = send(client, f"/t/{topic.id}/reply", raw="Материалы к уроку.",
                    attachments=files((samples.pdf("Fractions"), "План урока.pdf"),
                                      (samples.png(40, 30), "доска.png")))
    assert response.status_code == 302, response.text[:500]
    post = last_post(topic.id)
    assert post.raw.startswith("Материалы к уроку.\n\n")
    assert "[План урока.pdf|attachment](upload://" in post.raw
    assert "![доска.png|40x30](upload://" in post.raw
    linked = set(db.session.scalars(select(PostUpload.upload_id).where(
        PostUpload.post_id == post.id)))
    assert len(linked) == 2
    assert '<a class="attachment"' in post.cooked and "<img" in post.cooked


def test_a_new_topic_ignores_the_empty_part_of_an_unused_file_input(client, login, member,
                                                                    category):
    login(member)
    response = send(client, "/new-topic", title="Тема без файлов для урока",
                    category_id=str(category.id), raw="Просто текст сообщения.",
                    attachments=(io.BytesIO(b""), ""))
    assert response.status_code == 302, response.text[:500]
    topic = db.session.scalar(select(Topic).order_by(Topic.id.desc()).limit(1))
    assert first_post(topic).raw == "Просто текст сообщения."
    assert upload_count() == 0


def test_an_edit_appends_the_new_files(client, login, member, topic):
    login(member)
    post = first_post(topic)
    response = send(client, f"/posts/{post.id}/edit", raw=post.raw, title=topic.title,
                    edit_reason="", attachments=files((samples.pdf(), "Ответы.pdf")))
    assert response.status_code == 302, response.text[:500]
    db.session.refresh(post)
    assert "[Ответы.pdf|attachment](upload://" in post.raw


def test_a_refused_file_keeps_the_text_and_saves_neither_post_nor_files(client, login, member,
                                                                       topic):
    login(member)
    posts = post_count()
    response = send(client, f"/t/{topic.id}/reply", raw="Мой ответ с файлами.",
                    attachments=files((samples.pdf(), "хороший.pdf"),
                                      (samples.exe_named_pdf(), "invoice.pdf")))
    assert response.status_code == 422
    assert "Мой ответ с файлами." in response.text
    assert "invoice.pdf:" in response.text and "Choose the files again" in response.text
    assert post_count() == posts
    assert upload_count() == 0  # the good file's row went with the refused post


def test_a_too_large_file_is_refused_with_the_text_kept_not_a_bare_413(app, client, login,
                                                                       member, category):
    # The file is over the member's limit and the body over the app's text-only limit: the
    # form still arrives, so the reason is shown beside the kept text.
    app.config.update(MAX_CONTENT_LENGTH=64 * 1024, UPLOAD_MAX_BYTES=100 * 1024)
    login(member)
    big = samples.pdf() + b"%" * (150 * 1024)
    response = send(client, "/new-topic", title="Тема с большим файлом",
                    category_id=str(category.id), raw="Текст, который нельзя терять.",
                    attachments=files((big, "большой.pdf")))
    assert response.status_code == 422
    assert "Текст, который нельзя терять." in response.text
    assert "большой.pdf: The file is too large" in response.text
    assert upload_count() == 0
    assert db.session.scalar(select(func.count(Topic.id))) == 0


def test_a_file_over_the_quota_is_refused_with_the_text_kept(app, client, login, member, topic):
    app.config["UPLOAD_QUOTA_BYTES"] = 1000
    login(member)
    response = send(client, f"/t/{topic.id}/reply", raw="Ответ сверх квоты.",
                    attachments=files((samples.pdf() + b"%" * 2000, "план.pdf")))
    assert response.status_code == 413
    assert "Ответ сверх квоты." in response.text and "quota" in response.text
    assert upload_count() == 0


def test_another_refusal_says_the_files_were_not_kept(client, login, member, category):
    login(member)
    response = send(client, "/new-topic", title="", category_id=str(category.id),
                    raw="Текст есть, заголовка нет.",
                    attachments=files((samples.pdf(), "план.pdf")))
    assert response.status_code == 422
    assert "Текст есть, заголовка нет." in response.text
    assert "The files you chose were not attached" in response.text
    assert upload_count() == 0


def test_a_member_who_may_not_upload_is_told_and_nothing_is_posted(client, login, topic, db):
    from tests import factories

    newcomer = factories.make_user("novichok", trust_level=0)
    login(newcomer)
    posts = post_count()
    response = send(client, f"/t/{topic.id}/reply", raw="Ответ новичка.",
                    attachments=files((samples.pdf(), "план.pdf")))
    assert response.status_code == 403
    assert "Ответ новичка." in response.text
    assert post_count() == posts and upload_count() == 0


def test_the_csrf_token_is_still_required(app, client, login, member, topic):
    login(member)
    app.config["WTF_CSRF_ENABLED"] = True
    posts = post_count()
    response = send(client, f"/t/{topic.id}/reply", raw="Без токена.",
                    attachments=files((samples.pdf(), "план.pdf")))
    assert response.status_code in (400, 403, 422)
    assert post_count() == posts and upload_count() == 0


class UnreadBody(io.BytesIO):
    """A request body that records whether the server read any of it."""

    was_read = False

    def read(self, *args):
        self.was_read = True
        return super().read(*args)

    def read1(self, *args):
        self.was_read = True
        return super().read1(*args)

    def readline(self, *args):
        self.was_read = True
        return super().readline(*args)

    def readinto(self, buffer):
        self.was_read = True
        return super().readinto(buffer)


def over_allowance_reply(app, client, topic, monkeypatch, **headers):
    """POST a reply whose file is over the form's allowance, as a browser without JavaScript
    sends it; returns the response and the body, which must not have been read."""
    # The form's allowance is the text's limit plus four files of the member's limit.
    app.config.update(MAX_CONTENT_LENGTH=16 * 1024, UPLOAD_MAX_BYTES=32 * 1024)

    def must_not_run(*args, **kwargs):
        raise AssertionError("the view went on with a body over the allowance")

    monkeypatch.setattr(topic_services, "reply", must_not_run)
    monkeypatch.setattr(composer, "append_attachments", must_not_run)
    data, boundary_type = encode_multipart({"raw": "Текст ответа, который нельзя терять.",
                                            "attachments": (io.BytesIO(samples.pdf() + b"%"
                                                                       * (200 * 1024)),
                                                            "большой.pdf")})
    body = UnreadBody(data)
    response = client.post(f"/t/{topic.id}/reply", input_stream=body,
                           content_type=boundary_type, content_length=len(data),
                           headers=headers)
    return response, body


def encode_multipart(fields) -> tuple[bytes, str]:
    """The body and Content-Type (with its boundary) a browser sends for these fields."""
    builder = EnvironBuilder(method="POST", data=fields)
    try:
        environ = builder.get_environ()
        return environ["wsgi.input"].read(), environ["CONTENT_TYPE"]
    finally:
        builder.close()


def test_a_form_over_its_allowance_is_refused_unread_with_a_clear_page(app, client, login,
                                                                      member, topic,
                                                                      monkeypatch):
    login(member)
    posts = post_count()
    response, body = over_allowance_reply(app, client, topic, monkeypatch,
                                          Referer=f"http://localhost/t/{topic.slug}/{topic.id}")
    assert response.status_code == 413
    assert not body.was_read
    page = response.text
    assert ("Your post was not sent: the files chosen with it are too large. Each file may be "
            "at most 32 KB, and the form with all its files at most 144 KB.") in page
    assert "Go back in your browser: the form comes back with your text still in it." in page
    assert f'href="http://localhost/t/{topic.slug}/{topic.id}" data-history-back' in page
    assert "What you sent is too large" not in page
    assert post_count() == posts and upload_count() == 0


def test_the_too_large_form_page_speaks_russian(app, client, login, member, topic, monkeypatch):
    login(member)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ru"
    response, body = over_allowance_reply(app, client, topic, monkeypatch)
    assert response.status_code == 413 and not body.was_read
    assert ("Сообщение не отправлено: выбранные к нему файлы слишком велики. Каждый файл — не "
            "более 32 КБ, а вся форма со всеми файлами — не более 144 КБ.") in response.text
    assert "Вернитесь назад в браузере" in response.text
    # No referring page: the link goes to the reply form's own address.
    assert f'href="/t/{topic.id}/reply" data-history-back' in response.text


def test_a_json_client_over_the_allowance_gets_the_clear_message(app, client, login, member,
                                                                 topic, monkeypatch):
    login(member)
    response, body = over_allowance_reply(app, client, topic, monkeypatch,
                                          Accept="application/json")
    assert response.status_code == 413 and not body.was_read
    assert response.get_json()["errors"] == [
        "Your post was not sent: the files chosen with it are too large. Each file may be at "
        "most 32 KB, and the form with all its files at most 144 KB."]


def test_a_foreign_referrer_is_not_linked(app, client, login, member, topic, monkeypatch):
    login(member)
    response, _body = over_allowance_reply(app, client, topic, monkeypatch,
                                           Referer="https://evil.example/t/1")
    assert response.status_code == 413
    assert "evil.example" not in response.text
    assert f'href="/t/{topic.id}/reply" data-history-back' in response.text
