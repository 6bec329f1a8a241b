"""API errors are Discourse-style JSON (bad keys, unknown objects, CSRF), never HTML or a 500."""

from __future__ import annotations

from pathlib import Path

import pytest

import forum

RUSSIAN_CATALOGUE = Path(forum.__file__).parent / "translations/ru/LC_MESSAGES/messages.mo"


def test_a_wrong_api_key_answers_403_json(client, topic):
    response = client.get("/latest.json", headers={"Api-Key": "0" * 64, "Api-Username": "anna"})
    assert response.status_code == 403
    assert response.is_json and response.get_json()["error_type"] == "invalid_access"


def test_a_key_used_with_another_users_name_answers_403_json(client, api_headers, member,
                                                            other_member):
    headers = {**api_headers(member), "Api-Username": other_member.username}
    response = client.post("/posts.json", headers=headers, json={"raw": "x"})
    assert response.status_code == 403 and response.get_json()["errors"]


def test_a_revoked_key_no_longer_works(client, db, api_headers, member, admin):
    from forum.accounts.services import revoke_api_key
    from forum.models import ApiKey

    headers = api_headers(member)
    revoke_api_key(db.session.query(ApiKey).one(), actor=admin)
    db.session.commit()
    assert client.get("/latest.json", headers=headers).status_code == 403


@pytest.mark.parametrize("path", ["/t/999.json", "/t/slug/999.json", "/t/999/posts.json",
                                  "/posts/999.json", "/c/999.json", "/c/999/show.json",
                                  "/u/nobody.json", "/users/nobody.json"])
def test_unknown_objects_answer_404_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.get_json() == {
        "errors": ["The page you asked for does not exist or is not available to you."],
        "error_type": "not_found"}


def test_editing_an_unknown_post_answers_404_json(client, as_member):
    response = client.put("/posts/999", headers=as_member, json={"post": {"raw": "x"}})
    assert response.status_code == 404 and response.is_json


def test_too_many_post_ids_are_refused(client, topic):
    query = "&".join(f"post_ids[]={i}" for i in range(201))
    response = client.get(f"/t/{topic.id}/posts.json?{query}")
    assert response.status_code == 422 and response.is_json


def test_non_numeric_post_ids_are_refused(client, topic):
    response = client.get(f"/t/{topic.id}/posts.json?post_ids[]=abc")
    assert response.status_code == 422 and response.is_json


def test_a_browser_session_write_without_csrf_token_is_refused_as_json(app, login, member,
                                                                      topic):
    client = login(member)
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/posts.json", json={"topic_id": topic.id, "raw": "Ответ"})
    assert response.status_code == 403 and response.is_json


def test_an_api_key_write_needs_no_csrf_token(app, client, topic, as_member):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/posts.json", headers=as_member,
                           json={"topic_id": topic.id, "raw": "Ответ"})
    assert response.status_code == 200


def test_a_signed_in_browser_session_can_use_the_api(login, member, topic):
    client = login(member)
    response = client.post("/posts.json", json={"topic_id": topic.id, "raw": "Из браузера"})
    assert response.status_code == 200 and response.get_json()["username"] == "anna"


def test_an_avatar_of_absurd_size_is_not_drawn(client):
    assert client.get("/letter_avatar/anna/100000/1.svg").status_code == 404


@pytest.mark.skipif(not RUSSIAN_CATALOGUE.exists(), reason="no Russian catalogue compiled yet")
def test_validation_errors_speak_russian_when_asked(client, category, as_member):
    response = client.post("/posts.json", headers={**as_member, "Accept-Language": "ru"},
                           json={"raw": "Текст", "category": category.id})
    assert response.status_code == 422
    assert any("\u0400" <= ch <= "\u04ff" for ch in response.get_json()["errors"][0])


def test_validation_errors_keep_their_shape_whatever_the_language(client, category, as_member):
    response = client.post("/posts.json", headers={**as_member, "Accept-Language": "ru"},
                           json={"raw": "Текст", "category": category.id})
    assert response.status_code == 422
    body = response.get_json()
    assert body["error_type"] == "invalid_parameters" and len(body["errors"]) == 1


HUGE = "9" * 25  # beyond 64 bits: the database driver would overflow


@pytest.mark.parametrize("path", [
    f"/t/1.json?page={HUGE}", f"/t/slug/1/{HUGE}.json", f"/t/1/posts.json?post_number={HUGE}",
    f"/t/1/posts.json?post_ids[]={HUGE}", f"/latest.json?page={HUGE}", f"/posts/{HUGE}.json",
    f"/c/{HUGE}.json",
])
def test_huge_numbers_in_reads_never_cause_a_500(client, topic, path):
    response = client.get(path)
    assert response.status_code < 500 and response.is_json


@pytest.mark.parametrize("body", [
    {"topic_id": HUGE, "raw": "Ответ"}, {"topic_id": 1, "raw": "Ответ",
                                         "reply_to_post_number": HUGE},
    {"category": HUGE, "title": "Заголовок темы", "raw": "Текст"},
])
def test_huge_numbers_in_writes_are_refused_as_out_of_range(client, topic, as_member, body):
    response = client.post("/posts.json", headers=as_member, json=body)
    assert response.status_code == 422
    assert "out of range" in response.get_json()["errors"][0]
