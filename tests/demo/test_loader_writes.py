"""The demo loader when the database is not empty: a second run, existing categories."""

from __future__ import annotations

from sqlalchemy import func, select

from forum.demo.loader import load_demo_community
from forum.extensions import db
from forum.models import Category, Post, PostRevision, Topic, User
from tests import factories
from tests.demo.counters import counter_mismatches


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _counts() -> tuple[int, ...]:
    return tuple(_count(model) for model in (User, Category, Topic, Post, PostRevision))


def test_loading_the_demo_again_changes_nothing(demo):
    before = _counts()
    summary = load_demo_community()
    db.session.commit()
    assert summary.startswith("Demo already loaded")
    assert _counts() == before


def test_demo_reuses_categories_that_already_exist(db):
    factories.make_category("Математика", slug="matematika")
    load_demo_community()
    db.session.commit()
    assert _count(Category) == 16
    assert counter_mismatches() == []
