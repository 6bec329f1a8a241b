"""A teacher attaches a PDF (picked) and an image (dragged) in the composer, watches them
upload, posts, sees the download card and the thumbnail, and downloads the file."""

from __future__ import annotations

import base64
import os
import re

import pytest

from tests.e2e.conftest import SETUP_SCRIPT
from tests.e2e.server import log_in, running_server
from tests.uploads import samples

pytestmark = pytest.mark.e2e
expect = pytest.importorskip("playwright.sync_api").expect

PASSWORD = "very secret words"
SETUP = SETUP_SCRIPT + f"""
    from forum.accounts.services import register
    register(username="uchitel", email="uchitel@example.org",
             password={PASSWORD!r}).trust_level = 1
    db.session.commit()
"""
SCREENSHOTS = os.environ.get("E2E_SCREENSHOTS", "/tmp")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("attachments"), SETUP) as url:
        yield url


def drop_file(page, selector: str, name: str, mime: str, data: bytes) -> None:
    """Drag a file from the desktop onto an element, as the browser reports it."""
    page.evaluate(
        """([selector, name, mime, b64]) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, { type: mime }));
            const target = document.querySelector(selector);
            for (const type of ["dragenter", "dragover", "drop"]) {
                target.dispatchEvent(new DragEvent(type, { dataTransfer: transfer,
                                                          bubbles: true, cancelable: true }));
            }
        }""",
        [selector, name, mime, base64.b64encode(data).decode()])


def paste_file(page, selector: str, name: str, mime: str, data: bytes) -> None:
    """Paste a file (a screenshot, say) into an element, as the browser reports it."""
    page.evaluate(
        """([selector, name, mime, b64]) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, { type: mime }));
            document.querySelector(selector).dispatchEvent(new ClipboardEvent("paste", {
                clipboardData: transfer, bubbles: true, cancelable: true }));
        }""",
        [selector, name, mime, base64.b64encode(data).decode()])


def test_a_teacher_attaches_a_pdf_and_an_image_and_readers_get_them(browser, server):
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, server, "uchitel", PASSWORD)
    page.goto(server + "/new-topic")
    page.get_by_label("Заголовок").fill("Конспект урока: дроби, 5 класс")
    textarea = page.locator("textarea[data-composer]")
    textarea.fill("Делюсь материалами к уроку.\n")

    uploads = page.locator(".composer-uploads")
    assert uploads.is_visible()
    page.locator(".upload-input").set_input_files(
        files=[{"name": "Конспект урока.pdf", "mimeType": "application/pdf",
                "buffer": samples.pdf("Fractions")}])
    expect(textarea).to_have_value(re.compile(r"\|attachment\]\(upload://"))
    drop_file(page, "textarea[data-composer]", "доска.jpg", "image/jpeg",
              samples.jpeg_with_exif(1380, 920))
    expect(textarea).to_have_value(re.compile(r"!\[доска\.jpg\|1380x920\]"))
    raw = textarea.input_value()
    assert raw.startswith("Делюсь материалами к уроку.\n")
    assert re.search(r"\[Конспект урока\.pdf\|attachment\]\(upload://\w+\.pdf\)", raw)
    page.locator(".preview .attachment-card").wait_for()
    page.locator(".preview a.lightbox img").wait_for()
    page.screenshot(path=f"{SCREENSHOTS}/uploads-composer.png", full_page=True)

    # A refused file: the message shows and the text is kept.
    page.locator(".upload-input").set_input_files(
        files=[{"name": "invoice.pdf", "mimeType": "application/pdf",
                "buffer": samples.exe_named_pdf()}])
    error = page.locator(".upload-error")
    error.wait_for()
    assert "invoice.pdf" in error.inner_text()
    assert textarea.input_value() == raw

    page.get_by_role("button", name="Создать тему").click()
    page.wait_for_url(re.compile(r"/t/[\w-]+/\d+"))
    card = page.locator("article.post .attachment-card")
    card.wait_for()
    assert "Конспект урока.pdf" in card.inner_text() and "PDF" in card.inner_text()
    thumbnail = page.locator("article.post a.lightbox img")
    thumbnail.wait_for()
    expect(thumbnail).to_have_js_property("naturalWidth", 690)
    page.screenshot(path=f"{SCREENSHOTS}/uploads-post.png", full_page=True)

    with page.expect_download() as download_info:
        card.locator("a.attachment").click()
    download = download_info.value
    assert download.suggested_filename == "Конспект урока.pdf"
    with open(download.path(), "rb") as downloaded:
        assert downloaded.read() == samples.pdf("Fractions")

    # A screenshot pasted into the reply box is uploaded and referenced too.
    reply = page.locator("#reply textarea")
    reply.fill("Скриншот доски: ")
    paste_file(page, "#reply textarea", "image.png", "image/png", samples.png(30, 20))
    expect(reply).to_have_value(re.compile(r"^Скриншот доски: \n!\[image\.png\|30x20\]"))
    assert errors == []
    context.close()


def test_without_javascript_files_are_attached_when_the_post_is_sent(browser, server):
    context = browser.new_context(locale="ru-RU", java_script_enabled=False,
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, server, "uchitel", PASSWORD)
    page.goto(server + "/new-topic")
    page.get_by_label("Заголовок").fill("Рабочий лист без скриптов")
    page.locator("textarea[data-composer]").fill("Прикладываю рабочий лист.")
    chooser = page.locator("input[type=file][name=attachments]")
    assert chooser.is_visible()  # a plain input, not a button the script would draw
    # A refused file: the form comes back with the text and the reason.
    chooser.set_input_files(files=[{"name": "invoice.pdf", "mimeType": "application/pdf",
                                    "buffer": samples.exe_named_pdf()}])
    page.get_by_role("button", name="Создать тему").click()
    assert "invoice.pdf" in page.locator(".form-errors").inner_text()
    assert page.locator("textarea[data-composer]").input_value() == "Прикладываю рабочий лист."
    page.locator("input[type=file][name=attachments]").set_input_files(
        files=[{"name": "Рабочий лист.pdf", "mimeType": "application/pdf",
                "buffer": samples.pdf("Worksheet")}])
    page.get_by_role("button", name="Создать тему").click()
    page.wait_for_url(re.compile(r"/t/[\w-]+/\d+"))
    card = page.locator("article.post .attachment-card")
    assert "Рабочий лист.pdf" in card.inner_text()
    page.screenshot(path=f"{SCREENSHOTS}/uploads-no-script.png", full_page=True)
    context.close()
