"""Discourse-compatible flags and review queue: POST /post_actions, GET /review.json,
PUT /review/<id>/perform/<action> — shapes, refusals as JSON, nothing changed on refusal."""

import pytest

from forum.extensions import db
from forum.models import Flag, Reviewable, StaffAction
from forum.moderation import review
from tests import factories
from tests.moderation.helpers import flagged_item, reply_by, setting


@pytest.fixture
def post(topic, other_member):
    return reply_by(topic, other_member)


def test_flagging_answers_a_post_action_like_discourse(client, as_member, post):
    response = client.post("/post_actions", headers=as_member,
                           data={"id": post.id, "post_action_type_id": 8})
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["id"] == post.id
    assert data["actions_summary"][0] == {"id": 8, "count": 1, "acted": True, "can_undo": False}
    assert db.session.query(Flag).one().kind == "spam"


def test_something_else_by_api_needs_a_message(client, as_member, post):
    response = client.post("/post_actions", headers=as_member,
                           json={"id": post.id, "post_action_type_id": 7})
    assert response.status_code == 422
    assert "Tell the moderators" in response.get_json()["errors"][0]
    response = client.post("/post_actions", headers=as_member,
                           json={"id": post.id, "post_action_type_id": 7,
                                 "message": "Нарушение авторских прав"})
    assert response.status_code == 200
    assert db.session.query(Flag).one().message == "Нарушение авторских прав"


def test_a_like_through_post_actions_is_a_like_not_a_flag(client, as_member, post):
    response = client.post("/post_actions", headers=as_member,
                           data={"id": post.id, "post_action_type_id": 2})
    assert response.status_code == 200
    assert response.get_json()["actions_summary"][0] == {
        "id": 2, "count": 1, "acted": True, "can_undo": True, "can_act": False}
    assert db.session.query(Flag).count() == 0


def test_a_second_flag_by_api_is_refused_clearly(client, as_member, post):
    client.post("/post_actions", headers=as_member, data={"id": post.id, "post_action_type_id": 3})
    response = client.post("/post_actions", headers=as_member,
                           data={"id": post.id, "post_action_type_id": 4})
    assert response.status_code == 422
    assert "already flagged" in response.get_json()["errors"][0]
    assert db.session.query(Flag).count() == 1


def test_guests_and_silenced_members_cannot_flag_by_api(client, api_headers, post,
                                                        silenced_member):
    assert client.post("/post_actions", json={"id": post.id, "post_action_type_id": 3}
                       ).status_code == 403
    response = client.post("/post_actions", headers=api_headers(silenced_member),
                           data={"id": post.id, "post_action_type_id": 3})
    assert response.status_code == 403 and response.get_json()["errors"]
    assert db.session.query(Flag).count() == 0


def test_flagging_an_unknown_post_is_a_404(client, as_member):
    response = client.post("/post_actions", headers=as_member,
                           data={"id": 987654, "post_action_type_id": 3})
    assert response.status_code == 404


def test_the_review_list_has_discourses_shape_and_the_flags(client, api_headers, post,
                                                            subject_moderator):
    item = flagged_item(post, kind="off_topic")
    response = client.get("/review.json", headers=api_headers(subject_moderator))
    assert response.status_code == 200
    [reviewable] = response.get_json()["reviewables"]
    assert reviewable["id"] == item.id and reviewable["type"] == "ReviewableFlaggedPost"
    assert reviewable["post_id"] == post.id and reviewable["status"] == 0
    assert reviewable["reviewable_scores"][0]["reviewable_score_type"] == 3
    assert {a["id"] for a in reviewable["bundled_actions"]} == {
        "agree_and_hide", "agree_and_delete", "disagree", "ignore"}


def test_the_review_list_is_scoped_to_the_callers_categories(client, api_headers, post,
                                                             other_subject_moderator):
    flagged_item(post)
    response = client.get("/review.json", headers=api_headers(other_subject_moderator))
    assert response.get_json() == {"reviewables": [], "meta": {
        "pending_count": 0, "page": 1, "has_more": False}}


def test_members_have_no_review_list(client, as_member):
    assert client.get("/review.json", headers=as_member).status_code == 403


@pytest.mark.parametrize("actor,allowed", [
    ("admin", True), ("subject_moderator", True), ("other_subject_moderator", False),
    ("member", False), ("silenced_member", False)])
def test_performing_follows_the_permission_matrix(request, client, api_headers, post, actor,
                                                  allowed):
    item = flagged_item(post)
    headers = api_headers(request.getfixturevalue(actor))
    response = client.put(f"/review/{item.id}/perform/agree_and_hide", headers=headers)
    db.session.expire_all()
    if allowed:
        assert response.status_code == 200
        result = response.get_json()["reviewable_perform_result"]
        assert result["transition_to"] == "agreed" and result["remove_reviewable_ids"] == [
            item.id]
        assert post.is_hidden
    else:
        assert response.status_code == 403 and response.get_json()["errors"]
        assert item.status == "pending" and not post.is_hidden
        assert db.session.query(StaffAction).count() == 0


def test_guests_cannot_perform(client, post):
    item = flagged_item(post)
    assert client.put(f"/review/{item.id}/perform/ignore").status_code == 403


def test_a_stale_perform_is_a_409_with_a_message(client, api_headers, post, admin):
    item = flagged_item(post)
    review.perform(item, review.IGNORE, actor=admin)
    db.session.commit()
    response = client.put(f"/review/{item.id}/perform/disagree", headers=api_headers(admin))
    assert response.status_code == 409
    assert "already handled" in response.get_json()["errors"][0]


def test_an_unknown_action_is_refused(client, api_headers, post, admin):
    item = flagged_item(post)
    response = client.put(f"/review/{item.id}/perform/explode", headers=api_headers(admin))
    assert response.status_code == 422


def test_agree_with_silence_by_api(client, api_headers, post, admin, other_member):
    item = flagged_item(post)
    response = client.put(f"/review/{item.id}/perform/agree_and_delete",
                          headers=api_headers(admin),
                          json={"silence_days": 3, "reason": "Спам"})
    assert response.status_code == 200
    db.session.expire_all()
    assert post.deleted_at is not None and other_member.is_silenced


def test_approving_a_queued_post_by_api(client, api_headers, topic, admin):
    setting("approve_new_member_posts", 1)
    held = reply_by(topic, factories.make_user(), raw="Жду одобрения модератора.")
    item = db.session.query(Reviewable).filter_by(post_id=held.id).one()
    listed = client.get("/review.json", headers=api_headers(admin)).get_json()["reviewables"]
    assert listed[0]["type"] == "ReviewableQueuedPost"
    response = client.put(f"/review/{item.id}/perform/approve_post", headers=api_headers(admin))
    assert response.status_code == 200
    db.session.expire_all()
    assert not held.is_hidden
