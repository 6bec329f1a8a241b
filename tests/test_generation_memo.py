"""Answers kept per content generation (forum.generation_memo): a reader's groups and the site
banner are asked once per generation, and any change to them shows on the very next page."""

from __future__ import annotations

import sys

import pytest
from flask import g
from markupsafe import Markup
from sqlalchemy import event, select

from forum import generation_memo
from forum.extensions import db
from forum.fragment_cache import LRU, Fragment
from forum.generation_memo import remembered
from forum.groups.services import add_member, create_group, remove_member
from forum.models import PERMISSION_FULL, Group
from forum.moderation.topic_actions import make_banner, remove_banner
from tests import factories


def page(client, url: str = "/latest") -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


@pytest.fixture
def club_topic(db):
    """A topic in a category only the members of the "kruzhok" group may read."""
    create_group(actor=None, name="kruzhok")
    category = factories.make_category("Кружок", permissions={"kruzhok": PERMISSION_FULL})
    topic = factories.make_topic(category=category, title="Тема только для кружка",
                                 author=factories.make_user(role="admin"))
    db.session.commit()
    return topic


@pytest.fixture
def statements(app):
    """The SQL statements sent while the test runs."""
    sent: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield sent
    event.remove(db.engine, "before_cursor_execute", record)


def test_joining_a_group_shows_its_category_on_the_next_page(client, login, member,
                                                             club_topic):
    reader = login(member)
    assert "Тема только для кружка" not in page(reader)
    assert "Тема только для кружка" not in page(reader)  # now answered from the memo

    add_member(db.session.scalar(select(Group).where(Group.name == "kruzhok")), member,
               actor=None)
    db.session.commit()
    assert "Тема только для кружка" in page(reader)

    remove_member(db.session.scalar(select(Group).where(Group.name == "kruzhok")), member,
                  actor=None)
    db.session.commit()
    assert "Тема только для кружка" not in page(reader)


def test_a_group_made_automatic_for_guests_shows_its_category_to_them_at_once(app, club_topic):
    guest = app.test_client()
    assert "Тема только для кружка" not in page(guest)
    club = db.session.scalar(select(Group).where(Group.name == "kruzhok"))
    club.automatic_roles = "*"
    db.session.commit()
    assert "Тема только для кружка" in page(guest)


def test_pages_of_one_generation_ask_for_groups_and_the_banner_once(app, client, login, member,
                                                                    topic, statements):
    reader = login(member)
    page(reader)
    statements.clear()
    page(reader), page(reader)
    asked = " ".join(statements)
    assert "group_members" not in asked
    assert "automatic_roles" not in asked
    assert "is_banner" not in asked


def test_a_new_banner_shows_on_the_next_page_and_goes_when_removed(app, topic, moderator):
    guest = app.test_client()
    assert "site-banner" not in page(guest)
    make_banner(topic, actor=moderator)
    db.session.commit()
    assert "site-banner" in page(guest)
    assert topic.title in page(guest)
    remove_banner(topic, actor=moderator)
    db.session.commit()
    assert "site-banner" not in page(guest)


def test_without_a_generation_every_call_computes_afresh(app):
    calls = []
    with app.test_request_context("/"):
        g.content_generation = None
        for _ in range(3):
            remembered("answer", lambda: calls.append(1) or len(calls))
    assert len(calls) == 3


def test_an_answer_is_kept_for_its_generation_only(app):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    with app.test_request_context("/"):
        g.content_generation = 7
        assert remembered("answer", compute) == 1
        assert remembered("answer", compute) == 1
        g.content_generation = 8
        assert remembered("answer", compute) == 2
        g.content_generation = 7  # an old generation is never served again
        assert remembered("answer", compute) == 3


def test_the_memo_forgets_the_least_recently_used_answers_beyond_its_item_budget(
        app, monkeypatch):
    monkeypatch.setattr(generation_memo, "MAX_ITEMS", 50)
    calls = []

    def page_of_posts(n):
        return lambda: calls.append(n) or tuple(range(20))  # weighs 20 items

    with app.test_request_context("/"):
        g.content_generation = 7
        remembered("small", lambda: calls.append("small") or 1)
        remembered("page 1", page_of_posts(1))
        remembered("page 2", page_of_posts(2))  # 41 items kept
        remembered("small", lambda: calls.append("small again") or 1)  # used last
        remembered("page 3", page_of_posts(3))  # 61: page 1, the least recently used, goes
        memo = app.extensions["generation_memo"]
        assert list(memo.answers) == ["page 2", "small", "page 3"]
        assert memo.items == 41
        remembered("page 1", page_of_posts(1))  # computed again
    assert calls == ["small", 1, 2, 3, 1]


def _fragment(chars: int) -> Fragment:
    return _fragment_of("x" * chars)


def _fragment_of(html: str) -> Fragment:
    return Fragment((html,), ())


def test_the_fragment_store_is_bounded_by_size_as_well_as_by_count():
    size = sys.getsizeof("x" * 300)
    store = LRU(100, max_bytes=3 * size + 10)
    for i in range(5):
        store.set(i, _fragment(300))
    assert list(store.data) == [2, 3, 4]
    assert store.bytes == 3 * size
    store.set(3, _fragment(50))  # replacing an entry counts only its new size
    assert store.bytes == 2 * size + sys.getsizeof("x" * 50)
    store.set("big", _fragment(5000))  # larger than the whole store: kept by nothing
    assert store.bytes <= 3 * size + 10
    assert "big" not in store.data


def test_the_store_counts_the_bytes_python_holds_so_cyrillic_weighs_double():
    store = LRU(100, max_bytes=10_000)
    store.set("latin", _fragment_of("x" * 1000))
    latin = store.bytes
    store.clear()
    store.set("cyrillic", _fragment_of("ж" * 1000))
    assert store.bytes > 1.9 * latin
    store.clear()
    store.set("header", Markup("ж") * 1000)  # kept headers and forms are one string
    assert store.bytes > 1.9 * latin
