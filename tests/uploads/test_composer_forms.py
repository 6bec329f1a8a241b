"""Attaching files without JavaScript: the composer forms (new topic, reply, edit) carry a plain
file input; the files are stored with the post, or on any refusal neither is and the form
comes back with the typed text and a message."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Post, PostUpload, Topic, Upload
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
