"""A small search corpus: topics in an open and a private category, and chat messages in a
public channel, a private channel and a direct conversation."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from forum.chat import channels
from forum.chat.messages import send_message
from forum.extensions import db as _db
from forum.models import CHANNEL_PRIVATE, CHANNEL_PUBLIC, ChatChannel, ChatMessage, Post, Topic
from forum.moderation import topic_actions
from forum.search import search
from tests import factories


@dataclass
class Corpus:
    fractions: Topic            # «Как объяснять дроби» by anna, open, in Математика
    fractions_reply: Post       # boris's reply about pizza
    english: Topic              # «Fractions for beginners», closed
    geometry: Topic             # pinned
    secret: Topic               # in the private (teachers only) category
    public_channel: ChatChannel
    public_message: ChatMessage
    private_channel: ChatChannel
    private_message: ChatMessage
    direct_message: ChatMessage


@pytest.fixture
def corpus(db, category, private_category, member, other_member, moderator) -> Corpus:
    fractions = factories.make_topic(category=category, author=member, title="Как объяснять дроби",
                                     raw="Пятиклассники путают дроби и проценты.")
    reply = factories.make_post(fractions, author=other_member,
                                raw="Я показываю дроби на пицце, это работает.")
    english = factories.make_topic(category=category, author=other_member,
                                   title="Fractions for beginners",
                                   raw="Teaching fractions with pizza slices.", closed=True)
    geometry = factories.make_topic(category=category, author=member,
                                    title="Проверочная работа по геометрии",
                                    raw="Треугольники и углы для седьмого класса.")
    topic_actions.pin_topic(geometry, actor=moderator)
    secret = factories.make_topic(category=private_category, author=moderator,
                                  title="Секретные дроби учительской",
                                  raw="Дроби для педсовета, только для учителей.")
    public = channels.create_channel(CHANNEL_PUBLIC, actor=moderator, name="Общий чат")
    public_message, _ = send_message(public, author=moderator,
                                     raw="Кто придёт обсуждать дроби на семинар?")
    private = channels.create_channel(CHANNEL_PRIVATE, actor=moderator, name="Тайный совет")
    channels.invite_to_channel(private, actor=moderator, invitees=[member])
    private_message, _ = send_message(private, author=moderator,
                                      raw="Дроби в приватном канале.")
    direct = channels.open_direct_conversation(actor=moderator, others=[member])
    direct_message, _ = send_message(direct, author=moderator, raw="Личные дроби для Анны.")
    _db.session.commit()
    return Corpus(fractions, reply, english, geometry, secret, public, public_message, private,
                  private_message, direct_message)


def found(user, query: str, **kwargs) -> set[tuple[str, int]]:
    """(kind, ref_id) of every hit on the first page."""
    results = search(user, query, **kwargs)
    assert results.error is None, results.error
    return {(hit.kind, hit.ref_id) for hit in results.hits}


def post_hits(corpus_posts) -> set[tuple[str, int]]:
    return {("post", p.id) for p in corpus_posts}
