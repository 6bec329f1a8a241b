"""Chat moderation services: close/reopen, slow mode, silences, and the staff log."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum.chat import messages, moderation
from forum.errors import DomainError
from forum.models import utcnow
from forum.moderation import audit
from forum.notifications.services import KIND_CHAT_SILENCED
from forum.realtime import EVENT_CHAT_CHANNEL_UPDATED, room_for_channel
from tests.chat.helpers import logged, notifications_of, queued_events
from tests.factories import make_user


def test_closing_a_channel_logs_it_and_broadcasts_the_channel(public_channel, moderator):
    moderation.close_channel(public_channel, actor=moderator)
    assert public_channel.is_closed
    [entry] = logged(audit.CHAT_CLOSE)
    assert entry.target_type == "channel" and entry.target_id == public_channel.id
    [(_, data, room)] = queued_events(EVENT_CHAT_CHANNEL_UPDATED)
    assert data["is_closed"] is True and room == room_for_channel(public_channel.id)


def test_closing_a_closed_channel_again_changes_and_logs_nothing(closed_channel, moderator):
    moderation.close_channel(closed_channel, actor=moderator)
    assert logged(audit.CHAT_CLOSE) == []


def test_reopening_lets_members_write_again(closed_channel, moderator, member):
    moderation.reopen_channel(closed_channel, actor=moderator)
    message, created = messages.send_message(closed_channel, author=member, raw="Снова можно")
    assert created and logged(audit.CHAT_REOPEN)


def test_a_member_cannot_close_a_channel(public_channel, member):
    with pytest.raises(DomainError) as refused:
        moderation.close_channel(public_channel, actor=member)
    assert refused.value.status_code == 403 and not public_channel.is_closed


def test_the_seminar_host_closes_their_room(live_seminar, member):
    moderation.close_channel(live_seminar, actor=member)
    assert live_seminar.is_closed


def test_a_subject_moderator_closes_their_category_channel(category_channel, subject_moderator):
    moderation.close_channel(category_channel, actor=subject_moderator)
    assert category_channel.is_closed
    assert logged(audit.CHAT_CLOSE)[0].category_id == category_channel.category_id


def test_another_category_moderator_cannot_close_it(category_channel, other_subject_moderator):
    with pytest.raises(DomainError) as refused:
        moderation.close_channel(category_channel, actor=other_subject_moderator)
    assert refused.value.status_code == 403


def test_a_private_channel_is_invisible_to_a_student_moderating_nothing(
        private_category_channel, student):
    with pytest.raises(DomainError) as refused:
        moderation.close_channel(private_category_channel, actor=student)
    assert refused.value.status_code == 404


def test_slow_mode_is_logged_with_before_and_after_and_broadcast(public_channel, moderator):
    moderation.set_slow_mode(public_channel, actor=moderator, seconds=30)
    [entry] = logged(audit.CHAT_SLOW_MODE)
    assert entry.before == {"seconds": 0} and entry.after == {"seconds": 30}
    assert queued_events(EVENT_CHAT_CHANNEL_UPDATED)[0][1]["slow_mode_seconds"] == 30


@pytest.mark.parametrize("seconds", [-1, 86401, "30", None, True])
def test_slow_mode_refuses_nonsense(public_channel, moderator, seconds):
    with pytest.raises(DomainError) as refused:
        moderation.set_slow_mode(public_channel, actor=moderator, seconds=seconds)
    assert refused.value.field == "seconds"


def test_a_silenced_member_cannot_send_until_the_silence_ends(public_channel, moderator, member):
    moderation.silence_member(public_channel, actor=moderator, target=member, minutes=60,
                              reason="Флуд")
    with pytest.raises(DomainError) as refused:
        messages.send_message(public_channel, author=member, raw="Можно?")
    assert refused.value.status_code == 403


def test_a_silence_is_told_to_the_member_and_logged_with_the_reason(public_channel, moderator,
                                                                    member):
    membership = moderation.silence_member(public_channel, actor=moderator, target=member,
                                           minutes=10, reason="Флуд")
    assert membership.silenced_until > utcnow() + timedelta(minutes=9)
    [note] = notifications_of(member, KIND_CHAT_SILENCED)
    assert note.data["channel_id"] == public_channel.id and note.data["reason"] == "Флуд"
    [entry] = logged(audit.CHAT_SILENCE)
    assert entry.target_id == member.id and entry.reason == "Флуд"
    assert entry.after["channel_id"] == public_channel.id


def test_a_silence_applies_only_in_its_channel(public_channel, category_channel, moderator,
                                               member):
    moderation.silence_member(public_channel, actor=moderator, target=member, minutes=10,
                              reason="Флуд")
    _message, created = messages.send_message(category_channel, author=member, raw="Здесь можно")
    assert created


@pytest.mark.parametrize("minutes", [0, -5, "x", None, 10**9])
def test_a_silence_needs_a_sensible_duration(public_channel, moderator, member, minutes):
    with pytest.raises(DomainError) as refused:
        moderation.silence_member(public_channel, actor=moderator, target=member,
                                  minutes=minutes, reason="Флуд")
    assert refused.value.field == "minutes"


def test_a_silence_needs_a_reason(public_channel, moderator, member):
    with pytest.raises(DomainError) as refused:
        moderation.silence_member(public_channel, actor=moderator, target=member, minutes=10,
                                  reason="  ")
    assert refused.value.field == "reason"


def test_a_moderator_of_the_channel_cannot_be_silenced_there(live_seminar, moderator, member):
    with pytest.raises(DomainError) as refused:
        moderation.silence_member(live_seminar, actor=moderator, target=member, minutes=10,
                                  reason="Ведущий")
    assert refused.value.status_code == 403


def test_the_host_silences_a_participant_of_their_seminar(live_seminar, member, other_member):
    moderation.silence_member(live_seminar, actor=member, target=other_member, minutes=10,
                              reason="Не по теме")
    assert moderation.silenced_members(live_seminar)[0].user_id == other_member.id


def test_silencing_an_outsider_never_opens_a_private_channel(moderator, private_category_channel,
                                                            student):
    with pytest.raises(DomainError):
        moderation.silence_member(private_category_channel, actor=moderator, target=student,
                                  minutes=10, reason="Нет")
    assert all(m.user_id != student.id for m in private_category_channel.memberships)


def test_lifting_a_silence_lets_the_member_write(public_channel, moderator, member):
    moderation.silence_member(public_channel, actor=moderator, target=member, minutes=10,
                              reason="Флуд")
    assert moderation.unsilence_member(public_channel, actor=moderator, target=member)
    assert messages.send_message(public_channel, author=member, raw="Спасибо")[1]
    assert logged(audit.CHAT_UNSILENCE)


def test_lifting_a_silence_nobody_has_is_a_no_op(public_channel, moderator, member):
    assert moderation.unsilence_member(public_channel, actor=moderator, target=member) is False


def test_a_moderator_deleting_someones_message_is_logged(public_channel, moderator, member):
    message, _ = messages.send_message(public_channel, author=member, raw="Лишнее")
    messages.delete_message(message, actor=moderator)
    messages.restore_message(message, actor=moderator)
    assert [e.target_id for e in logged(audit.CHAT_MESSAGE_DELETE)] == [message.id]
    assert [e.target_id for e in logged(audit.CHAT_MESSAGE_RESTORE)] == [message.id]


def test_an_author_deleting_their_own_message_is_not_moderation(public_channel, member):
    message, _ = messages.send_message(public_channel, author=member, raw="Опечатка")
    messages.delete_message(message, actor=member)
    assert logged(audit.CHAT_MESSAGE_DELETE) == []


def test_a_new_member_deleted_account_is_not_found(public_channel, moderator, db):
    gone = make_user()
    gone.deleted_at = utcnow()
    with pytest.raises(DomainError) as refused:
        moderation.silence_member(public_channel, actor=moderator, target=gone, minutes=10,
                                  reason="Флуд")
    assert refused.value.field == "username"
