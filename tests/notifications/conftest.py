"""Notification test helpers: a signed-in browser in a chosen language, an SMTP server."""

from __future__ import annotations

import socket

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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    """aiosmtpd on a free loopback port; the app sends through it."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    port = free_port()
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield received
    controller.stop()
