"""POST /uploads.json: Discourse's answer, limits, quota, refusals with clear messages."""

from __future__ import annotations

import io
import os

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Upload
from forum.uploads.storage import DiskStorage
from tests import factories
from tests.uploads import samples


def upload_count() -> int:
    return db.session.scalar(select(func.count(Upload.id)))


def stored_files(app) -> list[str]:
    return [name for _, _, names in os.walk(app.config["UPLOADS_DIR"]) for name in names]


def test_a_member_uploads_a_pdf_and_gets_discourses_upload_json(app, login, member, upload_file):
    login(member)
    response = upload_file(samples.pdf(), "План урока.pdf")
    assert response.status_code == 200, response.json
    body = response.json
    upload = db.session.get(Upload, body["id"])
    assert body["original_filename"] == "План урока.pdf"
    assert body["extension"] == "pdf"
    assert body["filesize"] == len(samples.pdf()) == upload.size
    assert body["short_url"] == f"upload://{upload.short_key}.pdf"
    assert body["url"] == f"/uploads/{upload.short_key}.pdf"
    assert body["human_filesize"].endswith("bytes") or "KB" in body["human_filesize"]
    assert body["width"] is None and body["thumbnail_width"] is None
    assert body["markdown"] == f"[План урока.pdf|attachment](upload://{upload.short_key}.pdf)"
    assert upload.user_id == member.id and upload.content_type == "application/pdf"


def test_an_image_is_re_encoded_without_exif_and_thumbnailed(app, login, member, upload_file):
    login(member)
    original = samples.jpeg_with_exif(1380, 920)
    response = upload_file(original, "photo.jpg")
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["width"], body["height"]) == (1380, 920)
    assert (body["thumbnail_width"], body["thumbnail_height"]) == (690, 460)
    assert body["markdown"].startswith("![photo.jpg|1380x920](upload://")
    upload = db.session.get(Upload, body["id"])
    store = DiskStorage(app.config["UPLOADS_DIR"])
    stored = store.path(upload.sha256).read_bytes()
    assert b"SecretCam" not in stored and b"Lenina" not in stored
    assert b"SecretCam" in original
    assert upload.thumbnail_sha256 and upload.thumbnail_sha256 != upload.sha256
    from PIL import Image
    with Image.open(store.path(upload.thumbnail_sha256)) as thumb:
        assert thumb.size == (690, 460)


def test_a_small_image_is_its_own_thumbnail(app, login, member, upload_file):
    login(member)
    body = upload_file(samples.png(40, 30), "dot.png").json
    upload = db.session.get(Upload, body["id"])
    assert upload.thumbnail_sha256 == upload.sha256
    assert (body["thumbnail_width"], body["thumbnail_height"]) == (40, 30)


def test_an_api_key_client_uploads_without_a_csrf_token(app, client, member, db):
    from forum.accounts.services import create_api_key

    app.config["WTF_CSRF_ENABLED"] = True
    key = create_api_key(actor=None, user=member, description="bot")
    db.session.commit()
    response = client.post("/uploads.json", headers={"Api-Key": key, "Api-Username": "anna"},
                           data={"type": "composer", "file": (io.BytesIO(samples.pdf()), "a.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 200, response.json


def test_a_browser_upload_without_the_csrf_token_is_refused(app, login, member, upload_file):
    login(member)
    app.config["WTF_CSRF_ENABLED"] = True
    response = upload_file(samples.pdf(), "a.pdf")
    assert response.status_code == 403
    assert "security token" in response.json["errors"][0]
    assert upload_count() == 0


def test_guests_cannot_upload(client, upload_file, app):
    response = upload_file(samples.pdf(), "a.pdf")
    assert response.status_code == 403
    assert "sign in" in response.json["errors"][0]


def test_a_new_member_is_told_which_trust_level_lifts_the_limit(login, db, upload_file, app):
    newcomer = factories.make_user("novichok", trust_level=0)
    login(newcomer)
    response = upload_file(samples.pdf(), "a.pdf")
    assert response.status_code == 403
    message = response.json["errors"][0]
    assert "New members cannot attach files" in message and "trust level 1" in message
    assert stored_files(app) == []


@pytest.mark.parametrize("who", ["student", "parent", "silenced_member"])
def test_students_parents_and_silenced_members_cannot_upload(request, login, upload_file, who):
    login(request.getfixturevalue(who))
    response = upload_file(samples.pdf(), "a.pdf")
    assert response.status_code == 403
    assert upload_count() == 0


def test_an_over_size_file_is_refused_before_the_body_is_read(app, login, member, client):
    app.config["UPLOAD_MAX_BYTES"] = 100_000
    login(member)
    read = []

    class Body(io.BytesIO):
        def read(self, *args):
            read.append(args)
            return super().read(*args)

    body = Body(b"x" * 300_000)
    response = client.post("/uploads.json", input_stream=body,
                           content_type="multipart/form-data; boundary=xyz",
                           headers={"Content-Length": "300000"})
    assert response.status_code == 413
    assert "too large" in response.json["errors"][0] and "97.7 KB" in response.json["errors"][0]
    assert read == []


def test_a_file_over_the_limit_without_a_declared_length_is_refused(app, login, member,
                                                                    upload_file):
    app.config["UPLOAD_MAX_BYTES"] = 10_000
    login(member)
    response = upload_file(b"%PDF-1.4\n" + b"0" * 20_000, "big.pdf")
    assert response.status_code == 413
    assert "too large" in response.json["errors"][0]
    assert stored_files(app) == []


def test_basic_members_have_the_stricter_limit_members_the_larger(app, login, db, upload_file):
    app.config.update(UPLOAD_MAX_BYTES=50_000, UPLOAD_MAX_BYTES_NEW_MEMBER=5_000)
    data = b"%PDF-1.4\n" + b"0" * 8_000
    basic = factories.make_user("basic", trust_level=1)
    regular = factories.make_user("regular", trust_level=2)
    login(basic)
    assert upload_file(data, "a.pdf").status_code == 413
    login(regular)
    assert upload_file(data, "a.pdf").status_code == 200


def test_the_quota_counts_a_members_earlier_uploads(app, login, member, upload_file):
    app.config["UPLOAD_QUOTA_BYTES"] = len(samples.pdf()) * 2 + 10
    login(member)
    assert upload_file(samples.pdf(), "a.pdf").status_code == 200
    assert upload_file(samples.pdf(), "b.pdf").status_code == 200
    response = upload_file(samples.pdf(), "c.pdf")
    assert response.status_code == 413
    assert "quota" in response.json["errors"][0]


def test_staff_have_no_quota(app, login, admin, upload_file):
    app.config["UPLOAD_QUOTA_BYTES"] = 10
    login(admin)
    assert upload_file(samples.pdf(), "a.pdf").status_code == 200


@pytest.mark.parametrize(("name", "data", "phrase"), [
    ("invoice.pdf", samples.exe_named_pdf(), "Programs cannot be attached"),
    ("photo.png", samples.pdf(), "not a real PNG"),
    ("drawing.svg", samples.svg_with_script(), "Allowed types"),
    ("page.html", samples.html_page(), "Allowed types"),
    ("bomb.zip", samples.zip_bomb(), "zip bomb"),
    ("huge.png", samples.png_bomb(), "too large"),
    ("empty.pdf", b"", "empty"),
    ("....", samples.pdf(), "has no name"),
    ("noextension", samples.pdf(), "Allowed types"),
])
def test_bad_files_get_a_clear_error_and_nothing_is_stored(app, login, member, upload_file,
                                                           name, data, phrase):
    login(member)
    response = upload_file(data, name)
    assert response.status_code in (413, 422), response.json
    assert phrase in response.json["errors"][0]
    assert upload_count() == 0
    assert stored_files(app) == []


def test_a_missing_file_field_is_explained(login, member, client):
    login(member)
    response = client.post("/uploads.json", data={"type": "composer"})
    assert response.status_code == 422
    assert "Choose a file" in response.json["errors"][0]


def test_the_same_file_twice_is_two_uploads_stored_once(app, login, member, other_member,
                                                        upload_file):
    login(member)
    first = upload_file(samples.pdf(), "a.pdf").json
    login(other_member)
    second = upload_file(samples.pdf(), "b.pdf").json
    assert first["id"] != second["id"] and first["short_url"] != second["short_url"]
    assert len(stored_files(app)) == 1


def test_a_full_or_read_only_store_leaves_nothing_behind(app, login, member, upload_file,
                                                        monkeypatch):
    login(member)

    def failing_write(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_write)
    response = upload_file(samples.pdf(), "a.pdf")
    assert response.status_code == 507
    assert "storage is full or unavailable" in response.json["errors"][0]
    assert upload_count() == 0
    assert stored_files(app) == []


def test_russian_messages_for_refusals(app, login, member, upload_file, client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ru"
    login(member)
    response = upload_file(samples.exe_named_pdf(), "invoice.pdf")
    assert response.status_code == 422
    assert "Программы" in response.json["errors"][0]


def test_concurrent_uploads_of_the_same_file_all_succeed(app, tmp_path):
    """Several writers storing the same bytes at once: each gets the key, one file remains."""
    from concurrent.futures import ThreadPoolExecutor

    store = DiskStorage(tmp_path / "store")
    data = samples.jpeg_with_exif(400, 300) * 50

    def put(_):
        with app.app_context():
            return store.put(io.BytesIO(data))

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(put, range(16)))
    assert len({key for key, _ in results}) == 1
    files = [name for _, _, names in os.walk(store.root) for name in names]
    assert files == [results[0][0]]
    assert store.path(results[0][0]).read_bytes() == data
