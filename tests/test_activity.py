"""Batched activity writes (forum.activity): one scheduled flush serves every view recorded
until it runs, and views recorded after it started schedule the next one."""

from __future__ import annotations

from forum import activity
from forum.extensions import db
from forum.models import Topic


class _Timers:
    """Stands in for threading.Timer: records each scheduled flush instead of waiting."""

    def __init__(self):
        self.scheduled = []

    def __call__(self, seconds, function, args=()):
        self.scheduled.append((seconds, function, args))
        return self

    daemon = False

    def start(self) -> None:
        pass

    def fire(self, index: int = -1) -> None:
        _seconds, function, args = self.scheduled[index]
        function(*args)


def _views(topic_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Topic, topic_id).views


def test_views_recorded_while_a_flush_is_pending_are_written_by_that_one_flush(
        app, topic, monkeypatch):
    timers = _Timers()
    monkeypatch.setattr(activity.threading, "Timer", timers)
    monkeypatch.setattr(activity, "_flush_scheduled", False)
    app.config["STATS_FLUSH_SECONDS"] = 5
    before = _views(topic.id)
    with app.test_request_context("/"):
        for _ in range(3):
            activity.record_topic_view(topic.id)
    assert [seconds for seconds, _f, _a in timers.scheduled] == [5]

    timers.fire()
    assert _views(topic.id) == before + 3

    with app.test_request_context("/"):
        activity.record_topic_view(topic.id)
    assert len(timers.scheduled) == 2  # the next view after a flush schedules the next one
    timers.fire()
    assert _views(topic.id) == before + 4


def test_a_page_marks_its_member_seen_and_its_static_files_ask_nothing(
        app, login, member, count_queries):
    client = login(member)
    activity.discard_pending()
    assert client.get("/latest").status_code == 200
    assert member.id in activity.pending_counts()[1]

    activity.discard_pending()
    with count_queries() as statements, client.get("/static/favicon.svg") as response:
        assert response.status_code == 200
    assert statements == []  # the account is not loaded for a page's icon or stylesheet
    assert member.id not in activity.pending_counts()[1]
