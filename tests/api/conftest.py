"""API test helpers: requests as a Discourse client makes them, with Api-Key/Api-Username."""

from __future__ import annotations

import pytest

from forum.accounts.services import create_api_key


@pytest.fixture(autouse=True)
def english_by_default(client):
    """Messages are compared in English (the source language) unless a test asks for Russian."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def api_headers(db):
    """Headers that authenticate as the user through a fresh per-user API key."""

    def _headers(user, **extra) -> dict:
        key = create_api_key(actor=None, user=user, description="test client")
        db.session.commit()
        return {"Api-Key": key, "Api-Username": user.username, **extra}

    return _headers


@pytest.fixture
def as_member(api_headers, member):
    return api_headers(member)
