"""Silence and suspend: who may, what they change, what they leave in the log."""

from datetime import timedelta

import pytest

from forum import permissions
from forum.errors import DomainError
from forum.extensions import db
from forum.models import StaffAction, utcnow
from forum.moderation import sanctions
from forum.notifications.services import unread_count


def test_a_silenced_member_cannot_reply_but_can_read(member, moderator, topic):
    sanctions.silence_user(member, actor=moderator, until=utcnow() + timedelta(days=1),
                           reason="Оскорбления")
    db.session.commit()
    assert member.is_silenced
    assert permissions.can_view_topic(member, topic)
    assert not permissions.can_reply(member, topic)
    assert unread_count(member) == 1


def test_silencing_is_logged_with_before_and_after(member, moderator):
    sanctions.silence_user(member, actor=moderator, until=utcnow() + timedelta(days=1),
                           reason="Оскорбления")
    db.session.commit()
    entry = db.session.query(StaffAction).one()
    assert (entry.action, entry.target_id, entry.reason) == ("user.silence", member.id,
                                                             "Оскорбления")
    assert entry.before == {"silenced_until": None}


def test_a_suspended_member_is_no_longer_active(member, admin):
    sanctions.suspend_user(member, actor=admin, until=utcnow() + timedelta(days=1),
                           reason="Спам")
    db.session.commit()
    assert not member.is_active
    sanctions.unsuspend_user(member, actor=admin)
    db.session.commit()
    assert member.is_active


def test_lifting_twice_is_harmless_and_logged_once(member, admin):
    sanctions.silence_user(member, actor=admin, until=utcnow() + timedelta(days=1), reason="x")
    sanctions.unsilence_user(member, actor=admin)
    sanctions.unsilence_user(member, actor=admin)
    db.session.commit()
    assert [e.action for e in db.session.query(StaffAction).order_by(StaffAction.id)] == [
        "user.silence", "user.unsilence"]


@pytest.mark.parametrize("reason,days", [("", 1), ("   ", 1), ("Причина", -1), ("Причина", 0)])
def test_a_reason_and_a_future_date_are_required(member, admin, reason, days):
    with pytest.raises(DomainError):
        sanctions.silence_user(member, actor=admin, until=utcnow() + timedelta(days=days),
                               reason=reason)


def test_members_cannot_sanction(member, other_member):
    with pytest.raises(DomainError) as error:
        sanctions.silence_user(other_member, actor=member, until=utcnow() + timedelta(days=1),
                               reason="x")
    assert error.value.status_code == 403


def test_moderators_cannot_suspend_staff(moderator, admin):
    assert not permissions.can_suspend_user(moderator, admin)
    assert permissions.can_suspend_user(admin, moderator)
