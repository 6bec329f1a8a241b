"""The PDF preview: the first page as a small PNG made when the file is attached, stored by
hash and served only to those who may see the material; a PDF that cannot be rendered
(broken, password-protected) simply has none."""

from __future__ import annotations

import io
import subprocess
import sys

from PIL import Image

from forum.extensions import db
from forum.library import preview
from forum.uploads.storage import storage
from tests.library.builders import first_post, make_pdf, make_resource


def stored_image(key: str) -> Image.Image:
    with storage().open(key) as handle:
        return Image.open(io.BytesIO(handle.read()))


def pdf_page(width: float, height: float, *, password: str | None = None) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=width, height=height)
    if password:
        writer.encrypt(user_password=password, owner_password=password + "-owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_gets_a_small_png_of_its_first_page(client, topic):
    resource = make_resource(first_post(topic), filename="Дроби.pdf",
                             data=make_pdf("Сложение дробей"))
    db.session.commit()
    assert resource.preview_sha256 not in (None, resource.upload.sha256)
    image = stored_image(resource.preview_sha256)
    assert image.format == "PNG" and image.width == preview.PREVIEW_WIDTH
    assert image.height <= preview.PREVIEW_MAX_HEIGHT
    # The demo's PDF has a blue band at the top: the picture is the page, not a blank.
    colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 2
    page = client.get(f"/library/{resource.id}").text
    assert f'src="/library/{resource.id}/preview"' in page


def test_a_very_tall_page_is_rendered_within_bounds(topic):
    resource = make_resource(first_post(topic), filename="лента.pdf",
                             data=pdf_page(600, 14_400))
    image = stored_image(resource.preview_sha256)
    assert image.width <= preview.PREVIEW_WIDTH
    assert image.height <= preview.PREVIEW_MAX_HEIGHT


def test_a_broken_pdf_has_no_preview(client, topic):
    resource = make_resource(first_post(topic), filename="битый.pdf",
                             data=b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage\n%%EOF")
    db.session.commit()
    assert resource.preview_sha256 is None
    assert "/preview" not in client.get(f"/library/{resource.id}").text
    assert client.get(f"/library/{resource.id}/preview").status_code == 404


def test_a_password_protected_pdf_has_no_preview(topic):
    resource = make_resource(first_post(topic), filename="закрытый.pdf",
                             data=pdf_page(595, 842, password="секрет"))
    assert resource.preview_sha256 is None


def test_the_renderer_is_not_loaded_until_a_preview_is_made():
    # Worker memory: importing the app must not load pdfium.
    code = ("import sys; from forum import create_app; create_app(); "
            "print('pypdfium2' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, check=True)
    assert result.stdout.strip().splitlines()[-1] == "False"
