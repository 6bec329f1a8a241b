"""Every notification kind is created from the services' domain events, respects the
member's preferences, and never tells anyone about what they cannot read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.chat import channels
from forum.extensions import db
from forum.following import services as following
from forum.markup import quote_markdown
from forum.models import (
    CHANNEL_PRIVATE,
    CHANNEL_SEMINAR,
    LEVEL_MUTED,
    LEVEL_WATCHING,
    Notification,
    utcnow,
)
from forum.notifications import kinds, preferences
from forum.notifications.receivers import quoted_usernames
from forum.reputation import likes
from forum.topics import services as topics
from tests import factories


def notes_of(user, kind=None):
    query = select(Notification).where(Notification.user_id == user.id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query.order_by(Notification.id)))


def test_a_reply_notifies_the_topic_author(topic, member, other_member):
    topics.reply(topic, author=other_member, raw="Спасибо, очень полезно!")
    [note] = notes_of(member, kinds.KIND_REPLIED)
    assert note.topic_id == topic.id and note.post_number == 2
    assert note.data["by"] == "boris"


def test_a_reply_to_a_post_notifies_that_posts_author(topic, member, other_member):
    third = factories.make_user("vera")
    topics.reply(topic, author=other_member, raw="Мой ответ в теме.")
    topics.reply(topic, author=third, raw="Ответ Борису.", reply_to_post_number=2)
    assert [n.post_number for n in notes_of(other_member, kinds.KIND_REPLIED)] == [3]


def test_nobody_is_notified_about_their_own_post(topic, member):
    topics.reply(topic, author=member, raw="Дополню сама @anna.")
    assert notes_of(member) == []


def test_a_mention_notifies_once_even_when_also_a_reply(topic, member, other_member):
    topics.reply(topic, author=other_member, raw="@anna, посмотрите, пожалуйста.")
    assert [n.kind for n in notes_of(member)] == [kinds.KIND_MENTIONED]


def test_a_quote_notifies_the_quoted_author(topic, member, other_member, category):
    elsewhere = factories.make_topic(category=category, author=other_member)
    raw = quote_markdown("anna", topic.id, 1, "Первое сообщение темы.") + "\n\nСогласен."
    topics.reply(elsewhere, author=other_member, raw=raw)
    [note] = notes_of(member, kinds.KIND_QUOTED)
    assert note.topic_id == elsewhere.id


def test_quoted_usernames_reads_discourse_quotes():
    raw = '[quote="Anna, post:2, topic:7"]\nтекст\n[/quote]\n[quote="boris, post:1, topic:3"]x'
    assert quoted_usernames(raw) == ["anna", "boris"]
    assert quoted_usernames("[quote]без автора[/quote]") == []


def test_likes_are_grouped_into_one_notification_per_post(topic, member):
    first_post = topic.posts[0] if hasattr(topic, "posts") else topics.post_by_number(topic, 1)
    likers = [factories.make_user(name) for name in ("vera", "gleb", "dina", "egor")]
    for liker in likers:
        likes.like_post(first_post, user=liker)
    [note] = notes_of(member, kinds.KIND_LIKED)
    assert note.data["count"] == 4
    assert note.data["usernames"] == ["egor", "dina", "gleb"]
    assert note.read_at is None


def test_a_like_after_the_group_was_read_starts_a_new_one(topic, member):
    post = topics.post_by_number(topic, 1)
    likes.like_post(post, user=factories.make_user("vera"))
    db.session.execute(Notification.__table__.update().values(read_at=utcnow()))
    likes.like_post(post, user=factories.make_user("gleb"))
    groups = notes_of(member, kinds.KIND_LIKED)
    assert [n.data["count"] for n in groups] == [1, 1]


def test_watching_a_topic_notifies_every_new_post(topic, other_member):
    following.set_topic_level(topic, user=other_member, level=LEVEL_WATCHING)
    topics.reply(topic, author=factories.make_user("vera"), raw="Новый ответ в теме.")
    [note] = notes_of(other_member, kinds.KIND_POSTED)
    assert note.post_number == 2


def test_watching_a_category_notifies_new_topics(category, other_member):
    following.set_category_level(category, user=other_member, level=LEVEL_WATCHING)
    topic = factories.make_topic(category=category, author=factories.make_user("vera"))
    [note] = notes_of(other_member, kinds.KIND_WATCHING_FIRST_POST)
    assert note.topic_id == topic.id


def test_a_muted_topic_in_a_watched_category_stays_silent(category, topic, other_member):
    following.set_category_level(category, user=other_member, level=LEVEL_WATCHING)
    following.set_topic_level(topic, user=other_member, level=LEVEL_MUTED)
    topics.reply(topic, author=factories.make_user("vera"), raw="Ещё один ответ.")
    assert notes_of(other_member) == []


def test_nobody_hears_about_a_private_category(private_category, student, member):
    topic = factories.make_topic(category=private_category, author=member,
                                 raw="Только для учителей, @pupil.")
    assert notes_of(student) == []
    topics.reply(topic, author=member, raw=quote_markdown("pupil", 1, 1, "x") + "\n\nОтвет")
    assert notes_of(student) == []


def test_a_watcher_who_lost_access_hears_nothing(db, private_category, member, admin):
    from forum.accounts.services import set_role

    teacher = factories.make_user("vera")
    topic = factories.make_topic(category=private_category, author=member)
    following.set_topic_level(topic, user=teacher, level=LEVEL_WATCHING)
    set_role(teacher, actor=admin, role="student")
    db.session.flush()
    topics.reply(topic, author=member, raw="Ответ для учителей.")
    assert notes_of(teacher) == []


def test_an_invitation_to_a_seminar_notifies_the_invitee(moderator, member):
    now = utcnow()
    seminar = channels.create_channel(CHANNEL_SEMINAR, actor=moderator, name="Семинар",
                                      host=moderator, starts_at=now + timedelta(days=1),
                                      ends_at=now + timedelta(days=1, hours=1))
    channels.invite_to_channel(seminar, actor=moderator, invitees=[member])
    [note] = notes_of(member, kinds.KIND_CHAT_INVITED)
    assert note.data == {"channel_id": seminar.id, "by": "moder", "seminar": True}


def test_an_invitation_to_a_private_channel_notifies_the_invitee(moderator, member):
    room = channels.create_channel(CHANNEL_PRIVATE, actor=moderator, name="Методобъединение")
    channels.invite_to_channel(room, actor=moderator, invitees=[member])
    assert [n.data["seminar"] for n in notes_of(member, kinds.KIND_CHAT_INVITED)] == [False]


@pytest.mark.parametrize("kind", [kinds.KIND_REPLIED, kinds.KIND_MODERATOR_ACTION,
                                  kinds.KIND_LIKED, kinds.KIND_BADGE_GRANTED])
def test_a_kind_turned_off_is_not_stored(member, kind):
    preferences.update_preferences(member, channels={preferences.preference_key(kind): "off"},
                                   email_delay_minutes=10, digest_frequency="off")
    from forum.notifications.services import notify

    assert notify(member, kind, data={}) is None
    assert notes_of(member) == []


def test_a_reply_respects_the_off_preference(topic, member, other_member):
    preferences.update_preferences(member, channels={"replied": "off"}, email_delay_minutes=10,
                                   digest_frequency="off")
    topics.reply(topic, author=other_member, raw="Ответ без уведомления.")
    assert notes_of(member) == []


def test_kinds_outside_the_preferences_always_arrive(member):
    preferences.update_preferences(member, channels={k: "off" for k in preferences.CONFIGURABLE},
                                   email_delay_minutes=10, digest_frequency="off")
    from forum.notifications.services import notify

    assert notify(member, kinds.KIND_SILENCED, data={}) is not None
