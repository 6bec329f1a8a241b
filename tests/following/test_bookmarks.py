"""Bookmarks: the button and form, the list (own only), the API, and due reminders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.errors import DomainError
from forum.extensions import db
from forum.following import bookmarks
from forum.models import Bookmark, Notification, utcnow
from forum.notifications import kinds
from forum.topics import services as topics
from tests import factories


@pytest.fixture
def first_post(topic):
    return topics.post_by_number(topic, 1)


def test_bookmarking_from_the_topic_page(login, client, topic, first_post, other_member):
    login(other_member)
    page = client.get(f"/t/{topic.slug}/{topic.id}").get_data(as_text=True)
    assert f'/posts/{first_post.id}/bookmark' in page
    response = client.post(f"/posts/{first_post.id}/bookmark",
                           data={"name": "Про дроби", "reminder": ""})
    assert response.status_code == 302
    page = client.get(f"/t/{topic.slug}/{topic.id}").get_data(as_text=True)
    assert 'data-action="unbookmark"' in page
    listing = client.get("/u/boris/bookmarks").get_data(as_text=True)
    assert "Про дроби" in listing


def test_a_past_custom_reminder_keeps_the_form(login, client, first_post, other_member):
    login(other_member)
    response = client.post(f"/posts/{first_post.id}/bookmark", data={
        "name": "Вернуться", "reminder": "custom", "reminder_at": "2001-01-01T10:00"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Время напоминания должно быть в будущем." in page and 'value="Вернуться"' in page
    assert db.session.scalar(select(Bookmark)) is None


def test_a_nonsense_reminder_time_is_explained(login, client, first_post, other_member):
    login(other_member)
    response = client.post(f"/posts/{first_post.id}/bookmark", data={
        "reminder": "custom", "reminder_at": "завтра"})
    assert "Укажите время напоминания: дату и время." in response.get_data(as_text=True)


def test_bookmarking_twice_is_refused(first_post, other_member):
    bookmarks.create_bookmark(first_post, user=other_member)
    with pytest.raises(DomainError):
        bookmarks.create_bookmark(first_post, user=other_member)


def test_another_members_bookmarks_are_not_found(login, client, other_member, member):
    login(other_member)
    assert client.get("/u/anna/bookmarks").status_code == 404
    assert client.get("/u/boris/bookmarks").status_code == 200


def test_nobody_removes_another_members_bookmark(login, client, first_post, member,
                                                 other_member):
    mark = bookmarks.create_bookmark(first_post, user=member)
    login(other_member)
    assert client.post(f"/bookmarks/{mark.id}/delete").status_code == 404
    assert client.delete(f"/bookmarks/{mark.id}.json").status_code == 404
    assert db.session.get(Bookmark, mark.id) is not None


def test_the_api_creates_and_deletes(login, client, first_post, other_member):
    login(other_member)
    response = client.post("/bookmarks.json", json={
        "bookmarkable_id": first_post.id, "bookmarkable_type": "Post", "name": "API",
        "reminder_at": (utcnow() + timedelta(days=1)).isoformat()})
    assert response.status_code == 200, response.get_json()
    bookmark_id = response.get_json()["id"]
    assert client.delete(f"/bookmarks/{bookmark_id}.json").get_json() == {"success": "OK"}
    assert db.session.get(Bookmark, bookmark_id) is None


def test_a_private_post_cannot_be_bookmarked(login, client, private_category, member, student):
    topic = factories.make_topic(category=private_category, author=member)
    post = topics.post_by_number(topic, 1)
    login(student)
    assert client.post("/bookmarks.json", json={"bookmarkable_id": post.id}).status_code == 404
    assert client.get(f"/posts/{post.id}/bookmark").status_code == 404


def test_the_viewers_bookmarks_load_in_one_query(count_queries, first_post, other_member):
    bookmarks.create_bookmark(first_post, user=other_member)
    with count_queries() as statements:
        found = bookmarks.bookmarks_for_posts(other_member, [first_post.id, 999])
    assert list(found) == [first_post.id] and len(statements) == 1


def test_due_reminders_are_sent_once_by_the_command(app, first_post, other_member):
    mark = bookmarks.create_bookmark(first_post, user=other_member, name="Вернуться",
                                     reminder_at=utcnow() + timedelta(minutes=5))
    mark.reminder_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["forum", "notifications", "send-due"])
    assert "Bookmark reminders sent: 1" in result.output
    again = runner.invoke(args=["forum", "notifications", "send-due"])
    assert "sent: 0" in again.output
    [note] = db.session.scalars(select(Notification).where(
        Notification.kind == kinds.KIND_BOOKMARK_REMINDER)).all()
    assert note.user_id == other_member.id and note.data["name"] == "Вернуться"


def test_a_reminder_in_the_future_waits(first_post, other_member):
    bookmarks.create_bookmark(first_post, user=other_member,
                              reminder_at=utcnow() + timedelta(hours=1))
    assert bookmarks.send_due_reminders() == 0


def test_no_reminder_about_a_post_the_member_can_no_longer_read(db, first_post, other_member,
                                                                moderator):
    mark = bookmarks.create_bookmark(first_post, user=other_member,
                                     reminder_at=utcnow() + timedelta(minutes=5))
    topics.delete_topic(first_post.topic, actor=moderator)
    assert bookmarks.send_due_reminders(now=utcnow() + timedelta(hours=1)) == 0
    assert mark.reminded_at is not None
