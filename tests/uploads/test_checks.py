"""Type checking and name sanitising: the content must be what the name claims."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from forum.uploads.checks import UploadRefused, check_type, sanitise_filename
from tests.uploads import samples

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture
def app(app):
    """Messages in English (the source language): inside an English-speaking request."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield app


def check(data: bytes, name: str):
    return check_type(io.BytesIO(data), name, len(data))


@pytest.mark.parametrize(("name", "data", "content_type"), [
    ("plan.pdf", samples.pdf(), "application/pdf"),
    ("photo.png", samples.png(), "image/png"),
    ("photo.JPG", samples.jpeg_with_exif(), "image/jpeg"),
    ("anim.gif", samples.gif(), "image/gif"),
    ("урок.docx", samples.office("docx"),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("table.xlsx", samples.office("xlsx"),
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("slides.pptx", samples.office("pptx"),
     "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ("text.odt", samples.odf("text"), "application/vnd.oasis.opendocument.text"),
    ("sheet.ods", samples.odf("spreadsheet"), "application/vnd.oasis.opendocument.spreadsheet"),
    ("tasks.zip", samples.plain_zip(), "application/zip"),
    ("notes.txt", "Домашнее задание: упр. 5".encode(), "text/plain"),
    ("notes1251.txt", "Домашнее задание".encode("cp1251"), "text/plain"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "application/msword"),
    ("letter.rtf", b"{\\rtf1\\ansi Hello}", "application/rtf"),
    ("song.mp3", b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 100, "audio/mpeg"),
])
def test_real_files_of_allowed_types_pass(app, name, data, content_type):
    assert check(data, name).content_type == content_type


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("invoice.pdf", samples.exe_named_pdf(), "executable"),
    ("tool.pdf", samples.elf(), "executable"),
    ("pic.png", samples.pdf(), "does not match"),
    ("fake.docx", samples.plain_zip(), "does not match"),
    ("fake.odt", samples.office("docx"), "does not match"),
    ("fake.ods", samples.odf("text"), "does not match"),
    ("broken.docx", b"PK\x03\x04" + b"\x00" * 50, "does not match"),
    ("bomb.zip", samples.zip_bomb(), "zip bomb"),
    ("bomb.docx", samples.zip_bomb(), "zip bomb"),
    ("binary.txt", b"abc\x00def", "does not match"),
    ("page.txt", samples.html_page(), "Web pages"),
])
def test_wrong_or_dangerous_content_is_refused(app, name, data, reason):
    with pytest.raises(UploadRefused, match=reason):
        check(data, name)


def test_svg_and_html_are_refused_even_when_allowed_by_configuration(app):
    app.config["UPLOAD_EXTENSIONS"] = (*app.config["UPLOAD_EXTENSIONS"], "svg", "html")
    for name, data in (("x.svg", samples.svg_with_script()), ("x.html", samples.html_page())):
        with pytest.raises(UploadRefused):
            check(data, name)


def test_extensions_outside_the_allowed_list_are_refused(app):
    with pytest.raises(UploadRefused, match="Allowed types"):
        check(samples.svg_with_script(), "drawing.svg")
    app.config["UPLOAD_EXTENSIONS"] = ("pdf",)
    with pytest.raises(UploadRefused, match="Allowed types: pdf"):
        check(samples.png(), "photo.png")


def test_empty_file_is_refused(app):
    with pytest.raises(UploadRefused, match="empty"):
        check(b"", "plan.pdf")


def test_check_leaves_the_stream_at_its_start(app):
    stream = io.BytesIO(samples.odf("presentation"))
    check_type(stream, "a.odp", len(stream.getvalue()))
    assert stream.tell() == 0


@pytest.mark.parametrize(("raw", "expected"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\anna\\План урока.docx", "План урока.docx"),
    ("план\x00.pdf", "план.pdf"),
    ("invoice\u202efdp.exe", "invoicefdp.exe"),
    ("....", ""),
    ("...pdf", "file.pdf"),
    (" .hidden.pdf. ", "hidden.pdf"),
    ("a\tb\nc.txt", "a b c.txt"),
    ("con.pdf", "con_.pdf"),
    ("Урок 5\u200b.pdf", "Урок 5.pdf"),
])
def test_names_are_sanitised(raw, expected):
    assert sanitise_filename(raw) == expected


def test_long_names_are_cut_keeping_the_extension():
    name = sanitise_filename("я" * 300 + ".pdf")
    assert len(name) == 255
    assert name.endswith("я.pdf")


def test_naughty_strings_give_safe_names():
    naughty = json.loads((DATA / "blns" / "blns.json").read_text("utf-8"))
    for raw in [*naughty, "\u202eexe.pdf", "\x00" * 5, "/" * 300]:
        name = sanitise_filename(raw + ".pdf")
        assert "/" not in name and "\\" not in name and "\x00" not in name
        assert "\u202e" not in name and len(name) <= 255
        assert not name.startswith(".")
