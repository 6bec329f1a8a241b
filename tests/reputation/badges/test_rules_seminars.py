"""Seminar badges: participant, regular, host. A member took part in a seminar when they
wrote in its room (a chat channel of kind "seminar")."""

from forum.extensions import db
from forum.models import ChatChannel, utcnow
from tests.reputation.badges.helpers import grants, holds, say, seminar


def test_seminar_participant_comes_with_a_first_message_in_a_seminar_room(member,
                                                                         other_member):
    room = seminar(other_member)
    assert not holds(member, "seminar-participant")
    say(room, member)
    assert holds(member, "seminar-participant")
    say(room, member, "Ещё вопрос")
    assert len(grants(member, "seminar-participant")) == 1


def test_messages_in_ordinary_chat_channels_earn_no_seminar_badge(member):
    channel = ChatChannel(kind="public", name="Болталка", slug="boltalka")
    db.session.add(channel)
    db.session.flush()
    say(channel, member)
    assert not holds(member, "seminar-participant")


def test_seminar_regular_comes_with_the_fifth_seminar_not_the_fourth(member, other_member):
    rooms = [seminar(other_member, name=f"Семинар {n}") for n in range(5)]
    for room in rooms[:4]:
        say(room, member)
        say(room, member)  # two messages in one seminar are one seminar
    assert not holds(member, "seminar-regular")
    say(rooms[4], member)
    assert holds(member, "seminar-regular")
    assert len(grants(member, "seminar-regular")) == 1


def test_seminar_host_comes_when_another_member_takes_part(member, other_member):
    room = seminar(other_member)
    say(room, other_member, "Начинаем")  # the host alone is not yet a seminar
    assert not holds(other_member, "seminar-host")
    say(room, member)
    assert [g.grant_key for g in grants(other_member, "seminar-host")] == [f"channel:{room.id}"]
    say(room, member)
    assert len(grants(other_member, "seminar-host")) == 1


def test_seminar_host_is_granted_once_per_seminar_hosted(member, other_member):
    for n in range(2):
        say(seminar(other_member, name=f"Семинар {n}"), member)
    assert len(grants(other_member, "seminar-host")) == 2


def test_deleted_messages_and_deleted_rooms_count_for_nothing(member, other_member):
    from forum.models import ChatMessage
    from forum.reputation.badges.engine import backfill

    room, closed_room = seminar(other_member), seminar(other_member, name="Удалённый")
    closed_room.deleted_at = utcnow()
    db.session.add_all([
        ChatMessage(channel_id=room.id, user_id=member.id, raw="x", cooked="x",
                    deleted_at=utcnow()),
        ChatMessage(channel_id=closed_room.id, user_id=member.id, raw="x", cooked="x")])
    db.session.flush()
    backfill()
    assert not holds(member, "seminar-participant")
    assert not holds(other_member, "seminar-host")
