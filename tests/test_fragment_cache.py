"""Kept list rows and posts (forum.fragment_cache): never shown to someone who may not see
them, replaced at once by an edit, and never carrying another viewer's controls."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import current_app, g

from forum import templating
from forum.extensions import db
from forum.models import utcnow
from forum.moderation import topic_actions
from forum.topics import queries, services
from tests import factories


@pytest.fixture
def kept(app):
    """The app's fragment store, which these tests expect to be in use."""
    return app.extensions["fragment_cache"]


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_a_private_topic_row_kept_for_a_teacher_never_shows_to_a_guest(
        app, client, login, member, category, private_category, kept):
    factories.make_topic(category=category, title="Открытая тема для всех")
    factories.make_topic(category=private_category, title="Секретная тема учительской")
    db.session.commit()
    assert "Секретная тема учительской" in page(login(member), "/latest")
    assert len(kept.data) == 2

    guest = app.test_client()
    html = page(guest, "/latest")
    assert "Открытая тема для всех" in html
    assert "Секретная тема учительской" not in html


def test_a_private_post_kept_for_a_teacher_never_shows_to_a_guest(
        app, client, login, member, private_category, kept):
    topic = factories.make_topic(category=private_category, title="Секретная тема учительской",
                                 raw="Пароль от учительской: сова")
    db.session.commit()
    url = f"/t/{topic.slug}/{topic.id}"
    assert "Пароль от учительской" in page(login(member), url)
    assert kept.data

    response = app.test_client().get(url)
    assert response.status_code == 404
    assert "Пароль от учительской" not in response.get_data(as_text=True)


def test_an_edit_shows_at_once_in_lists_and_on_the_topic_page(client, topic, member, kept):
    url = f"/t/{topic.slug}/{topic.id}"
    page(client, "/latest"), page(client, url)
    assert kept.data
    services.edit_post(services.post_by_number(topic, 1), editor=member,
                       raw="Совсем новый текст поста.", title="Как объяснять проценты")
    db.session.commit()

    assert "Как объяснять проценты" in page(client, "/latest")
    html = page(client, f"/t/{topic.slug}/{topic.id}")  # the new title's slug
    assert "Совсем новый текст поста." in html
    assert "Первое сообщение темы." not in html


def test_each_viewer_gets_their_own_controls_under_kept_posts(
        app, login, topic, member, other_member):
    reply = factories.make_post(topic, author=other_member, raw="Ответ Бориса")
    db.session.commit()
    url = f"/t/{topic.slug}/{topic.id}"
    first_edit = f"/posts/{services.post_by_number(topic, 1).id}/edit"
    reply_edit = f"/posts/{reply.id}/edit"

    as_anna = page(login(member), url)
    assert first_edit in as_anna and reply_edit not in as_anna
    boris = app.test_client()
    boris.post("/login", data={"login": other_member.username, "password": factories.PASSWORD})
    as_boris = page(boris, url)
    assert reply_edit in as_boris and first_edit not in as_boris
    as_guest = page(app.test_client(), url)
    assert first_edit not in as_guest and reply_edit not in as_guest


def test_a_deleted_post_shows_each_viewer_their_own_version(app, login, topic, member,
                                                            moderator, other_member):
    reply = factories.make_post(topic, author=other_member, raw="Ответ, который удалят")
    db.session.commit()
    services.delete_post(reply, actor=moderator)
    db.session.commit()
    url = f"/t/{topic.slug}/{topic.id}"

    page(app.test_client(), url)  # a guest sees (and might leave behind) the placeholder
    assert "Ответ, который удалят" in page(login(moderator), url)
    assert "Ответ, который удалят" not in page(app.test_client(), url)


def test_relative_times_are_worked_out_for_each_request(client, topic, monkeypatch, kept):
    url = f"/t/{topic.slug}/{topic.id}"
    first = page(client, url)
    assert kept.data
    later = utcnow() + timedelta(days=3)
    monkeypatch.setattr(templating, "utcnow", lambda: later)
    with current_app.test_request_context():
        three_days = templating.timeago(services.post_by_number(topic, 1).created_at)
    second = page(client, url)
    assert three_days in second and three_days not in first


def test_a_pin_that_will_lapse_is_never_kept(client, topic, admin, kept):
    topic.pinned_at = utcnow()
    topic.pinned_until = utcnow() + timedelta(days=1)
    db.session.commit()
    assert topic.title in page(client, f"/c/{topic.category.slug}/{topic.category.id}")
    assert not [key for key in kept.data if "topic-row" in key[3]]


def test_a_kept_global_pin_leaves_latest_when_it_lapses(client, category, topic, moderator,
                                                         monkeypatch):
    older = factories.make_topic(category=category, title="Закреплённая тема о дробях")
    older.bumped_at = utcnow() - timedelta(days=3)
    topic_actions.pin_topic(older, actor=moderator, globally=True,
                            until=utcnow() + timedelta(hours=1))
    db.session.commit()
    first = page(client, "/latest")
    assert first.index(older.title) < first.index(topic.title)
    # The pins are kept for the generation; nothing changed, but the pin's time ran out.
    later = utcnow() + timedelta(hours=2)
    monkeypatch.setattr(queries, "utcnow", lambda: later)
    second = page(client, "/latest")
    assert second.index(topic.title) < second.index(older.title)


def test_a_global_pin_made_after_latest_was_read_leads_it_at_once(client, category, topic,
                                                                 moderator):
    older = factories.make_topic(category=category, title="Тема, которую закрепят позже")
    older.bumped_at = utcnow() - timedelta(days=3)
    db.session.commit()
    first = page(client, "/latest")
    assert first.index(topic.title) < first.index(older.title)
    topic_actions.pin_topic(older, actor=moderator, globally=True)
    db.session.commit()
    second = page(client, "/latest")
    assert second.index(older.title) < second.index(topic.title)


def _csrf_tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', html))


def fresh_page(client, url: str) -> str:
    # Tests share one app context across requests, and Flask-WTF keeps the request's token
    # (as the page keeps the viewer's likes) in its `g`; a server starts each request without.
    for key in ("csrf_token", "kafedra_page_likes"):
        g.pop(key, None)
    return page(client, url)


def test_kept_post_controls_carry_each_viewers_own_csrf_token(app, login, topic, member,
                                                              other_member, kept):
    reply = factories.make_post(topic, author=member, raw="Ответ Анны, который Борис оценит")
    db.session.commit()
    url = f"/t/{topic.slug}/{topic.id}"
    boris = app.test_client()
    boris.post("/login", data={"login": other_member.username, "password": factories.PASSWORD})
    first = fresh_page(boris, url)  # keeps the footers Boris's permissions call for
    assert [key for key in kept.data if key[3] == "post-footer"]
    anna_tokens = _csrf_tokens(fresh_page(login(member), url))

    second = fresh_page(boris, url)  # served from what was kept
    assert f"/posts/{reply.id}/like" in second
    tokens = _csrf_tokens(second)
    assert len(tokens) == 1 and tokens.isdisjoint(anna_tokens)
    response = boris.post(f"/posts/{reply.id}/like", data={"csrf_token": tokens.pop()})
    assert response.status_code in (200, 302), response.get_data(as_text=True)[:300]
    db.session.refresh(reply)
    assert reply.like_count == 1
    assert 'aria-pressed="true"' in fresh_page(boris, url) and 'aria-pressed="true"' not in first


def test_a_guests_topic_page_starts_no_session(app, topic, kept):
    guest = app.test_client()
    url = f"/t/{topic.slug}/{topic.id}"
    page(guest, url)
    response = guest.get(url)
    assert "Set-Cookie" not in response.headers
    assert "csrf_token" not in response.get_data(as_text=True)
