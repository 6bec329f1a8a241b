"""The notifications page, the bell, and the Discourse JSON routes."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.models import Notification
from forum.notifications import services
from tests import factories


@pytest.fixture
def notes(member, topic):
    first = services.notify(member, services.KIND_MODERATOR_ACTION,
                            data={"action": "topic.close"}, topic=topic, post_number=1)
    second = services.notify(member, services.KIND_FLAG_OUTCOME, data={"outcome": "agreed"})
    db.session.commit()
    return first, second


def test_guests_are_asked_to_sign_in(client):
    response = client.get("/notifications")
    assert response.status_code == 302 and "/login" in response.location


def test_the_page_lists_newest_first_with_read_state(browser_for, member, notes):
    html = browser_for(member).get("/notifications").get_data(as_text=True)
    assert html.index("agreed with your flag") < html.index("closed your topic")
    assert html.count("is-unread") == 2


def test_sentences_follow_the_readers_language(browser_for, member, notes):
    html = browser_for(member, "ru").get("/notifications").get_data(as_text=True)
    assert "closed your topic" not in html and "закрыл" in html


def test_opening_one_marks_it_read_and_goes_to_the_post(browser_for, member, notes, topic):
    first, second = notes
    response = browser_for(member).post(f"/notifications/{first.id}/open")
    assert response.status_code == 302
    assert f"/t/{topic.slug}/{topic.id}/1" in response.location
    db.session.expire_all()
    assert db.session.get(Notification, first.id).read_at is not None
    assert db.session.get(Notification, second.id).read_at is None


def test_a_notification_without_a_topic_opens_back_to_the_list(browser_for, member, notes):
    response = browser_for(member).post(f"/notifications/{notes[1].id}/open")
    assert response.location.endswith("/notifications")


def test_nobody_opens_another_members_notification(browser_for, other_member, notes):
    response = browser_for(other_member).post(f"/notifications/{notes[0].id}/open")
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, notes[0].id).read_at is None


def test_mark_all_read(browser_for, member, notes):
    browser = browser_for(member)
    assert browser.post("/notifications/read-all").status_code == 302
    assert services.unread_count(member) == 0
    assert "is-unread" not in browser.get("/notifications").get_data(as_text=True)


def test_marking_read_needs_the_csrf_token(app, member, notes):
    app.config["WTF_CSRF_ENABLED"] = True
    browser = app.test_client()
    db.session.commit()
    browser.post("/login", data={"login": member.username, "password": factories.PASSWORD})
    response = browser.post("/notifications/read-all")
    assert response.status_code in (400, 403)
    assert services.unread_count(member) == 2


def test_a_topic_the_reader_can_no_longer_see_is_neither_named_nor_linked(browser_for, student,
                                                                          private_category):
    hidden = factories.make_topic(category=private_category, title="Секретная учительская")
    note = services.notify(student, services.KIND_MODERATOR_ACTION,
                           data={"action": "topic.move"}, topic=hidden)
    db.session.commit()
    browser = browser_for(student)
    assert "Секретная" not in browser.get("/notifications").get_data(as_text=True)
    assert browser.post(f"/notifications/{note.id}/open").location.endswith("/notifications")


def test_the_bell_shows_the_unread_count_to_signed_in_members_only(browser_for, client, member,
                                                                   notes, topic):
    html = browser_for(member).get("/notifications").get_data(as_text=True)
    assert "data-notification-bell" in html and 'data-unread-count>2</span>' in html
    assert "data-notification-bell" not in client.get("/latest").get_data(as_text=True)


def test_the_bell_count_is_pushed_live_after_a_new_notification(app, browser_for, member):
    from forum.extensions import socketio

    browser = browser_for(member)
    live = socketio.test_client(app, namespace="/live", flask_test_client=browser)
    live.get_received("/live")
    services.notify(member, services.KIND_SILENCED, data={"reason": "x"})
    db.session.commit()
    events = [e for e in live.get_received("/live") if e["name"] == "notification"]
    assert events and events[-1]["args"][0] == {"unread": 1}
    services.mark_read(member)
    db.session.commit()
    events = [e for e in live.get_received("/live") if e["name"] == "notification"]
    assert events and events[-1]["args"][0] == {"unread": 0}
    live.disconnect("/live")


def test_texts_with_markup_are_escaped(browser_for, member):
    services.notify(member, services.KIND_SILENCED, data={"reason": "<script>alert(1)</script>"})
    db.session.commit()
    html = browser_for(member).get("/notifications").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


# --- Discourse JSON ----------------------------------------------------------------------------

def _headers(db, user):
    from forum.accounts.services import create_api_key

    key = create_api_key(actor=None, user=user)
    db.session.commit()
    return {"Api-Key": key, "Api-Username": user.username, "Accept-Language": "en"}


def test_notifications_json_lists_the_members_notifications(client, member, notes, topic):
    body = client.get("/notifications.json", headers=_headers(db, member)).get_json()
    assert body["total_rows_notifications"] == 2 and body["seen_notification_id"] is None
    newest, oldest = body["notifications"]
    assert newest["kind"] == "flag_outcome" and newest["read"] is False
    assert oldest["topic_id"] == topic.id and oldest["post_number"] == 1
    assert "closed your topic" in oldest["text"]


def test_notifications_json_needs_an_account(client):
    response = client.get("/notifications.json")
    assert response.status_code == 403 and response.get_json()["errors"]


def test_mark_read_by_id_and_then_all_through_the_api(client, member, notes):
    headers = _headers(db, member)
    response = client.put("/notifications/mark-read", headers=headers, json={"id": notes[0].id})
    assert response.get_json() == {"success": "OK", "unread": 1}
    body = client.get("/notifications.json", headers=headers).get_json()
    assert body["seen_notification_id"] == notes[0].id
    client.put("/notifications/mark-read", headers=headers)
    assert services.unread_count(member) == 0


def test_mark_read_with_a_bad_id_is_a_clear_422(client, member, notes):
    response = client.put("/notifications/mark-read", headers=_headers(db, member),
                          json={"id": "abc"})
    assert response.status_code == 422 and response.get_json()["errors"]


def test_the_api_cannot_mark_another_members_notifications(client, other_member, notes):
    client.put("/notifications/mark-read", headers=_headers(db, other_member),
               json={"id": notes[0].id})
    assert services.unread_count(notes[0].user) == 2
