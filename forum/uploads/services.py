"""Receiving an upload: who may, how large, what it really is; then the bytes go to the store
and an Upload row records them. Like every service, nothing here commits."""

from __future__ import annotations

import io
from collections.abc import Collection
from typing import BinaryIO

from flask import current_app
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select, union

from forum import permissions
from forum.errors import DomainError
from forum.extensions import db
from forum.models import UPLOAD_FILE, UPLOAD_IMAGE, Resource, Upload, User
from forum.uploads import checks, images
from forum.uploads.storage import storage

KB = 1024
MB = 1024 * 1024


class UploadTooLarge(DomainError):
    status_code = 413


def human_filesize(size: int) -> str:
    """“820 bytes”, “12.3 KB”, “4.5 MB” — in the reader's language."""
    if size < KB:
        return ngettext("%(num)d byte", "%(num)d bytes", size)
    if size < MB:
        return _("%(size)s KB", size=format_decimal(round(size / KB, 1)))
    return _("%(size)s MB", size=format_decimal(round(size / MB, 1)))


def too_large_error(limit: int) -> UploadTooLarge:
    return UploadTooLarge(_("The file is too large: at most %(limit)s may be attached. Your "
                            "text is kept; attach a smaller file or a link instead.",
                            limit=human_filesize(limit)))


def check_upload_allowed(uploader: User) -> None:
    """Refuse (403, with the reason) a member who may not attach files."""
    if not permissions.can_upload(uploader):
        raise DomainError(permissions.upload_refusal(uploader), status_code=403)


def used_quota(user: User) -> int:
    """Bytes of the member's uploads so far (every upload counts, even of shared bytes)."""
    return db.session.scalar(select(func.coalesce(func.sum(Upload.size), 0))
                             .where(Upload.user_id == user.id))


def receive_upload(stream: BinaryIO, filename: str | None, *, uploader: User) -> Upload:
    """Check and store one file for `uploader`; returns the flushed Upload.

    Refuses with a translated DomainError (403 not allowed, 413 too large or over quota, 422
    wrong or dangerous content, 507 storage failure); nothing is stored when it refuses.
    """
    check_upload_allowed(uploader)
    name = checks.sanitise_filename(filename)
    if not name:
        raise checks.UploadRefused(_("The file has no name. Rename it and try again."))
    size = checks.file_size(stream)
    limit = permissions.upload_size_limit(uploader)
    if size > limit:
        raise too_large_error(limit)
    _check_quota(uploader, size)
    kind = checks.check_type(stream, name, size)
    width = height = None
    thumbnail = None
    if kind.is_image:
        processed = images.process_image(stream, kind.extension)
        stream, width, height = io.BytesIO(processed.data), processed.width, processed.height
        thumbnail = processed.thumbnail
    key, stored_size, thumbnail_key = _store(stream, thumbnail)
    if kind.is_image and thumbnail_key is None:
        thumbnail_key = key  # the image fits the thumbnail box: it is its own thumbnail
    upload = Upload(user_id=uploader.id, sha256=key, original_filename=name,
                    extension=kind.extension, content_type=kind.content_type,
                    kind=UPLOAD_IMAGE if kind.is_image else UPLOAD_FILE, size=stored_size,
                    width=width, height=height, thumbnail_sha256=thumbnail_key)
    db.session.add(upload)
    db.session.flush()
    return upload


def _check_quota(uploader: User, size: int) -> None:
    quota = current_app.config["UPLOAD_QUOTA_BYTES"]
    if not quota or permissions.is_exempt_from_upload_quota(uploader):
        return
    used = used_quota(uploader)
    if used + size > quota:
        raise UploadTooLarge(_("Your storage quota is used up: %(used)s of %(quota)s. "
                               "Attachments removed from your posts free their space after a "
                               "while; meanwhile you can give a link instead.",
                               used=human_filesize(used), quota=human_filesize(quota)))


def _store(stream: BinaryIO, thumbnail: bytes | None) -> tuple[str, int, str | None]:
    """Put the file (and its thumbnail) in the store; if the thumbnail fails, the file's
    bytes go too unless another upload already holds them."""
    store = storage()
    key, size = store.put(stream)
    if thumbnail is None:
        return key, size, None
    try:
        thumbnail_key, _size = store.put(io.BytesIO(thumbnail))
    except DomainError:
        if not bytes_in_use(key):
            store.delete(key)
        raise
    return key, size, thumbnail_key


def bytes_in_use(key: str) -> bool:
    """Whether some row keeps these stored bytes (see keys_in_use)."""
    return key in keys_in_use([key])


def keys_in_use(keys: Collection[str]) -> set[str]:
    """Those of the keys that some row keeps: an upload's file or thumbnail, or a library
    resource's preview (a PDF's first page is stored by itself)."""
    query = union(select(Upload.sha256).where(Upload.sha256.in_(keys)),
                  select(Upload.thumbnail_sha256).where(Upload.thumbnail_sha256.in_(keys)),
                  select(Resource.preview_sha256).where(Resource.preview_sha256.in_(keys)))
    return set(db.session.scalars(query))
