"""What an uploaded file is: its name made safe, and its content checked against its claimed type.

The signature is read by puremagic; zip containers (docx, xlsx, pptx, odt, ods, odp, zip) are
judged from their central directory only — nothing is ever unpacked, so a zip bomb costs
nothing but a refusal. Executables, SVG and HTML are refused whatever they are called.
"""

from __future__ import annotations

import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _

from forum.errors import DomainError

MAX_NAME_LENGTH = 255  # Upload.original_filename
HEADER_BYTES = 8192  # how much of the file the signature checks read
IMAGE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "webp"})
ZIP_SIGNATURE = b"PK\x03\x04"

# The content type we serve each extension with, and the puremagic extensions whose signature
# counts as a match (puremagic cannot tell doc from xls, both being OLE2 containers).
OLE = frozenset({".doc", ".xls", ".ppt"})
TYPES: dict[str, tuple[str, frozenset[str]]] = {
    "pdf": ("application/pdf", frozenset({".pdf"})),
    "doc": ("application/msword", OLE),
    "xls": ("application/vnd.ms-excel", OLE),
    "ppt": ("application/vnd.ms-powerpoint", OLE),
    "rtf": ("application/rtf", frozenset({".rtf"})),
    "txt": ("text/plain", frozenset()),
    "png": ("image/png", frozenset({".png"})),
    "jpg": ("image/jpeg", frozenset({".jpg", ".jpeg"})),
    "jpeg": ("image/jpeg", frozenset({".jpg", ".jpeg"})),
    "gif": ("image/gif", frozenset({".gif"})),
    "webp": ("image/webp", frozenset({".webp"})),
    "mp3": ("audio/mpeg", frozenset({".mp3", ".mpga"})),
    "mp4": ("video/mp4", frozenset({".mp4", ".m4v", ".m4a"})),
    "webm": ("video/webm", frozenset({".webm"})),
    "zip": ("application/zip", frozenset({".zip"})),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             frozenset({".zip"})),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             frozenset({".zip"})),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation",
             frozenset({".zip"})),
    "odt": ("application/vnd.oasis.opendocument.text", frozenset({".zip"})),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", frozenset({".zip"})),
    "odp": ("application/vnd.oasis.opendocument.presentation", frozenset({".zip"})),
}
# What a zip container must hold (by its central directory) to be this document type.
OOXML_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml",
               "pptx": "ppt/presentation.xml"}
ODF_MIMETYPES = {"odt": b"application/vnd.oasis.opendocument.text",
                 "ods": b"application/vnd.oasis.opendocument.spreadsheet",
                 "odp": b"application/vnd.oasis.opendocument.presentation"}
# Never stored, whatever the name says: programs, and what a browser would run as a page.
EXECUTABLE_WORDS = ("executable", "elf ", "mach-o", "dll file", "windows driver")
MARKUP_START = re.compile(rb"\s*(?:<\?xml|<!doctype\s+(?:html|svg)|<html|<svg|<script|<head"
                          rb"|<body|<iframe)", re.IGNORECASE)
# Bidirectional overrides and other invisible format characters hide a name's true end
# ("invoice\u202efdp.exe" shows as "invoiceexe.pdf").
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
WINDOWS_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9]|lpt[0-9])$")


class UploadRefused(DomainError):
    """The file cannot be attached; the message says why."""

    status_code = 422


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    is_image: bool


# --- names ------------------------------------------------------------------------------------

def sanitise_filename(name: str | None) -> str:
    """The name to keep and show: no directories, control or bidi characters, no leading or
    trailing dots and spaces, at most 255 characters with its extension kept."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]  # "../../etc/passwd", "C:\\x\\a.pdf"
    name = "".join(" " if c in "\t\n\r" else c for c in name
                   if unicodedata.category(c) not in UNSAFE_CATEGORIES or c in "\t\n\r")
    name = " ".join(name.split()).rstrip(" .")  # Windows drops trailing dots and spaces
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = stem.strip(" .")
    if extension and (not stem or WINDOWS_RESERVED.match(stem)):
        stem = "file" if not stem else f"{stem}_"
    if not extension:
        return stem[:MAX_NAME_LENGTH]
    extension = extension[:16]
    return stem[:MAX_NAME_LENGTH - len(extension) - 1].rstrip(" .") + "." + extension


def extension_of(name: str) -> str:
    _stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot else ""


def allowed_extensions() -> tuple[str, ...]:
    return tuple(e.lower() for e in current_app.config["UPLOAD_EXTENSIONS"])


# --- content ----------------------------------------------------------------------------------

def check_type(stream: BinaryIO, name: str, size: int) -> FileType:
    """The file's type when its content matches the extension it is named with; else
    UploadRefused with the reason. The stream is left at its start."""
    extension = extension_of(name)
    allowed = allowed_extensions()
    if extension not in allowed or extension not in TYPES:
        raise UploadRefused(_("Files of this type cannot be attached. Allowed types: "
                              "%(types)s.", types=", ".join(allowed)))
    if size == 0:
        raise UploadRefused(_("The file is empty."))
    stream.seek(0)
    header = stream.read(HEADER_BYTES)
    stream.seek(0)
    found = _signatures(header)
    _refuse_dangerous(header, found)
    content_type, expected = TYPES[extension]
    if extension == "txt":
        _check_text(header)
    elif not found & expected:
        raise _mismatch(extension)
    if expected == {".zip"}:
        _check_zip(stream, extension, size)
        stream.seek(0)
    return FileType(extension, content_type, extension in IMAGE_EXTENSIONS)


def _signatures(header: bytes) -> set[str]:
    import puremagic  # ~1 MB of signature tables, loaded by the first upload, not by every worker

    try:
        matches = puremagic.magic_string(header)
    except (puremagic.PureError, ValueError):
        return set()
    return {m.extension.lower() for m in matches} | {
        "!exec" for m in matches if _is_executable(m)}


def _is_executable(match) -> bool:
    described = f"{match.name} {match.mime_type}".lower() + " "
    return any(word in described for word in EXECUTABLE_WORDS) or match.extension in (
        ".exe", ".dll", ".com", ".scr", ".AppImage")


def _refuse_dangerous(header: bytes, found: set[str]) -> None:
    if "!exec" in found or header.startswith((b"MZ", b"\x7fELF")):
        raise UploadRefused(_("Programs cannot be attached: this file is an executable, "
                              "whatever its name says."))
    if found & {".svg", ".html", ".htm", ".xhtml"} or MARKUP_START.match(header.lstrip(
            b"\xef\xbb\xbf")):
        raise UploadRefused(_("Web pages and SVG images cannot be attached: a browser would "
                              "run the scripts they may contain. Save it as PDF or PNG instead."))


def _mismatch(extension: str) -> UploadRefused:
    return UploadRefused(_("The file's content does not match its name: it is not a real "
                           "%(type)s file. Check the file, or save it again in that format.",
                           type=extension.upper()))


def _check_text(header: bytes) -> None:
    """Plain text: no NUL bytes, and readable as UTF-8 (with or without a BOM) or Windows-1251."""
    if header.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 with a BOM
    if b"\x00" in header:
        raise _mismatch("txt")
    try:
        header.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(header) - 4:  # not just a character cut at the header's end
            try:
                header.decode("cp1251")
            except UnicodeDecodeError:
                raise _mismatch("txt") from None


def _check_zip(stream: BinaryIO, extension: str, size: int) -> None:
    """A zip container judged by its central directory (nothing is decompressed)."""
    config = current_app.config
    try:
        archive = zipfile.ZipFile(stream)
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise _mismatch(extension) from None
    declared = sum(max(e.file_size, 0) for e in entries)
    if (len(entries) > config["UPLOAD_ZIP_MAX_ENTRIES"]
            or declared > config["UPLOAD_ZIP_MAX_UNCOMPRESSED"]
            or declared > config["UPLOAD_ZIP_MAX_RATIO"] * max(size, 1)):
        raise UploadRefused(_("This archive would unpack to far more than its size (a "
                              "\u201czip bomb\u201d); it cannot be attached."))
    names = {e.filename for e in entries}
    if extension in OOXML_PARTS:
        if "[Content_Types].xml" not in names or OOXML_PARTS[extension] not in names:
            raise _mismatch(extension)
    elif extension in ODF_MIMETYPES:
        _check_odf_mimetype(stream, entries, extension)


def _check_odf_mimetype(stream: BinaryIO, entries, extension: str) -> None:
    """ODF keeps its type as the first entry, "mimetype", stored uncompressed: read it in place."""
    first = entries[0] if entries else None
    if first is None or first.filename != "mimetype" or first.compress_type != zipfile.ZIP_STORED:
        raise _mismatch(extension)
    stream.seek(first.header_offset)
    local = stream.read(30)
    if len(local) < 30 or not local.startswith(ZIP_SIGNATURE):
        raise _mismatch(extension)
    name_length = int.from_bytes(local[26:28], "little")
    extra_length = int.from_bytes(local[28:30], "little")
    stream.seek(first.header_offset + 30 + name_length + extra_length)
    if stream.read(min(first.file_size, 100)) != ODF_MIMETYPES[extension]:
        raise _mismatch(extension)


def file_size(stream: BinaryIO) -> int:
    """The stream's length, measured by seeking (the upload is already spooled by Werkzeug)."""
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size
