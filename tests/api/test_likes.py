"""Discourse-compatible likes: POST /post_actions (type 2), DELETE /post_actions/<post_id>,
GET /post_action_users — shapes, refusals as JSON, nothing changed on refusal."""

import pytest

from forum.extensions import db
from forum.models import PostAction
from tests import factories


@pytest.fixture
def post(topic, other_member):
    post = factories.make_post(topic, author=other_member, raw="Полезный ответ коллегам.")
    db.session.commit()
    return post


def _like(client, headers, post):
    return client.post("/post_actions", headers=headers,
                       json={"id": post.id, "post_action_type_id": 2})


def test_liking_answers_the_post_with_its_like_summary(client, as_member, post):
    response = _like(client, as_member, post)
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["id"] == post.id and data["like_count"] == 1
    assert data["post_action"]["post_action_type_id"] == 2
    assert data["actions_summary"][0]["acted"] is True


def test_liking_twice_is_refused_as_json(client, as_member, post):
    _like(client, as_member, post)
    response = _like(client, as_member, post)
    assert response.status_code == 409
    assert response.get_json()["errors"] == ["You have already liked this post."]
    assert db.session.query(PostAction).count() == 1


def test_liking_ones_own_post_is_refused(client, api_headers, post, other_member):
    response = _like(client, api_headers(other_member), post)
    assert response.status_code == 403
    assert response.get_json()["errors"] == ["You cannot like your own post."]


def test_a_like_on_a_post_one_cannot_see_is_not_found(client, api_headers, member):
    topic = factories.make_topic(category=factories.make_private_category(), author=member)
    post = factories.make_post(topic, author=member)
    db.session.commit()
    response = _like(client, api_headers(factories.make_user(role="parent")), post)
    assert response.status_code == 404


def test_deleting_the_post_action_takes_the_like_back(client, as_member, post):
    _like(client, as_member, post)
    response = client.delete(f"/post_actions/{post.id}", headers=as_member,
                             query_string={"post_action_type_id": 2})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["like_count"] == 0
    assert db.session.query(PostAction).count() == 0


def test_deleting_a_like_that_is_not_there_is_refused(client, as_member, post):
    response = client.delete(f"/post_actions/{post.id}", headers=as_member)
    assert response.status_code == 409
    assert response.get_json()["errors"] == ["You have not liked this post."]


def test_flags_cannot_be_taken_back_through_delete(client, as_member, post):
    response = client.delete(f"/post_actions/{post.id}", headers=as_member,
                             query_string={"post_action_type_id": 8})
    assert response.status_code == 422


def test_post_action_users_lists_who_liked(client, as_member, api_headers, post, admin):
    _like(client, as_member, post)
    _like(client, api_headers(admin), post)
    response = client.get("/post_action_users", query_string={"id": post.id,
                                                               "post_action_type_id": 2})
    assert response.status_code == 200
    data = response.get_json()
    assert [u["username"] for u in data["post_action_users"]] == ["anna", "coordinator"]
    assert data["total_rows_post_action_users"] == 2


def test_post_action_users_never_lists_flaggers(client, post):
    response = client.get("/post_action_users", query_string={"id": post.id,
                                                               "post_action_type_id": 8})
    assert response.status_code == 422


def test_guests_cannot_like(client, post):
    response = client.post("/post_actions", json={"id": post.id, "post_action_type_id": 2})
    assert response.status_code in (403, 400)
    assert db.session.query(PostAction).count() == 0
