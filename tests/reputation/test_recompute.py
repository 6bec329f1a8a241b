"""`forum reputation recompute` rebuilds exactly what the incremental updates keep."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from werkzeug.exceptions import NotFound

from forum import domain_events
from forum.chat import channels, messages
from forum.errors import DomainError
from forum.extensions import db
from forum.models import (
    CHANNEL_SEMINAR,
    Badge,
    Post,
    ReputationEvent,
    Topic,
    UserBadge,
    UserStats,
    utcnow,
)
from forum.reputation import helpful, likes
from forum.reputation.recompute import recompute
from forum.settings import set_setting
from forum.topics import services as topics
from tests import factories
from tests.reputation.helpers import ledger, member_at

# Badges grant points and notifications of their own; these tests look at the rest alone.
pytestmark = pytest.mark.usefixtures("without_badges")


def _state() -> dict:
    """Everything recompute may touch, as plain values."""
    db.session.flush()
    db.session.expire_all()
    stats = {s.user_id: (s.likes_given, s.likes_received, s.reputation)
             for s in db.session.scalars(select(UserStats))}
    return {
        "ledger": ledger(),
        "stats": {uid: values for uid, values in stats.items() if any(values)},
        "posts": dict(db.session.execute(select(Post.id, Post.like_count)).all()),
        "topics": dict(db.session.execute(select(Topic.id, Topic.like_count)).all()),
    }


class _Community:
    """Members of every trust level, topics with posts, a moderator, badges and a seminar."""

    def __init__(self, rng, category, moderator):
        self.rng, self.moderator = rng, moderator
        self.members = [member_at(level) for level in (0, 0, 1, 1, 2, 2, 3, 4)]
        self.posts = []
        for author in self.members[:5]:
            topic = factories.make_topic(category=category, author=author)
            self.posts.append(topics.post_by_number(topic, 1))
            for _ in range(3):
                self.posts.append(factories.make_post(topic, author=self.rng.choice(self.members)))
        self.badges = [Badge(slug=f"b-{tier}", tier=tier) for tier in ("bronze", "silver", "gold")]
        db.session.add_all(self.badges)
        now = utcnow()
        self.seminar = channels.create_channel(
            CHANNEL_SEMINAR, actor=moderator, name="Семинар", host=self.members[2],
            starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1))
        db.session.flush()

    def step(self):
        operation = self.rng.choice([self.like] * 6 + [self.unlike] * 2 + [
            self.remove, self.restore, self.promote, self.grant, self.speak,
            self.mark_helpful, self.unmark_helpful])
        try:
            with db.session.begin_nested():
                operation()
        except (DomainError, NotFound):
            pass  # refused actions change nothing, which is part of what is being checked

    def like(self):
        likes.like_post(self.rng.choice(self.posts), user=self.rng.choice(self.members))

    def unlike(self):
        likes.unlike_post(self.rng.choice(self.posts), user=self.rng.choice(self.members))

    def remove(self):
        post = self.rng.choice(self.posts)
        if post.deleted_at is None:
            (topics.delete_topic(post.topic, actor=self.moderator) if post.is_first
             else topics.delete_post(post, actor=self.moderator))

    def restore(self):
        post = self.rng.choice(self.posts)
        if post.deleted_at is not None:
            (topics.restore_topic(post.topic, actor=self.moderator) if post.is_first
             else topics.restore_post(post, actor=self.moderator))

    def promote(self):
        member = self.rng.choice(self.members)
        old, new = member.trust_level, self.rng.choice((0, 1, 2))
        member.trust_level = new
        db.session.flush()
        domain_events.trust_level_changed.send(member, old=old, new=new)

    def grant(self):
        badge = self.rng.choice(self.badges)
        grant = UserBadge(badge=badge, user_id=self.rng.choice(self.members).id,
                          grant_key=str(self.rng.random()))
        db.session.add(grant)
        db.session.flush()
        domain_events.badge_granted.send(grant)

    def mark_helpful(self):
        post = self.rng.choice(self.posts)
        helpful.mark_helpful(post, user=post.topic.user)

    def unmark_helpful(self):
        post = self.rng.choice(self.posts)
        helpful.unmark_helpful(post, user=post.topic.user)

    def speak(self):
        member = self.rng.choice(self.members)
        channels.join_channel(self.seminar, user=member)
        messages.send_message(self.seminar, author=member, raw="Вопрос к ведущему")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_recompute_after_random_operations_equals_the_incremental_result(
        db, category, moderator, seed):
    set_setting("reputation_pair_likes_per_day", 2)
    set_setting("reputation_points_like_beyond_pair_cap", 1)
    set_setting("reputation_points_like_from_new_member", 3)
    community = _Community(random.Random(seed), category, moderator)
    for _ in range(120):
        community.step()
    incremental = _state()
    assert incremental["ledger"], "the random operations should have scored something"
    result = recompute()
    assert _state() == incremental
    assert (result.added, result.changed, result.removed) == (0, 0, 0)


def test_recompute_rebuilds_a_lost_ledger_and_broken_counters(db, category, moderator):
    community = _Community(random.Random(7), category, moderator)
    for _ in range(60):
        community.step()
    incremental = _state()
    db.session.execute(update(ReputationEvent).values(points=999))
    db.session.execute(ReputationEvent.__table__.delete().where(ReputationEvent.id % 2 == 0))
    db.session.execute(update(UserStats).values(reputation=5, likes_given=0, likes_received=3))
    db.session.execute(update(Post).values(like_count=4))
    db.session.execute(update(Topic).values(like_count=0))
    recompute()
    after = _state()
    assert after["ledger"] == incremental["ledger"]
    assert after == incremental


def test_recompute_follows_changed_weights(db, category, moderator):
    author = member_at(1)
    post = factories.make_post(factories.make_topic(category=category, author=author),
                               author=author)
    likes.like_post(post, user=member_at(1))
    set_setting("reputation_points_like_received", 4)
    recompute()
    assert db.session.get(UserStats, author.id).reputation == 4


def test_entries_of_kinds_it_does_not_know_are_kept(db, member):
    db.session.add(ReputationEvent(user_id=member.id, kind="future_source", points=3,
                                   source_key="x:1"))
    db.session.flush()
    recompute()
    assert db.session.get(UserStats, member.id).reputation == 3


def test_the_command_shows_a_progress_bar_and_commits(app, db, category, moderator):
    community = _Community(random.Random(5), category, moderator)
    for _ in range(30):
        community.step()
    incremental = _state()
    db.session.execute(ReputationEvent.__table__.delete())
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["forum", "reputation", "recompute"])
    assert result.exit_code == 0, result.output
    assert "Reputation" in result.output and "entries" in result.output
    db.session.rollback()
    assert _state() == incremental
