"""Notification test helpers: a signed-in browser in a chosen language."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.i18n import LOCALE_COOKIE
from tests import factories


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
