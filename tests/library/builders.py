"""Test builders for the library: attach a file to a post as the uploads code will (bytes
through storage().put, Upload + PostUpload rows, the upload_attached event), and files to
attach (a real PDF, DOCX, PPTX, ODT made in memory)."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import select

from forum import domain_events
from forum.demo.library import simple_pdf
from forum.extensions import db
from forum.models import UPLOAD_FILE, UPLOAD_IMAGE, Post, PostUpload, Resource, Upload
from forum.uploads.storage import storage

CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "txt": "text/plain",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "pptx": "application/vnd.openxmlformats-officedocument.presentationml."
                         "presentation",
                 "odt": "application/vnd.oasis.opendocument.text"}


def attach_file(post: Post, *, filename: str = "Дроби.pdf", data: bytes | None = None) -> Upload:
    """Store the bytes and attach them to the post; the library makes its resource."""
    extension = filename.rsplit(".", 1)[-1].lower()
    data = data if data is not None else make_pdf("Сложение дробей с одинаковыми знаменателями")
    sha256, size = storage().put(io.BytesIO(data))
    upload = Upload(user_id=post.user_id, sha256=sha256, original_filename=filename,
                    extension=extension, content_type=CONTENT_TYPES.get(extension,
                                                                        "application/octet-stream"),
                    kind=UPLOAD_IMAGE if extension == "png" else UPLOAD_FILE, size=size)
    db.session.add(upload)
    db.session.flush()
    link = PostUpload(post_id=post.id, upload_id=upload.id)
    db.session.add(link)
    db.session.flush()
    domain_events.upload_attached.send(link)
    return upload


def detach_file(post: Post, upload: Upload) -> None:
    link = db.session.scalar(select(PostUpload).where(PostUpload.post_id == post.id,
                                                      PostUpload.upload_id == upload.id))
    domain_events.upload_detached.send(link)
    db.session.delete(link)
    db.session.flush()


def first_post(topic) -> Post:
    return db.session.scalar(select(Post).where(Post.topic_id == topic.id,
                                                Post.post_number == 1))


def make_resource(post: Post, **kwargs) -> Resource:
    upload = attach_file(post, **kwargs)
    return db.session.scalar(select(Resource).where(Resource.post_id == post.id,
                                                    Resource.source_upload_id == upload.id))


def make_pdf(text: str) -> bytes:
    """A one-page PDF whose text layer holds `text` (the demo's generator)."""
    return simple_pdf(text)


def make_zip(parts: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def make_docx(*paragraphs: str) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    return make_zip({"[Content_Types].xml": "<Types/>",
                     "word/document.xml": f'<?xml version="1.0"?><w:document xmlns:w="w">'
                                          f"<w:body>{body}</w:body></w:document>"})


def make_pptx(*slides: str) -> bytes:
    parts = {f"ppt/slides/slide{n}.xml": f"<p:sld><a:p><a:t>{text}</a:t></a:p></p:sld>"
             for n, text in enumerate(slides, 1)}
    return make_zip({"[Content_Types].xml": "<Types/>", **parts})


def make_odt(*paragraphs: str) -> bytes:
    body = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    return make_zip({"mimetype": "application/vnd.oasis.opendocument.text",
                     "content.xml": f"<office:document-content><office:body><office:text>"
                                    f"{body}</office:text></office:body>"
                                    f"</office:document-content>"})
