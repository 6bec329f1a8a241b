"""Trust levels: promotion TL0→TL3 from synthetic activity, the TL3 window, demotion after the
grace period, locks, TL4 by admins only, notifications and the trust_level_changed event."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum import domain_events
from forum.accounts import services as accounts
from forum.errors import DomainError
from forum.extensions import db
from forum.models import Notification, StaffAction, utcnow
from forum.notifications.texts import notification_text
from forum.reputation import trust
from forum.reputation.stats import stats_of
from forum.settings import set_setting
from forum.topics.services import post_by_number
from tests import factories
from tests.reputation.conftest import enter_topic, like, set_stats, visit_days

# Trust messages are compared in English, the source language.
pytestmark = pytest.mark.usefixtures("english_by_default", "without_badges")

TL1_READING = {"topics_entered": 5, "posts_read": 30, "time_read_seconds": 10 * 60}
TL2_READING = {"days_visited": 15, "topics_entered": 20, "posts_read": 100,
               "time_read_seconds": 60 * 60, "likes_given": 1, "likes_received": 1}


def test_a_newly_registered_account_is_a_new_member_at_trust_level_0(db):
    user = accounts.register(username="newbie", email="newbie@example.org",
                             password=factories.PASSWORD)
    assert user.trust_level == 0


def test_a_new_member_who_read_enough_is_promoted_to_trust_level_1(newcomer):
    set_stats(newcomer, **TL1_READING)
    assert trust.review(newcomer) == 1
    assert newcomer.trust_level == 1
    assert stats_of(newcomer).trust_level_reached_at is not None


@pytest.mark.parametrize("short", sorted(TL1_READING))
def test_a_new_member_short_of_any_one_requirement_stays_at_trust_level_0(newcomer, short):
    set_stats(newcomer, **{**TL1_READING, short: TL1_READING[short] - 1})
    assert trust.review(newcomer) is None
    assert newcomer.trust_level == 0


def test_thresholds_are_the_admins_settings(newcomer):
    set_setting("trust_tl1_topics_entered", 1)
    set_setting("trust_tl1_posts_read", 2)
    set_setting("trust_tl1_time_read_minutes", 0)
    set_stats(newcomer, topics_entered=1, posts_read=2)
    assert trust.review(newcomer) == 1


def test_a_basic_member_with_visits_and_likes_reaches_trust_level_2_on_the_third_topic_replied(
        member):
    set_stats(member, **TL2_READING)
    topics = [factories.make_topic() for _ in range(3)]
    factories.make_post(topics[0], author=member)
    factories.make_post(topics[1], author=member)
    assert member.trust_level == 1
    factories.make_post(topics[2], author=member)  # the post itself runs the review
    assert member.trust_level == 2


def test_replies_in_fewer_topics_than_required_keep_a_member_at_trust_level_1(member, topic):
    set_stats(member, **TL2_READING)
    for _ in range(3):
        factories.make_post(topic, author=member)  # three replies, one topic
    assert trust.review(member) is None
    assert member.trust_level == 1


def test_promotion_notifies_the_member_and_says_what_is_unlocked(newcomer):
    set_stats(newcomer, **TL1_READING)
    trust.review(newcomer)
    note = db_notification(newcomer)
    text = notification_text(note)
    assert "trust level 1" in text and "flag posts" in text and "links" in text


def test_a_change_of_level_sends_trust_level_changed_with_old_and_new(newcomer):
    seen = []

    def receiver(user, **kwargs):
        seen.append((user.id, kwargs["old"], kwargs["new"]))

    domain_events.trust_level_changed.connect(receiver)
    try:
        set_stats(newcomer, **TL1_READING)
        trust.review(newcomer)
    finally:
        domain_events.trust_level_changed.disconnect(receiver)
    assert seen == [(newcomer.id, 0, 1)]


def test_a_locked_level_is_left_alone_by_automatic_review(newcomer):
    set_stats(newcomer, trust_level_locked=True, **TL1_READING)
    assert trust.review(newcomer) is None
    assert newcomer.trust_level == 0


def test_no_activity_makes_a_leader_and_leaders_are_not_demoted(member):
    member.trust_level = 2
    set_stats(member, days_visited=10_000, topics_entered=10_000, posts_read=10_000,
              time_read_seconds=10**7, likes_given=10_000, likes_received=10_000)
    trust.review(member)
    assert member.trust_level < 4
    member.trust_level = 4
    assert trust.review(member) is None and member.trust_level == 4


# --- TL3: the recent window and the grace period ------------------------------------------------

@pytest.fixture
def small_tl3(db):
    """TL3 asking little, so that a test can create the activity: the rules stay the same."""
    for name, value in (("trust_tl3_days_visited", 3), ("trust_tl3_topics_replied", 1),
                        ("trust_tl3_likes_given", 1), ("trust_tl3_likes_received", 1),
                        ("trust_tl3_topics_viewed_percent", 50),
                        ("trust_tl3_posts_read_percent", 10)):
        set_setting(name, value)


def make_recent_regular_activity(user, *, days_ago: int = 0):
    """Everything TL3 asks (with small_tl3), `days_ago` days back."""
    other = factories.make_user()
    topic = factories.make_topic(author=other, replies=1)
    reply = factories.make_post(topic, author=user)
    visit_days(user, 3, ago=days_ago)
    enter_topic(user, topic, days_ago=days_ago)
    like(user, post_by_number(topic, 1), days_ago=days_ago)
    like(other, reply, days_ago=days_ago)
    return topic


def test_a_member_active_in_the_recent_window_becomes_a_regular(member, small_tl3):
    member.trust_level = 2
    make_recent_regular_activity(member)
    assert trust.qualifies(member, 3)
    assert trust.review(member) == 3


def test_activity_older_than_the_window_does_not_count_for_trust_level_3(member, small_tl3):
    member.trust_level = 2
    make_recent_regular_activity(member)
    later = utcnow() + timedelta(days=101)
    assert not trust.qualifies(member, 3, now=later)


def test_a_silenced_member_does_not_become_a_regular(member, small_tl3):
    member.trust_level = 2
    make_recent_regular_activity(member)
    factories.silence(member)
    assert trust.review(member) is None


def test_a_regular_whose_activity_dropped_keeps_the_level_through_the_grace_period(
        member, small_tl3):
    member.trust_level = 3
    make_recent_regular_activity(member)
    later = utcnow() + timedelta(days=120)
    assert trust.review(member, now=later) is None
    assert member.trust_level == 3
    assert stats_of(member).tl3_grace_until == later + timedelta(days=14)
    assert trust.review(member, now=later + timedelta(days=13)) is None
    assert trust.review(member, now=later + timedelta(days=14)) == 2
    assert member.trust_level == 2


def test_a_regular_active_again_within_the_grace_period_loses_the_countdown(member, small_tl3):
    member.trust_level = 3
    set_stats(member, tl3_grace_until=utcnow() + timedelta(days=3))
    make_recent_regular_activity(member)
    assert trust.review(member) is None
    assert stats_of(member).tl3_grace_until is None and member.trust_level == 3


def test_demotion_from_trust_level_3_sends_no_promotion_notification(member, small_tl3):
    member.trust_level = 3
    set_stats(member, tl3_grace_until=utcnow() - timedelta(days=1))
    trust.review(member)
    assert member.trust_level == 2
    assert db_notification(member) is None


# --- admins -----------------------------------------------------------------------------------

def test_an_admin_grants_trust_level_4_and_it_is_logged(member, admin):
    assert trust.change_trust_level(member, "4", actor=admin)
    assert member.trust_level == 4
    entry = db.session.query(StaffAction).filter_by(action="user.trust_level").one()
    assert entry.before["level"] == 1 and entry.after["level"] == 4


def test_a_demotion_by_an_admin_is_locked_so_activity_does_not_undo_it(member, admin):
    set_stats(member, **TL1_READING)
    trust.change_trust_level(member, 0, actor=admin)
    assert stats_of(member).trust_level_locked
    assert trust.review(member) is None and member.trust_level == 0


@pytest.mark.parametrize("bad", ["5", "-1", "two", "", None, "1.5"])
def test_a_trust_level_outside_0_to_4_is_refused(member, admin, bad):
    with pytest.raises(DomainError) as refused:
        trust.change_trust_level(member, bad, actor=admin)
    assert refused.value.field == "level" and member.trust_level == 1


def test_only_admins_change_trust_levels(member, moderator, other_member):
    for actor in (moderator, other_member):
        with pytest.raises(DomainError) as refused:
            trust.change_trust_level(member, 3, actor=actor)
        assert refused.value.status_code == 403
    assert member.trust_level == 1


# --- the CLI ----------------------------------------------------------------------------------

def test_trust_levels_update_reviews_every_member_with_a_progress_bar(app, newcomer):
    set_stats(newcomer, **TL1_READING)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["forum", "trust-levels", "update"])
    assert result.exit_code == 0, result.output
    assert "Reviewing trust levels" in result.output and "1 changed level" in result.output
    db.session.expire_all()
    assert db.session.get(type(newcomer), newcomer.id).trust_level == 1


def db_notification(user):
    return db.session.query(Notification).filter_by(user_id=user.id).first()


def test_a_member_passing_two_levels_at_once_hears_what_both_unlock(newcomer):
    set_setting("trust_tl2_topics_replied", 0)
    set_stats(newcomer, **{**TL1_READING, **TL2_READING})
    assert trust.review(newcomer) == 2
    text = notification_text(db_notification(newcomer))
    assert "flag posts" in text and "private chat channels" in text
