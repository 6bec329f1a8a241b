"""The 'chat' kind: chat messages, readable with their channel and only while not deleted."""

from __future__ import annotations

from collections.abc import Iterator

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from forum import permissions
from forum.chat.links import message_url
from forum.extensions import db
from forum.models import ChatChannel, ChatMessage, SearchDocument
from forum.search.index import plain_text, remove_document, upsert_document, upsert_documents
from forum.search.kinds import CATEGORY, Hit, SearchContext, SearchKind

KIND = "chat"


def message_document(message: ChatMessage) -> dict:
    return {"ref_id": message.id, "body": plain_text(message.cooked),
            "user_id": message.user_id, "created_at": message.created_at}


def index_message(message: ChatMessage) -> None:
    document = message_document(message)
    upsert_document(KIND, document.pop("ref_id"), **document)


def unindex_message(message: ChatMessage) -> None:
    remove_document(KIND, message.id)


def message_filter(ctx: SearchContext):
    """Live messages of channels the viewer may see (private channels and direct messages
    only for their members); category: keeps the channels of those categories."""
    conditions = [ChatMessage.id == SearchDocument.ref_id, ChatMessage.deleted_at.is_(None),
                  permissions.visible_channels(ctx.viewer)]
    if ctx.category_ids is not None:
        conditions.append(ChatChannel.category_id.in_(ctx.category_ids))
    return exists(select(ChatMessage.id).join(ChatChannel, ChatChannel.id == ChatMessage.channel_id)
                  .where(*conditions))


def load_messages(ref_ids: list[int], viewer) -> dict[int, Hit]:
    messages = db.session.scalars(select(ChatMessage).where(ChatMessage.id.in_(ref_ids))
                                  .options(selectinload(ChatMessage.channel),
                                           selectinload(ChatMessage.user)))
    hits = {}
    for message in messages:
        channel = message.channel
        hits[message.id] = Hit(
            kind=KIND, ref_id=message.id, title=channel.name,
            link=lambda message=message: message_url(message),
            context=channel.name, username=message.user.username if message.user else None,
            created_at=message.created_at,
            data={"channel_id": channel.id, "user_id": message.user_id})
    return hits


def reindex_messages(batch_size: int) -> Iterator[int]:
    last_id = 0
    while True:
        messages = list(db.session.scalars(
            select(ChatMessage).where(ChatMessage.id > last_id, ChatMessage.deleted_at.is_(None))
            .order_by(ChatMessage.id)
            .limit(batch_size)))
        if not messages:
            return
        upsert_documents(KIND, [message_document(m) for m in messages])
        last_id = messages[-1].id
        yield len(messages)


def count_messages() -> int:
    return db.session.scalar(select(func.count(ChatMessage.id))
                             .where(ChatMessage.deleted_at.is_(None))) or 0


CHAT_KIND = SearchKind(name=KIND, label=_l("Chat message"), filter=message_filter,
                       load=load_messages, supports=frozenset({CATEGORY}), reindex=reindex_messages,
                       count=count_messages)
