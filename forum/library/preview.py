"""A resource's preview picture: an image's own thumbnail, or a PDF's first page rendered with
pypdfium2 (no system libraries), stored by hash like any upload. Failures mean no preview."""

from __future__ import annotations

import io
import logging

from forum.models import UPLOAD_IMAGE, Upload

log = logging.getLogger(__name__)

PREVIEW_WIDTH = 480
# A page may be a long strip (or claim to be): the bitmap is bounded both ways, since a worker
# renders it in memory (480 x 960 RGBA is under 2 MB).
PREVIEW_MAX_HEIGHT = 960
MAX_PDF_BYTES = 30 * 1024 * 1024


def make_preview(upload: Upload, data: bytes) -> str | None:
    """The storage key of a PNG preview of the upload, or None when there is none to make."""
    if upload.kind == UPLOAD_IMAGE:
        return upload.thumbnail_sha256 or upload.sha256
    if upload.extension.lower() != "pdf" or not data or len(data) > MAX_PDF_BYTES:
        return None
    try:
        png = _pdf_first_page(data)
    except Exception as exc:  # noqa: BLE001 - a broken PDF simply has no preview
        log.info("library: no preview of a PDF (%s)", exc.__class__.__name__)
        return None
    from forum.uploads.storage import storage

    key, _size = storage().put(io.BytesIO(png))
    return key


def _pdf_first_page(data: bytes) -> bytes:
    # Imported here: pdfium is a large native library, loaded only by the worker that renders.
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        page = document[0]
        width, height = page.get_width() or 1, page.get_height() or 1
        scale = min(2.0, PREVIEW_WIDTH / width, PREVIEW_MAX_HEIGHT / height)
        image = page.render(scale=scale).to_pil()
        page.close()
    finally:
        document.close()
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()
