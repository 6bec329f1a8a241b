"""The like button, who liked, and the reputation page, as a browser sees them over HTTP."""

from __future__ import annotations

import pytest
from flask import g

from forum.extensions import db
from forum.models import PostAction
from forum.topics import services as topics
from tests import factories
from tests.reputation.helpers import like, member_at

# Badges grant points and notifications of their own; these tests look at the rest alone.
pytestmark = pytest.mark.usefixtures("without_badges")


@pytest.fixture
def author(db):
    user = member_at(1, "avtor", name="Ольга Ивановна")
    db.session.commit()
    return user


@pytest.fixture
def post(author, category):
    topic = factories.make_topic(category=category, author=author, title="План урока дробей")
    post = factories.make_post(topic, author=author, raw="Делюсь планом урока.")
    db.session.commit()
    return post


def _topic_page(client, post):
    return client.get(f"/t/{post.topic.slug}/{post.topic_id}").get_data(as_text=True)


def _article(html, post):
    start = html.index(f'data-post-id="{post.id}"')
    return html[start:html.index("</article>", start)]


def test_a_member_sees_a_like_button_on_others_posts_only(client, login, post, author):
    login(member_at(1, "kollega"))
    html = _topic_page(client, post)
    assert f'action="/posts/{post.id}/like"' in _article(html, post)
    first = topics.post_by_number(post.topic, 1)
    login(author)
    assert f'action="/posts/{post.id}/like"' not in _article(_topic_page(client, post), post)
    assert first.user_id == author.id


def test_a_guest_sees_the_count_but_no_button(client, post):
    like(post, member_at(1))
    db.session.commit()
    article = _article(_topic_page(client, post), post)
    assert "/like\"" not in article
    assert "<span data-like-count>1</span>" in article


def test_liking_with_the_form_redirects_back_to_the_post(client, login, post):
    login(member_at(1, "kollega"))
    response = client.post(f"/posts/{post.id}/like")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#post_{post.post_number}")
    assert db.session.query(PostAction).count() == 1
    article = _article(_topic_page(client, post), post)
    assert f'action="/posts/{post.id}/unlike"' in article
    assert 'aria-pressed="true"' in article


def test_a_refused_like_comes_back_as_a_message(client, login, post, author):
    login(author)
    response = client.post(f"/posts/{post.id}/like", follow_redirects=True)
    assert "Вы не можете отметить своё сообщение" in response.get_data(as_text=True)
    assert db.session.query(PostAction).count() == 0


def test_scripts_get_the_new_count_as_json(client, login, post):
    login(member_at(1, "kollega"))
    response = client.post(f"/posts/{post.id}/like", headers={"Accept": "application/json"})
    assert response.get_json() == {"post_id": post.id, "liked": True, "like_count": 1}
    response = client.post(f"/posts/{post.id}/unlike", headers={"Accept": "application/json"})
    assert response.get_json() == {"post_id": post.id, "liked": False, "like_count": 0}


def test_scripts_get_refusals_as_json_errors(client, login, post):
    login(member_at(1, "kollega"))
    response = client.post(f"/posts/{post.id}/unlike", headers={"Accept": "application/json"})
    assert response.status_code == 409
    assert response.get_json()["errors"] == ["Вы не отмечали это сообщение."]


def test_who_liked_is_listed_on_its_page_and_in_the_fragment(client, post):
    like(post, member_at(1, "kollega", name="Мария Сергеевна"), member_at(2, "drug"))
    db.session.commit()
    page = client.get(f"/posts/{post.id}/likes").get_data(as_text=True)
    fragment = client.get(f"/posts/{post.id}/likes/fragment").get_data(as_text=True)
    for html in (page, fragment):
        assert "Мария Сергеевна" in html and "drug" in html
    assert "<html" not in fragment


def test_who_liked_a_post_in_a_private_category_is_not_found_for_others(client, author):
    topic = factories.make_topic(category=factories.make_private_category(), author=author)
    db.session.commit()
    response = client.get(f"/posts/{topics.post_by_number(topic, 1).id}/likes")
    assert response.status_code == 404


def test_the_reputation_page_explains_the_score(client, post, author):
    like(post, member_at(1), member_at(0))
    db.session.commit()
    html = client.get(f"/u/{author.username}/reputation").get_data(as_text=True)
    assert '<span class="reputation-total">10</span>' in html
    assert 'data-kind="like_received"' in html
    assert "1 благодарность принесла меньше полных 10 баллов" in html


def test_entries_about_posts_the_reader_cannot_see_are_counted_not_shown(client, author):
    topic = factories.make_topic(category=factories.make_private_category(), author=author,
                                 title="Секретная тема учительской")
    like(topics.post_by_number(topic, 1), member_at(1))
    db.session.commit()
    html = client.get(f"/u/{author.username}/reputation").get_data(as_text=True)
    assert '<span class="reputation-total">10</span>' in html
    assert "Секретная тема учительской" not in html


def test_the_profile_shows_the_score_with_a_link_to_its_breakdown(client, post, author):
    like(post, member_at(1))
    db.session.commit()
    html = client.get(f"/u/{author.username}").get_data(as_text=True)
    assert f'href="/u/{author.username}/reputation">10</a>' in html


def test_a_like_on_a_later_page_shows_pressed_there_and_costs_the_same_lookup(
        client, login, author, category, count_queries):
    topic = factories.make_topic(category=category, author=author, title="Длинное обсуждение")
    replies = [factories.make_post(topic, author=author, raw=f"Ответ номер {i}.")
               for i in range(25)]
    liker = member_at(1, "kollega")
    like(replies[-1], liker)  # post 26: on page 2
    db.session.commit()
    login(liker)
    page_two = client.get(f"/t/{topic.slug}/{topic.id}?page=2").get_data(as_text=True)
    assert 'aria-pressed="true"' in _article(page_two, replies[-1])
    g.pop("kafedra_page_likes", None)  # tests share one app context; requests do not
    with count_queries() as statements:
        page_one = client.get(f"/t/{topic.slug}/{topic.id}?page=1").get_data(as_text=True)
    assert 'aria-pressed="true"' not in page_one
    # The viewer's likes are looked up among the page's posts, not across the whole topic.
    lookups = [s for s in statements if "FROM post_actions" in s and "JOIN posts" in s]
    assert lookups == []
