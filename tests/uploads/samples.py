"""Tiny real files of each kind, built in memory for the upload tests."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import Image

from forum.demo.library import simple_pdf


def png(width: int = 8, height: int = 8, color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def jpeg_with_exif(width: int = 800, height: int = 600) -> bytes:
    """A JPEG carrying EXIF (a camera model and GPS-ish text) that must not survive."""
    image = Image.new("RGB", (width, height), "blue")
    exif = Image.Exif()
    exif[0x0110] = "SecretCam 3000"  # Model
    exif[0x010E] = "Home address: Lenina 1"  # ImageDescription
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (4, 4)).save(out, "GIF")
    return out.getvalue()


def pdf(text: str = "Lesson plan") -> bytes:
    """A one-page PDF (the demo's writer: its text layer holds `text`)."""
    return simple_pdf(text)


def office(kind: str = "docx") -> bytes:
    part = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml",
            "pptx": "ppt/presentation.xml"}[kind]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(part, '<?xml version="1.0"?><document/>')
    return out.getvalue()


def odf(kind: str = "text") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"),
                         f"application/vnd.oasis.opendocument.{kind}",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>')
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("tasks.txt", "Задание 1")
    return out.getvalue()


def zip_bomb() -> bytes:
    """A small zip whose central directory claims each entry unpacks to almost 4 GB."""
    data = bytearray(plain_zip())
    central = data.rfind(b"PK\x01\x02")
    # Central directory header: the uncompressed size is at offset 24.
    data[central + 24:central + 28] = struct.pack("<I", 0xFFFF0000)
    return bytes(data)


def exe_named_pdf() -> bytes:
    """A DOS/PE header (what a renamed .exe starts with)."""
    header = bytearray(b"MZ" + b"\x90\x00\x03" + b"\x00" * 59)
    header[0x3C:0x40] = struct.pack("<I", 64)
    return bytes(header) + b"PE\x00\x00" + b"\x00" * 200


def elf() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


def svg_with_script() -> bytes:
    return (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">'
            b"<script>alert(document.cookie)</script></svg>")


def html_page() -> bytes:
    return b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG whose header claims width × height pixels (a decompression bomb)."""
    data = bytearray(png(1, 1))
    ihdr = data.index(b"IHDR")
    data[ihdr + 4:ihdr + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr:ihdr + 17])) & 0xFFFFFFFF
    data[ihdr + 17:ihdr + 21] = struct.pack(">I", crc)
    return bytes(data)
