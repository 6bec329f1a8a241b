"""Admin fixtures: an admin's signed-in client (English UI), other users' clients, a group."""

from __future__ import annotations

import pytest

from forum.groups import services as groups
from forum.i18n import LOCALE_COOKIE
from tests import factories
from tests.actors import actor_browser, browser_for  # noqa: F401 - permission-matrix fixtures


@pytest.fixture
def admin_client(client, login, admin):
    # Assertions read English source strings; pin them against later Russian translations.
    client.set_cookie(LOCALE_COOKIE, "en")
    return login(admin)


@pytest.fixture
def client_for(app, db):
    """A separate signed-in browser for another user (the `login` client stays the admin's)."""

    def _client_for(user):
        db.session.commit()
        client = app.test_client()
        client.set_cookie(LOCALE_COOKIE, "en")
        response = client.post("/login", data={"login": user.username,
                                               "password": factories.PASSWORD})
        assert response.status_code == 302
        return client

    return _client_for


@pytest.fixture
def experts(db):
    group = groups.create_group(actor=None, name="experts", full_name="Эксперты")
    db.session.commit()
    return group
