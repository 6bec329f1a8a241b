"""Topic lists and a member's counts run statements kept per viewer shape: viewers of one
shape share a statement, never each other's ids (forum.permissions.filters.TopicsVisibility)."""

from __future__ import annotations

from flask import g

from forum import permissions
from forum.extensions import db
from forum.following import queries as following
from forum.following import services
from forum.following.filters import viewer_mutes
from forum.models import LEVEL_MUTED
from forum.topics import queries
from tests import factories


def visibility(user) -> permissions.TopicsVisibility:
    return permissions.topics_visibility(user, permissions.viewer_categories(user))


def test_a_teacher_and_a_student_share_statements_but_not_what_they_see(
        member, student, other_member, category, private_category):
    public = factories.make_topic(category=category, author=other_member, title="Открытая тема")
    secret = factories.make_topic(category=private_category, author=other_member,
                                  title="Секретная тема учительской")
    db.session.commit()
    assert visibility(member).shape == visibility(student).shape
    assert visibility(member).values != visibility(student).values

    assert {public.id, secret.id} <= set(queries.latest_topics(member).ids)
    assert following.counts(member).new == 2
    assert queries.category_topics(member, private_category).ids == [secret.id]
    # The same kept statements, run with the student's values, right after the teacher's.
    assert public.id in queries.latest_topics(student).ids
    assert secret.id not in queries.latest_topics(student).ids
    assert following.counts(student).new == 1
    assert queries.category_topics(student, private_category).ids == []


def test_a_mute_reaches_the_kept_statement_as_a_value(member, other_member, category):
    loud = factories.make_topic(category=category, author=other_member, title="Громкая тема")
    quiet = factories.make_topic(category=category, author=other_member, title="Тихая тема")
    db.session.commit()
    services.set_topic_level(quiet, user=member, level=LEVEL_MUTED)
    db.session.commit()
    assert viewer_mutes(member).values == {"muted_topics": [quiet.id]}
    listed = queries.latest_topics(member).ids
    assert loud.id in listed and quiet.id not in listed
    assert quiet.id in queries.latest_topics(other_member).ids
    assert following.counts(member).new == 1


def _fresh_request_state():
    # As in production: a new session per request, and no user kept from the last one.
    db.session.remove()
    g.pop("_login_user", None)


def test_a_member_who_mutes_nothing_costs_no_mutes_query(login, client, count_queries,
                                                         member, topic):
    login(member)
    _fresh_request_state()
    with count_queries() as statements:
        assert client.get("/latest").status_code == 200
    assert not [s for s in statements if "UNION ALL" in s and "topic_users" in s]


def test_a_topic_muted_from_its_page_leaves_latest_at_once(login, client, member,
                                                           other_member, category):
    factories.make_topic(category=category, author=other_member, title="Громкая тема")
    quiet_id = factories.make_topic(category=category, author=other_member,
                                    title="Тихая тема").id
    login(member)
    _fresh_request_state()
    assert "Тихая тема" in client.get("/latest").get_data(as_text=True)
    response = client.post(f"/t/{quiet_id}/notification-level",
                           data={"notification_level": LEVEL_MUTED})
    assert response.status_code in (302, 303)
    _fresh_request_state()
    page = client.get("/latest").get_data(as_text=True)
    assert "Громкая тема" in page and "Тихая тема" not in page
