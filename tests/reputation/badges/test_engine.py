"""The engine: badge rows synced from the definitions, idempotent grants and backfill,
notifications and the badge_granted event, disabled badges, deleted accounts."""

from sqlalchemy import func, select

from forum import domain_events
from forum.extensions import db
from forum.models import Badge, Notification, UserBadge, utcnow
from forum.reputation.badges.definitions import DEFINITIONS
from forum.reputation.badges.engine import backfill, badges_by_slug, sync_badges
from tests import factories
from tests.reputation.badges.helpers import change_trust_level, grants, holds, like


def test_there_are_at_least_twenty_default_badges_with_the_communitys_own():
    slugs = {d.slug for d in DEFINITIONS}
    assert len(slugs) == len(DEFINITIONS) >= 20
    assert {"first-post", "first-reply", "first-like", "seminar-participant", "seminar-host",
            "mentor", "nice-topic", "great-topic", "active-member", "anniversary",
            "contest-winner"} <= slugs


def test_badge_rows_are_created_on_first_use_and_kept_in_step_with_the_definitions(db):
    assert db.session.scalar(select(func.count(Badge.id))) == 0
    badges = badges_by_slug()
    assert set(badges) == {d.slug for d in DEFINITIONS}
    badges["mentor"].tier = "bronze"
    badges["mentor"].is_enabled = False  # an admin's choice survives a sync
    sync_badges()
    assert badges["mentor"].tier == "gold" and badges["mentor"].is_enabled is False


def _history(member, other_member, topic):
    """A little community history written before badges existed."""
    reply = factories.make_post(topic, author=other_member)
    like(reply, member)
    change_trust_level(member, 2)
    db.session.execute(db.delete(UserBadge))
    db.session.execute(db.delete(Notification))
    db.session.execute(db.update(Badge).values(grant_count=0))
    return reply


def test_the_backfill_grants_what_the_events_would_have(member, other_member, topic):
    _history(member, other_member, topic)
    counts = backfill()
    assert counts["first-post"] == 2 and counts["first-like"] == 1 and counts["member"] == 1
    assert holds(other_member, "first-reply") and holds(other_member, "welcome")


def test_running_the_backfill_twice_grants_nothing_new(member, other_member, topic):
    _history(member, other_member, topic)
    first = backfill()
    total = db.session.scalar(select(func.count(UserBadge.id)))
    assert sum(first.values()) == total > 0
    assert sum(backfill().values()) == 0
    assert db.session.scalar(select(func.count(UserBadge.id))) == total


def _as_newcomers(*users) -> None:
    """Factories start members at trust level 1 without the promotion event that would have
    granted its badge; these tests start from members whose every step went through events."""
    for user in users:
        user.trust_level = 0
    db.session.flush()


def test_the_backfill_after_the_events_grants_nothing_new(member, other_member, topic):
    _as_newcomers(member, other_member)
    like(factories.make_post(topic, author=other_member), member)
    assert sum(backfill().values()) == 0


def test_grant_counts_follow_the_grants(member, other_member, topic):
    _history(member, other_member, topic)
    backfill()
    badge = badges_by_slug()["first-post"]
    assert badge.grant_count == 2


def test_the_backfill_notifies_each_new_grant(member, other_member, topic):
    _history(member, other_member, topic)
    backfill()
    kinds = db.session.scalars(select(Notification.data).where(
        Notification.user_id == other_member.id, Notification.kind == "badge_granted"))
    assert {"first-post", "first-reply", "welcome"} <= {d["badge_slug"] for d in kinds}


def test_a_grant_on_an_event_notifies_the_member_in_their_words(member, category):
    factories.make_topic(category=category, author=member)
    note = db.session.scalar(select(Notification).where(Notification.user_id == member.id,
                                                        Notification.kind == "badge_granted"))
    from flask_babel import force_locale

    from forum.notifications.texts import notification_text
    with force_locale("ru"):
        assert "награду «Первое сообщение»" in notification_text(note)
    with force_locale("en"):
        assert "the badge “First post”" in notification_text(note)


def test_a_grant_sends_the_badge_granted_event(member, category):
    received = []

    def listener(user_badge, **kwargs):
        received.append((user_badge.badge.slug, kwargs["backfill"]))

    domain_events.badge_granted.connect(listener)
    try:
        factories.make_topic(category=category, author=member)
    finally:
        domain_events.badge_granted.disconnect(listener)
    assert ("first-post", False) in received


def test_a_disabled_badge_is_not_granted(member, category):
    badges_by_slug()["first-post"].is_enabled = False
    factories.make_topic(category=category, author=member)
    backfill()
    assert not holds(member, "first-post")
    assert holds(member, "first-topic")


def test_deleted_accounts_are_granted_nothing(member, other_member, topic):
    _history(member, other_member, topic)
    other_member.deleted_at = utcnow()
    db.session.flush()
    backfill()
    assert grants(other_member, "first-reply") == []


def test_the_cli_backfill_shows_its_progress_and_total(app, member, category):
    factories.make_topic(category=category, author=member)
    db.session.execute(db.delete(UserBadge))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["forum", "badges", "backfill"])
    assert result.exit_code == 0, result.output
    assert "first-post: 1" in result.output and "Granted" in result.output
    again = app.test_cli_runner().invoke(args=["forum", "badges", "backfill"])
    assert "Granted 0 badges" in again.output


def test_the_cli_sync_puts_every_badge_row_in_place(app):
    result = app.test_cli_runner().invoke(args=["forum", "badges", "sync"])
    assert result.exit_code == 0, result.output
    assert f"{len(DEFINITIONS)} badges in place." in result.output
    assert db.session.scalar(select(func.count(Badge.id))) == len(DEFINITIONS)


def test_events_grant_everything_a_backfill_would_in_a_busy_community(member, other_member,
                                                                      topic):
    from forum.settings import set_setting
    from tests.reputation.badges.helpers import say, seminar, set_likes, visit_days
    _as_newcomers(member, other_member)
    set_setting("badges_mentor_likes", 3)
    set_setting("badges_active_member_days", 2)
    replies = [factories.make_post(topic, author=other_member) for _ in range(3)]
    for post in replies:
        like(post, member)
    set_likes(replies[0], 30, announce_by=member)
    room = seminar(member)
    say(room, other_member)
    other_member.about, other_member.subjects = "Учитель физики", "физика"
    visit_days(other_member, 2)
    change_trust_level(other_member, 4)
    held_before = db.session.scalar(select(func.count(UserBadge.id)))
    assert held_before >= 15
    assert sum(backfill().values()) == 0
