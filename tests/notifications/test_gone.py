"""Notifications whose post or topic was deleted, or moved where the reader cannot follow, are
shown as gone: said so, not linked, never naming what the reader may no longer see, never 500."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum import permissions
from forum.extensions import db
from forum.models import PERMISSION_FULL, Notification
from forum.notifications import services
from forum.topics import services as topics
from tests import factories

SECRET = "Секретный разговор о проверке"


@pytest.fixture
def mentioned(category, member, other_member):
    """boris opens a topic and mentions anna in a reply: anna has a notification about it."""
    topic = factories.make_topic(category=category, author=other_member, title=SECRET)
    post = topics.reply(topic, author=other_member, raw="@anna посмотрите, пожалуйста.")
    db.session.commit()
    [note] = db.session.scalars(select(Notification).where(Notification.user_id == member.id))
    assert note.kind == services.KIND_MENTIONED
    return topic, post, note


def _json(client, user):
    from forum.accounts.services import create_api_key

    key = create_api_key(actor=None, user=user)
    db.session.commit()
    return client.get("/notifications.json", headers={
        "Api-Key": key, "Api-Username": user.username, "Accept-Language": "ru"})


def _assert_gone(browser_for, client, member, note, sentence_ru):
    page = browser_for(member, "ru").get("/notifications")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert sentence_ru in html and SECRET not in html
    assert f"/notifications/{note.id}/open" not in html  # no link
    response = _json(client, member)
    assert response.status_code == 200 and SECRET not in response.get_data(as_text=True)
    [item] = response.get_json()["notifications"]
    assert item["gone"] is True and item["text"] == sentence_ru
    assert item["topic_id"] is None and item["slug"] is None and item["fancy_title"] is None
    assert item["post_number"] is None


def test_a_notification_before_anything_is_deleted_links_to_the_post(browser_for, client,
                                                                     member, mentioned):
    topic, post, note = mentioned
    html = browser_for(member).get("/notifications").get_data(as_text=True)
    assert SECRET in html and f"/notifications/{note.id}/open" in html
    assert _json(client, member).get_json()["notifications"][0]["gone"] is False


def test_a_deleted_post_is_shown_as_gone(browser_for, client, member, other_member, mentioned):
    topic, post, note = mentioned
    topics.delete_post(post, actor=other_member)
    db.session.commit()
    _assert_gone(browser_for, client, member, note, "Сообщение удалено")
    # Opening it anyway (an old page) leads back to the list, not to a missing post.
    assert browser_for(member).post(f"/notifications/{note.id}/open").location.endswith(
        "/notifications")


def test_a_deleted_topic_is_shown_as_gone(browser_for, client, member, moderator, mentioned):
    topic, post, note = mentioned
    topics.delete_topic(topic, actor=moderator)
    db.session.commit()
    _assert_gone(browser_for, client, member, note, "Тема удалена или недоступна")


def test_a_topic_moved_to_a_private_category_is_shown_as_gone(browser_for, client, member,
                                                              mentioned):
    topic, post, note = mentioned
    topic.category = factories.make_category("Администрация",
                                             permissions={"staff": PERMISSION_FULL})
    db.session.commit()
    assert not permissions.can_view_topic(member, topic)
    _assert_gone(browser_for, client, member, note, "Тема удалена или недоступна")


def test_a_moderators_notice_about_a_deleted_post_still_says_what_happened(
        browser_for, member, moderator, topic):
    """Notices about the deletion itself are not "gone": they are the news."""
    post = topics.reply(topic, author=member, raw="Моё сообщение, которое удалят.")
    services.notify(member, services.KIND_MODERATOR_ACTION, data={"action": "post.delete"},
                    topic=topic, post_number=post.post_number)
    topics.delete_post(post, actor=moderator)
    db.session.commit()
    html = browser_for(member).get("/notifications").get_data(as_text=True)
    assert "A moderator deleted your post in “Как объяснять дроби”." in html
