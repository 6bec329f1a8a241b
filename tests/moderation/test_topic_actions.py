"""Topic status moderation: pins, banner, close, archive, unlist, slow mode, hide; the log."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum import permissions
from forum.errors import DomainError
from forum.extensions import db
from forum.models import HIDDEN_BY_MODERATOR, Notification, StaffAction, utcnow
from forum.moderation import topic_actions
from forum.topics import queries, services
from tests import factories


def log_actions() -> list[str]:
    return [e.action for e in db.session.query(StaffAction).order_by(StaffAction.id)]


def titles(listing) -> list[str]:
    return [t.title for t in listing.topics]


@pytest.fixture
def older(db, category, member):
    topic = factories.make_topic(category=category, author=member, title="Старая тема о дробях")
    topic.bumped_at = utcnow() - timedelta(days=3)
    db.session.commit()
    return topic


def test_a_pinned_topic_leads_its_category_list(subject_moderator, category, topic, older):
    topic_actions.pin_topic(older, actor=subject_moderator)
    db.session.commit()
    listing = queries.category_topics(subject_moderator, category)
    assert titles(listing) == [older.title, topic.title]
    assert older.is_pinned


def test_a_lapsed_pin_counts_as_no_pin(subject_moderator, category, topic, older):
    topic_actions.pin_topic(older, actor=subject_moderator, until=utcnow() + timedelta(hours=1))
    older.pinned_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert not older.is_pinned
    assert titles(queries.category_topics(subject_moderator, category)) == [topic.title,
                                                                             older.title]


def test_a_pin_until_a_past_date_is_refused(subject_moderator, topic):
    with pytest.raises(DomainError):
        topic_actions.pin_topic(topic, actor=subject_moderator,
                                until=utcnow() - timedelta(days=1))
    assert topic.pinned_at is None


def test_a_global_pin_leads_latest_and_needs_staff(subject_moderator, moderator, topic, older):
    with pytest.raises(DomainError) as refused:
        topic_actions.pin_topic(older, actor=subject_moderator, globally=True)
    assert refused.value.status_code == 403
    topic_actions.pin_topic(older, actor=moderator, globally=True)
    db.session.commit()
    assert titles(queries.latest_topics(moderator))[:2] == [older.title, topic.title]


def test_a_subject_moderator_cannot_unpin_a_global_pin(subject_moderator, moderator, topic):
    topic_actions.pin_topic(topic, actor=moderator, globally=True)
    with pytest.raises(DomainError):
        topic_actions.unpin_topic(topic, actor=subject_moderator)
    assert topic.is_pinned


def test_pinning_twice_changes_nothing_and_logs_once(subject_moderator, topic):
    assert topic_actions.pin_topic(topic, actor=subject_moderator) is True
    pinned_at = topic.pinned_at
    assert topic_actions.pin_topic(topic, actor=subject_moderator) is False
    assert topic.pinned_at == pinned_at
    assert log_actions() == ["topic.pin"]
    entry = db.session.query(StaffAction).one()
    assert entry.before["pinned"] is False and entry.after["pinned"] is True


def test_unpinning_an_unpinned_topic_logs_nothing(subject_moderator, topic):
    assert topic_actions.unpin_topic(topic, actor=subject_moderator) is False
    assert log_actions() == []


def test_closing_stops_member_replies_and_tells_the_author(subject_moderator, member, topic):
    topic_actions.close_topic(topic, actor=subject_moderator, reason="Вопрос решён")
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        services.reply(topic, author=member, raw="Ещё один ответ")
    assert refused.value.status_code == 403
    services.reply(topic, author=subject_moderator, raw="Модератор может ответить")
    # (The moderator's reply also tells the author as a reply: forum.notifications.receivers.)
    note = db.session.query(Notification).filter_by(user_id=member.id,
                                                    kind="moderator_action").one()
    assert note.data["action"] == "topic.close"
    assert db.session.query(StaffAction).one().reason == "Вопрос решён"


def test_closing_twice_and_reopening_twice_log_one_entry_each(subject_moderator, topic):
    for _ in range(2):
        topic_actions.close_topic(topic, actor=subject_moderator)
    for _ in range(2):
        topic_actions.open_topic(topic, actor=subject_moderator)
    assert log_actions() == ["topic.close", "topic.open"]
    assert not topic.is_closed


def test_closing_my_own_topic_sends_me_no_notification(subject_moderator, category):
    topic = factories.make_topic(category=category, author=subject_moderator)
    topic_actions.close_topic(topic, actor=subject_moderator)
    assert db.session.query(Notification).count() == 0


def test_an_archived_topic_is_read_only_for_members(subject_moderator, member, topic):
    topic_actions.archive_topic(topic, actor=subject_moderator)
    first = services.post_by_number(topic, 1)
    assert not permissions.can_reply(member, topic)
    assert not permissions.can_edit_post(member, first)
    with pytest.raises(DomainError):
        services.edit_post(first, editor=member, raw="Правка в архиве")


def test_an_archived_topic_leaves_the_default_lists(subject_moderator, category, topic, older):
    topic_actions.archive_topic(older, actor=subject_moderator)
    db.session.commit()
    assert titles(queries.category_topics(subject_moderator, category)) == [topic.title]
    assert titles(queries.latest_topics(subject_moderator)) == [topic.title]
    archived = queries.category_topics(subject_moderator, category, archived=True)
    assert titles(archived) == [older.title]


def test_an_unlisted_topic_stays_reachable_by_link(subject_moderator, member, category, topic):
    topic_actions.unlist_topic(topic, actor=subject_moderator)
    db.session.commit()
    assert titles(queries.category_topics(member, category)) == []
    assert permissions.can_view_topic(member, topic)
    topic_actions.list_topic(topic, actor=subject_moderator)
    assert titles(queries.category_topics(member, category)) == [topic.title]
    entries = db.session.query(StaffAction).order_by(StaffAction.id).all()
    assert [(e.action, e.after) for e in entries] == [("topic.unlist", {"listed": False}),
                                                      ("topic.list", {"listed": True})]


def test_slow_mode_makes_a_member_wait_with_a_clear_message(subject_moderator, other_member,
                                                            topic):
    topic_actions.set_slow_mode(topic, actor=subject_moderator, minutes=10)
    services.reply(topic, author=other_member, raw="Первый ответ в медленном режиме")
    with pytest.raises(DomainError) as refused:
        services.reply(topic, author=other_member, raw="Второй ответ сразу")
    assert "10 минут" in str(refused.value.message)
    services.reply(topic, author=subject_moderator, raw="Модератор отвечает без ожидания")
    services.reply(topic, author=subject_moderator, raw="И ещё раз без ожидания")


def test_slow_mode_lets_a_member_reply_after_the_wait(subject_moderator, other_member, topic):
    topic_actions.set_slow_mode(topic, actor=subject_moderator, minutes=1)
    post = services.reply(topic, author=other_member, raw="Первый ответ")
    post.created_at = utcnow() - timedelta(minutes=2)
    assert topic_actions.slow_mode_wait(topic, other_member) == 0
    services.reply(topic, author=other_member, raw="Второй ответ через две минуты")


def test_slow_mode_refuses_nonsense_and_logs_changes_only(subject_moderator, topic):
    with pytest.raises(DomainError):
        topic_actions.set_slow_mode(topic, actor=subject_moderator, minutes=-1)
    topic_actions.set_slow_mode(topic, actor=subject_moderator, minutes=5)
    topic_actions.set_slow_mode(topic, actor=subject_moderator, minutes=5)
    entry = db.session.query(StaffAction).one()
    assert (entry.before, entry.after) == ({"slow_mode_seconds": 0}, {"slow_mode_seconds": 300})


def test_hiding_a_post_marks_it_and_tells_the_author(subject_moderator, member, topic):
    post = services.post_by_number(topic, 1)
    assert topic_actions.hide_post(post, actor=subject_moderator, reason="Оффтоп") is True
    assert topic_actions.hide_post(post, actor=subject_moderator) is False
    assert post.hidden_reason == HIDDEN_BY_MODERATOR and post.is_hidden
    assert db.session.query(Notification).filter_by(user_id=member.id).count() == 1
    assert topic_actions.unhide_post(post, actor=subject_moderator) is True
    assert topic_actions.unhide_post(post, actor=subject_moderator) is False
    assert log_actions() == ["post.hide", "post.unhide"]


def test_the_banner_is_one_topic_at_a_time_and_staff_only(moderator, subject_moderator,
                                                          topic, older):
    with pytest.raises(DomainError):
        topic_actions.make_banner(topic, actor=subject_moderator)
    topic_actions.make_banner(topic, actor=moderator)
    topic_actions.make_banner(older, actor=moderator)
    topic_actions.make_banner(older, actor=moderator)
    assert (topic.is_banner, older.is_banner) == (False, True)
    assert topic_actions.current_banner() == older
    assert log_actions() == ["topic.banner", "topic.banner"]


@pytest.mark.parametrize("action", ["pin_topic", "close_topic", "archive_topic",
                                    "unlist_topic"])
def test_moderators_of_other_categories_are_refused(other_subject_moderator, member, topic,
                                                    action):
    for actor in (other_subject_moderator, member):
        with pytest.raises(DomainError) as refused:
            getattr(topic_actions, action)(topic, actor=actor)
        assert refused.value.status_code == 403
    assert log_actions() == []


def test_a_moderator_deleting_someone_elses_post_is_logged_once(subject_moderator, member,
                                                                other_member, topic):
    reply = factories.make_post(topic, author=other_member)
    services.delete_post(reply, actor=subject_moderator)
    services.delete_post(reply, actor=subject_moderator)
    services.restore_post(reply, actor=subject_moderator)
    services.restore_post(reply, actor=subject_moderator)
    assert log_actions() == ["post.delete", "post.restore"]
    note = db.session.query(Notification).filter_by(user_id=other_member.id).one()
    assert note.data["action"] == "post.delete"


def test_an_author_deleting_their_own_post_is_not_logged(member, topic):
    reply = factories.make_post(topic, author=member)
    services.delete_post(reply, actor=member)
    assert log_actions() == []


def test_a_moderator_deleting_and_restoring_a_topic_is_logged(subject_moderator, topic):
    services.delete_topic(topic, actor=subject_moderator)
    services.delete_topic(topic, actor=subject_moderator)
    services.restore_topic(topic, actor=subject_moderator)
    assert log_actions() == ["topic.delete", "topic.restore"]


def test_a_moderator_moving_a_topic_is_logged_and_the_author_told(subject_moderator, member,
                                                                 category, topic):
    history = factories.make_category("История", slug="istoriia")
    history.moderators.append(subject_moderator)
    services.change_topic_category(topic, actor=subject_moderator, category=history)
    entry = db.session.query(StaffAction).one()
    assert (entry.action, entry.before, entry.after) == (
        "topic.move", {"category_id": category.id}, {"category_id": history.id})
    assert db.session.query(Notification).filter_by(user_id=member.id).count() == 1


def test_a_moderator_retitling_someone_elses_topic_is_logged(subject_moderator, member, topic):
    first = services.post_by_number(topic, 1)
    services.edit_post(first, editor=subject_moderator, raw=first.raw,
                       title="Как объяснять дроби в пятом классе")
    entry = db.session.query(StaffAction).one()
    assert (entry.action, entry.before["title"]) == ("topic.retitle", "Как объяснять дроби")
    services.edit_post(first, editor=member, raw=first.raw, title="Дроби: мой опыт объяснения")
    assert db.session.query(StaffAction).count() == 1  # the author's own retitle is not logged
