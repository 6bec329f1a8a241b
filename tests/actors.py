"""Permission-matrix helpers: a signed-in browser per actor (import the fixtures to use them)."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.i18n import LOCALE_COOKIE
from tests import factories

# The actors of every permission matrix in this package.
ACTORS = ("admin", "moderator", "subject_moderator", "other_subject_moderator", "member",
          "silenced_member", "suspended_member", "guest")


@pytest.fixture
def browser_for(app):
    """A fresh English browser signed in as the user (None: a guest)."""

    def _browser(user):
        browser = app.test_client()
        browser.set_cookie(LOCALE_COOKIE, "en")
        if user is not None:
            db.session.commit()
            response = browser.post("/login", data={"login": user.username,
                                                    "password": factories.PASSWORD})
            assert response.status_code == 302, response.get_data(as_text=True)[:300]
        return browser

    return _browser


@pytest.fixture
def actor_browser(request, browser_for, db):
    """A browser for a named actor; the suspended member signs in before being suspended."""

    def _actor(name: str):
        if name == "guest":
            return browser_for(None), None
        if name == "suspended_member":
            user = factories.make_user("zapret")
            browser = browser_for(user)
            factories.suspend(user)
            db.session.commit()
            return browser, user
        user = request.getfixturevalue(name)
        return browser_for(user), user

    return _actor
