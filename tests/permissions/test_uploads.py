"""Upload rules: who may attach files, who may download them, what a post may reference."""

from __future__ import annotations

import io

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from forum import permissions
from forum.models import Upload
from forum.topics import services as topics
from forum.uploads import services as uploads
from tests import factories
from tests.uploads import samples


@pytest.mark.parametrize(("role", "trust_level", "silenced", "allowed"), [
    ("member", 0, False, False),
    ("member", 1, False, True),
    ("member", 3, False, True),
    ("member", 2, True, False),
    ("student", 2, False, False),
    ("parent", 2, False, False),
    ("moderator", 0, False, True),
    ("admin", 0, False, True),
])
def test_can_upload(db, role, trust_level, silenced, allowed):
    user = factories.make_user(role=role, trust_level=trust_level)
    if silenced:
        factories.silence(user)
    assert permissions.can_upload(user) is allowed


def test_guests_cannot_upload(app):
    assert permissions.can_upload(AnonymousUserMixin()) is False


def test_the_minimum_trust_level_is_configurable(app, db):
    newcomer = factories.make_user(trust_level=0)
    app.config["UPLOAD_MIN_TRUST_LEVEL"] = 0
    assert permissions.can_upload(newcomer)
    app.config["UPLOAD_MIN_TRUST_LEVEL"] = 2
    assert not permissions.can_upload(factories.make_user(trust_level=1))
    # The refusal names the level that lifts the limit (in the default language, Russian).
    assert " 2 («" in permissions.upload_refusal(factories.make_user(trust_level=1))


def test_the_size_limit_is_stricter_below_trust_level_two(app, db):
    app.config.update(UPLOAD_MAX_BYTES=100, UPLOAD_MAX_BYTES_NEW_MEMBER=10)
    assert permissions.upload_size_limit(factories.make_user(trust_level=1)) == 10
    assert permissions.upload_size_limit(factories.make_user(trust_level=2)) == 100
    assert permissions.upload_size_limit(factories.make_user(role="admin")) == 100


def _upload(user) -> Upload:
    return uploads.receive_upload(io.BytesIO(samples.pdf()), "a.pdf", uploader=user)


def _card(upload) -> str:
    return f"[a.pdf|attachment](upload://{upload.short_key}.pdf)"


def test_can_download_follows_the_posts_visibility(db, member, student, moderator):
    private = factories.make_private_category()
    upload = _upload(member)
    topic = factories.make_topic(category=private, author=member, raw=_card(upload))
    guest = AnonymousUserMixin()
    assert permissions.can_download(member, upload)
    assert permissions.can_download(moderator, upload)
    assert not permissions.can_download(student, upload)
    assert not permissions.can_download(guest, upload)
    topics.delete_topic(topic, actor=moderator)
    assert permissions.can_download(moderator, upload)
    assert permissions.can_download(member, upload)  # still the uploader
    other_teacher = factories.make_user()
    assert not permissions.can_download(other_teacher, upload)


def test_a_subject_moderator_downloads_from_deleted_posts_of_their_category(
        db, member, topic, subject_moderator, other_subject_moderator):
    upload = _upload(member)
    post = topics.reply(topic, author=member, raw=_card(upload))
    topics.delete_post(post, actor=member)
    assert permissions.can_download(subject_moderator, upload)
    assert not permissions.can_download(other_subject_moderator, upload)


def test_referenceable_uploads(db, member, other_member, topic):
    mine, theirs, shared = _upload(member), _upload(other_member), _upload(other_member)
    topics.reply(topic, author=other_member, raw=_card(shared))
    ids = set(db.session.scalars(select(Upload.id).where(
        permissions.referenceable_uploads(member))))
    assert ids == {mine.id, shared.id}
    assert theirs.id not in ids
