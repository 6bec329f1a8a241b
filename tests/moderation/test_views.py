"""The moderation pages through HTTP: the permission matrix, effects, placeholders, toolbar."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.models import HIDDEN_AWAITING_APPROVAL, HIDDEN_FLAGGED, Post, StaffAction, Topic
from forum.moderation import topic_actions
from forum.topics import services
from tests import factories
from tests.moderation.conftest import ROLES


def state(topic_id: int) -> tuple:
    db.session.expire_all()
    topic = db.session.get(Topic, topic_id)
    first = services.post_by_number(topic, 1)
    return (topic.pinned_at is not None, topic.is_closed, topic.is_archived, topic.is_visible,
            topic.slow_mode_seconds, topic.is_banner, first.hidden_at is not None,
            topic.posts_count)


# (action, form data); every one of them changes `state` when allowed.
TOPIC_ACTIONS = [
    ("pin", {}), ("close", {"reason": "Решено"}), ("archive", {}), ("unlist", {}),
    ("slow-mode", {"minutes": "15"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "data"), TOPIC_ACTIONS)
def test_topic_actions_follow_the_permission_matrix(signed_in_as, topic, role, action, data,
                                                    request):
    request.getfixturevalue("subject_moderator")
    request.getfixturevalue("other_subject_moderator")
    client = signed_in_as(role)
    before = state(topic.id)
    response = client.post(f"/t/{topic.id}/{action}", data=data)
    if ROLES[role]:
        assert response.status_code == 303
        assert state(topic.id) != before
        assert db.session.query(StaffAction).count() == 1
    else:
        assert response.status_code in (302, 403)  # 302: guests are sent to the login page
        if response.status_code == 302:
            assert "/login" in response.headers["Location"]
        assert state(topic.id) == before
        assert db.session.query(StaffAction).count() == 0


# (undoing action, the service that first sets the state up)
UNDO_ACTIONS = [("unpin", "pin_topic"), ("open", "close_topic"), ("unarchive", "archive_topic"),
                ("list", "unlist_topic")]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "setup"), UNDO_ACTIONS)
def test_undoing_actions_follow_the_permission_matrix(signed_in_as, topic, role, action, setup,
                                                      subject_moderator,
                                                      other_subject_moderator):
    getattr(topic_actions, setup)(topic, actor=subject_moderator)
    db.session.commit()
    client = signed_in_as(role)
    before = state(topic.id)
    response = client.post(f"/t/{topic.id}/{action}")
    assert response.status_code in ((303,) if ROLES[role] else (302, 403))
    assert (state(topic.id) != before) == ROLES[role]
    assert db.session.query(StaffAction).count() == (2 if ROLES[role] else 1)


@pytest.mark.parametrize("role", ROLES)
def test_hiding_a_post_follows_the_permission_matrix(signed_in_as, topic, role, request):
    request.getfixturevalue("subject_moderator")
    request.getfixturevalue("other_subject_moderator")
    post = services.post_by_number(topic, 1)
    client = signed_in_as(role)
    response = client.post(f"/posts/{post.id}/hide")
    db.session.expire_all()
    assert (db.session.get(Post, post.id).hidden_at is not None) == ROLES[role]
    assert response.status_code in ((303,) if ROLES[role] else (302, 403))


@pytest.mark.parametrize("role", ROLES)
def test_the_move_posts_page_follows_the_permission_matrix(signed_in_as, topic, role,
                                                           request, other_member):
    request.getfixturevalue("subject_moderator")
    request.getfixturevalue("other_subject_moderator")
    reply = factories.make_post(topic, author=other_member)
    db.session.commit()
    client = signed_in_as(role)
    assert client.get(f"/t/{topic.id}/move-posts").status_code in (
        (200,) if ROLES[role] else (302, 403))
    response = client.post(f"/t/{topic.id}/move-posts", data={
        "post_ids": [str(reply.id)], "mode": "new", "title": "Ответ в отдельной теме",
        "category_id": str(topic.category_id)})
    db.session.expire_all()
    moved = db.session.get(Post, reply.id).topic_id != topic.id
    assert moved == ROLES[role]
    assert response.status_code in ((303,) if ROLES[role] else (302, 403))


def test_the_banner_needs_staff(signed_in_as, topic, subject_moderator):
    client = signed_in_as("subject_moderator")
    assert client.post(f"/t/{topic.id}/banner").status_code == 403
    db.session.expire_all()
    assert not db.session.get(Topic, topic.id).is_banner


def test_a_moderator_sees_the_toolbar_and_a_member_does_not(signed_in_as, topic,
                                                            subject_moderator):
    url = f"/t/{topic.slug}/{topic.id}"
    assert 'class="mod-toolbar"' not in signed_in_as("guest").get(url).get_data(as_text=True)
    page = signed_in_as("subject_moderator").get(url).get_data(as_text=True)
    assert 'class="mod-toolbar"' in page and f"/t/{topic.id}/close" in page
    assert "Make it the site banner" not in page  # staff only


def test_the_toolbar_is_absent_for_moderators_of_other_categories(signed_in_as, topic,
                                                                 other_subject_moderator):
    page = signed_in_as("other_subject_moderator").get(f"/t/{topic.slug}/{topic.id}")
    assert 'class="mod-toolbar"' not in page.get_data(as_text=True)


def test_pinning_from_the_toolbar_with_a_date_and_closing(signed_in_as, topic,
                                                          subject_moderator):
    client = signed_in_as("subject_moderator")
    response = client.post(f"/t/{topic.id}/pin", data={"until": "2099-01-31"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Topic, topic.id).pinned_until.year == 2099
    assert client.post(f"/t/{topic.id}/pin", data={"until": "31.01.2099"}).status_code == 422
    client.post(f"/t/{topic.id}/close")
    page = client.get(f"/t/{topic.slug}/{topic.id}").get_data(as_text=True)
    assert "This topic is closed" in page and "Only the moderators" in page


def test_the_topic_page_tells_about_archive_unlisting_and_slow_mode(client, topic,
                                                                     subject_moderator):
    topic_actions.archive_topic(topic, actor=subject_moderator)
    topic_actions.unlist_topic(topic, actor=subject_moderator)
    db.session.commit()
    page = client.get(f"/t/{topic.slug}/{topic.id}").get_data(as_text=True)
    assert "This topic is archived" in page and "This topic is unlisted" in page
    topic_actions.unarchive_topic(topic, actor=subject_moderator)
    topic_actions.set_slow_mode(topic, actor=subject_moderator, minutes=30)
    db.session.commit()
    page = client.get(f"/t/{topic.slug}/{topic.id}").get_data(as_text=True)
    assert "once every 30 minutes" in page


def test_a_slow_mode_refusal_keeps_the_typed_reply(signed_in_as, topic, subject_moderator,
                                                   other_member):
    topic_actions.set_slow_mode(topic, actor=subject_moderator, minutes=10)
    factories.make_post(topic, author=other_member)
    db.session.commit()
    client = signed_in_as("other_member")
    response = client.post(f"/t/{topic.id}/reply", data={"raw": "Очень важный второй ответ"})
    page = response.get_data(as_text=True)
    assert response.status_code == 429  # the slow-mode refusal, with the text kept
    assert "again in 10 minutes" in page and "Очень важный второй ответ" in page


def test_archived_topics_are_listed_apart_in_their_category(client, topic, category,
                                                            subject_moderator):
    archived = factories.make_topic(category=category, title="Прошлогодняя олимпиада")
    topic_actions.archive_topic(archived, actor=subject_moderator)
    db.session.commit()
    listing = client.get(f"/c/{category.slug}/{category.id}").get_data(as_text=True)
    assert topic.title in listing and archived.title not in listing
    listing = client.get(f"/c/{category.slug}/{category.id}?status=archived").get_data(
        as_text=True)
    assert archived.title in listing and topic.title not in listing


def test_pinned_topics_are_marked_and_lead_the_category(client, category, topic,
                                                        subject_moderator):
    pinned = factories.make_topic(category=category, title="Правила раздела математики")
    factories.make_post(topic)
    topic_actions.pin_topic(pinned, actor=subject_moderator)
    db.session.commit()
    page = client.get(f"/c/{category.slug}/{category.id}").get_data(as_text=True)
    assert page.index(pinned.title) < page.index(topic.title)
    assert 'class="tag tag-pinned"' in page


# --- placeholders --------------------------------------------------------------------------------

@pytest.fixture
def reply(db, topic, other_member):
    post = factories.make_post(topic, author=other_member, raw="Секретный текст ответа")
    db.session.commit()
    return post


def page_of(client, topic) -> str:
    return client.get(f"/t/{topic.slug}/{topic.id}").get_data(as_text=True)


def test_readers_see_that_a_moderator_deleted_a_post(signed_in_as, topic, reply,
                                                     subject_moderator):
    services.delete_post(reply, actor=subject_moderator)
    db.session.commit()
    page = page_of(signed_in_as("member"), topic)
    assert "message deleted by a moderator" in page and "Секретный текст" not in page
    page = page_of(signed_in_as("subject_moderator"), topic)
    assert "Секретный текст" in page and "Deleted by a moderator" in page


def test_readers_see_that_the_author_deleted_a_post(client, topic, reply, other_member):
    services.delete_post(reply, actor=other_member)
    db.session.commit()
    page = page_of(client, topic)
    assert "deleted by its author" in page and "Секретный текст" not in page


def test_the_russian_placeholder_for_a_moderators_deletion(client, topic, reply,
                                                          subject_moderator):
    services.delete_post(reply, actor=subject_moderator)
    db.session.commit()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ru"
    page = page_of(client, topic)
    if "message deleted by a moderator" in page:  # i18n/ru-a.py is not merged in yet
        pytest.skip("the Russian catalogue does not have this branch's strings yet")
    assert "сообщение удалено модератором" in page


@pytest.mark.parametrize(("reason", "reader_text", "author_text"), [
    ("moderator", "hidden by a moderator", "Hidden by a moderator"),
    (HIDDEN_FLAGGED, "hidden after flags", "which sends it back for review"),
    # A held post is not shown to readers at all, not even as a placeholder.
    (HIDDEN_AWAITING_APPROVAL, None, "Awaiting a moderator's approval"),
])
def test_a_hidden_post_shows_a_placeholder_to_readers_and_a_notice_to_its_author(
        signed_in_as, topic, reply, subject_moderator, reason, reader_text, author_text):
    topic_actions.hide_post(reply, actor=subject_moderator)
    reply.hidden_reason = reason
    db.session.commit()
    page = page_of(signed_in_as("member"), topic).replace("&#39;", "'")
    assert (reader_text is None or reader_text in page) and "Секретный текст" not in page
    page = page_of(signed_in_as("other_member"), topic).replace("&#39;", "'")
    assert author_text in page and "Секретный текст" in page


def test_a_moderator_sees_a_hidden_posts_content_and_can_unhide_it(signed_in_as, topic, reply,
                                                                   subject_moderator):
    topic_actions.hide_post(reply, actor=subject_moderator)
    db.session.commit()
    client = signed_in_as("subject_moderator")
    page = page_of(client, topic)
    assert "Секретный текст" in page and f"/posts/{reply.id}/unhide" in page
    assert client.post(f"/posts/{reply.id}/unhide").status_code == 303
    db.session.expire_all()
    assert db.session.get(Post, reply.id).hidden_at is None


# --- the banner ----------------------------------------------------------------------------------

def test_the_banner_shows_on_every_page_until_a_member_dismisses_it(signed_in_as, topic,
                                                                    moderator, member):
    topic_actions.make_banner(topic, actor=moderator)
    db.session.commit()
    client = signed_in_as("member")
    for url in ("/", "/categories", f"/u/{member.username}"):
        assert 'class="site-banner' in client.get(url).get_data(as_text=True)
    assert client.post(f"/banner/{topic.id}/dismiss").status_code == 303
    assert 'class="site-banner' not in client.get("/").get_data(as_text=True)


def test_guests_get_the_banner_in_the_html_with_a_script_dismissal(client, topic, moderator):
    topic_actions.make_banner(topic, actor=moderator)
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert f'data-banner-id="{topic.id}"' in page and "data-dismiss-banner" in page


def test_a_guest_cannot_dismiss_the_banner_on_the_server(client, topic, moderator):
    topic_actions.make_banner(topic, actor=moderator)
    db.session.commit()
    assert client.post(f"/banner/{topic.id}/dismiss").status_code == 302


def test_a_stale_move_form_keeps_the_selection_and_explains(signed_in_as, topic,
                                                            subject_moderator, other_member):
    first, second = factories.make_post(topic, author=other_member), factories.make_post(
        topic, author=other_member)
    services.delete_post(second, actor=subject_moderator)
    db.session.commit()
    client = signed_in_as("subject_moderator")
    response = client.post(f"/t/{topic.id}/move-posts", data={
        "post_ids": [str(first.id), str(second.id)], "mode": "new",
        "title": "Заголовок, который не пропадёт", "category_id": str(topic.category_id)})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "deleted meanwhile" in page and "Заголовок, который не пропадёт" in page
    assert f'value="{first.id}" checked' in page


def test_merging_from_the_page_into_a_topic_given_by_its_address(signed_in_as, topic, category,
                                                                 subject_moderator,
                                                                 other_member):
    target = factories.make_topic(category=category, author=other_member, title="Куда сливаем")
    db.session.commit()
    client = signed_in_as("subject_moderator")
    first = services.post_by_number(topic, 1)
    response = client.post(f"/t/{topic.id}/move-posts", data={
        "post_ids": [str(first.id)], "mode": "existing",
        "destination": f"http://localhost/t/{target.slug}/{target.id}"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/t/{target.slug}/{target.id}")
    db.session.expire_all()
    assert db.session.get(Topic, topic.id).deleted_at is not None
    old = client.get(f"/t/{topic.slug}/{topic.id}")
    assert old.status_code == 301 and f"/t/{target.slug}/{target.id}/2" in old.headers[
        "Location"]
