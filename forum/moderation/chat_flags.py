"""Flags on chat messages: a member flags someone's message; the flag joins the message's
pending review item (or opens one) in the same review queue as post flags.

The item's category is the channel's category, so a category channel's subject moderators
review its flags; flags from channels without a category reach the global moderators only.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum import permissions
from forum.errors import DomainError
from forum.extensions import db, dialect_insert
from forum.models import (
    FLAG_INAPPROPRIATE,
    FLAG_KINDS,
    FLAG_OFF_TOPIC,
    FLAG_OTHER,
    FLAG_SPAM,
    REVIEW_FLAGGED_CHAT_MESSAGE,
    REVIEW_PENDING,
    ChatChannel,
    ChatMessage,
    Flag,
    Reviewable,
    User,
    utcnow,
)
from forum.moderation.flags import MESSAGE_MAX_LENGTH

# What the chat flag form explains for each kind (the labels are the post flags' labels).
CHAT_FLAG_DESCRIPTIONS = {
    FLAG_OFF_TOPIC: _l("This message has nothing to do with the channel's subject."),
    FLAG_INAPPROPRIATE: _l("This message is rude, offensive or breaks the code of conduct."),
    FLAG_SPAM: _l("This message is an advertisement or vandalism."),
    FLAG_OTHER: _l("Something else needs a moderator's attention: say what in the message."),
}


def flag_chat_message(message: ChatMessage, *, flagger: User, kind, note="") -> Flag:
    """Flag the message once; the flag joins the message's pending review item."""
    if not permissions.can_view_message(flagger, message):
        raise DomainError(_("This message does not exist or is not available to you."),
                          status_code=404)
    if not permissions.can_flag_message(flagger, message):
        raise DomainError(_("You cannot flag this message."), status_code=403)
    note = _validate(kind, note)
    if has_flagged_message(flagger, message):
        raise DomainError(_("You have already flagged this message."), field="kind")
    # Lock the message (PostgreSQL) so two first flags cannot open two review items.
    db.session.execute(select(ChatMessage.id).where(ChatMessage.id == message.id)
                       .with_for_update())
    reviewable = pending_chat_item(message) or _open_item(message)
    flag_id = _insert_once(message, flagger, kind, note, reviewable)
    if flag_id is None:  # the member's other request won the race
        raise DomainError(_("You have already flagged this message."), field="kind")
    db.session.expire(reviewable, ["flags"])  # inserted below the ORM
    db.session.flush()
    return db.session.get(Flag, flag_id)


def has_flagged_message(user, message: ChatMessage) -> bool:
    """Whether the member already flagged the message."""
    return permissions.is_signed_in(user) and db.session.scalar(select(Flag.id).where(
        Flag.chat_message_id == message.id, Flag.user_id == user.id)) is not None


def pending_chat_item(message: ChatMessage) -> Reviewable | None:
    """The message's pending review item, if any (there is at most one)."""
    return db.session.scalar(select(Reviewable).where(
        Reviewable.chat_message_id == message.id,
        Reviewable.kind == REVIEW_FLAGGED_CHAT_MESSAGE,
        Reviewable.status == REVIEW_PENDING).order_by(Reviewable.id).limit(1))


def review_category_id(channel: ChatChannel) -> int | None:
    """The category whose moderators review the channel's flags (None: global moderators)."""
    return channel.category_id


def _validate(kind, note) -> str:
    if kind not in FLAG_KINDS:
        raise DomainError(_("Choose why you are flagging this message."), field="kind")
    note = note.strip() if isinstance(note, str) else ""
    if kind == FLAG_OTHER and not note:
        raise DomainError(_("Tell the moderators what is wrong with this message."),
                          field="message")
    if len(note) > MESSAGE_MAX_LENGTH:
        raise DomainError(_("The message is too long: %(n)d characters, at most %(high)d.",
                            n=len(note), high=MESSAGE_MAX_LENGTH), field="message")
    return note


def _open_item(message: ChatMessage) -> Reviewable:
    item = Reviewable(kind=REVIEW_FLAGGED_CHAT_MESSAGE, chat_message_id=message.id,
                      category_id=review_category_id(message.channel), created_at=utcnow())
    db.session.add(item)
    db.session.flush()
    return item


def _insert_once(message: ChatMessage, flagger: User, kind: str, note: str,
                 reviewable: Reviewable) -> int | None:
    """Insert the flag unless the member's flag exists (the unique (message, user) constraint
    decides a race without an error that would spoil the transaction)."""
    statement = (dialect_insert(Flag).values(
        chat_message_id=message.id, user_id=flagger.id, kind=kind, message=note,
        status=REVIEW_PENDING, reviewable_id=reviewable.id, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["chat_message_id", "user_id"])
        .returning(Flag.id))
    return db.session.execute(statement).scalar()
