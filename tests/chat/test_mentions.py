"""Mentions in chat notify readers of the channel; bare links to guest-visible topics show the
topic's title; the notifications page names the channel and links to the message."""

from __future__ import annotations

import pytest

from forum.chat import messages
from forum.extensions import db
from forum.notifications import queries
from forum.notifications.services import KIND_CHAT_MENTION
from tests.chat.helpers import notifications_of
from tests.factories import make_private_category, make_topic


def test_a_mention_notifies_the_member_with_the_channel_and_message(public_channel, member,
                                                                    other_member):
    message, _ = messages.send_message(public_channel, author=member, raw="@boris, посмотри")
    [note] = notifications_of(other_member, KIND_CHAT_MENTION)
    assert note.data == {"channel_id": public_channel.id, "message_id": message.id,
                         "by": "anna"}


def test_mentioning_oneself_or_nobody_notifies_nobody(public_channel, member):
    messages.send_message(public_channel, author=member, raw="@anna и @nobody")
    assert notifications_of(member, KIND_CHAT_MENTION) == []


def test_a_member_who_cannot_read_the_channel_is_not_told(private_category_channel, moderator,
                                                           student):
    messages.send_message(private_category_channel, author=moderator, raw="@pupil тут тайна")
    assert notifications_of(student, KIND_CHAT_MENTION) == []


def test_an_edit_notifies_only_the_newly_mentioned(public_channel, member, other_member,
                                                   moderator):
    message, _ = messages.send_message(public_channel, author=member, raw="@boris привет")
    messages.edit_message(message, editor=member, raw="@boris и @moder привет")
    assert len(notifications_of(other_member, KIND_CHAT_MENTION)) == 1
    assert len(notifications_of(moderator, KIND_CHAT_MENTION)) == 1


@pytest.fixture
def own_host(app):
    app.config["TRUSTED_HOSTS"] = ["kafedra.ru"]
    return "https://kafedra.ru"


def test_a_bare_link_to_a_public_topic_shows_its_title(public_channel, member, topic, own_host):
    message, _ = messages.send_message(public_channel, author=member,
                                       raw=f"Смотрите {own_host}{topic.url}")
    assert f">{topic.title}</a>" in message.cooked


def test_a_relative_link_in_markdown_keeps_the_authors_words(public_channel, member, topic):
    message, _ = messages.send_message(public_channel, author=member,
                                       raw=f"[моя тема]({topic.url})")
    assert ">моя тема</a>" in message.cooked and topic.title not in message.cooked


def test_a_private_topics_title_is_never_baked_in(public_channel, member, db, own_host):
    secret = make_topic(category=make_private_category("Совет"), title="Секретное совещание")
    message, _ = messages.send_message(public_channel, author=member,
                                       raw=f"{own_host}{secret.url}")
    assert "Секретное совещание" not in message.cooked


def test_a_title_is_escaped(public_channel, member, db, category, own_host):
    odd = make_topic(category=category, title="Скобки <b>жирно</b> & всё")
    message, _ = messages.send_message(public_channel, author=member,
                                       raw=f"{own_host}{odd.url}")
    assert "&lt;b&gt;жирно&lt;/b&gt; &amp; всё" in message.cooked


def test_a_link_to_another_site_is_left_alone(public_channel, member, topic, own_host):
    message, _ = messages.send_message(public_channel, author=member,
                                       raw=f"https://elsewhere.example{topic.url}")
    assert topic.title not in message.cooked


def test_the_notifications_page_names_the_channel_and_opens_the_message(
        client, login, public_channel, member, other_member):
    message, _ = messages.send_message(public_channel, author=member, raw="@boris привет")
    db.session.commit()
    login(other_member)
    page = client.get("/notifications", headers={"Accept-Language": "en"}).get_data(True)
    assert "anna mentioned you in the chat" in page and public_channel.name in page
    note = notifications_of(other_member, KIND_CHAT_MENTION)[0]
    response = client.post(f"/notifications/{note.id}/open")
    assert response.location.endswith(f"/{public_channel.id}#message-{message.id}")


def test_a_channel_the_reader_lost_stays_unnamed(category_channel, member, other_member,
                                                 category):
    messages.send_message(category_channel, author=member, raw="@boris привет")
    note = notifications_of(other_member, KIND_CHAT_MENTION)[0]
    category_channel.deleted_at = category_channel.created_at
    item = queries.item_for(other_member, note)
    assert item.channel is None and category_channel.name not in item.text


@pytest.mark.parametrize("data", [{"channel_id": "x"}, {"channel_id": 10**6}, {}])
def test_odd_chat_data_never_breaks_the_list(member, db, data):
    from forum.notifications.services import notify

    notify(member, KIND_CHAT_MENTION, data=data)
    assert queries.notification_page(member).items[0].text
