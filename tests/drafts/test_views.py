"""Draft endpoints over HTTP, shaped like Discourse's /drafts.json."""

from __future__ import annotations

import json

import pytest

from forum.drafts.services import load_draft
from forum.extensions import db


def save(client, key="new_topic", data=None, sequence=0, **kwargs):
    payload = {"draft_key": key, "data": {"title": "Черновик", "raw": "Пишу…"} if data is None
               else data, "sequence": sequence} | kwargs
    return client.post("/drafts.json", json=payload)


def fetch(client, key="new_topic"):
    return client.get(f"/drafts/{key}.json")


@pytest.fixture
def signed_in(client, login, member):
    login(member)
    return client


def test_saving_a_draft_answers_ok_with_its_sequence(signed_in):
    response = save(signed_in, sequence=3)
    assert response.status_code == 200
    assert response.get_json() == {"success": "OK", "draft_sequence": 3}


def test_saved_draft_comes_back_as_a_json_string(signed_in):
    save(signed_in, data={"title": "Тема", "raw": "Текст", "category_id": 7}, sequence=2)
    body = fetch(signed_in).get_json()
    assert json.loads(body["draft"]) == {"title": "Тема", "raw": "Текст", "category_id": "7"}
    assert body["draft_sequence"] == 2


def test_missing_draft_is_null_not_404(signed_in):
    assert fetch(signed_in, "topic_42").get_json() == {"draft": None, "draft_sequence": 0}


def test_form_post_with_data_as_a_json_string_works(signed_in):
    response = signed_in.post("/drafts", data={"draft_key": "topic_5", "sequence": "1",
                                               "data": json.dumps({"raw": "Из формы"})})
    assert response.status_code == 200
    assert json.loads(fetch(signed_in, "topic_5").get_json()["draft"]) == {"raw": "Из формы"}


def test_deleting_a_draft_removes_it(signed_in, member):
    save(signed_in)
    response = signed_in.delete("/drafts/new_topic.json")
    assert response.status_code == 200
    assert fetch(signed_in).get_json()["draft"] is None
    assert load_draft(member, "new_topic") is None


def test_deleting_a_missing_draft_is_fine(signed_in):
    assert signed_in.delete("/drafts/topic_1.json").status_code == 200


@pytest.mark.parametrize(("sequences", "kept"), [([1, 2], 1), ([2, 1], 0), ([5, 5], 1)])
def test_an_older_sequence_never_overwrites_a_newer_draft(signed_in, sequences, kept):
    for i, n in enumerate(sequences):
        save(signed_in, data={"raw": f"запись {i}"}, sequence=n)
    stored = fetch(signed_in).get_json()
    assert json.loads(stored["draft"])["raw"] == f"запись {kept}"
    assert stored["draft_sequence"] == max(sequences)


def test_stale_save_reports_the_stored_sequence(signed_in):
    save(signed_in, sequence=9)
    assert save(signed_in, sequence=4).get_json()["draft_sequence"] == 9


def test_drafts_are_private_to_each_account(client, login, member, other_member):
    login(member)
    save(client, data={"raw": "Моё"})
    client.post("/logout")
    login(other_member)
    assert fetch(client).get_json()["draft"] is None


@pytest.mark.parametrize("call", [
    lambda c: save(c),
    lambda c: fetch(c),
    lambda c: c.delete("/drafts/new_topic.json"),
], ids=["save", "load", "discard"])
def test_guests_are_refused_not_crashed(client, db, call):
    response = call(client)
    assert response.status_code in (401, 403)
    assert response.is_json
    assert response.get_json()["errors"]


@pytest.mark.parametrize("key", ["", "nonsense", "topic_", "topic_x", "post_1;drop", "../x",
                                 "x" * 100, 123, None, ["new_topic"]])
def test_unknown_draft_keys_are_a_422(signed_in, key):
    response = save(signed_in, key=key)
    assert response.status_code == 422
    assert response.get_json()["errors"]


@pytest.mark.parametrize("data", ["{not json", "[1, 2]", json.dumps("text")])
def test_data_that_is_not_a_json_object_is_a_422(signed_in, data):
    response = signed_in.post("/drafts", data={"draft_key": "new_topic", "data": data})
    assert response.status_code == 422


@pytest.mark.parametrize("payload", [[1, 2, 3], "just a string", 42, None])
def test_a_json_body_that_is_not_an_object_is_not_a_500(signed_in, payload):
    response = signed_in.post("/drafts.json", data=json.dumps(payload),
                              content_type="application/json")
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("sequence", ["abc", "", "1.5", -1, 10**30, "99999999999999999999999"])
def test_odd_sequences_are_not_a_500(signed_in, sequence):
    response = save(signed_in, sequence=sequence)
    assert response.status_code in (200, 422)


def test_oversized_draft_is_refused(signed_in):
    response = save(signed_in, data={"raw": "я" * 100_001})
    assert response.status_code in (413, 422)
    assert fetch(signed_in).get_json()["draft"] is None


def test_saving_commits(signed_in, member):
    save(signed_in, data={"raw": "сохранено"})
    db.session.rollback()
    assert load_draft(member, "new_topic").data["raw"] == "сохранено"
