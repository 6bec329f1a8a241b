"""Rules for attachments: who may upload, who may download, which uploads a post may reference."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, exists, or_, select

from forum.extensions import db
from forum.models import ROLE_PARENT, ROLE_STUDENT, Category, Post, PostUpload, Topic, Upload
from forum.permissions.filters import moderated_categories, visible_posts, visible_topics
from forum.permissions.people import is_global_moderator, is_signed_in, may_write
from forum.permissions.trust import TL_MEMBER, has_trust_level, refusal


def upload_trust_level() -> int:
    """The trust level that attaching files needs (UPLOAD_MIN_TRUST_LEVEL, by default 1)."""
    return current_app.config["UPLOAD_MIN_TRUST_LEVEL"]


def can_upload(user) -> bool:
    """Unsilenced teachers (not students or parents) from UPLOAD_MIN_TRUST_LEVEL up may upload."""
    if not may_write(user) or user.role in (ROLE_STUDENT, ROLE_PARENT):
        return False
    return has_trust_level(user, upload_trust_level()) or is_global_moderator(user)


def upload_refusal(user) -> str:
    """Why can_upload(user) is False, in words for the member (names the trust level that
    lifts the limit when that is the reason)."""
    if not is_signed_in(user):
        return _("You need to sign in to attach files.")
    if user.is_silenced:
        return _("You are silenced and cannot attach files for now.")
    if user.role in (ROLE_STUDENT, ROLE_PARENT):
        return _("Students' and parents' accounts cannot attach files.")
    return refusal(upload_trust_level(), _("New members cannot attach files yet."))


def is_exempt_from_upload_quota(user) -> bool:
    """Staff (admins and global moderators) have no storage quota."""
    return is_global_moderator(user)


def posts_granting_download(user) -> ColumnElement[bool]:
    """A filter on Post: the posts whose attachments the user may download — the posts they can
    read, and for moderators also the deleted posts of the categories they moderate."""
    readable = visible_posts(user)
    if not is_signed_in(user):
        return readable
    moderated_topics = select(Topic.id).where(
        visible_topics(user, include_deleted=True),
        Topic.category_id.in_(select(Category.id).where(moderated_categories(user))))
    return or_(readable, Post.topic_id.in_(moderated_topics))


def can_download(user, upload: Upload) -> bool:
    """Readable by its uploader (so the composer preview works before posting), and by whoever
    can read a live post referencing it (moderators: a deleted one too)."""
    if is_signed_in(user) and upload.user_id == user.id:
        return True
    referenced = (select(PostUpload.id).join(Post, Post.id == PostUpload.post_id)
                  .where(PostUpload.upload_id == upload.id, posts_granting_download(user)))
    return bool(db.session.scalar(select(exists(referenced))))


def referenceable_uploads(user) -> ColumnElement[bool]:
    """A filter on Upload: what a post by this user may show — the user's own uploads, and
    uploads already attached to posts the user can read (quoting a colleague's material)."""
    if not is_signed_in(user):
        return Upload.id.is_(None)
    shared = (select(PostUpload.upload_id).join(Post, Post.id == PostUpload.post_id)
              .where(visible_posts(user)))
    return or_(Upload.user_id == user.id, Upload.id.in_(shared))


def upload_size_limit(user) -> int:
    """The largest file the user may attach, in bytes: stricter below trust level 2 (member)."""
    config = current_app.config
    if has_trust_level(user, TL_MEMBER):
        return config["UPLOAD_MAX_BYTES"]
    return min(config["UPLOAD_MAX_BYTES"], config["UPLOAD_MAX_BYTES_NEW_MEMBER"])
