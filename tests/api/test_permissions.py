"""Private categories stay private in the API: out of every list and count, 404 when asked."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.models import Post
from forum.topics import services
from tests import factories


@pytest.fixture
def private_topic(db, private_category, member):
    topic = factories.make_topic(category=private_category, author=member,
                                 title="Разговор в учительской")
    db.session.commit()
    return topic


@pytest.fixture
def private_post_id(db, private_topic) -> int:
    return db.session.scalar(select(Post.id).where(Post.topic_id == private_topic.id))


@pytest.fixture
def viewers(api_headers, student, parent, member):
    """Who asks → headers; only the teacher may see the teachers' room."""
    return {"guest": {}, "student": api_headers(student), "parent": api_headers(parent),
            "teacher": api_headers(member)}


WHO_SEES = [("guest", False), ("student", False), ("parent", False), ("teacher", True)]


@pytest.mark.parametrize(("who", "sees"), WHO_SEES)
def test_private_category_appears_in_categories_json_only_for_members(
        client, viewers, topic, private_category, who, sees):
    body = client.get("/categories.json", headers=viewers[who]).get_json()
    ids = {c["id"] for c in body["category_list"]["categories"]}
    assert (private_category.id in ids) is sees


@pytest.mark.parametrize(("who", "sees"), WHO_SEES)
def test_private_category_appears_in_site_json_only_for_members(
        client, viewers, private_category, who, sees):
    ids = {c["id"] for c in client.get("/site.json", headers=viewers[who]).get_json()[
        "categories"]}
    assert (private_category.id in ids) is sees


@pytest.mark.parametrize(("who", "sees"), WHO_SEES)
def test_private_topic_appears_in_latest_json_only_for_members(
        client, viewers, topic, private_topic, who, sees):
    body = client.get("/latest.json", headers=viewers[who]).get_json()
    ids = {t["id"] for t in body["topic_list"]["topics"]}
    assert (private_topic.id in ids) is sees and topic.id in ids


@pytest.mark.parametrize(("who", "sees"), WHO_SEES)
@pytest.mark.parametrize("path", [
    "/c/{category_id}.json", "/c/uchitelskaia/{category_id}.json", "/c/{category_id}/show.json",
    "/t/{topic_id}.json", "/t/slug/{topic_id}.json", "/t/{topic_id}/posts.json",
    "/posts/{post_id}.json",
])
def test_private_content_answers_404_to_those_who_may_not_see_it(
        client, viewers, private_topic, private_post_id, path, who, sees):
    url = path.format(category_id=private_topic.category_id, topic_id=private_topic.id,
                      post_id=private_post_id)
    response = client.get(url, headers=viewers[who])
    assert response.status_code == (200 if sees else 404)
    if not sees:
        assert response.get_json()["error_type"] == "not_found"


def test_a_hidden_topic_answers_exactly_like_a_missing_one(client, viewers, private_topic):
    hidden = client.get(f"/t/{private_topic.id}.json", headers=viewers["student"])
    missing = client.get("/t/99999.json", headers=viewers["student"])
    assert (hidden.status_code, hidden.get_json()) == (missing.status_code, missing.get_json())


@pytest.mark.parametrize(("who", "sees"), WHO_SEES)
def test_user_json_counts_and_lists_only_what_the_viewer_may_see(
        client, viewers, topic, private_topic, who, sees):
    user = client.get("/u/anna.json", headers=viewers[who]).get_json()["user"]
    listed = {p["topic_id"] for p in user["recent_posts"]}
    assert (private_topic.id in listed) is sees and topic.id in listed
    assert user["topic_count"] == (2 if sees else 1)
    assert user["post_count"] == (2 if sees else 1)


def test_a_student_cannot_reply_to_a_private_topic_and_learns_nothing(
        client, viewers, private_topic):
    response = client.post("/posts.json", headers=viewers["student"],
                           json={"topic_id": private_topic.id, "raw": "Можно?"})
    assert response.status_code == 404


def test_a_student_cannot_open_a_topic_in_a_private_category(client, viewers,
                                                              private_category):
    response = client.post("/posts.json", headers=viewers["student"], json={
        "title": "Тема ученика", "raw": "Текст", "category": private_category.id})
    assert response.status_code == 404


def test_a_student_cannot_edit_a_private_post(client, viewers, private_post_id):
    response = client.put(f"/posts/{private_post_id}", headers=viewers["student"],
                          json={"post": {"raw": "Взлом"}})
    assert response.status_code == 404


def test_private_category_counts_do_not_reach_the_parent_listing(
        client, db, category, member, viewers):
    hidden_child = factories.make_category("Тайная", parent=category,
                                           permissions={"teachers": 1})
    db.session.commit()
    body = client.get("/categories.json", headers=viewers["student"]).get_json()
    [listed] = body["category_list"]["categories"]
    assert listed["subcategory_ids"] == [] and listed["has_children"] is False
    teacher = client.get("/categories.json", headers=viewers["teacher"]).get_json()
    assert teacher["category_list"]["categories"][0]["subcategory_ids"] == [hidden_child.id]


def test_private_category_is_marked_read_restricted_for_its_members(
        client, viewers, category, private_category):
    body = client.get("/categories.json", headers=viewers["teacher"]).get_json()
    restricted = {c["id"]: c["read_restricted"] for c in body["category_list"]["categories"]}
    assert restricted == {category.id: False, private_category.id: True}


# --- deleted posts ----------------------------------------------------------------------------

@pytest.fixture
def deleted_reply_id(db, topic, other_member, moderator) -> int:
    reply = factories.make_post(topic, author=other_member, raw="Лишнее")
    services.delete_post(reply, actor=moderator)
    db.session.commit()
    return reply.id


def test_a_deleted_post_keeps_its_place_in_the_topic_without_its_text(
        client, topic, deleted_reply_id):
    posts = client.get(f"/t/{topic.id}.json").get_json()["post_stream"]["posts"]
    deleted = next(p for p in posts if p["id"] == deleted_reply_id)
    assert deleted["cooked"] == "" and deleted["cooked_hidden"] is True
    assert deleted["deleted_at"] is not None


def test_a_deleted_post_reads_404_except_for_moderators(client, api_headers, moderator,
                                                       deleted_reply_id):
    assert client.get(f"/posts/{deleted_reply_id}.json").status_code == 404
    response = client.get(f"/posts/{deleted_reply_id}.json", headers=api_headers(moderator))
    assert response.status_code == 200 and response.get_json()["raw"] == "Лишнее"
    assert response.get_json()["can_recover"] is True
