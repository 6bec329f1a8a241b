"""Notification test helpers: a signed-in browser in a chosen language."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.i18n import LOCALE_COOKIE
from tests import factories


@pytest.fixture(autouse=True)
def _no_badge_notifications(without_badges):
    """These tests count the notifications they make; a first post would add badge ones."""


@pytest.fixture
def browser_for(app):
    def _browser(user, locale: str = "en"):
        browser = app.test_client()
        browser.set_cookie(LOCALE_COOKIE, locale)
        if user is not None:
            db.session.commit()
            response = browser.post("/login", data={"login": user.username,
                                                    "password": factories.PASSWORD})
            assert response.status_code == 302
        return browser

    return _browser
