"""Member statistics: visits through the batched activity flush (no write in a page view) and
reading through POST /topics/timings (validated, capped, counted once)."""

from __future__ import annotations

import math
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum import activity, domain_events
from forum.models import TopicRead, UserVisit, utcnow
from forum.reputation import stats
from forum.reputation.stats import stats_of
from tests import factories

# Trust messages are compared in English, the source language.
pytestmark = pytest.mark.usefixtures("english_by_default")


def visits(db, user) -> int:
    return db.session.scalar(select(func.count(UserVisit.id)).where(UserVisit.user_id == user.id))


# --- visits -----------------------------------------------------------------------------------

def test_a_page_view_writes_no_visit_until_the_activity_flush(client, login, db, member, topic,
                                                              count_queries):
    login(member)
    with count_queries() as statements:
        assert client.get(f"/t/{topic.slug}/{topic.id}").status_code == 200
    assert not [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert visits(db, member) == 0
    activity.flush()
    assert visits(db, member) == 1 and stats_of(member).days_visited == 1


def test_a_day_counts_once_however_often_the_member_is_seen(db, member):
    now = utcnow()
    stats.record_visits({member.id: now})
    stats.record_visits({member.id: now + timedelta(seconds=5)})
    assert visits(db, member) == 1 and stats_of(member).days_visited == 1
    stats.record_visits({member.id: now + timedelta(days=1)})
    assert visits(db, member) == 2 and stats_of(member).days_visited == 2


def test_a_new_day_sends_member_visited_once(db, member):
    days = []

    def receiver(user, **kwargs):
        days.append((user.id, kwargs["day"]))

    domain_events.member_visited.connect(receiver)
    try:
        now = utcnow()
        stats.record_visits({member.id: now})
        stats.record_visits({member.id: now})
    finally:
        domain_events.member_visited.disconnect(receiver)
    assert days == [(member.id, utcnow().date())]


# --- reading ----------------------------------------------------------------------------------

@pytest.fixture
def long_topic(db, other_member, category):
    topic = factories.make_topic(category=category, author=other_member, replies=9)
    db.session.commit()
    return topic


def timings(client, topic, numbers, topic_time=30_000, per_post=3_000):
    return client.post("/topics/timings", json={
        "topic_id": topic.id, "topic_time": topic_time,
        "timings": {str(n): per_post for n in numbers}},
        headers={"X-CSRFToken": csrf(client)})


def csrf(client) -> str:
    page = client.get("/latest").get_data(as_text=True)
    marker = 'name="csrf-token" content="'
    return page.split(marker, 1)[1].split('"', 1)[0]


def test_timings_count_posts_read_and_the_topic_entered_once(client, login, db, member,
                                                             long_topic):
    login(member)
    response = timings(client, long_topic, range(1, 6))
    assert response.status_code == 200 and response.json["posts_read"] == 5
    again = timings(client, long_topic, range(1, 8))
    assert again.json["posts_read"] == 2  # posts 6 and 7: 1–5 were read already
    db.session.expire_all()
    row = stats_of(member)
    assert row.posts_read == 7 and row.topics_entered == 1
    assert db.session.scalar(select(TopicRead.last_read_post_number)) == 7
    assert db.session.scalar(select(UserVisit.posts_read)) == 7


def test_post_numbers_the_topic_does_not_have_are_ignored(client, login, db, member, long_topic):
    login(member)
    response = timings(client, long_topic, [0, 10, 11, 999999])
    assert response.json["posts_read"] == 1  # only post 10 exists


def test_time_read_is_capped_per_report_and_by_the_wall_clock(client, login, db, member,
                                                             long_topic):
    login(member)
    started = time.monotonic()
    first = timings(client, long_topic, [1], topic_time=3_600_000)
    assert first.json["seconds"] == stats.MAX_SECONDS_PER_REPORT
    second = timings(client, long_topic, [2], topic_time=60_000)  # seconds later, not a minute
    # Bounded by the wall clock between the reports (a loaded machine takes a few seconds).
    elapsed = math.ceil(time.monotonic() - started)
    assert second.json["seconds"] <= elapsed < 60
    db.session.expire_all()
    assert stats_of(member).time_read_seconds <= stats.MAX_SECONDS_PER_REPORT + elapsed


def test_timings_for_a_topic_the_member_cannot_see_answer_404(client, login, db, student,
                                                              private_category):
    hidden = factories.make_topic(category=private_category)
    db.session.commit()
    login(student)
    assert timings(client, hidden, [1]).status_code == 404
    assert db.session.scalar(select(func.count(TopicRead.id))) == 0


def test_guests_cannot_report_timings(client, long_topic):
    response = client.post("/topics/timings", json={"topic_id": long_topic.id})
    assert response.status_code in (400, 403)


@pytest.mark.parametrize("body", [
    {"topic_id": "x"},
    {"topic_id": 1, "timings": [1, 2]},
    {"topic_id": 1, "timings": {"one": 5}},
    {"topic_id": 1, "timings": {"1": "long"}},
    {"topic_id": 1, "topic_time": -5},
    {"topic_id": 1, "timings": {str(n): 1 for n in range(1, 300)}},
])
def test_malformed_timings_get_a_clear_error_and_change_nothing(client, login, db, member,
                                                                long_topic, body):
    login(member)
    body = {**body, "topic_id": long_topic.id} if body.get("topic_id") == 1 else body
    response = client.post("/topics/timings", json=body, headers={"X-CSRFToken": csrf(client)})
    assert response.status_code in (400, 422) and response.json["errors"]
    assert db.session.scalar(select(func.count(TopicRead.id))) == 0


def test_the_topic_page_loads_the_read_tracking_module_for_members_only(client, login, member,
                                                                        long_topic):
    url = f"/t/{long_topic.slug}/{long_topic.id}"
    assert "read-tracking.js" not in client.get(url).get_data(as_text=True)
    login(member)
    assert "read-tracking.js" in client.get(url).get_data(as_text=True)


def test_reading_enough_promotes_a_new_member_without_any_other_step(client, login, db,
                                                                    long_topic):
    from forum.settings import set_setting
    newcomer = factories.make_user("reader", trust_level=0)
    set_setting("trust_tl1_topics_entered", 1)
    set_setting("trust_tl1_posts_read", 3)
    set_setting("trust_tl1_time_read_minutes", 0)
    login(newcomer)
    timings(client, long_topic, [1, 2, 3])
    db.session.expire_all()
    assert db.session.get(type(newcomer), newcomer.id).trust_level == 1


def test_a_report_without_posts_on_screen_enters_nothing(client, login, db, member, long_topic):
    login(member)
    response = client.post("/topics/timings", json={"topic_id": long_topic.id,
                                                     "topic_time": 30_000},
                           headers={"X-CSRFToken": csrf(client)})
    assert response.status_code == 200 and response.json["posts_read"] == 0
    assert stats_of(member).topics_entered == 0


def test_posts_read_are_capped_by_reading_speed(db, member, long_topic):
    report = stats.record_reading(member, long_topic, {n: 100 for n in range(1, 11)}, 2_000)
    assert report.seconds == 2 and report.posts_read == 2 * stats.MAX_POSTS_PER_SECOND
