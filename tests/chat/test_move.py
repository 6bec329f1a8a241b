"""Chat messages into a forum topic: move or copy, into a new or an existing topic, keeping
authors and times, with the topic's, category's and authors' counters right."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from forum.chat import messages, move
from forum.errors import DomainError
from forum.extensions import db
from forum.models import PERMISSION_FULL, Post, utcnow
from forum.moderation import audit
from tests.chat.helpers import logged
from tests.factories import make_category, make_staff_only_category, make_topic


@pytest.fixture
def conversation(public_channel, member, other_member):
    """Three messages written an hour, 50 and 40 minutes ago by two members."""
    start = utcnow() - timedelta(hours=1)
    sent = []
    for minutes, (author, raw) in zip((0, 10, 20), [(member, "Как объяснить дроби?"),
                                                     (other_member, "Через пиццу!"),
                                                     (member, "Спасибо, попробую")], strict=True):
        message, _ = messages.send_message(public_channel, author=author, raw=raw)
        message.created_at = start + timedelta(minutes=minutes)
        sent.append(message)
    db.session.commit()
    return sent


def posts_of(topic):
    return list(db.session.scalars(select(Post).where(Post.topic_id == topic.id)
                                   .order_by(Post.post_number)))


def test_moving_into_a_new_topic_keeps_authors_and_times(public_channel, conversation,
                                                         moderator, category):
    topic = move.messages_to_topic(public_channel, actor=moderator,
                                   message_ids=[m.id for m in conversation],
                                   title="Дроби через пиццу", category=category)
    posts = posts_of(topic)
    assert [(p.user_id, p.created_at, p.raw) for p in posts] == [
        (m.user_id, m.created_at, m.raw) for m in conversation]
    assert [p.post_number for p in posts] == [1, 2, 3]
    assert topic.user_id == conversation[0].user_id
    assert topic.created_at == conversation[0].created_at


def test_a_new_topic_has_its_counters_right(public_channel, conversation, moderator, category,
                                            member, other_member):
    before = (category.topic_count, category.post_count, member.post_count,
              other_member.post_count, member.topic_count)
    topic = move.messages_to_topic(public_channel, actor=moderator,
                                   message_ids=[m.id for m in conversation],
                                   title="Дроби через пиццу", category=category)
    assert topic.posts_count == 3 and topic.highest_post_number == 3
    assert topic.last_posted_at == conversation[-1].created_at
    assert topic.last_poster_id == member.id
    assert (category.topic_count, category.post_count) == (before[0] + 1, before[1] + 3)
    assert (member.post_count, other_member.post_count, member.topic_count) == (
        before[2] + 2, before[3] + 1, before[4] + 1)


def test_moving_soft_deletes_the_messages_and_leaves_a_note(public_channel, conversation,
                                                            moderator, category):
    topic = move.messages_to_topic(public_channel, actor=moderator,
                                   message_ids=[conversation[0].id], title="Вопрос о дробях",
                                   category=category)
    assert conversation[0].deleted_at is not None and conversation[1].deleted_at is None
    note = db.session.get(type(conversation[0]), public_channel.last_message_id)
    assert note.user_id == moderator.id and topic.url in note.cooked
    assert [e.target_id for e in logged(audit.CHAT_MOVE)] == [topic.id]


def test_copying_leaves_the_chat_as_it_was(public_channel, conversation, moderator, category):
    last = public_channel.last_message_id
    move.messages_to_topic(public_channel, actor=moderator,
                           message_ids=[m.id for m in conversation], copy=True,
                           title="Копия беседы", category=category)
    assert all(m.deleted_at is None for m in conversation)
    assert public_channel.last_message_id == last
    assert logged(audit.CHAT_COPY)


def test_moving_into_an_existing_topic_by_address(public_channel, conversation, moderator,
                                                  topic, category):
    destination = move.topic_from_reference(f"https://example.org{topic.url}/1")
    assert destination.id == topic.id
    posts_before, category_posts = topic.posts_count, category.post_count
    move.messages_to_topic(public_channel, actor=moderator, destination=destination,
                           message_ids=[conversation[1].id])
    assert topic.posts_count == posts_before + 1
    assert category.post_count == category_posts + 1
    assert posts_of(topic)[-1].raw == "Через пиццу!"


def test_older_messages_do_not_move_an_existing_topic_back_in_time(
        public_channel, conversation, moderator, topic):
    bumped = topic.bumped_at
    move.messages_to_topic(public_channel, actor=moderator, destination=topic,
                           message_ids=[conversation[0].id])
    assert topic.bumped_at == bumped and topic.last_posted_at >= conversation[0].created_at


def test_a_time_range_picks_the_live_messages_inside_it(public_channel, conversation,
                                                        moderator, category):
    messages.delete_message(conversation[1], actor=moderator)
    topic = move.messages_to_topic(
        public_channel, actor=moderator, since=conversation[0].created_at,
        until=conversation[1].created_at + timedelta(minutes=1), title="Диапазон времени",
        category=category)
    assert [p.raw for p in posts_of(topic)] == ["Как объяснить дроби?"]


def test_a_reversed_or_empty_range_is_refused(public_channel, conversation, moderator, category):
    with pytest.raises(DomainError) as refused:
        move.messages_to_topic(public_channel, actor=moderator, since=utcnow(),
                               until=utcnow() - timedelta(days=1), title="Никуда",
                               category=category)
    assert refused.value.field == "until"
    with pytest.raises(DomainError):
        move.messages_to_topic(public_channel, actor=moderator,
                               since=utcnow() - timedelta(days=9),
                               until=utcnow() - timedelta(days=8), title="Пусто тут",
                               category=category)


def test_moving_the_same_messages_twice_is_refused(public_channel, conversation, moderator,
                                                   category):
    ids = [conversation[0].id]
    move.messages_to_topic(public_channel, actor=moderator, message_ids=ids,
                           title="Первый перенос", category=category)
    with pytest.raises(DomainError) as refused:
        move.messages_to_topic(public_channel, actor=moderator, message_ids=ids,
                               title="Второй перенос", category=category)
    assert refused.value.field == "message_ids"


@pytest.mark.parametrize("ids", [["x"], [-1], [True], [10**20]])
def test_malformed_ids_are_refused(public_channel, conversation, moderator, category, ids):
    with pytest.raises(DomainError):
        move.messages_to_topic(public_channel, actor=moderator, message_ids=ids,
                               title="Плохие номера", category=category)


def test_messages_of_another_channel_cannot_be_taken(public_channel, category_channel, member,
                                                     moderator, category):
    elsewhere, _ = messages.send_message(category_channel, author=member, raw="Не отсюда")
    with pytest.raises(DomainError):
        move.messages_to_topic(public_channel, actor=moderator, message_ids=[elsewhere.id],
                               title="Чужое сообщение", category=category)


def test_a_member_cannot_move_messages(public_channel, conversation, member, category):
    with pytest.raises(DomainError) as refused:
        move.messages_to_topic(public_channel, actor=member, message_ids=[conversation[0].id],
                               title="Самовольно", category=category)
    assert refused.value.status_code == 403


def test_the_host_may_not_open_topics_where_they_cannot(live_seminar, member, other_member):
    message, _ = messages.send_message(live_seminar, author=other_member, raw="Вопрос ведущему")
    staff_only = make_staff_only_category("Только для персонала")
    with pytest.raises(DomainError) as refused:
        move.messages_to_topic(live_seminar, actor=member, message_ids=[message.id],
                               title="Итоги семинара", category=staff_only)
    assert refused.value.status_code == 403


def test_the_host_moves_their_seminar_into_a_topic(live_seminar, member, other_member, category):
    message, _ = messages.send_message(live_seminar, author=other_member, raw="Вопрос ведущему")
    topic = move.messages_to_topic(live_seminar, actor=member, message_ids=[message.id],
                                   title="Итоги семинара", category=category)
    assert posts_of(topic)[0].user_id == other_member.id


def test_an_invisible_destination_answers_404(category_channel, subject_moderator, moderator):
    message, _ = messages.send_message(category_channel, author=subject_moderator, raw="Итог")
    staff_room = make_category("Персонал", permissions={"staff": PERMISSION_FULL})
    hidden = make_topic(category=staff_room, author=moderator)
    with pytest.raises(NotFound):
        move.messages_to_topic(category_channel, actor=subject_moderator,
                               message_ids=[message.id], destination=hidden)


def test_a_read_only_destination_is_refused(category_channel, subject_moderator, moderator):
    message, _ = messages.send_message(category_channel, author=subject_moderator, raw="Итог")
    announcements = make_staff_only_category("Объявления")
    target = make_topic(category=announcements, author=moderator)
    with pytest.raises(DomainError) as refused:
        move.messages_to_topic(category_channel, actor=subject_moderator,
                               message_ids=[message.id], destination=target)
    assert refused.value.status_code == 403


def test_topic_references(topic):
    assert move.topic_from_reference(str(topic.id)).id == topic.id
    assert move.topic_from_reference(f"/t/{topic.slug}/{topic.id}").id == topic.id
    assert move.topic_from_reference("не тема") is None
    assert move.topic_from_reference("9" * 40) is None
