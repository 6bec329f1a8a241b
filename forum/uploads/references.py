"""Posts' references to uploads: resolving `upload://KEY.ext` for the cooker, and keeping the
PostUpload rows in step with what a post's Markdown shows (sending upload_attached/detached).

Markdown names an upload by its short key (Upload.short_key: 22 random base62 digits, see
forum.models.uploads.new_short_key), as Discourse's `upload://` short URLs do:
`![name|WxH](upload://KEY.png)` for images, `[name|attachment](upload://KEY.pdf)` for files.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from forum import domain_events, markup, permissions
from forum.extensions import db
from forum.models import UPLOAD_IMAGE, Post, PostUpload, Upload, User
from forum.uploads import images


def uploads_for(raw: str, author: User | None) -> dict[str, Upload]:
    """The uploads `raw` names that a post by `author` may show, by short key."""
    keys = markup.upload_keys(raw)
    if not keys or author is None:
        return {}
    rows = db.session.scalars(select(Upload).where(
        Upload.short_key.in_(keys), permissions.referenceable_uploads(author)))
    return {upload.short_key: upload for upload in rows}


def reference_for(upload: Upload) -> markup.UploadReference:
    """What the cooker needs to show an upload: its URLs, size, type and dimensions."""
    from forum.uploads.services import human_filesize

    thumb_w, thumb_h = images.thumbnail_size(upload.width, upload.height)
    is_image = upload.kind == UPLOAD_IMAGE
    return markup.UploadReference(
        name=upload.original_filename, url=upload_url(upload), is_image=is_image,
        extension=upload.extension,
        thumbnail_url=thumbnail_url(upload) if is_image else None,
        width=thumb_w, height=thumb_h, size_label=human_filesize(upload.size))


# Cooked posts keep these site-relative paths (forum.uploads.views serves them); they are
# built by hand, not with url_for, because posts are also cooked outside requests (CLI, demo).
def upload_url(upload: Upload) -> str:
    return f"/uploads/{upload.short_key}.{upload.extension}"


def thumbnail_url(upload: Upload) -> str:
    return f"/uploads/thumbnails/{upload.short_key}.{thumbnail_extension(upload)}"


def thumbnail_extension(upload: Upload) -> str:
    """GIF thumbnails are WebP (a still of the first frame); others keep the image's format."""
    if upload.thumbnail_sha256 == upload.sha256 or upload.extension != "gif":
        return upload.extension
    return "webp"


def short_url(upload: Upload) -> str:
    return f"upload://{upload.short_key}.{upload.extension}"


def markdown_for(upload: Upload) -> str:
    """The Markdown the composer inserts for this upload (Discourse's forms)."""
    name = markup.escape_upload_name(upload.original_filename)
    if upload.kind == UPLOAD_IMAGE:
        return f"![{name}|{upload.width}x{upload.height}]({short_url(upload)})"
    return f"[{name}|attachment]({short_url(upload)})"


def sync_post_uploads(post: Post, shown: Iterable[Upload]) -> None:
    """Make the post's PostUpload rows exactly the uploads its cooked text shows."""
    wanted = {upload.id for upload in shown}
    current = {link.upload_id: link for link in db.session.scalars(
        select(PostUpload).where(PostUpload.post_id == post.id))}
    for upload_id in sorted(current.keys() - wanted):
        link = current[upload_id]
        domain_events.upload_detached.send(link)
        db.session.delete(link)
    for upload_id in sorted(wanted - current.keys()):
        link = PostUpload(post_id=post.id, upload_id=upload_id)
        db.session.add(link)
        db.session.flush()
        domain_events.upload_attached.send(link)
    db.session.flush()
