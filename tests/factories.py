"""Test data builders: plain functions with keyword overrides, flushing but not committing."""

from __future__ import annotations

import itertools
from datetime import timedelta

from forum.accounts import services as accounts
from forum.categories import services as categories
from forum.extensions import db
from forum.models import PERMISSION_FULL, PERMISSION_READONLY, Category, Topic, User, utcnow
from forum.topics import services as topics

_seq = itertools.count(1)
PASSWORD = "correct horse battery"


def make_user(username: str | None = None, *, role: str = "member", email: str | None = None,
              password: str = PASSWORD, name: str = "", locale: str | None = None,
              trust_level: int = 1) -> User:
    """An account; basic (TL1) unless asked, since most tests are about something other than
    a brand-new member's limits (registration itself gives TL0, as tested in tests/reputation)."""
    n = next(_seq)
    username = username or f"user{n}"
    user = accounts.register(username=username, email=email or f"{username}@example.org",
                             password=password, name=name, role=role, locale=locale)
    user.trust_level = trust_level
    db.session.flush()
    return user


def make_category(name: str | None = None, *, parent: Category | None = None,
                  permissions: dict[str, int] | None = None, slug: str | None = None,
                  description: str = "") -> Category:
    n = next(_seq)
    return categories.create_category(actor=None, name=name or f"Category {n}", slug=slug,
                                      parent=parent, description=description,
                                      permissions_by_group=permissions)


def make_private_category(name: str = "Учительская") -> Category:
    """Teachers only: hidden from guests, students and parents."""
    return make_category(name, permissions={"teachers": PERMISSION_FULL})


def make_staff_only_category(name: str = "Официально") -> Category:
    return make_category(name, permissions={"everyone": PERMISSION_READONLY,
                                            "staff": PERMISSION_FULL})


def make_topic(*, category: Category | None = None, author: User | None = None,
               title: str | None = None, raw: str = "Первое сообщение темы.",
               replies: int = 0, closed: bool = False) -> Topic:
    n = next(_seq)
    category = category or make_category()
    author = author or make_user()
    topic = topics.create_topic(category, author=author, title=title or f"Тема номер {n}",
                                raw=raw)
    for i in range(replies):
        topics.reply(topic, author=author, raw=f"Ответ {i + 1}")
    topic.is_closed = closed
    db.session.flush()
    return topic


def make_post(topic: Topic, *, author: User | None = None, raw: str = "Ответ в теме."):
    return topics.reply(topic, author=author or make_user(), raw=raw)


def make_subject_moderator(category: Category, username: str | None = None) -> User:
    """A member who moderates one category (and its subcategories)."""
    user = make_user(username)
    categories.assign_moderator(category, user, actor=None)
    db.session.flush()
    return user


def silence(user: User, *, days: int = 7, reason: str = "Нарушение кодекса") -> User:
    user.silenced_until = utcnow() + timedelta(days=days)
    user.silence_reason = reason
    db.session.flush()
    return user


def suspend(user: User, *, days: int = 7, reason: str = "Спам") -> User:
    user.suspended_until = utcnow() + timedelta(days=days)
    user.suspend_reason = reason
    db.session.flush()
    return user
