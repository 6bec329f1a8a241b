"""Text extraction and stems: small files made in memory, zip bombs refused unopened."""

from __future__ import annotations

import io
import zipfile

import pytest

from forum.library import extraction, search
from tests.library.builders import make_docx, make_odt, make_pdf, make_pptx, make_zip


def test_pdf_text_is_extracted_in_russian():
    assert "Сложение дробей" in extraction.extract_text(make_pdf("Сложение дробей"), "pdf")


def test_docx_paragraphs_are_extracted():
    text = extraction.extract_text(make_docx("Конспект урока", "Tasks &amp; answers"), "docx")
    assert text.splitlines() == ["Конспект урока", "Tasks & answers"]


def test_pptx_slides_are_extracted_in_slide_order():
    slides = [f"Слайд {n}" for n in range(1, 12)]
    assert extraction.extract_text(make_pptx(*slides), "pptx").splitlines() == slides


def test_odt_text_is_extracted():
    assert extraction.extract_text(make_odt("Внеурочная деятельность"), ".ODT") == \
        "Внеурочная деятельность"


@pytest.mark.parametrize("data, extension", [
    (b"not a pdf at all", "pdf"),
    (b"PK\x03\x04 broken zip", "docx"),
    (b"", "pdf"),
    (make_docx("text"), "exe"),
])
def test_unreadable_or_unknown_files_give_empty_text(data, extension):
    assert extraction.extract_text(data, extension) == ""


def test_a_zip_bomb_is_refused_from_its_central_directory_without_inflating(monkeypatch):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:t>" + "a" * (3 * 1024 * 1024) + "</w:t>")
    inflated = []
    monkeypatch.setattr(extraction, "_read_capped", lambda *a: inflated.append(a) or "")
    assert extraction.extract_text(out.getvalue(), "docx") == ""  # ratio ≫ 200
    assert inflated == []


def test_a_part_larger_than_the_cap_is_refused(monkeypatch):
    monkeypatch.setattr(extraction, "MAX_PART_BYTES", 100)
    data = make_zip({"content.xml": "<text:p>" + "слово " * 100 + "</text:p>"})
    assert extraction.extract_text(data, "odt") == ""


def test_text_is_capped(monkeypatch):
    monkeypatch.setattr(extraction, "MAX_TEXT_CHARS", 50)
    assert len(extraction.extract_text(make_docx("x" * 500), "docx")) == 50


def test_russian_inflections_share_a_stem():
    assert search.stems_of("дробями") == search.stems_of("дроби") == search.stems_of("Дробь")
    assert search.stems_of("lessons") == search.stems_of("lesson")


def test_index_text_holds_each_stem_once_between_spaces():
    value = search.index_text("Дроби и дроби", "fractions")
    assert value.startswith(" ") and value.endswith(" ")
    assert value.split().count("дроб") == 1
