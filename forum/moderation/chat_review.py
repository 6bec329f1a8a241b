"""Review decisions on flagged chat messages: agree (the message is deleted, the author may be
silenced), disagree, ignore. Checked, logged and told to the flaggers like post flags."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _

from forum import permissions
from forum.errors import DomainError
from forum.extensions import db
from forum.models import (
    REVIEW_AGREED,
    REVIEW_DISAGREED,
    REVIEW_IGNORED,
    ChatMessage,
    Reviewable,
    User,
    utcnow,
)
from forum.moderation import audit, review, sanctions
from forum.notifications.services import KIND_CHAT_MESSAGE_DELETED, KIND_FLAG_OUTCOME, notify
from forum.realtime import (
    CHAT_NAMESPACE,
    EVENT_CHAT_MESSAGE_UPDATED,
    emit_after_commit,
    room_for_channel,
)


def perform(item: Reviewable, action: str, *, actor: User, silence_days=0,
            silence_reason: str = "") -> None:
    """Apply agree_and_delete_message, disagree or ignore to a flagged chat message."""
    message = _begin(item, actor)
    if action not in review.ACTIONS_BY_KIND[item.kind]:
        raise DomainError(_("This action does not apply to this item."), status_code=422)
    if action == review.AGREE_AND_DELETE_MESSAGE:
        _agree(item, message, actor, review.silence_days(silence_days), silence_reason)
    elif action == review.DISAGREE:
        _close(item, message, actor, REVIEW_DISAGREED)
        audit.record(audit.FLAG_DISAGREE, actor=actor, target=message)
    else:
        _close(item, message, actor, REVIEW_IGNORED)
        audit.record(audit.FLAG_IGNORE, actor=actor, target=message)


def _agree(item: Reviewable, message: ChatMessage, actor: User, days: int, reason: str) -> None:
    author = message.user
    if days and (author is None or not permissions.can_silence_user(actor, author)):
        raise DomainError(_("You cannot silence this member."), status_code=403)
    was_deleted = message.deleted_at is not None
    if not was_deleted:
        # Not messages.delete_message: staff decide flags from direct conversations too,
        # which they do not moderate otherwise.
        message.deleted_at, message.deleted_by_id = utcnow(), actor.id
        _broadcast(message)
    if days:
        sanctions.silence_user(author, actor=actor, reason=reason,
                               until=utcnow() + timedelta(days=days))
    _close(item, message, actor, REVIEW_AGREED)
    audit.record(audit.FLAG_AGREE, actor=actor, target=message, reason=reason if days else "",
                 before={"deleted": was_deleted}, after={"deleted": True})
    if not was_deleted:
        notify(author, KIND_CHAT_MESSAGE_DELETED, data=_place(message))


def _begin(item: Reviewable, actor: User) -> ChatMessage:
    message = item.chat_message
    if message is None or not permissions.can_review_chat_message(actor, message):
        raise DomainError(_("You cannot review this message."), status_code=403)
    review.require_pending(item)
    return message


def _close(item: Reviewable, message: ChatMessage, actor: User, status: str) -> None:
    """Close the item and its flags, and tell every flagger what was decided."""
    review.close_item(item, actor, status)
    for flag in item.flags:
        notify(flag.user, KIND_FLAG_OUTCOME,
               data={"outcome": status, "kind": flag.kind, **_place(message)})


def _place(message: ChatMessage) -> dict:
    return {"channel_id": message.channel_id, "message_id": message.id}


def _broadcast(message: ChatMessage) -> None:
    from forum.chat.serializers import message_data

    db.session.flush()
    emit_after_commit(db.session, EVENT_CHAT_MESSAGE_UPDATED, message_data(message),
                      room=room_for_channel(message.channel_id), namespace=CHAT_NAMESPACE)
