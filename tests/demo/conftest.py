"""Fixtures for the demo: loaded once per module for read-only tests, per test for the rest.

Loading the demo goes through the real services and costs seconds, so read-only tests share
one loaded database per module (`shared_demo`); tests that write get their own (`demo`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from forum import activity, create_app
from forum.bootstrap import ensure_base_data
from forum.config import TestConfig
from forum.demo.loader import load_demo_community
from forum.extensions import db as _db


@dataclass
class SharedDemo:
    app: Flask
    summary: str


@pytest.fixture(scope="module")
def shared_demo():
    """An app of its own with the demo loaded, for a module's read-only tests.

    Tests using it must not ask for `app`, `db` or `client` (those are another, empty
    database); they use `shared_demo.app` and forum.extensions.db directly.
    """
    app = create_app(TestConfig)
    with app.app_context():
        _db.drop_all()
        _db.create_all()
        ensure_base_data()
        summary = load_demo_community()
        _db.session.commit()
        activity.discard_pending()
        yield SharedDemo(app, summary)
        activity.discard_pending()
        _db.session.remove()
        # As in tests/conftest.py: in-memory SQLite vanishes with its engine.
        if _db.engine.dialect.name != "sqlite":
            _db.drop_all()
        _db.engine.dispose()


@pytest.fixture
def demo(db):
    """The demo community in this test's own database; the value is the loader's summary."""
    summary = load_demo_community()
    db.session.commit()
    return summary
