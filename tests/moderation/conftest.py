"""Moderation test helpers: a client signed in as each role of the permission matrix."""

from __future__ import annotations

import pytest

from forum.extensions import db
from tests import factories
from tests.actors import ACTORS, actor_browser, browser_for  # noqa: F401 - fixtures

# The permission matrix: who asks, and whether they may moderate the `topic` fixture.
ROLES = {"admin": True, "subject_moderator": True, "other_subject_moderator": False,
         "member": False, "silenced_member": False, "suspended_member": False, "guest": False}


@pytest.fixture(autouse=True)
def no_badge_notifications(without_badges):
    """Moderation tests count the notifications their actions send; badges earned by the
    posts they create would be counted too (badges are tested in tests/reputation)."""


@pytest.fixture(autouse=True)
def english_by_default(client):
    """Messages are compared in English (the source language) unless a test asks otherwise."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def signed_in_as(request, client, login):
    """Sign in as a role's fixture user; a suspended member signs in first, then is suspended."""

    def _as(role: str):
        if role == "guest":
            return client
        if role == "suspended_member":
            user = factories.make_user("zapret2")
            login(user)
            factories.suspend(user)
            db.session.commit()
            return client
        login(request.getfixturevalue(role))
        return client

    return _as
