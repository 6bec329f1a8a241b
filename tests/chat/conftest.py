"""Chat fixtures: channels of each kind, named by state."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum.chat import channels
from forum.extensions import db as _db
from forum.models import CHANNEL_CATEGORY, CHANNEL_PUBLIC, CHANNEL_SEMINAR, utcnow


@pytest.fixture
def public_channel(db, moderator):
    return channels.create_channel(CHANNEL_PUBLIC, actor=moderator, name="Учительская — чат")


@pytest.fixture
def category_channel(db, moderator, category):
    return channels.create_channel(CHANNEL_CATEGORY, actor=moderator, name="Математика — чат",
                                   category=category)


@pytest.fixture
def private_category_channel(db, moderator, private_category):
    return channels.create_channel(CHANNEL_CATEGORY, actor=moderator, name="Только учителя",
                                   category=private_category)


@pytest.fixture
def live_seminar(db, moderator, member):
    """A seminar room that started an hour ago, hosted by `member`."""
    now = utcnow()
    return channels.create_channel(CHANNEL_SEMINAR, actor=moderator, name="Семинар по дробям",
                                   host=member, starts_at=now - timedelta(hours=1),
                                   ends_at=now + timedelta(hours=1))


@pytest.fixture
def closed_channel(public_channel, moderator):
    channels.set_channel_closed(public_channel, actor=moderator, closed=True)
    _db.session.flush()
    return public_channel
