"""The reputation ledger: weights from settings, anti-farming rules, moderators' removals,
badges and seminars — each kept right incrementally by the domain-event receivers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum import domain_events
from forum.chat import channels, messages
from forum.extensions import db
from forum.models import CHANNEL_SEMINAR, Badge, PostAction, UserBadge, utcnow
from forum.reputation import likes
from forum.settings import set_setting
from forum.topics import services as topics
from tests import factories
from tests.reputation.helpers import ledger, like, member_at, reputation_of

# Badges grant points and notifications of their own; these tests look at the rest alone.
pytestmark = pytest.mark.usefixtures("without_badges")


@pytest.fixture
def author(db):
    return member_at(1, "avtor")


@pytest.fixture
def topic(author, category):
    return factories.make_topic(category=category, author=author)


def _posts(topic, author, n):
    return [factories.make_post(topic, author=author, raw=f"Материал {i}") for i in range(n)]


def test_a_like_from_a_member_earns_the_configured_points(topic, author):
    set_setting("reputation_points_like_received", 7)
    like(_posts(topic, author, 1)[0], member_at(1))
    assert reputation_of(author) == 7
    [(user_id, kind, _key, points, *_rest)] = ledger(author)
    assert (user_id, kind, points) == (author.id, "like_received", 7)


def test_likes_from_new_members_count_less(topic, author):
    set_setting("reputation_points_like_from_new_member", 2)
    post = _posts(topic, author, 1)[0]
    like(post, member_at(0), member_at(0), member_at(1))
    assert reputation_of(author) == 2 + 2 + 10


def test_a_burst_of_likes_from_fresh_accounts_earns_nothing_by_default(topic, author):
    post = _posts(topic, author, 1)[0]
    like(post, *[member_at(0) for _ in range(8)])
    assert reputation_of(author) == 0
    db.session.refresh(post)
    assert post.like_count == 8  # the likes themselves still show


def test_likes_between_one_pair_past_the_daily_cap_count_nothing(topic, author):
    set_setting("reputation_pair_likes_per_day", 2)
    fan = member_at(1)
    like_posts = _posts(topic, author, 4)
    like(like_posts[0], fan)
    like(like_posts[1], fan)
    like(like_posts[2], fan)
    like(like_posts[3], member_at(1))
    assert reputation_of(author) == 10 + 10 + 0 + 10


def test_likes_beyond_the_cap_may_count_a_little(topic, author):
    set_setting("reputation_pair_likes_per_day", 1)
    set_setting("reputation_points_like_beyond_pair_cap", 3)
    fan = member_at(1)
    for post in _posts(topic, author, 3):
        like(post, fan)
    assert reputation_of(author) == 10 + 3 + 3


def test_the_pair_cap_starts_again_the_next_day(topic, author):
    set_setting("reputation_pair_likes_per_day", 1)
    fan = member_at(1)
    first, second = _posts(topic, author, 2)
    like(first, fan)
    yesterday = utcnow() - timedelta(days=1)
    db.session.query(PostAction).update({"created_at": yesterday})
    from forum.models import ReputationEvent
    db.session.query(ReputationEvent).update({"created_at": yesterday})
    like(second, fan)
    assert reputation_of(author) == 20


def test_unliking_within_the_cap_lets_a_later_like_count_in_full(topic, author):
    set_setting("reputation_pair_likes_per_day", 1)
    fan = member_at(1)
    first, second = _posts(topic, author, 2)
    like(first, fan)
    like(second, fan)
    assert reputation_of(author) == 10
    likes.unlike_post(first, user=fan)
    assert reputation_of(author) == 10
    assert [row[3] for row in ledger(author)] == [10]


def test_a_liker_promoted_from_new_member_makes_their_likes_count(topic, author):
    newcomer = member_at(0)
    like(_posts(topic, author, 1)[0], newcomer)
    assert reputation_of(author) == 0
    newcomer.trust_level = 1
    domain_events.trust_level_changed.send(newcomer, old=0, new=1)
    assert reputation_of(author) == 10


def test_a_post_removed_by_a_moderator_costs_its_author_points(topic, author, moderator):
    set_setting("reputation_penalty_post_removed", 15)
    post = _posts(topic, author, 1)[0]
    topics.delete_post(post, actor=moderator)
    assert reputation_of(author) == -15
    [(_u, kind, key, points, actor_id, post_id, *_)] = ledger(author)
    assert (kind, key, points, actor_id, post_id) == (
        "post_removed", f"post:{post.id}", -15, moderator.id, post.id)


def test_restoring_the_post_gives_the_points_back(topic, author, moderator):
    post = _posts(topic, author, 1)[0]
    topics.delete_post(post, actor=moderator)
    topics.restore_post(post, actor=moderator)
    assert reputation_of(author) == 0
    assert ledger(author) == []


def test_deleting_ones_own_post_costs_nothing(topic, author):
    post = _posts(topic, author, 1)[0]
    topics.delete_post(post, actor=author)
    assert ledger(author) == []


def test_a_topic_deleted_by_a_moderator_costs_its_author_once(topic, author, moderator):
    topics.delete_topic(topic, actor=moderator)
    assert reputation_of(author) == -20
    topics.restore_topic(topic, actor=moderator)
    assert reputation_of(author) == 0


def test_a_granted_badge_earns_points_by_its_tier(author):
    set_setting("reputation_points_badge_silver", 12)
    badge = Badge(slug="nastavnik", tier="silver")
    db.session.add(badge)
    db.session.flush()
    grant = UserBadge(badge_id=badge.id, user_id=author.id, badge=badge)
    db.session.add(grant)
    db.session.flush()
    domain_events.badge_granted.send(grant)
    assert reputation_of(author) == 12


@pytest.fixture
def seminar(moderator, author):
    now = utcnow()
    return channels.create_channel(CHANNEL_SEMINAR, actor=moderator, name="Семинар по дробям",
                                   host=author, starts_at=now - timedelta(hours=1),
                                   ends_at=now + timedelta(hours=1))


def test_writing_in_a_seminar_room_counts_as_taking_part_once(seminar):
    guest = member_at(1)
    channels.join_channel(seminar, user=guest)
    messages.send_message(seminar, author=guest, raw="Здравствуйте, коллеги!")
    messages.send_message(seminar, author=guest, raw="Спасибо за семинар.")
    assert reputation_of(guest) == 10
    assert [row[1:3] for row in ledger(guest)] == [("seminar", f"seminar:{seminar.id}")]


def test_messages_in_other_channels_are_not_seminars(moderator):
    room = channels.create_channel("public", actor=moderator, name="Учительская — чат")
    messages.send_message(room, author=moderator, raw="Добрый день")
    assert ledger(moderator) == []
