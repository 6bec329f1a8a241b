"""Never a leak: results (and so counts and snippets) only from what the searcher may read,
for every kind of content."""

import pytest
from flask_login import AnonymousUserMixin

from forum.chat import channels
from forum.chat import messages as chat_messages
from forum.extensions import db
from forum.models import CHANNEL_CATEGORY, HIDDEN_BY_MODERATOR, HIDDEN_FLAGGED, utcnow
from forum.search import search
from forum.topics import services as topics
from tests import factories
from tests.moderation.helpers import setting
from tests.search.conftest import found

GUEST = AnonymousUserMixin()


def test_a_private_category_is_searched_only_by_its_readers(corpus, student, member,
                                                            moderator):
    secret = ("post", topics.post_by_number(corpus.secret, 1).id)
    assert secret not in found(student, "педсовета")
    assert secret not in found(GUEST, "педсовета")
    assert secret in found(member, "педсовета")  # teachers read it
    assert secret in found(moderator, "педсовета")


def test_a_private_category_slug_looks_exactly_like_an_unknown_one(corpus, student):
    private_slug = corpus.secret.category.slug
    hidden = search(student, f"дроби category:{private_slug}")
    missing = search(student, "дроби category:no-such-slug")
    assert [n.replace(private_slug, "X") for n in hidden.notes] == \
        [n.replace("no-such-slug", "X") for n in missing.notes]
    assert {h.ref_id for h in hidden.hits} == {h.ref_id for h in missing.hits}


@pytest.mark.parametrize("who", ["author", "other", "moderator"])
def test_a_deleted_reply_is_found_by_nobody(corpus, moderator, other_member, member, who):
    topics.delete_post(corpus.fractions_reply, actor=moderator)
    db.session.commit()
    user = {"author": other_member, "other": member, "moderator": moderator}[who]
    assert ("post", corpus.fractions_reply.id) not in found(user, "пицце")


def test_a_deleted_topic_takes_all_its_posts_out(corpus, moderator, member):
    topics.delete_topic(corpus.fractions, actor=moderator)
    db.session.commit()
    assert found(member, "пицце") == set()
    assert found(member, "объяснять") == set()


@pytest.mark.parametrize("reason", [HIDDEN_FLAGGED, HIDDEN_BY_MODERATOR])
def test_a_hidden_post_only_for_its_author_and_moderators(corpus, member, other_member,
                                                          moderator, student, reason):
    reply = corpus.fractions_reply
    reply.hidden_at, reply.hidden_reason = utcnow(), reason
    db.session.commit()
    assert ("post", reply.id) not in found(member, "пицце")
    assert ("post", reply.id) not in found(GUEST, "пицце")
    assert ("post", reply.id) in found(other_member, "пицце")  # its author
    assert ("post", reply.id) in found(moderator, "пицце")


def test_a_post_awaiting_approval_only_for_its_author_and_moderators(corpus, member, moderator):
    setting("approve_new_member_posts", 2)
    newcomer = factories.make_user("novichok")
    held = topics.reply(corpus.fractions, author=newcomer, raw="Мой вопрос про знаменатель.")
    db.session.commit()
    assert found(member, "знаменатель") == set()
    assert found(GUEST, "знаменатель") == set()
    assert found(newcomer, "знаменатель") == {("post", held.id)}
    assert found(moderator, "знаменатель") == {("post", held.id)}


def test_a_topic_awaiting_approval_is_hidden_from_others(db, category, member, moderator):
    setting("approve_new_member_posts", 1)
    newcomer = factories.make_user("novichok")
    topic = topics.create_topic(category, author=newcomer, title="Вопрос про знаменатели",
                                raw="Как сокращать знаменатель?")
    db.session.commit()
    first = ("post", topics.post_by_number(topic, 1).id)
    assert first not in found(member, "знаменатель")
    assert first in found(newcomer, "знаменатель")
    assert first in found(moderator, "знаменатель")


def test_a_private_channel_only_for_its_members(corpus, member, other_member, moderator):
    hit = ("chat", corpus.private_message.id)
    assert hit in found(member, "приватном")  # invited
    assert hit in found(moderator, "приватном")
    assert hit not in found(other_member, "приватном")
    assert hit not in found(GUEST, "приватном")


def test_a_direct_conversation_only_for_its_participants(corpus, member, other_member,
                                                         moderator, admin):
    hit = ("chat", corpus.direct_message.id)
    assert hit in found(member, "личные")
    assert hit in found(moderator, "личные")
    assert hit not in found(other_member, "личные")
    assert hit not in found(admin, "личные")  # not even staff read others' conversations
    assert hit not in found(GUEST, "личные")


def test_a_deleted_chat_message_is_found_by_nobody(corpus, moderator):
    chat_messages.delete_message(corpus.public_message, actor=moderator)
    db.session.commit()
    assert ("chat", corpus.public_message.id) not in found(moderator, "семинар")


def test_a_deleted_channel_takes_its_messages_out(corpus, member):
    corpus.public_channel.deleted_at = utcnow()
    db.session.commit()
    assert ("chat", corpus.public_message.id) not in found(member, "семинар")


def test_a_private_categorys_channel_follows_the_category(db, private_category, moderator,
                                                          member, student):
    channel = channels.create_channel(CHANNEL_CATEGORY, actor=moderator, name="Учителя",
                                      category=private_category)
    message, _ = chat_messages.send_message(channel, author=moderator, raw="Ведомость оценок.")
    db.session.commit()
    assert ("chat", message.id) in found(member, "ведомость")
    assert ("chat", message.id) not in found(student, "ведомость")
    assert ("chat", message.id) not in found(GUEST, "ведомость")


def test_moving_a_topic_into_a_private_category_hides_it_at_once(corpus, private_category,
                                                                 moderator, student):
    topics.change_topic_category(corpus.fractions, actor=moderator, category=private_category)
    db.session.commit()
    assert found(student, "пицце") == set()


def test_the_api_counts_only_what_the_guest_may_read(corpus, client):
    data = client.get("/search.json?q=дроби").get_json()
    texts = " ".join(p["blurb"] for p in data["posts"]) + " ".join(
        m["blurb"] for m in data["chat_messages"])
    assert "педсовета" not in texts and "приватном" not in texts and "Анны" not in texts
    assert len(data["grouped_search_result"]["post_ids"]) == 2
    assert [m["id"] for m in data["chat_messages"]] == [corpus.public_message.id]
