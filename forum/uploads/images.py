"""Images: re-encoded with Pillow (so what we serve is what Pillow wrote, without EXIF), and
thumbnailed. Oversized images are refused from their header, before any pixel is decoded."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from flask import current_app
from flask_babel import gettext as _

from forum.uploads.checks import UploadRefused

if TYPE_CHECKING:
    from PIL import Image

PILLOW_FORMATS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "gif": "GIF", "webp": "WEBP"}
JPEG_QUALITY = 88


@dataclass(frozen=True)
class ProcessedImage:
    data: bytes
    width: int
    height: int
    thumbnail: bytes | None  # None when the image already fits the thumbnail box


def thumbnail_size(width: int | None, height: int | None) -> tuple[int | None, int | None]:
    """The size the thumbnail of a width × height image has (the image's own when it fits)."""
    if not width or not height:
        return width, height
    box_w, box_h = current_app.config["UPLOAD_THUMBNAIL_SIZE"]
    scale = min(box_w / width, box_h / height, 1)
    return max(1, round(width * scale)), max(1, round(height * scale))


def process_image(stream: BinaryIO, extension: str) -> ProcessedImage:
    """Re-encode the image in its own format without metadata, upright, and thumbnail it."""
    # Pillow (~2 MB) is imported by the upload that needs it, not by every page-serving worker.
    from PIL import Image, ImageOps, UnidentifiedImageError

    fmt = PILLOW_FORMATS[extension]
    limit = current_app.config["UPLOAD_MAX_IMAGE_PIXELS"]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(stream, formats=[fmt])
            if image.width * image.height > limit:
                raise _too_large(image.width, image.height)
            image.load()
            frames = getattr(image, "n_frames", 1)
            if frames > 1 and image.width * image.height * frames > limit:
                raise _too_large(image.width, image.height)
            data = _encode(image, fmt, animated=frames > 1)
            upright = ImageOps.exif_transpose(image) if frames == 1 else image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRefused(_("This image is too large to process.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise UploadRefused(_("The image could not be read: the file is damaged or is not "
                              "really a %(type)s image.", type=extension.upper())) from None
    width, height = upright.size
    thumb_w, thumb_h = thumbnail_size(width, height)
    thumbnail = None
    if (thumb_w, thumb_h) != (width, height):
        small = upright.copy() if frames == 1 else _first_frame(upright)
        small.thumbnail((thumb_w, thumb_h), Image.Resampling.LANCZOS)
        thumbnail = _encode(small, "WEBP" if fmt == "GIF" else fmt, animated=False)
    return ProcessedImage(data, width, height, thumbnail)


def _too_large(width: int, height: int) -> UploadRefused:
    return UploadRefused(_("This image is too large: %(w)d × %(h)d pixels. Reduce it and "
                           "try again.", w=width, h=height))


def _first_frame(image: Image.Image) -> Image.Image:
    image.seek(0)
    return image.convert("RGBA")


def _encode(image: Image.Image, fmt: str, *, animated: bool) -> bytes:
    """Write the pixels (no EXIF, no comments, no ICC tricks) in the given format."""
    from PIL import ImageOps

    if not animated:
        image = ImageOps.exif_transpose(image)
    out = io.BytesIO()
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    elif animated:
        image.save(out, fmt, save_all=True)
    else:
        if fmt == "PNG" and image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"):
            image = image.convert("RGBA")
        if fmt == "WEBP" and image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(out, fmt)
    return out.getvalue()
