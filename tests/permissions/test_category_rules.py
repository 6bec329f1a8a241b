"""permissions.category_rules: a category's grants and moderators, kept for the content
generation, so topic pages need not load them; every change to them shows on the next view."""

from __future__ import annotations

from forum.categories import services as categories
from forum.extensions import db
from forum.models import PERMISSION_FULL


def _topic_url(topic) -> str:
    return f"/t/{topic.slug}/{topic.id}"


def test_a_new_subject_moderator_gets_the_toolbar_on_the_next_view(
        app, login, member, admin, topic):
    client = login(member)
    assert 'id="moderation"' not in client.get(_topic_url(topic)).get_data(as_text=True)

    categories.assign_moderator(topic.category, member, actor=admin)
    db.session.commit()
    assert 'id="moderation"' in client.get(_topic_url(topic)).get_data(as_text=True)

    categories.remove_moderator(topic.category, member, actor=admin)
    db.session.commit()
    assert 'id="moderation"' not in client.get(_topic_url(topic)).get_data(as_text=True)


def test_a_category_closed_to_members_hides_its_topics_on_the_next_view(
        app, login, member, admin, topic):
    client = login(member)
    assert client.get(_topic_url(topic)).status_code == 200

    categories.set_permissions(topic.category, {"staff": PERMISSION_FULL}, actor=admin)
    db.session.commit()
    assert client.get(_topic_url(topic)).status_code == 404


def test_a_topic_page_does_not_load_its_category_rules_once_they_are_kept(
        app, client, topic, count_queries):
    url = _topic_url(topic)
    db.session.commit()
    client.get(url)  # keeps the rules for this content generation
    db.session.expunge_all()  # tests share one session: load the topic afresh, as a worker does
    with count_queries() as queries:
        assert client.get(url).status_code == 200
    assert not [q for q in queries if "category_permissions" in q or "category_moderators" in q]


def test_a_category_closed_to_members_is_hidden_on_its_next_view(
        app, login, member, admin, category):
    client = login(member)
    url = f"/c/{category.slug}/{category.id}"
    assert client.get(url).status_code == 200

    categories.set_permissions(category, {"staff": PERMISSION_FULL}, actor=admin)
    db.session.commit()
    assert client.get(url).status_code == 404
