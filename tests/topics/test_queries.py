"""Read paths cost a fixed number of queries, and a page view writes nothing in the request."""

from __future__ import annotations

import re

import pytest
from flask import current_app, g

from forum import activity
from forum.extensions import db
from forum.models import Topic
from forum.topics import queries, services
from tests import factories

# 12, plus the site banner lookup that every page makes, plus the content generation that
# pages with kept fragments read first (forum.fragment_cache).
MAX_QUERIES = 14
PROFILE_EXTRA = 1  # the profile lists the member's badges (forum.reputation.badges)
# A signed-in member's category page also reads their watching level for the category and
# their new/unread marks for the page's topics (forum.following), one query each, and, once
# per content generation, the categories they see and moderate, which the lists write into
# their SQL as id lists (forum.permissions.viewer_categories), and the ids of the category's
# subcategories (forum.categories.queries.child_category_ids): kept, they spare a category
# without subcategories its query for them on every later view.
CATEGORY_MEMBER_EXTRA = 4
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.I)


def build_forum(scale: int) -> dict[str, str]:
    """`scale` authors, categories (half of them subcategories) and topics, each with replies."""
    authors = [factories.make_user(f"author{scale}x{i}") for i in range(scale)]
    for i, user in enumerate(authors):
        user.name = f"Учитель {i}"
    parent = factories.make_category(f"Раздел {scale}")
    categories = [parent] + [
        factories.make_category(f"Подраздел {scale}-{i}", parent=parent if i % 2 else None)
        for i in range(scale - 1)]
    topics = []
    for i in range(scale * 3):
        topic = factories.make_topic(category=categories[i % scale], author=authors[i % scale],
                                     title=f"Тема номер {i} масштаба {scale}")
        topics.append(topic)
    big = topics[0]
    for i in range(min(scale * 2, 19)):  # up to a full first page of posts, many authors
        services.reply(big, author=authors[(i + 1) % scale], raw=f"Ответ @{authors[0].username}",
                       reply_to_post_number=1)
    db.session.commit()
    return {"topic": f"/t/{big.slug}/{big.id}", "latest": "/",
            "category": f"/c/{parent.slug}/{parent.id}", "categories": "/categories",
            "profile": f"/u/{authors[0].username}"}


def measure(client, count_queries, url: str) -> list[str]:
    """Statements one request runs, as in production: a fresh session and no cached user.

    Nor any kept fragment (forum.fragment_cache), page (forum.kept_pages) or answer
    (forum.generation_memo): the first view after a change is the one that loads every row.
    """
    db.session.remove()
    g.pop("_login_user", None)
    current_app.extensions["fragment_cache"].clear()
    current_app.extensions["kept_pages"].clear()  # nor a whole member's page
    current_app.extensions.pop("generation_memo", None)  # nor groups kept for the generation
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return list(statements)




@pytest.fixture
def viewer_login(client, login):
    def _as(role: str):
        if role == "member":
            login(factories.make_user("reader"))
        elif role == "moderator":
            login(factories.make_user("reader", role="moderator"))
        return client
    return _as


PAGES = ["topic", "latest", "category", "categories"]
VIEWERS = ["guest", "member", "moderator"]


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("page", PAGES)
def test_page_query_count_does_not_grow_with_the_data(viewer_login, count_queries, page,
                                                      viewer):
    client = viewer_login(viewer)
    small = build_forum(3)
    large = build_forum(30)
    small_count = len(measure(client, count_queries, small[page]))
    large_statements = measure(client, count_queries, large[page])
    assert len(large_statements) == small_count, "\n\n".join(large_statements)


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("page", [*PAGES, "profile"])
def test_page_query_count_stays_under_the_bound(viewer_login, count_queries, page, viewer):
    client = viewer_login(viewer)
    urls = build_forum(30)
    statements = measure(client, count_queries, urls[page])
    bound = MAX_QUERIES + (PROFILE_EXTRA if page == "profile" else 0) + (
        CATEGORY_MEMBER_EXTRA if page == "category" and viewer != "guest" else 0)
    assert len(statements) <= bound, "\n\n".join(statements)


def test_topic_page_later_pages_cost_the_same(client, count_queries, category, member,
                                              other_member):
    topic = factories.make_topic(category=category, author=member, replies=45)
    db.session.commit()
    url = f"/t/{topic.slug}/{topic.id}"
    first = measure(client, count_queries, url)
    third = measure(client, count_queries, url + "?page=3")
    assert len(first) == len(third)


# --- a page view writes nothing in the request ------------------------------------------------

@pytest.fixture(autouse=True)
def _clear_buffered_activity():
    activity.discard_pending()
    yield
    activity.discard_pending()


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("page", [*PAGES, "profile"])
def test_reading_a_page_runs_no_writes(viewer_login, count_queries, page, viewer):
    client = viewer_login(viewer)
    urls = build_forum(3)
    statements = measure(client, count_queries, urls[page])
    assert [s for s in statements if WRITES.match(s)] == []


def test_topic_view_is_counted_in_memory_and_written_by_flush(client, count_queries, topic):
    url = f"/t/{topic.slug}/{topic.id}"
    topic_id = topic.id
    for _ in range(3):
        statements = measure(client, count_queries, url)
        assert not [s for s in statements if WRITES.match(s)]
    assert activity.pending_counts()[0] == {topic_id: 3}
    assert db.session.get(Topic, topic_id).views == 0

    activity.flush()
    db.session.expire_all()
    assert db.session.get(Topic, topic_id).views == 3
    assert activity.pending_counts()[0] == {}


def test_flush_with_nothing_buffered_writes_nothing(app, count_queries):
    with count_queries() as statements:
        activity.flush()
    assert statements == []


def test_views_of_several_topics_are_flushed_together(client, count_queries, category, member):
    first = factories.make_topic(category=category, author=member)
    second = factories.make_topic(category=category, author=member)
    db.session.commit()
    ids = (first.id, second.id)
    measure(client, count_queries, f"/t/{first.slug}/{first.id}")
    measure(client, count_queries, f"/t/{second.slug}/{second.id}")
    measure(client, count_queries, f"/t/{second.slug}/{second.id}")
    activity.flush()
    db.session.expire_all()
    assert [db.session.get(Topic, i).views for i in ids] == [1, 2]


def test_topic_page_query_leaves_the_session_clean(db, topic, other_member):
    services.reply(topic, author=other_member, raw="Ответ.")
    db.session.commit()
    view = queries.topic_page(topic, 1, other_member)
    assert [p.post_number for p in view.posts] == [1, 2]
    assert not db.session.dirty  # a dirty read would flush (and write) on the next query
