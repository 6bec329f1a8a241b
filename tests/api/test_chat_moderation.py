"""The chat moderation JSON routes and chat items in /review.json: shapes, refusals as JSON
errors, nothing changed on refusal."""

from __future__ import annotations

import pytest

from forum.chat import channels, messages
from forum.extensions import db
from forum.models import CHANNEL_CATEGORY
from forum.moderation import chat_flags


@pytest.fixture
def category_channel(db, moderator, category):
    channel = channels.create_channel(CHANNEL_CATEGORY, actor=moderator, name="Математика — чат",
                                      category=category)
    db.session.commit()
    return channel


@pytest.fixture
def rude(category_channel, other_member):
    message, _ = messages.send_message(category_channel, author=other_member, raw="Грубость")
    db.session.commit()
    return message


def flag(message, user):
    return chat_flags.flag_chat_message(message, flagger=user, kind="spam")


def test_review_json_lists_chat_items(client, rude, member, subject_moderator, api_headers):
    flag(rude, member)
    db.session.commit()
    data = client.get("/review.json", headers=api_headers(subject_moderator)).get_json()
    [entry] = data["reviewables"]
    assert entry["type"] == "ReviewableChatMessage" and entry["chat_message_id"] == rude.id
    assert [a["id"] for a in entry["bundled_actions"]] == [
        "agree_and_delete_message", "disagree", "ignore"]


def test_review_json_performs_on_chat_items(client, rude, member, moderator, api_headers):
    item = flag(rude, member).reviewable
    db.session.commit()
    response = client.put(f"/review/{item.id}/perform/disagree", headers=api_headers(moderator))
    assert response.status_code == 200 and response.get_json()[
        "reviewable_perform_result"]["transition_to"] == "disagreed"


def test_a_moderator_closes_a_channel_through_the_api(client, category_channel, api_headers,
                                                      subject_moderator):
    response = client.put(f"/chat/api/channels/{category_channel.id}/status",
                          headers=api_headers(subject_moderator), json={"status": "closed"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["channel"]["is_closed"] is True


def test_a_member_gets_a_json_403_and_nothing_changes(client, category_channel, as_member):
    response = client.put(f"/chat/api/channels/{category_channel.id}/status",
                          headers=as_member, json={"status": "closed"})
    assert response.status_code == 403 and response.get_json()["errors"]
    db.session.refresh(category_channel)
    assert not category_channel.is_closed


def test_a_wrong_status_is_a_clear_422(client, category_channel, api_headers, moderator):
    response = client.put(f"/chat/api/channels/{category_channel.id}/status",
                          headers=api_headers(moderator), json={"status": "maybe"})
    assert response.status_code == 422
    assert "open, closed" in response.get_json()["errors"][0]


def test_a_guest_is_told_to_sign_in(client, category_channel):
    response = client.put(f"/chat/api/channels/{category_channel.id}/slow-mode",
                          json={"seconds": 5})
    assert response.status_code == 403
    assert response.get_json()["error_type"] == "not_logged_in"


def test_slow_mode_through_the_api(client, category_channel, api_headers, moderator):
    response = client.put(f"/chat/api/channels/{category_channel.id}/slow-mode",
                          headers=api_headers(moderator), json={"seconds": 30})
    assert response.get_json()["channel"]["slow_mode_seconds"] == 30


@pytest.mark.parametrize("seconds", ["soon", -3, 10**6])
def test_slow_mode_refuses_nonsense_as_json(client, category_channel, api_headers, moderator,
                                            seconds):
    response = client.put(f"/chat/api/channels/{category_channel.id}/slow-mode",
                          headers=api_headers(moderator), json={"seconds": seconds})
    assert response.status_code == 422 and response.get_json()["errors"]


def test_silencing_and_lifting_through_the_api(client, category_channel, api_headers, moderator,
                                               member):
    headers = api_headers(moderator)
    response = client.post(f"/chat/api/channels/{category_channel.id}/silences", headers=headers,
                           json={"username": member.username, "minutes": 60, "reason": "Флуд"})
    assert response.status_code == 200 and response.get_json()["silenced_until"]
    response = client.delete(f"/chat/api/channels/{category_channel.id}/silences/"
                             f"{member.username}", headers=headers)
    assert response.get_json()["lifted"] is True


def test_silencing_an_unknown_name_is_a_field_error(client, category_channel, api_headers,
                                                    moderator):
    response = client.post(f"/chat/api/channels/{category_channel.id}/silences",
                           headers=api_headers(moderator),
                           json={"username": "nobody", "minutes": 60, "reason": "Флуд"})
    assert response.status_code == 422


def test_flagging_a_message_through_the_api(client, rude, as_member):
    response = client.put(f"/chat/api/channels/{rude.channel_id}/messages/{rude.id}/flags",
                          headers=as_member, json={"flag_type_id": 4})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["flag"]["chat_message_id"] == rude.id


def test_a_message_of_another_channel_is_not_found(client, rude, as_member):
    response = client.put(f"/chat/api/channels/{rude.channel_id + 1}/messages/{rude.id}/flags",
                          headers=as_member, json={"flag_type_id": 4})
    assert response.status_code == 404


def test_a_like_is_no_flag(client, rude, as_member):
    response = client.put(f"/chat/api/channels/{rude.channel_id}/messages/{rude.id}/flags",
                          headers=as_member, json={"flag_type_id": 2})
    assert response.status_code == 422


def test_moving_messages_into_a_new_topic_through_the_api(client, rude, category, api_headers,
                                                          moderator):
    response = client.post(f"/chat/api/channels/{rude.channel_id}/messages/move",
                           headers=api_headers(moderator),
                           json={"message_ids": [rude.id], "title": "Разбор грубого сообщения",
                                 "category_id": category.id})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["topic"]["posts_count"] == 1


def test_moving_with_bad_times_is_a_clear_error(client, rude, category, api_headers, moderator):
    response = client.post(f"/chat/api/channels/{rude.channel_id}/messages/move",
                           headers=api_headers(moderator),
                           json={"from": "вчера", "to": "сегодня", "topic_id": 1})
    assert response.status_code == 422 and response.get_json()["errors"]
