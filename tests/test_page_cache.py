"""Guests' page cache: hits for repeated guest views, invalidated by any content change."""

import pytest

from forum.page_cache import cache
from forum.topics import services
from tests import factories


@pytest.fixture
def cached_app(app):
    app.config["PAGE_CACHE_SECONDS"] = 30
    cache.clear()
    return app


def test_second_guest_view_of_latest_is_served_from_the_cache(cached_app, client, topic):
    assert client.get("/latest").headers["X-Page-Cache"] == "miss"
    assert client.get("/latest").headers["X-Page-Cache"] == "hit"


def test_a_new_reply_invalidates_the_cached_topic_page(cached_app, client, db, topic, member):
    url = f"/t/{topic.slug}/{topic.id}"
    client.get(url)
    assert client.get(url).headers["X-Page-Cache"] == "hit"
    services.reply(topic, author=member, raw="Свежий ответ про дроби")
    db.session.commit()
    response = client.get(url)
    assert response.headers["X-Page-Cache"] == "miss"
    assert "Свежий ответ про дроби" in response.get_data(as_text=True)


def test_renaming_a_category_invalidates_the_category_index(cached_app, client, db, category):
    client.get("/categories")
    category.name = "Алгебра и геометрия"
    db.session.commit()
    response = client.get("/categories")
    assert response.headers["X-Page-Cache"] == "miss"
    assert "Алгебра и геометрия" in response.get_data(as_text=True)


def test_signed_in_members_never_get_cached_pages(cached_app, client, login, member, topic):
    login(member)
    client.get("/latest")
    assert "X-Page-Cache" not in client.get("/latest").headers


def test_cache_is_keyed_by_language(cached_app, client, topic):
    client.get("/latest", headers={"Accept-Language": "ru"})
    response = client.get("/latest", headers={"Accept-Language": "en"})
    assert response.headers["X-Page-Cache"] == "miss"
    assert '<html lang="en">' in response.get_data(as_text=True)


def test_private_pages_are_not_cached_for_guests(cached_app, client, db):
    hidden = factories.make_private_category()
    db.session.commit()
    assert client.get(f"/c/{hidden.slug}/{hidden.id}").status_code == 404
    assert "X-Page-Cache" not in client.get(f"/c/{hidden.slug}/{hidden.id}").headers
