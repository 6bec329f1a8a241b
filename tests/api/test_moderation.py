"""Discourse-compatible moderation routes: topic status, delete/recover, moving posts."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.models import Post, StaffAction, Topic
from forum.topics import services
from tests import factories

# Who may moderate the `topic` fixture (its category's moderator and staff).
ROLES = {"admin": True, "subject_moderator": True, "other_subject_moderator": False,
         "member": False, "silenced_member": False, "suspended_member": False, "guest": False}


@pytest.fixture
def headers_for(request, api_headers):
    def _headers(role: str) -> dict:
        if role == "guest":
            return {"Accept": "application/json"}
        return api_headers(request.getfixturevalue(role))
    return _headers


def fresh_topic(topic_id: int) -> Topic:
    db.session.expire_all()
    return db.session.get(Topic, topic_id)


STATUS_CASES = [
    ("closed", lambda t: t.is_closed),
    ("pinned", lambda t: t.is_pinned),
    ("archived", lambda t: t.is_archived),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("status", "check"), STATUS_CASES)
def test_topic_status_follows_the_permission_matrix(client, headers_for, topic, role, status,
                                                    check, subject_moderator,
                                                    other_subject_moderator):
    response = client.put(f"/t/{topic.id}/status", headers=headers_for(role),
                          data={"status": status, "enabled": "true"})
    if ROLES[role]:
        assert response.status_code == 200
        assert response.get_json() == {"success": "OK", "topic_status_update": None}
    else:
        assert response.status_code == 403
        assert response.get_json()["errors"]
    assert check(fresh_topic(topic.id)) == ROLES[role]
    assert db.session.query(StaffAction).count() == (1 if ROLES[role] else 0)


def test_status_can_be_switched_off_and_twice_is_harmless(client, api_headers, topic,
                                                          subject_moderator):
    headers = api_headers(subject_moderator)
    for enabled in (False, False, True, True):
        assert client.put(f"/t/{topic.id}/status", headers=headers, json={
            "status": "visible", "enabled": enabled}).status_code == 200
    assert fresh_topic(topic.id).is_visible
    assert [e.action for e in db.session.query(StaffAction).order_by(StaffAction.id)] == [
        "topic.unlist", "topic.list"]


def test_listing_a_listed_topic_logs_nothing(client, api_headers, topic, subject_moderator):
    client.put(f"/t/{topic.id}/status", headers=api_headers(subject_moderator),
               data={"status": "visible", "enabled": "true"})
    assert db.session.query(StaffAction).count() == 0


def test_a_pin_until_a_date_is_stored(client, api_headers, topic, subject_moderator):
    response = client.put(f"/t/{topic.id}/status", headers=api_headers(subject_moderator),
                          data={"status": "pinned", "enabled": "true", "until": "2099-05-01"})
    assert response.status_code == 200
    assert fresh_topic(topic.id).pinned_until.date().isoformat() == "2099-05-01"


def test_a_global_pin_through_the_api_needs_staff(client, api_headers, topic,
                                                  subject_moderator, moderator):
    data = {"status": "pinned_globally", "enabled": "true"}
    assert client.put(f"/t/{topic.id}/status", headers=api_headers(subject_moderator),
                      data=data).status_code == 403
    assert client.put(f"/t/{topic.id}/status", headers=api_headers(moderator),
                      data=data).status_code == 200
    assert fresh_topic(topic.id).is_pinned_globally


@pytest.mark.parametrize("data", [
    {"status": "frozen", "enabled": "true"}, {"status": "closed", "enabled": "maybe"},
    {"status": "closed"}, {"status": "pinned", "enabled": "true", "until": "tomorrow"},
    {"status": "pinned", "enabled": "true", "until": "2001-01-01"},
])
def test_bad_status_parameters_are_a_clear_422(client, api_headers, topic, subject_moderator,
                                               data):
    response = client.put(f"/t/{topic.id}/status", headers=api_headers(subject_moderator),
                          data=data)
    assert response.status_code == 422
    assert response.get_json()["errors"]
    assert db.session.query(StaffAction).count() == 0


def test_an_invisible_topic_is_not_found(client, api_headers, subject_moderator):
    staff_room = factories.make_category("Кабинет", permissions={"staff": 1})
    hidden = factories.make_topic(category=staff_room, author=factories.make_user(role="admin"))
    db.session.commit()
    response = client.put(f"/t/{hidden.id}/status", headers=api_headers(subject_moderator),
                          data={"status": "closed", "enabled": "true"})
    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_deleting_and_recovering_a_post_follow_the_matrix(client, headers_for, topic, role,
                                                          other_member, subject_moderator,
                                                          other_subject_moderator):
    reply = factories.make_post(topic, author=other_member)
    db.session.commit()
    headers = headers_for(role)
    response = client.delete(f"/posts/{reply.id}", headers=headers)
    assert response.status_code == (200 if ROLES[role] else 403)
    db.session.expire_all()
    assert (db.session.get(Post, reply.id).deleted_at is not None) == ROLES[role]
    if ROLES[role]:
        assert fresh_topic(topic.id).posts_count == 1
        response = client.put(f"/posts/{reply.id}/recover", headers=headers)
        assert response.status_code == 200 and response.get_json()["id"] == reply.id
        assert fresh_topic(topic.id).posts_count == 2
        assert db.session.query(StaffAction).count() == 2


@pytest.mark.parametrize("role", ROLES)
def test_deleting_and_recovering_a_topic_follow_the_matrix(client, headers_for, category, role,
                                                           other_member, subject_moderator,
                                                           other_subject_moderator):
    topic = factories.make_topic(category=category, author=other_member, replies=1)
    db.session.commit()
    headers = headers_for(role)
    response = client.delete(f"/t/{topic.id}", headers=headers)
    assert response.status_code == (200 if ROLES[role] else 403)
    assert (fresh_topic(topic.id).deleted_at is not None) == ROLES[role]
    if ROLES[role]:
        assert client.delete(f"/t/{topic.id}", headers=headers).status_code == 200
        assert client.put(f"/t/{topic.id}/recover", headers=headers).status_code == 200
        assert fresh_topic(topic.id).deleted_at is None
        assert db.session.query(StaffAction).count() == 2


@pytest.mark.parametrize("role", ROLES)
def test_moving_posts_follows_the_matrix(client, headers_for, topic, category, role,
                                         other_member, subject_moderator,
                                         other_subject_moderator):
    reply = factories.make_post(topic, author=other_member)
    db.session.commit()
    response = client.post(f"/t/{topic.id}/move-posts", headers=headers_for(role), data={
        "post_ids[]": [str(reply.id)], "title": "Вынесенный ответ о дробях",
        "category_id": str(category.id)})
    db.session.expire_all()
    moved = db.session.get(Post, reply.id)
    if ROLES[role]:
        assert response.status_code == 200
        assert response.get_json() == {"success": "OK", "url": moved.topic.url}
    else:
        assert response.status_code == 403 and response.get_json()["errors"]
        assert moved.topic_id == topic.id


def test_moving_posts_into_an_existing_topic_by_json(client, api_headers, topic, category,
                                                     other_member, subject_moderator):
    reply = factories.make_post(topic, author=other_member)
    target = factories.make_topic(category=category, author=other_member)
    db.session.commit()
    response = client.post(f"/t/{topic.id}/move-posts.json", headers=api_headers(
        subject_moderator), json={"post_ids": [reply.id], "destination_topic_id": target.id})
    assert response.status_code == 200
    assert response.get_json()["url"] == target.url
    assert services.post_by_number(fresh_topic(target.id), 2).id == reply.id


@pytest.mark.parametrize("data", [
    {"post_ids[]": ["abc"], "destination_topic_id": "1"},
    {"post_ids[]": [], "title": "Пустой перенос сообщений", "category_id": "1"},
    {"post_ids[]": ["2"]},
])
def test_bad_move_parameters_are_a_clear_422(client, api_headers, topic, subject_moderator,
                                             data):
    response = client.post(f"/t/{topic.id}/move-posts", headers=api_headers(subject_moderator),
                           data=data)
    assert response.status_code == 422
    assert response.get_json()["errors"]


def test_moving_to_a_missing_topic_is_not_found(client, api_headers, topic, subject_moderator,
                                                other_member):
    reply = factories.make_post(topic, author=other_member)
    db.session.commit()
    response = client.post(f"/t/{topic.id}/move-posts", headers=api_headers(subject_moderator),
                           data={"post_ids[]": [str(reply.id)],
                                 "destination_topic_id": "999999"})
    assert response.status_code == 404


def test_a_hidden_posts_text_is_withheld_from_readers_in_json(client, api_headers, topic,
                                                             other_member, subject_moderator):
    from forum.moderation import topic_actions

    reply = factories.make_post(topic, author=other_member, raw="Скрытый текст ответа")
    topic_actions.hide_post(reply, actor=subject_moderator)
    db.session.commit()
    data = client.get(f"/posts/{reply.id}.json").get_json()
    assert data["hidden"] is True and data["cooked"] == "" and "raw" not in data
    data = client.get(f"/posts/{reply.id}.json", headers=api_headers(other_member)).get_json()
    assert "Скрытый текст" in data["cooked"]
