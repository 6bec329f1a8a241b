"""Posting through the API: topics, replies and edits, form-encoded and JSON, as clients do."""

from __future__ import annotations

import json

from sqlalchemy import select

from forum.models import Post, PostRevision, Topic
from tests import factories


def test_creating_a_topic_with_form_fields_returns_its_first_post(client, db, category,
                                                                  as_member):
    response = client.post("/posts.json", headers=as_member, data={
        "title": "Дроби в пятом классе", "raw": "С чего начать?", "category": category.id})
    assert response.status_code == 200, response.get_json()
    post = response.get_json()
    assert post["post_number"] == 1 and post["username"] == "anna"
    assert post["topic_slug"] == "drobi-v-piatom-klasse" and post["raw"] == "С чего начать?"
    topic = db.session.get(Topic, post["topic_id"])
    assert topic.title == "Дроби в пятом классе" and topic.category_id == category.id


def test_creating_a_topic_with_a_json_body_works_the_same(client, db, category, as_member):
    response = client.post("/posts", headers=as_member, json={
        "title": "Дроби в пятом классе", "raw": "С чего начать?", "category": str(category.id)})
    assert response.status_code == 200
    assert response.get_json()["cooked"] == "<p>С чего начать?</p>"


def test_replying_with_topic_id_adds_a_post_to_the_topic(client, db, topic, api_headers,
                                                        other_member):
    response = client.post("/posts.json", headers=api_headers(other_member), data={
        "topic_id": topic.id, "raw": "Через пиццу!", "reply_to_post_number": 1})
    assert response.status_code == 200
    post = response.get_json()
    assert (post["topic_id"], post["post_number"]) == (topic.id, 2)
    assert post["reply_to_post_number"] == 1 and post["yours"] is True
    db.session.expire_all()
    assert db.session.get(Topic, topic.id).posts_count == 2


def test_an_all_users_key_acts_as_the_named_user(client, db, topic, other_member):
    from forum.accounts.services import create_api_key

    key = create_api_key(actor=None, user=None)
    db.session.commit()
    response = client.post("/posts.json", json={"topic_id": topic.id, "raw": "Ответ бота"},
                           headers={"Api-Key": key, "Api-Username": "boris"})
    assert response.get_json()["username"] == "boris"


def test_editing_a_post_with_bracket_keys_saves_a_new_version(client, db, topic, as_member):
    post_id = _first_post_id(db, topic)
    response = client.put(f"/posts/{post_id}", headers=as_member, data={
        "post[raw]": "Исправленный текст.", "post[edit_reason]": "опечатка"})
    assert response.status_code == 200
    body = response.get_json()["post"]
    assert body["version"] == 2 and body["raw"] == "Исправленный текст."
    revisions = db.session.scalars(select(PostRevision).where(
        PostRevision.post_id == post_id).order_by(PostRevision.number)).all()
    assert [(r.number, r.edit_reason) for r in revisions] == [(1, ""), (2, "опечатка")]
    assert revisions[0].raw == "Первое сообщение темы."


def test_editing_a_post_with_a_json_body_works_the_same(client, db, topic, as_member):
    post_id = _first_post_id(db, topic)
    response = client.put(f"/posts/{post_id}.json", headers=as_member,
                          json={"post": {"raw": "Новый текст.", "edit_reason": "уточнение"}})
    assert response.get_json()["post"]["version"] == 2


def test_editing_the_first_post_can_change_the_topic_title(client, db, topic, as_member):
    post_id = _first_post_id(db, topic)
    client.put(f"/posts/{post_id}", headers=as_member,
               json={"title": "Дроби: с чего начать", "post": {"raw": "Текст."}})
    db.session.expire_all()
    assert db.session.get(Topic, topic.id).title == "Дроби: с чего начать"


def test_editing_someone_elses_post_is_forbidden(client, db, topic, api_headers, other_member):
    post_id = _first_post_id(db, topic)
    response = client.put(f"/posts/{post_id}", headers=api_headers(other_member),
                          json={"post": {"raw": "Чужой текст."}})
    assert response.status_code == 403
    assert response.get_json()["error_type"] == "invalid_access"


def test_a_topic_without_title_is_refused_with_a_message(client, category, as_member):
    response = client.post("/posts.json", headers=as_member,
                           data={"raw": "Текст без заголовка", "category": category.id})
    assert response.status_code == 422
    body = response.get_json()
    assert body["error_type"] == "invalid_parameters"
    assert body["errors"] == ["The title must be 5 to 200 characters long."]


def test_a_topic_without_category_is_refused_with_a_message(client, as_member):
    response = client.post("/posts.json", headers=as_member,
                           json={"title": "Заголовок темы", "raw": "Текст"})
    assert response.status_code == 422
    assert response.get_json()["errors"] == ["Choose a category."]


def test_a_post_longer_than_the_limit_is_refused(app, client, topic, as_member):
    too_long = "я" * (app.config["POST_MAX_LENGTH"] + 1)
    response = client.post("/posts.json", headers=as_member,
                           json={"topic_id": topic.id, "raw": too_long})
    assert response.status_code == 422
    assert response.get_json()["errors"][0].startswith("The post is too long")


def test_a_body_larger_than_the_request_limit_answers_413_json(app, client, topic, as_member):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/posts.json", headers=as_member,
                           json={"topic_id": topic.id, "raw": "я" * 2000})
    assert response.status_code == 413
    assert response.get_json()["errors"]


def test_an_empty_reply_is_refused(client, topic, as_member):
    response = client.post("/posts.json", headers=as_member, data={"topic_id": topic.id})
    assert response.status_code == 422
    assert response.get_json()["errors"] == ["The post cannot be empty."]


def test_malformed_json_answers_400_with_errors(client, topic, as_member):
    response = client.post("/posts.json", headers=as_member, data='{"topic_id": 1, "raw": ',
                           content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["errors"] == ["The request body is not valid JSON."]


def test_a_json_body_that_is_not_an_object_answers_400(client, as_member):
    response = client.post("/posts.json", headers=as_member, data="[1, 2]",
                           content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error_type"] == "invalid_parameters"


def test_absurdly_nested_json_answers_400_not_500(client, as_member):
    response = client.post("/posts.json", headers=as_member, data="[" * 100_000,
                           content_type="application/json")
    assert response.status_code == 400


def test_a_non_numeric_topic_id_is_refused(client, as_member):
    response = client.post("/posts.json", headers=as_member,
                           json={"topic_id": "первая", "raw": "Текст"})
    assert response.status_code == 422
    assert "topic_id" in response.get_json()["errors"][0]


def test_non_text_raw_is_refused(client, topic, as_member):
    response = client.post("/posts.json", headers=as_member,
                           json={"topic_id": topic.id, "raw": ["список"]})
    assert response.status_code == 422


def test_replying_to_a_closed_topic_is_forbidden(client, db, category, member, as_member):
    closed = factories.make_topic(category=category, author=member, closed=True)
    db.session.commit()
    response = client.post("/posts.json", headers=as_member,
                           json={"topic_id": closed.id, "raw": "Можно ещё?"})
    assert response.status_code == 403
    assert response.get_json()["errors"] == [
        "This topic is closed; new replies are not accepted."]


def test_replying_to_an_unknown_topic_answers_404_json(client, as_member):
    response = client.post("/posts.json", headers=as_member,
                           json={"topic_id": 999, "raw": "Есть кто?"})
    assert response.status_code == 404
    assert response.get_json()["error_type"] == "not_found"


def test_writing_without_signing_in_answers_not_logged_in(client, topic):
    response = client.post("/posts.json", json={"topic_id": topic.id, "raw": "Гость"})
    assert response.status_code == 403
    assert response.get_json()["error_type"] == "not_logged_in"
    assert client.put("/posts/1", json={"post": {"raw": "x"}}).get_json()[
        "error_type"] == "not_logged_in"


def test_a_student_cannot_open_topics(client, category, api_headers, student):
    response = client.post("/posts.json", headers=api_headers(student), json={
        "title": "Вопрос ученика", "raw": "Текст", "category": category.id})
    assert response.status_code == 403
    assert response.get_json()["errors"] == ["You cannot create topics in this category."]


def test_a_refused_write_leaves_nothing_behind(client, db, topic, as_member):
    client.post("/posts.json", headers=as_member, json={"topic_id": topic.id, "raw": " "})
    db.session.expire_all()
    assert db.session.scalar(select(Topic.posts_count).where(Topic.id == topic.id)) == 1
    assert len(db.session.scalars(select(Post)).all()) == 1


def test_posting_faster_than_the_limit_answers_429_json(app, client, topic, as_member):
    app.config["POSTING_LIMIT"] = "2 per minute"
    statuses = [client.post("/posts.json", headers=as_member,
                            json={"topic_id": topic.id, "raw": f"Ответ {i}"}).status_code
                for i in range(3)]
    assert statuses == [200, 200, 429]
    response = client.post("/posts.json", headers=as_member,
                           json={"topic_id": topic.id, "raw": "Ещё"})
    assert response.get_json()["error_type"] == "rate_limit"


def test_query_string_parameters_are_accepted_like_discourse(client, topic, as_member):
    response = client.post(f"/posts.json?topic_id={topic.id}", headers=as_member,
                           data=json.dumps({"raw": "Ответ"}), content_type="application/json")
    assert response.get_json()["topic_id"] == topic.id


def _first_post_id(db, topic) -> int:
    return db.session.scalar(select(Post.id).where(Post.topic_id == topic.id,
                                                   Post.post_number == 1))


def test_a_private_message_is_refused_rather_than_published(client, db, category, as_member):
    response = client.post("/posts.json", headers=as_member, json={
        "title": "Личное сообщение", "raw": "Только для Бориса", "category": category.id,
        "archetype": "private_message", "target_recipients": "boris"})
    assert response.status_code == 422
    assert db.session.scalar(select(Topic.id)) is None
