"""The JSON twins: GET /directory_items.json and GET /u/<username>/summary.json."""

from __future__ import annotations

import pytest

from tests import factories
from tests.honour.builders import (
    days_ago,
    established,
    first_post,
    grant,
    ledger,
    like,
    say,
    seminar,
    visits,
)


@pytest.fixture
def community(db, member, other_member, category):
    """anna: a topic liked by boris this week (10 points) and an old reply liked 100 days ago."""
    topic = factories.make_topic(category=category, author=member, title="Дроби в 5 классе",
                                 replies=1)
    established(other_member)
    like(first_post(topic), other_member, points=10)
    reply = factories.make_post(topic, author=member)
    like(reply, other_member, at=days_ago(100), points=10)
    factories.make_topic(category=category, author=other_member)
    visits(member, 3, posts_read=5)
    db.session.commit()
    return topic


def test_directory_items_answer_in_discourses_shape(client, community):
    data = client.get("/directory_items.json?period=weekly&order=likes_received").get_json()
    first = data["directory_items"][0]
    assert first["user"]["username"] == "anna"
    assert first["id"] == first["user"]["id"]
    assert first["likes_received"] == 1
    assert first["reputation"] == 10
    assert first["days_visited"] == 3
    assert first["posts_read"] == 15
    assert "topics_entered" not in first  # kept only for all time
    assert data["meta"]["total_rows_directory_items"] == 2
    assert data["meta"]["load_more_directory_items"] is None


def test_directory_items_count_over_the_period(client, community):
    weekly = client.get("/directory_items.json?period=weekly&order=likes_received").get_json()
    yearly = client.get("/directory_items.json?period=yearly&order=likes_received").get_json()
    assert weekly["directory_items"][0]["likes_received"] == 1
    assert yearly["directory_items"][0]["likes_received"] == 2
    assert yearly["directory_items"][0]["reputation"] == 20


def test_directory_items_sort_by_topic_count(client, db, community, other_member):
    factories.make_topic(author=other_member)
    db.session.commit()
    data = client.get("/directory_items.json?period=all&order=topic_count").get_json()
    assert [i["user"]["username"] for i in data["directory_items"]] == ["boris", "anna"]
    assert data["directory_items"][0]["topic_count"] == 2
    assert "topics_entered" in data["directory_items"][0]


def test_directory_items_link_the_next_page(client, db, monkeypatch):
    from forum.honour import directory

    monkeypatch.setattr(directory, "PER_PAGE", 2)
    for n in range(3):
        factories.make_user(f"teacher{n}")
    db.session.commit()
    data = client.get("/directory_items.json?period=all&order=post_count").get_json()
    more = data["meta"]["load_more_directory_items"]
    assert more == "/directory_items.json?period=all&order=post_count&page=1"
    second = client.get(more).get_json()
    assert [i["user"]["username"] for i in second["directory_items"]] == ["teacher2"]


@pytest.mark.parametrize("query", ["period=forever&order=likes_received",
                                   "period=weekly&order=password"])
def test_directory_items_refuse_unknown_periods_and_orders(client, db, query):
    response = client.get("/directory_items.json?" + query)
    assert response.status_code == 400
    assert response.get_json()["errors"]


def test_directory_items_explain_a_bad_period_in_russian(client, db):
    response = client.get("/directory_items.json?period=forever",
                          headers={"Accept-Language": "ru"})
    assert "Неизвестное значение period «forever»" in response.get_json()["errors"][0]


def test_directory_items_hide_likes_in_private_categories_from_guests(
        client, db, member, other_member, private_category):
    topic = factories.make_topic(category=private_category, author=member)
    established(other_member)
    like(first_post(topic), other_member, points=10)
    db.session.commit()
    data = client.get("/directory_items.json?period=all&order=likes_received").get_json()
    anna = next(i for i in data["directory_items"] if i["user"]["username"] == "anna")
    assert anna["likes_received"] == 0 and anna["reputation"] == 0 and anna["post_count"] == 0


def test_summary_json_has_discourses_fields_and_kafedras_reputation(client, db, community,
                                                                  member):
    grant(member, "first-post", tier="bronze")
    say(seminar("Формирующее оценивание"), member)
    db.session.commit()
    data = client.get("/u/anna/summary.json").get_json()
    summary = data["user_summary"]
    assert summary["likes_received"] == 2
    assert summary["likes_given"] == 0
    assert summary["days_visited"] == 3
    assert summary["topic_count"] == 1 and summary["post_count"] == 3
    assert summary["reputation"] == 20
    assert summary["reputation_breakdown"] == [
        {"kind": "like_received", "name": "Получено благодарностей", "count": 2, "points": 20}]
    assert [r["like_count"] for r in summary["replies"]] == [1, 1]
    assert {t["title"] for t in data["topics"]} == {"Дроби в 5 классе"}
    assert data["badges"][0]["slug"] == "first-post"
    assert data["badges"][0]["badge_type_id"] == 3
    assert summary["badges"][0]["badge_id"] == data["badges"][0]["id"]
    assert summary["seminars"][0]["name"] == "Формирующее оценивание"


def test_summary_json_of_an_unknown_member_is_a_json_404(client, db):
    response = client.get("/u/nobody/summary.json")
    assert response.status_code == 404
    assert response.get_json()["errors"]


def test_summary_json_counts_only_what_the_viewer_may_see(client, db, member, other_member,
                                                          private_category, login):
    topic = factories.make_topic(category=private_category, author=member)
    established(other_member)
    like(first_post(topic), other_member, points=7)
    ledger(member, 2)
    db.session.commit()
    guest = client.get("/u/anna/summary.json").get_json()["user_summary"]
    # The score is the member's own and counted whole; the posts and likes behind it are not.
    assert (guest["reputation"], guest["likes_received"], guest["post_count"]) == (9, 0, 0)
    login(other_member)
    teacher = client.get("/u/anna/summary.json").get_json()["user_summary"]
    assert (teacher["reputation"], teacher["likes_received"], teacher["post_count"]) == (9, 1, 1)
