"""List and topic endpoints cost a fixed number of queries however much there is to show."""

from __future__ import annotations

import pytest

from forum.models import Category, Topic
from tests import factories

# Generous enough for auth, permissions and eager loads; an N+1 on 30 topics blows through it.
MAX_QUERIES = 20


def grow(db, category_id: int, topic_id: int, *, topics: int, replies: int) -> None:
    """Add topics (each by a new author, answered by another) and replies by new authors."""
    category, topic = db.session.get(Category, category_id), db.session.get(Topic, topic_id)
    for _ in range(topics):
        extra = factories.make_topic(category=category, author=factories.make_user())
        factories.make_post(extra, author=factories.make_user())
    for _ in range(replies):
        factories.make_post(topic, author=factories.make_user())
    db.session.commit()


def queries_for(db, client, count_queries, path: str, headers: dict) -> int:
    """Statements one request runs, starting from an empty session as production does."""
    db.session.remove()
    with count_queries() as statements:
        response = client.get(path, headers=headers)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("viewer", ["guest", "member"])
def test_lists_and_topics_cost_the_same_queries_at_ten_times_the_data(
        db, client, count_queries, category, private_category, topic, api_headers, member,
        viewer):
    child = factories.make_category("Геометрия", parent=category)
    factories.make_topic(category=private_category, author=member)
    headers = api_headers(member) if viewer == "member" else {}
    paths = ["/latest.json", f"/c/{category.slug}/{category.id}.json", f"/t/{topic.id}.json",
             "/categories.json", "/site.json"]
    ids = child.id, topic.id
    grow(db, *ids, topics=2, replies=1)
    small = {p: queries_for(db, client, count_queries, p, headers) for p in paths}
    grow(db, *ids, topics=27, replies=18)  # 29 topics and 19 replies: ~10x
    large = {p: queries_for(db, client, count_queries, p, headers) for p in paths}
    assert large == small
    assert max(large.values()) <= MAX_QUERIES, large


def test_reading_a_topic_writes_nothing(db, client, count_queries, topic, other_member):
    factories.make_post(topic, author=other_member)
    db.session.commit()
    path = f"/t/{topic.id}.json"
    db.session.remove()
    with count_queries() as statements:
        client.get(path)
    writes = [s for s in statements if not s.lstrip().upper().startswith("SELECT")]
    assert writes == []
