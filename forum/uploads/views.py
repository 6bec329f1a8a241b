"""Upload routes: Discourse's `POST /uploads.json`, and serving files and thumbnails through
the permission module (404 whatever the URL when the reader may not see them)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from forum import permissions
from forum.extensions import csrf, db, limiter
from forum.models import UPLOAD_IMAGE, Upload
from forum.security import csrf_in_form
from forum.uploads import checks, references, services
from forum.uploads.images import thumbnail_size
from forum.uploads.serving import send_stored

bp = Blueprint("uploads", __name__)

# Room for the multipart envelope (boundaries, headers, the `type` field) around the file.
MULTIPART_OVERHEAD = 64 * 1024
INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp",
                          "application/pdf"})
THUMBNAIL_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
                   "gif": "image/gif", "webp": "image/webp"}


@bp.app_context_processor
def upload_helpers():
    """What the composer's upload controls need: the size in words, the accept list."""
    return {
        "human_filesize": services.human_filesize,
        "upload_too_large_message": lambda limit: str(services.too_large_error(limit).message),
        "upload_accept": lambda: ",".join("." + e for e in checks.allowed_extensions()),
    }


def _upload_limit() -> str:
    return current_app.config["POSTING_LIMIT"]


@bp.post("/uploads.json")
@csrf_in_form  # checked below, once the body limit for this member is set
@limiter.limit(_upload_limit)
def create():
    """Receive one file (`file`, `type=composer`); answers Discourse's upload JSON."""
    services.check_upload_allowed(current_user)
    limit = permissions.upload_size_limit(current_user)
    # Refuse before reading the body: the declared length, and a cap while streaming.
    if request.content_length is not None and request.content_length > limit + MULTIPART_OVERHEAD:
        raise services.too_large_error(limit)
    request.max_content_length = limit + MULTIPART_OVERHEAD
    try:
        if current_app.config.get("WTF_CSRF_ENABLED", True) and not request.headers.get("Api-Key"):
            csrf.protect()
        file = request.files.get("file")
    except RequestEntityTooLarge:
        raise services.too_large_error(limit) from None
    if file is None:
        raise checks.UploadRefused(_("Choose a file to attach."), field="file")
    try:
        upload = services.receive_upload(file.stream, file.filename, uploader=current_user)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return jsonify(serialize(upload))


def serialize(upload: Upload) -> dict:
    """Discourse's upload JSON (plus our Markdown for the composer)."""
    thumb_w, thumb_h = thumbnail_size(upload.width, upload.height)
    is_image = upload.kind == UPLOAD_IMAGE
    return {
        "id": upload.id,
        "url": references.upload_url(upload),
        "original_filename": upload.original_filename,
        "filesize": upload.size,
        "width": upload.width,
        "height": upload.height,
        "thumbnail_width": thumb_w if is_image else None,
        "thumbnail_height": thumb_h if is_image else None,
        "extension": upload.extension,
        "short_url": references.short_url(upload),
        "short_path": references.upload_url(upload),
        "retain_hours": None,
        "human_filesize": services.human_filesize(upload.size),
        "markdown": references.markdown_for(upload),
    }


@bp.get("/uploads/<name>")
def download(name: str):
    """The file itself, named `<short key>.<extension>`; `?dl=1` (download cards) asks for a
    download even of what a browser could show."""
    upload = _readable_upload(name, lambda u: u.extension)
    inline = upload.content_type in INLINE_TYPES and request.args.get("dl") != "1"
    return send_stored(upload.sha256, upload, upload.content_type, inline=inline)


@bp.get("/uploads/thumbnails/<name>")
def thumbnail(name: str):
    """An image's thumbnail, named `<short key>.<thumbnail extension>`."""
    upload = _readable_upload(name, references.thumbnail_extension)
    if upload.thumbnail_sha256 is None:
        abort(404)
    extension = references.thumbnail_extension(upload)
    return send_stored(upload.thumbnail_sha256, upload, THUMBNAIL_TYPES[extension], inline=True)


def _readable_upload(name: str, extension_for) -> Upload:
    """The upload the name designates, if the reader may download it; else 404, always."""
    key, dot, extension = name.partition(".")
    upload = None
    if dot and key.isalnum() and len(key) <= 40:
        upload = db.session.scalar(select(Upload).where(Upload.short_key == key))
    if (upload is None or extension.lower() != extension_for(upload)
            or not permissions.can_download(current_user, upload)):
        abort(404)
    return upload
