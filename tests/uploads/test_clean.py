"""`forum uploads clean`: orphans and stray stored files go after the grace period; nothing a
post shows ever does."""

from __future__ import annotations

import hashlib
import io
import os
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from forum.drafts import services as drafts
from forum.extensions import db
from forum.models import Upload, utcnow
from forum.topics import services as topics
from forum.uploads import references
from forum.uploads.services import bytes_in_use, keys_in_use
from forum.uploads.storage import storage
from tests.library.builders import first_post, make_resource
from tests.uploads import samples


def card(upload) -> str:
    return f"[{upload.original_filename}|attachment](upload://{upload.short_key}.pdf)"


def age(upload, hours: float) -> None:
    """Make the upload (and its stored files) look `hours` old."""
    upload.created_at = utcnow() - timedelta(hours=hours)
    db.session.commit()
    then = time.time() - hours * 3600
    for key in (upload.sha256, upload.thumbnail_sha256):
        if key and storage().exists(key):
            os.utime(storage().path(key), (then, then))


def make_old(path: Path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def stray(data: bytes, hours: float) -> str:
    """Bytes stored `hours` ago that no upload row uses (the row's transaction rolled back)."""
    key, _size = storage().put(io.BytesIO(data))
    make_old(storage().path(key), hours)
    return key


def stored_files() -> set[Path]:
    """Every file under the store's root (stored bytes and anything else)."""
    return {Path(top) / name for top, _, names in os.walk(storage().root) for name in names}


def age_all_stored_files(hours: float) -> None:
    for path in stored_files():
        make_old(path, hours)


def clean(app, *args):
    result = app.test_cli_runner().invoke(args=["forum", "uploads", "clean", *args])
    assert result.exit_code == 0, result.output
    return result.output


def remaining() -> set[int]:
    return set(db.session.scalars(select(Upload.id)))


def test_an_old_orphan_is_removed_with_its_bytes(app, member, make_upload):
    upload = make_upload(member)
    key, upload_id = upload.sha256, upload.id
    age(upload, 49)
    output = clean(app)
    assert "1 orphaned uploads removed, 1 stored files deleted" in output
    assert upload_id not in remaining()
    assert not storage().exists(key)


def test_a_young_orphan_waits_for_the_grace_period(app, member, make_upload):
    upload = make_upload(member)
    age(upload, 5)
    clean(app)
    assert upload.id in remaining()
    clean(app, "--grace-hours", "4")
    assert remaining() == set()


def test_uploads_of_live_and_soft_deleted_posts_are_kept(app, member, topic, make_upload):
    live, deleted = make_upload(member), make_upload(member, samples.pdf("2"), "b.pdf")
    topics.reply(topic, author=member, raw=card(live))
    post = topics.reply(topic, author=member, raw=card(deleted))
    topics.delete_post(post, actor=member)
    age(live, 100)
    age(deleted, 100)
    clean(app, "--grace-hours", "0")
    assert remaining() == {live.id, deleted.id}
    assert storage().exists(live.sha256)


def test_an_upload_removed_by_an_edit_becomes_an_orphan(app, member, topic, make_upload):
    upload = make_upload(member)
    post = topics.reply(topic, author=member, raw=card(upload))
    topics.edit_post(post, editor=member, raw="Файл больше не нужен.")
    age(upload, 100)
    clean(app)
    assert remaining() == set()


def test_shared_bytes_stay_while_another_upload_uses_them(app, member, other_member, topic,
                                                          make_upload):
    orphan = make_upload(member)
    kept = make_upload(other_member, name="copy.pdf")
    topics.reply(topic, author=other_member, raw=card(kept))
    age(orphan, 100)
    output = clean(app)
    assert "1 orphaned uploads removed, 0 stored files deleted" in output
    assert remaining() == {kept.id}
    assert storage().exists(kept.sha256)


def test_an_upload_named_in_a_draft_is_kept(app, member, topic, make_upload):
    upload = make_upload(member)
    drafts.save_draft(member, f"topic_{topic.id}", {"raw": "Черновик " + card(upload)},
                      sequence=1)
    db.session.commit()
    age(upload, 100)
    clean(app)
    assert upload.id in remaining()


def test_an_image_orphan_takes_its_thumbnail_along(app, member, make_upload):
    upload = make_upload(member, samples.jpeg_with_exif(1380, 920), "photo.jpg")
    keys = (upload.sha256, upload.thumbnail_sha256)
    age(upload, 100)
    assert "2 stored files deleted" in clean(app)
    assert not any(storage().exists(k) for k in keys)


def test_bytes_stored_again_just_now_survive_a_concurrent_clean(app, member, make_upload):
    """An upload of the same bytes in progress (stored, row not yet committed) keeps them."""
    orphan = make_upload(member)
    key = orphan.sha256
    age(orphan, 100)
    storage().put(io.BytesIO(samples.pdf()))  # another member's upload, still in flight
    assert "1 orphaned uploads removed, 0 stored files deleted" in clean(app)
    assert storage().exists(key)


def test_stray_stored_files_older_than_the_grace_period_are_removed(app, member, topic,
                                                                    make_upload):
    old_stray, young_stray = stray(b"old stray bytes", 49), stray(b"young stray bytes", 5)
    used = make_upload(member)
    image = make_upload(member, samples.jpeg_with_exif(1380, 920), "photo.jpg")
    assert image.thumbnail_sha256 not in (None, image.sha256)
    topics.reply(topic, author=member, raw=references.markdown_for(used) + "\n\n"
                 + references.markdown_for(image))
    age(used, 100)
    age(image, 100)
    crashed = storage().root / ".incoming-crashed-put"  # a put() killed half-way
    crashed.write_bytes(b"half a file")
    make_old(crashed, 49)
    output = clean(app)
    assert "0 orphaned uploads removed, 0 stored files deleted, 2 stray stored files removed" \
        in output
    assert not storage().exists(old_stray) and not crashed.exists()
    assert storage().exists(young_stray)
    assert all(storage().exists(key) for key in (used.sha256, image.sha256,
                                                 image.thumbnail_sha256))


def test_recently_stored_stray_bytes_are_kept_even_without_a_grace_period(app):
    half_hour_old, two_hours_old = stray(b"stored half an hour ago", 0.5), stray(b"older", 2)
    assert "1 stray stored files removed" in clean(app, "--grace-hours", "0")
    assert storage().exists(half_hour_old)
    assert not storage().exists(two_hours_old)


def test_a_library_preview_is_not_a_stray_file(app, topic):
    resource = make_resource(first_post(topic), filename="Дроби.pdf")
    db.session.commit()
    preview = resource.preview_sha256
    assert preview not in (None, resource.upload.sha256)  # a PNG that no upload row names
    age_all_stored_files(100)
    assert "0 stray stored files removed" in clean(app)
    assert storage().exists(preview) and storage().exists(resource.upload.sha256)


def test_bytes_a_library_preview_keeps_count_as_in_use(app, topic):
    # One rule for every deletion path: the orphan sweep, a failed thumbnail and strays.
    resource = make_resource(first_post(topic), filename="Дроби.pdf")
    db.session.commit()
    assert bytes_in_use(resource.preview_sha256)
    assert keys_in_use([resource.preview_sha256, "0" * 64]) == {resource.preview_sha256}


def test_bytes_left_by_a_refused_composer_form_are_removed_and_nothing_else(
        app, client, login, member, topic, make_upload):
    kept = make_upload(member, samples.jpeg_with_exif(1380, 920), "photo.jpg")
    topics.reply(topic, author=member, raw=references.markdown_for(kept))
    db.session.commit()
    login(member)
    good = samples.pdf("Fractions, lesson two")
    response = client.post(f"/t/{topic.id}/reply", content_type="multipart/form-data", data={
        "raw": "Ответ с двумя файлами.",
        "attachments": [(io.BytesIO(good), "план.pdf"),
                        (io.BytesIO(samples.exe_named_pdf()), "invoice.pdf")]})
    assert response.status_code == 422 and "invoice.pdf:" in response.text
    left_behind = storage().path(hashlib.sha256(good).hexdigest())
    assert left_behind.is_file()  # stored before the second file was refused; no row uses it
    rows, files = remaining(), stored_files()
    age_all_stored_files(100)  # the grace period has passed for everything in the store
    assert "1 stray stored files removed" in clean(app)
    assert stored_files() == files - {left_behind}
    assert remaining() == rows
