"""Trust fixtures: members at each level, and helpers that give a member synthetic activity."""

from __future__ import annotations

from datetime import timedelta

import flask_babel
import pytest

from forum.extensions import db as _db
from forum.models import PostAction, TopicRead, UserVisit, utcnow
from forum.reputation.stats import stats_of
from tests import factories


@pytest.fixture
def english_by_default(client):
    """Messages are compared in English (the source language), from services and pages alike."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    with flask_babel.force_locale("en"):
        yield


@pytest.fixture
def newcomer(db):
    user = factories.make_user("novichok", trust_level=0)
    db.session.commit()
    return user


def set_stats(user, **values):
    """Give the member statistics as if they had read and visited that much."""
    stats = stats_of(user)
    for name, value in values.items():
        setattr(stats, name, value)
    _db.session.flush()
    return stats


def visit_days(user, days: int, *, ago: int = 0) -> None:
    """UserVisit rows on `days` consecutive days, the latest `ago` days back."""
    today = utcnow().date()
    for n in range(days):
        _db.session.add(UserVisit(user_id=user.id, visited_on=today - timedelta(days=ago + n),
                                  posts_read=1))
    _db.session.flush()


def enter_topic(user, topic, *, days_ago: int = 0) -> None:
    when = utcnow() - timedelta(days=days_ago)
    _db.session.add(TopicRead(user_id=user.id, topic_id=topic.id, first_read_at=when,
                              last_read_at=when, last_read_post_number=topic.highest_post_number))
    _db.session.flush()


def like(user, post, *, days_ago: int = 0) -> None:
    _db.session.add(PostAction(user_id=user.id, post_id=post.id,
                               created_at=utcnow() - timedelta(days=days_ago)))
    _db.session.flush()
