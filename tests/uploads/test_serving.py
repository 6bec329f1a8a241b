"""GET /uploads/…: only for readers of a post showing the file; safe headers, ranges, 304."""

from __future__ import annotations

import pytest

from forum.topics import services as topics
from tests import factories
from tests.uploads import samples


def card(upload) -> str:
    return f"[{upload.original_filename}|attachment](upload://{upload.short_key}.pdf)"


def get(client, path: str, **kwargs):
    """GET, read the body and close the response (a served file stays open until closed)."""
    response = client.get(path, **kwargs)
    response.get_data()
    response.close()
    return response


def url(upload) -> str:
    return f"/uploads/{upload.short_key}.{upload.extension}"


@pytest.fixture
def attached(db, member, topic, make_upload):
    """A PDF attached to a reply in a public topic."""
    upload = make_upload(member, name="План урока.pdf")
    topics.reply(topic, author=member, raw=card(upload))
    db.session.commit()
    return upload


def test_guests_download_a_file_of_a_public_post_as_an_attachment(client, attached):
    response = get(client, url(attached))
    assert response.status_code == 200
    assert response.data == samples.pdf()
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "private, no-cache"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("inline;")  # PDFs may show in the browser
    assert "filename*=UTF-8''%D0%9F%D0%BB%D0%B0%D0%BD%20%D1%83%D1%80%D0%BE%D0%BA%D0%B0.pdf" \
        in disposition


def test_download_cards_ask_for_a_download_even_of_a_pdf(client, attached):
    response = get(client, url(attached) + "?dl=1")
    assert response.headers["Content-Disposition"].startswith("attachment;")


def test_other_files_are_downloads_with_the_cyrillic_name_rfc5987_encoded(
        db, client, member, topic, make_upload):
    upload = make_upload(member, samples.office("docx"), "Конспект.docx")
    topics.reply(topic, author=member,
                 raw=f"[Конспект.docx|attachment](upload://{upload.short_key}.docx)")
    db.session.commit()
    response = get(client, url(upload))
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%D0%9A%D0%BE%D0%BD%D1%81%D0%BF%D0%B5%D0%BA%D1%82.docx" in disposition
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_conditional_requests_answer_304(client, attached):
    first = get(client, url(attached))
    etag = first.headers["ETag"]
    again = get(client, url(attached), headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""


def test_byte_ranges_are_served(client, attached):
    response = get(client, url(attached), headers={"Range": "bytes=0-7"})
    assert response.status_code == 206
    assert response.data == samples.pdf()[:8]
    assert response.headers["Content-Range"] == f"bytes 0-7/{len(samples.pdf())}"


def test_a_file_in_a_private_category_is_a_404_for_guests_and_students(
        db, client, login, member, student, make_upload):
    private = factories.make_private_category()
    upload = make_upload(member)
    factories.make_topic(category=private, author=member, raw="Для учителей: " + card(upload))
    db.session.commit()
    assert get(client, url(upload)).status_code == 404
    login(student)
    assert get(client, url(upload)).status_code == 404
    login(member)
    assert get(client, url(upload)).status_code == 200


def test_a_file_of_a_deleted_post_is_a_404_except_for_moderators(
        db, client, login, member, moderator, topic, make_upload, other_member):
    upload = make_upload(member)
    post = topics.reply(topic, author=member, raw=card(upload))
    topics.delete_post(post, actor=member)
    db.session.commit()
    assert get(client, url(upload)).status_code == 404
    login(other_member)
    assert get(client, url(upload)).status_code == 404
    login(moderator)
    assert get(client, url(upload)).status_code == 200


def test_an_unposted_upload_is_visible_to_its_uploader_only(client, login, member,
                                                            other_member, make_upload):
    upload = make_upload(member)
    assert get(client, url(upload)).status_code == 404
    login(other_member)
    assert get(client, url(upload)).status_code == 404
    login(member)
    assert get(client, url(upload)).status_code == 200


@pytest.mark.parametrize("path", [
    "/uploads/{key}.png",  # the wrong extension
    "/uploads/{key}",
    "/uploads/nosuchkey.pdf",
    "/uploads/..%2f..%2fetc%2fpasswd",
    "/uploads/thumbnails/{key}.pdf",  # a PDF has no thumbnail
])
def test_wrong_urls_are_404(client, attached, path):
    assert get(client, path.format(key=attached.short_key)).status_code == 404


def test_thumbnails_are_served_with_the_same_permission(db, client, login, member, topic,
                                                        make_upload):
    upload = make_upload(member, samples.jpeg_with_exif(1380, 920), "photo.jpg")
    thumb = f"/uploads/thumbnails/{upload.short_key}.jpg"
    assert get(client, thumb).status_code == 404
    topics.reply(topic, author=member, raw=f"![photo|1x1](upload://{upload.short_key}.jpg)")
    db.session.commit()
    response = get(client, thumb)
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.headers["Content-Disposition"].startswith("inline;")
    full = get(client, url(upload))
    assert len(full.data) > len(response.data)


def test_missing_stored_bytes_answer_404_not_500(app, client, attached):
    from forum.uploads.storage import storage

    storage().delete(attached.sha256)
    assert get(client, url(attached)).status_code == 404


def test_a_post_moved_into_a_private_category_takes_its_file_out_of_public_view(
        db, client, member, moderator, topic, make_upload):
    from forum.moderation.post_moves import move_posts

    upload = make_upload(member)
    post = topics.reply(topic, author=member, raw=card(upload))
    db.session.commit()
    assert get(client, url(upload)).status_code == 200
    private = factories.make_private_category()
    move_posts(topic, actor=moderator, post_ids=[post.id], title="Только для учителей",
               category=private)
    db.session.commit()
    assert get(client, url(upload)).status_code == 404
