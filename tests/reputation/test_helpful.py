"""Helpful replies: only the topic's author marks others' replies, a few per topic; the mark
credits the reply's author, shows to every reader, and works from the page and the API."""

from __future__ import annotations

import re

import pytest

from forum.accounts.services import create_api_key
from forum.errors import DomainError
from forum.extensions import db
from forum.models import Post
from forum.reputation import helpful
from forum.settings import set_setting
from forum.topics import services as topics
from tests import factories
from tests.reputation.helpers import ledger, member_at, reputation_of

pytestmark = pytest.mark.usefixtures("without_badges", "english_by_default")


@pytest.fixture
def asker(db):
    return member_at(1, "sprashivaet")


@pytest.fixture
def topic(asker, category):
    return factories.make_topic(category=category, author=asker, title="Как объяснить дроби?")


@pytest.fixture
def answerer(db):
    return member_at(1, "otvechaet")


@pytest.fixture
def reply(topic, answerer):
    return factories.make_post(topic, author=answerer, raw="Через пиццу: делим на части.")


def _refused(post, user, words, *, status=403):
    db.session.commit()  # the refusal's rollback must keep the scene
    with pytest.raises(DomainError) as caught:
        helpful.mark_helpful(post, user=user)
    db.session.rollback()
    assert words in str(caught.value.message)
    assert caught.value.status_code == status
    assert db.session.get(Post, post.id).helpful_at is None


def test_the_topic_author_marks_a_reply_and_its_author_earns_points(reply, asker, answerer):
    helpful.mark_helpful(reply, user=asker)
    assert reply.helpful_at is not None
    assert reputation_of(answerer) == 15
    assert [(kind, key) for _user, kind, key, *_ in ledger(answerer)] == [
        ("helpful_reply", f"helpful:{reply.id}")]


def test_taking_the_mark_back_takes_the_points_back(reply, asker, answerer):
    helpful.mark_helpful(reply, user=asker)
    helpful.unmark_helpful(reply, user=asker)
    assert reply.helpful_at is None
    assert reputation_of(answerer) == 0
    assert ledger(answerer) == []


def test_the_weight_is_an_admin_setting(reply, asker, answerer):
    set_setting("reputation_points_helpful_reply", 40)
    helpful.mark_helpful(reply, user=asker)
    assert reputation_of(answerer) == 40


def test_someone_else_cannot_mark(reply, answerer):
    _refused(reply, member_at(1), "Only the topic's author")


def test_the_author_cannot_mark_their_own_reply_or_the_first_post(topic, asker):
    own = factories.make_post(topic, author=asker, raw="Уточняю вопрос.")
    _refused(own, asker, "your own reply")
    _refused(topics.post_by_number(topic, 1), asker, "first post")


def test_a_deleted_reply_or_a_closed_topic_cannot_be_marked(topic, reply, asker, moderator):
    topics.delete_post(reply, actor=moderator)
    _refused(reply, asker, "deleted or hidden")
    other = factories.make_post(topic, author=member_at(1), raw="Ещё идея.")
    topic.is_closed = True
    db.session.flush()
    _refused(other, asker, "closed")


def test_twice_is_refused_and_changes_nothing(reply, asker, answerer):
    helpful.mark_helpful(reply, user=asker)
    with pytest.raises(DomainError) as caught:
        helpful.mark_helpful(reply, user=asker)
    assert caught.value.status_code == 409
    assert reputation_of(answerer) == 15


def test_a_topic_takes_only_a_few_marks(topic, asker):
    set_setting("helpful_replies_per_topic", 2)
    replies = [factories.make_post(topic, author=member_at(1), raw=f"Идея {i}") for i in range(3)]
    helpful.mark_helpful(replies[0], user=asker)
    helpful.mark_helpful(replies[1], user=asker)
    _refused(replies[2], asker, "at most 2 replies", status=422)
    helpful.unmark_helpful(replies[0], user=asker)
    helpful.mark_helpful(replies[2], user=asker)


def test_a_silenced_author_cannot_mark(reply, asker):
    factories.silence(asker)
    _refused(reply, asker, "You cannot mark")


def test_the_page_shows_the_button_to_the_author_and_the_mark_to_everyone(
        client, login, reply, asker, answerer):
    db.session.commit()
    login(asker)
    page = client.get(reply.topic.url).get_data(as_text=True)
    assert "Mark helpful" in page
    response = client.post(f"/posts/{reply.id}/helpful",
                           data={"csrf_token": _csrf(client, reply)})
    assert response.status_code == 302
    client.post("/logout", data={"csrf_token": _csrf(client, reply)})
    guest_page = client.get(reply.topic.url).get_data(as_text=True)
    assert "Helpful reply" in guest_page and "Mark helpful" not in guest_page
    assert reputation_of(answerer) == 15


def test_another_member_sees_no_button_and_the_form_refuses_them(client, login, reply):
    db.session.commit()
    login(member_at(1, "chuzhoy"))
    page = client.get(reply.topic.url).get_data(as_text=True)
    assert "Mark helpful" not in page
    client.post(f"/posts/{reply.id}/helpful", data={"csrf_token": _csrf(client, reply)})
    assert db.session.get(Post, reply.id).helpful_at is None


def test_the_discourse_solution_api(client, reply, asker, answerer):
    key = create_api_key(actor=None, user=asker, description="test client")
    db.session.commit()
    headers = {"Api-Key": key, "Api-Username": asker.username}
    accepted = client.post("/solution/accept", json={"id": reply.id}, headers=headers)
    assert accepted.status_code == 200, accepted.get_data(as_text=True)
    assert accepted.get_json()["accepted_answer"] is True
    again = client.post("/solution/accept", json={"id": reply.id}, headers=headers)
    assert again.status_code == 409
    undone = client.post("/solution/unaccept", json={"id": reply.id}, headers=headers)
    assert undone.get_json()["accepted_answer"] is False
    assert reputation_of(answerer) == 0


def _csrf(client, post) -> str:
    page = client.get(post.topic.url).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
