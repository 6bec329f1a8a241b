"""Text inside a library file (PDF, DOCX, PPTX, ODT/ODS/ODP), bounded in size and time.

Extraction runs when a resource is created, on bytes members uploaded: it must never fail the
post, never run away with memory or time, and never unpack a zip bomb. Any failure gives "".
Office files are read as zip + XML: only the few text parts are opened, their declared sizes
are checked from the central directory before a byte is inflated, and reading stops at a cap
whatever the headers claimed. Tags are stripped by a regular expression, so no XML parser
(with its entity expansion) ever sees the content.
"""

from __future__ import annotations

import html
import io
import logging
import re
import time
import zipfile

log = logging.getLogger(__name__)

MAX_INPUT_BYTES = 50 * 1024 * 1024  # larger files are not read at all
MAX_TEXT_CHARS = 200_000  # what is kept of a file's text
MAX_PART_BYTES = 20 * 1024 * 1024  # one XML part, uncompressed
MAX_TOTAL_UNCOMPRESSED = 100 * 1024 * 1024  # all the parts read from one archive
MAX_RATIO = 200  # compression ratio beyond which a part is treated as a bomb
MAX_PDF_PAGES = 100
TIME_BUDGET_SECONDS = 5.0

_TAG = re.compile(r"<[^>]{0,2000}>")
_BREAK = re.compile(r"</(?:w:p|a:p|text:p|text:h|table:table-cell)>|<(?:w:br|w:tab|text:tab|"
                    r"text:line-break|a:br)\b[^>]*/?>")
_SPACES = re.compile(r"[ \t\r\f\v]+")
OFFICE_PARTS = {
    "docx": (re.compile(r"^word/(document|footnotes|endnotes)\d*\.xml$"),),
    "pptx": (re.compile(r"^ppt/slides/slide\d+\.xml$"),),
    "odt": (re.compile(r"^content\.xml$"),),
    "ods": (re.compile(r"^content\.xml$"),),
    "odp": (re.compile(r"^content\.xml$"),),
}
EXTRACTABLE = frozenset({"pdf", *OFFICE_PARTS})


class ZipBomb(ValueError):
    """The archive declares (or inflates to) more than we are willing to unpack."""


def extract_text(data: bytes, extension: str) -> str:
    """The text of the file, whitespace-normalised and capped; "" when unknown or unreadable."""
    extension = (extension or "").lower().lstrip(".")
    if extension not in EXTRACTABLE or not data or len(data) > MAX_INPUT_BYTES:
        return ""
    try:
        text = _pdf_text(data) if extension == "pdf" else _office_text(data, extension)
    except Exception as exc:  # noqa: BLE001 - a bad file must never fail the post
        log.info("library: no text from a .%s file (%s)", extension, exc.__class__.__name__)
        return ""
    return _normalise(text)


def _normalise(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\x00", "").splitlines())
    return "\n".join(line for line in lines if line)[:MAX_TEXT_CHARS]


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    deadline = time.monotonic() + TIME_BUDGET_SECONDS
    parts, size = [], 0
    for page in reader.pages[:MAX_PDF_PAGES]:
        if time.monotonic() > deadline or size > MAX_TEXT_CHARS:
            break
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
    return "\n".join(parts)


def _office_text(data: bytes, extension: str) -> str:
    patterns = OFFICE_PARTS[extension]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [info for info in archive.infolist()
                   if any(p.match(info.filename) for p in patterns)]
        check_sizes(members)
        members.sort(key=lambda info: _natural_key(info.filename))
        return "\n".join(_xml_text(_read_capped(archive, info)) for info in members)


def check_sizes(members: list[zipfile.ZipInfo]) -> None:
    """Refuse before inflating anything: declared sizes and ratios from the central directory."""
    total = 0
    for info in members:
        if info.file_size > MAX_PART_BYTES:
            raise ZipBomb(f"{info.filename}: {info.file_size} bytes")
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            raise ZipBomb(f"{info.filename}: ratio")
        total += info.file_size
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise ZipBomb("total size")


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    # The header may lie about the size: read at most the cap plus one byte and refuse beyond.
    with archive.open(info) as part:
        content = part.read(MAX_PART_BYTES + 1)
    if len(content) > MAX_PART_BYTES:
        raise ZipBomb(f"{info.filename}: inflates beyond its declared size")
    return content.decode("utf-8", errors="replace")


def _xml_text(xml: str) -> str:
    return html.unescape(_TAG.sub("", _BREAK.sub("\n", xml)))


def _natural_key(name: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]
