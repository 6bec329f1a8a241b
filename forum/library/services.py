"""Library writes: resources following the posts' attachments, their metadata and versions.

Resources are made and removed by the domain events the uploads code sends (a post starts or
stops referencing a file); their authors (and the post's moderators) edit what describes them.
Services never commit: the caller does, once.
"""

from __future__ import annotations

import logging
import os

from flask_babel import gettext as _
from sqlalchemy import select

from forum import domain_events, permissions
from forum.errors import DomainError
from forum.extensions import db
from forum.library import extraction, preview, search
from forum.models import (
    GRADE_LEVELS,
    LICENCES,
    MATERIAL_TYPES,
    Category,
    Post,
    PostUpload,
    Resource,
    ResourceVersion,
    Upload,
    User,
    utcnow,
)
from forum.uploads.services import receive_upload
from forum.uploads.storage import storage

log = logging.getLogger(__name__)

TITLE_MAX, DESCRIPTION_MAX, TAG_MAX, TAGS_MAX = 200, 5000, 40, 10


# --- following the posts' attachments ----------------------------------------------------------

def on_upload_attached(post_upload: PostUpload, **_kwargs) -> None:
    """A post references a file: it enters the library (or comes back to it)."""
    post = post_upload.post or db.session.get(Post, post_upload.post_id)
    upload = post_upload.upload or db.session.get(Upload, post_upload.upload_id)
    if post is None or upload is None:
        return
    resource = db.session.scalar(select(Resource).where(
        Resource.post_id == post.id, Resource.source_upload_id == upload.id))
    if resource is not None:
        if resource.removed_at is not None:
            resource.removed_at = None
            db.session.flush()
            if resource.is_recommended:
                domain_events.resource_recommendation_changed.send(resource, recommended=True)
        return
    create_resource(post, upload)


def create_resource(post: Post, upload: Upload) -> Resource:
    """A resource for the post's file, described by default from the file and the post."""
    resource = Resource(post=post, source_upload_id=upload.id, upload=upload,
                        user_id=post.user_id, category_id=post.topic.category_id,
                        title=_default_title(upload.original_filename))
    db.session.add(resource)
    db.session.flush()
    version = ResourceVersion(resource_id=resource.id, number=1, upload_id=upload.id,
                              created_by_id=post.user_id)
    db.session.add(version)
    db.session.flush()
    resource.current_version, resource.current_version_id = version, version.id
    _read_file(resource, upload)
    db.session.flush()
    domain_events.resource_shared.send(resource)
    return resource


def on_upload_detached(post_upload: PostUpload, **_kwargs) -> None:
    """The post no longer references the file: its resource leaves the library (kept, so
    reviews, ratings and counts return if the file is attached again)."""
    resource = db.session.scalar(select(Resource).where(
        Resource.post_id == post_upload.post_id,
        Resource.source_upload_id == post_upload.upload_id))
    if resource is None or resource.removed_at is not None:
        return
    resource.removed_at = utcnow()
    db.session.flush()
    if resource.is_recommended:
        domain_events.resource_recommendation_changed.send(resource, recommended=False)


def _default_title(filename: str) -> str:
    stem, _ext = os.path.splitext(filename or "")
    return (stem.replace("_", " ").strip() or filename or "—")[:TITLE_MAX]


def _read_file(resource: Resource, upload: Upload) -> None:
    """Extracted text, search stems and the preview of the resource's current file."""
    data = b""
    try:
        with storage().open(upload.sha256) as handle:
            data = handle.read(extraction.MAX_INPUT_BYTES + 1)
    except (OSError, ValueError) as exc:
        log.warning("library: upload %s unreadable (%s)", upload.id, exc.__class__.__name__)
    resource.extracted_text = extraction.extract_text(data, upload.extension)
    resource.preview_sha256 = preview.make_preview(upload, data)
    search.reindex(resource)


# --- metadata -----------------------------------------------------------------------------------

def update_metadata(resource: Resource, *, actor: User, title: str, description: str,
                    category_id: int | None, grade_levels: list[str], material_type: str,
                    tags: str, licence: str) -> Resource:
    """Describe the resource. Raises DomainError naming the field at fault; saves nothing then."""
    permissions.require(permissions.can_edit_resource(actor, resource))
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the material a title."), field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(_("The title is too long (at most %(n)d characters).", n=TITLE_MAX),
                          field="title")
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise DomainError(_("The description is too long (at most %(n)d characters).",
                            n=DESCRIPTION_MAX), field="description")
    category = db.session.get(Category, category_id) if category_id else None
    if category is None or not permissions.can_view_category(actor, category):
        raise DomainError(_("Choose a subject from the list."), field="subject")
    if any(g not in GRADE_LEVELS for g in grade_levels or ()):
        raise DomainError(_("Choose grade levels from the list."), field="grades")
    if material_type not in MATERIAL_TYPES:
        raise DomainError(_("Choose a material type from the list."), field="material_type")
    if licence not in LICENCES:
        raise DomainError(_("Choose a licence from the list."), field="licence")
    tag_list = parse_tags(tags)
    resource.title, resource.description, resource.category_id = title, description, category.id
    ordered = [g for g in GRADE_LEVELS if g in set(grade_levels or ())]
    resource.grade_levels = f",{','.join(ordered)}," if ordered else ""
    resource.material_type, resource.licence = material_type, licence
    resource.tags = f",{','.join(tag_list)}," if tag_list else ""
    resource.updated_at = utcnow()
    search.reindex(resource)
    db.session.flush()
    return resource


def parse_tags(text: str) -> list[str]:
    """Comma-separated tags, lower-cased and de-duplicated; DomainError when too many or long."""
    tags: list[str] = []
    for raw in (text or "").split(","):
        tag = " ".join(raw.split()).lower()
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > TAGS_MAX:
        raise DomainError(_("At most %(n)d tags, please.", n=TAGS_MAX), field="tags")
    if any(len(tag) > TAG_MAX for tag in tags):
        raise DomainError(_("A tag has at most %(n)d characters.", n=TAG_MAX), field="tags")
    return tags


# --- versions -----------------------------------------------------------------------------------

def add_version(resource: Resource, *, actor: User, stream, filename: str,
                content_type: str = "") -> ResourceVersion:
    """A new file becomes the current version; reviews stay with the version they judged.
    The file goes through the uploads service, with every check an attachment gets (type by
    content, size and quota, images re-encoded). `content_type` is the browser's claim, which
    the service does not trust; it is accepted for the callers' convenience."""
    permissions.require(permissions.can_edit_resource(actor, resource))
    upload = receive_upload(stream, filename, uploader=actor)
    number = resource.version_number + 1
    version = ResourceVersion(resource_id=resource.id, number=number, upload_id=upload.id,
                              created_by_id=actor.id)
    db.session.add(version)
    db.session.flush()
    resource.current_version, resource.current_version_id = version, version.id
    resource.upload, resource.upload_id, resource.version_number = upload, upload.id, number
    resource.updated_at = utcnow()
    _read_file(resource, upload)
    from forum.library.reviews import refresh_review_stats

    refresh_review_stats(resource)  # the new version starts without reviews
    db.session.flush()
    return version


def connect_receivers() -> None:
    domain_events.upload_attached.connect(on_upload_attached)
    domain_events.upload_detached.connect(on_upload_detached)
