"""The chat rules of forum.permissions, walked as role × channel kind × action tables."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_login import AnonymousUserMixin

from forum import permissions
from forum.chat import channels, messages
from forum.extensions import db
from forum.models import (
    CHANNEL_CATEGORY,
    CHANNEL_DIRECT,
    CHANNEL_PRIVATE,
    CHANNEL_PUBLIC,
    CHANNEL_SEMINAR,
    ChatChannel,
    utcnow,
)
from tests.factories import make_user, silence

ROLES = ("guest", "student", "member", "subject_moderator", "moderator")


@pytest.fixture
def people(db, member, student, moderator, subject_moderator):
    return {"guest": AnonymousUserMixin(), "student": student, "member": member,
            "subject_moderator": subject_moderator, "moderator": moderator}


# Who sees a channel of each kind (the private category is teachers only).
VIEW = {
    "public": {"guest": True, "student": True, "member": True, "subject_moderator": True,
               "moderator": True},
    "category": {"guest": True, "student": True, "member": True, "subject_moderator": True,
                 "moderator": True},
    "private_category": {"guest": False, "student": False, "member": True,
                         "subject_moderator": True, "moderator": True},
    "private": {"guest": False, "student": False, "member": False, "subject_moderator": False,
                "moderator": True},
    "direct": {"guest": False, "student": False, "member": False, "subject_moderator": False,
               "moderator": False},
}
# Who may write there (students read the open rooms; a category channel needs reply rights).
SEND = {
    "public": {"guest": False, "student": False, "member": True, "subject_moderator": True,
               "moderator": True},
    # Students only read the default category (everyone reads, teachers write).
    "category": {"guest": False, "student": False, "member": True, "subject_moderator": True,
                 "moderator": True},
    "private_category": {"guest": False, "student": False, "member": True,
                         "subject_moderator": True, "moderator": True},
    "private": {"guest": False, "student": False, "member": False, "subject_moderator": False,
                "moderator": True},
    "direct": {"guest": False, "student": False, "member": False, "subject_moderator": False,
               "moderator": False},
}
# Who moderates it: the category's subject moderator moderates its channel only.
MODERATE = {
    "public": {"subject_moderator": False, "moderator": True, "member": False},
    "category": {"subject_moderator": True, "moderator": True, "member": False},
    "private_category": {"subject_moderator": False, "moderator": True, "member": False},
    "direct": {"subject_moderator": False, "moderator": False, "member": False},
}


@pytest.fixture
def channel_of_kind(db, moderator, category, private_category):
    def _make(kind: str) -> ChatChannel:
        if kind == "public":
            return channels.create_channel(CHANNEL_PUBLIC, actor=moderator, name="Общий чат")
        if kind == "category":
            return channels.create_channel(CHANNEL_CATEGORY, actor=moderator, name="Предмет",
                                           category=category)
        if kind == "private_category":
            return channels.create_channel(CHANNEL_CATEGORY, actor=moderator, name="Учителя",
                                           category=private_category)
        if kind == "private":
            return channels.create_channel(CHANNEL_PRIVATE, actor=moderator, name="Совет")
        first, second = make_user(), make_user()
        return channels.open_direct_conversation(actor=first, others=[second])

    return _make


@pytest.mark.parametrize("kind", list(VIEW))
@pytest.mark.parametrize("role", ROLES)
def test_who_sees_a_channel(people, channel_of_kind, kind, role):
    channel = channel_of_kind(kind)
    assert permissions.can_view_channel(people[role], channel) is VIEW[kind][role]
    listed = db.session.scalars(db.select(ChatChannel.id).where(
        permissions.visible_channels(people[role]))).all()
    assert (channel.id in listed) is VIEW[kind][role]


@pytest.mark.parametrize("kind", list(SEND))
@pytest.mark.parametrize("role", ROLES)
def test_who_may_send_to_a_channel(people, channel_of_kind, kind, role):
    channel = channel_of_kind(kind)
    assert permissions.can_send_message(people[role], channel) is SEND[kind][role]


@pytest.mark.parametrize("kind", list(MODERATE))
@pytest.mark.parametrize("role", ["member", "subject_moderator", "moderator"])
def test_who_moderates_a_channel(people, channel_of_kind, kind, role):
    channel = channel_of_kind(kind)
    assert permissions.can_moderate_channel(people[role], channel) is MODERATE[kind][role]


def test_participants_of_a_direct_conversation_see_and_write_in_it(db):
    first, second, outsider = make_user(), make_user(), make_user()
    channel = channels.open_direct_conversation(actor=first, others=[second])
    assert permissions.can_send_message(second, channel)
    assert not permissions.can_view_channel(outsider, channel)
    assert channels.open_direct_conversation(actor=second, others=[first]).id == channel.id


@pytest.mark.parametrize("phase,starts,ends,host_may,member_may", [
    ("before", 1, 2, True, False),
    ("live", -1, 1, True, True),
    ("after", -2, -1, False, False),
])
def test_a_seminar_room_is_read_only_before_its_start_and_an_archive_after_its_end(
        db, moderator, member, phase, starts, ends, host_may, member_may):
    host = make_user()
    now = utcnow()
    room = channels.create_channel(CHANNEL_SEMINAR, actor=moderator, name="Мастер-класс",
                                   host=host, starts_at=now + timedelta(hours=starts),
                                   ends_at=now + timedelta(hours=ends))
    assert permissions.seminar_phase(room) == phase
    assert permissions.can_send_message(host, room) is host_may
    assert permissions.can_send_message(member, room) is member_may
    assert permissions.can_moderate_channel(host, room)
    assert not permissions.can_moderate_channel(member, room)


def test_a_member_silenced_in_one_channel_still_writes_in_another(db, moderator, member):
    first = channels.create_channel(CHANNEL_PUBLIC, actor=moderator, name="Первый")
    second = channels.create_channel(CHANNEL_PUBLIC, actor=moderator, name="Второй")
    membership = channels.join_channel(first, user=member)
    membership.silenced_until = utcnow() + timedelta(hours=1)
    assert not permissions.can_send_message(member, first)
    assert permissions.can_send_message(member, second)


def test_a_silenced_account_writes_nowhere(db, moderator, member):
    channel = channels.create_channel(CHANNEL_PUBLIC, actor=moderator, name="Общий")
    silence(member)
    assert not permissions.can_send_message(member, channel)


def test_the_author_edits_only_within_the_window_but_moderators_always(
        app, db, moderator, member):
    channel = channels.create_channel(CHANNEL_PUBLIC, actor=moderator, name="Общий")
    message, _ = messages.send_message(channel, author=member, raw="Текст")
    assert permissions.can_edit_message(member, message)
    message.created_at = utcnow() - timedelta(seconds=app.config["CHAT_EDIT_WINDOW_SECONDS"] + 1)
    assert not permissions.can_edit_message(member, message)
    assert permissions.can_edit_message(moderator, message)


def test_nobody_flags_their_own_message_and_guests_flag_nothing(db, moderator, member,
                                                                 other_member):
    channel = channels.create_channel(CHANNEL_PUBLIC, actor=moderator, name="Общий")
    message, _ = messages.send_message(channel, author=member, raw="Текст")
    assert not permissions.can_flag_message(member, message)
    assert permissions.can_flag_message(other_member, message)
    assert not permissions.can_flag_message(AnonymousUserMixin(), message)


@pytest.mark.parametrize("kind,role,allowed", [
    (CHANNEL_PUBLIC, "member", False), (CHANNEL_PUBLIC, "subject_moderator", True),
    (CHANNEL_PUBLIC, "moderator", True), (CHANNEL_DIRECT, "member", True),
    (CHANNEL_DIRECT, "guest", False), (CHANNEL_SEMINAR, "student", False),
])
def test_who_creates_channels(people, kind, role, allowed):
    assert permissions.can_create_channel(people[role], kind) is allowed


def test_a_deleted_channel_is_seen_by_nobody(db, moderator, admin):
    channel = channels.create_channel(CHANNEL_PUBLIC, actor=moderator, name="Старый")
    channel.deleted_at = utcnow()
    assert not permissions.can_view_channel(admin, channel)
