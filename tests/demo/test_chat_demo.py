"""The demo's chat: a visitor finds channels with history, a finished seminar's archive, an
upcoming seminar room and a conversation (read-only checks on the shared demo database)."""

from __future__ import annotations

from sqlalchemy import select

from forum import permissions
from forum.accounts.services import find_user
from forum.chat.queries import channel_list
from forum.extensions import db
from forum.models import ChatChannel, ChatMessage


def _channel(name: str) -> ChatChannel:
    return db.session.scalars(select(ChatChannel).where(ChatChannel.name == name)).one()


def test_the_demo_has_a_public_and_a_category_channel_with_history(shared_demo):
    public = _channel("Кафедра — общий чат")
    maths = _channel("Математика — чат")
    assert public.kind == "public" and public.messages_count >= 5
    assert maths.kind == "category" and maths.category.slug == "matematika"
    replies = db.session.scalars(select(ChatMessage).where(
        ChatMessage.channel_id == maths.id, ChatMessage.reply_to_id.is_not(None))).all()
    assert replies and all(r.reply_to.channel_id == maths.id for r in replies)


def test_the_finished_seminar_is_an_archive_and_the_next_one_has_not_started(shared_demo):
    finished = _channel("Семинар: смысловое чтение на уроках литературы")
    upcoming = _channel("Мастер-класс: задачи с параметром")
    assert permissions.seminar_phase(finished) == "after" and finished.messages_count >= 5
    assert finished.host.username == "lebedeva_lit"
    assert permissions.seminar_phase(upcoming) == "before" and upcoming.messages_count == 0


def test_a_follower_of_the_demo_channels_sees_unread_messages(shared_demo):
    with shared_demo.app.test_request_context():
        rows = channel_list(find_user("sokolova_ru"))
    unread = {channel.name: count for channel, _membership, count in rows}
    assert unread["Кафедра — общий чат"] > 0


def test_the_demo_conversation_is_private_to_its_two_participants(shared_demo):
    conversation = db.session.scalars(select(ChatChannel).where(
        ChatChannel.kind == "direct")).one()
    assert permissions.can_view_channel(find_user("krylov_math"), conversation)
    assert not permissions.can_view_channel(find_user("sokolova_ru"), conversation)
