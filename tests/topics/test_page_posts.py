"""A topic page's posts kept for the content generation (queries.PagePost): a page whose
HTML is kept loads no Post objects, and what each reader is shown is still decided per view."""

from __future__ import annotations

import re

from forum.extensions import db
from forum.models import HIDDEN_AWAITING_APPROVAL, utcnow
from forum.reputation import likes
from tests import factories


def _page(client, topic) -> str:
    response = client.get(f"/t/{topic.slug}/{topic.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_kept_page_loads_no_post_objects(app, login, member, other_member, topic,
                                           count_queries):
    factories.make_post(topic, author=other_member, raw="Ответ о дробях.")
    db.session.commit()
    client = login(member)
    _page(client, topic)  # keeps the page's posts and their HTML for this generation
    db.session.expunge_all()
    with count_queries() as statements:
        assert "Ответ о дробях." in _page(client, topic)
    assert not [s for s in statements if "FROM posts" in s], statements


def test_a_post_awaiting_approval_kept_for_its_author_never_shows_to_another_member(
        app, login, member, other_member, topic):
    waiting = factories.make_post(topic, author=other_member, raw="Ждёт одобрения модератора.")
    waiting.hidden_reason, waiting.hidden_at = HIDDEN_AWAITING_APPROVAL, utcnow()
    db.session.commit()
    assert "Ждёт одобрения модератора." in _page(login(other_member), topic)
    second = app.test_client()
    response = second.post("/login", data={"login": member.username,
                                           "password": factories.PASSWORD})
    assert response.status_code == 302
    page = _page(second, topic)
    assert "Ждёт одобрения модератора." not in page
    assert f'data-post-id="{waiting.id}"' not in page
    # …and its author, reading after the other member, still sees it.
    assert f'data-post-id="{waiting.id}"' in _page(login(other_member), topic)


def test_a_like_shows_in_the_count_on_the_next_view(app, login, member, other_member, topic):
    reply = factories.make_post(topic, author=other_member, raw="Ответ, который оценят.")
    db.session.commit()
    client = login(member)

    def like_count() -> str:
        page = _page(client, topic)
        found = re.search(rf'data-post-id="{reply.id}".*?data-like-count>(\d+)<', page, re.S)
        return found.group(1)

    assert like_count() == "0"
    likes.like_post(reply, user=member)
    db.session.commit()
    assert like_count() == "1"
