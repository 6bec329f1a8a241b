"""Upload test helpers: posting files as the composer does, and ready-made uploads."""

from __future__ import annotations

import io

import pytest

from forum.uploads import services
from tests.uploads import samples


@pytest.fixture(autouse=True)
def english_by_default(client):
    """Messages are compared in English (the source language) unless a test asks for Russian."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def upload_file(client):
    """POST /uploads.json with one file, as the composer sends it."""

    def _upload(data: bytes, name: str, **kwargs):
        return client.post("/uploads.json", data={"type": "composer",
                                                   "file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data", **kwargs)

    return _upload


@pytest.fixture
def make_upload(db):
    """An Upload stored through the service (flushed and committed)."""

    def _make(user, data: bytes | None = None, name: str = "plan.pdf"):
        upload = services.receive_upload(io.BytesIO(data or samples.pdf()), name, uploader=user)
        db.session.commit()
        return upload

    return _make
