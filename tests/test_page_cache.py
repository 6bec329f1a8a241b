"""Guests' page cache: hits for repeated guest views, invalidated by any content change."""

import pytest
from flask import request
from sqlalchemy import text

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


# --- the WSGI layer in front of Flask ---------------------------------------------------------

def test_a_hit_runs_one_query_and_no_flask_request(cached_app, client, topic, count_queries):
    client.get("/latest")
    seen = []
    cached_app.before_request_funcs.setdefault(None, []).append(lambda: seen.append(1))
    with count_queries() as statements:
        response = client.get("/latest")
    assert response.headers["X-Page-Cache"] == "hit"
    assert seen == []  # answered before Flask
    assert [s for s in statements if "site_state" in s] == statements
    assert len(statements) <= 2  # the generation read (and the pool's liveness ping)


def test_a_hit_keeps_the_security_headers_and_the_body(cached_app, client, topic):
    first = client.get(f"/t/{topic.slug}/{topic.id}")
    hit = client.get(f"/t/{topic.slug}/{topic.id}")
    assert hit.headers["X-Page-Cache"] == "hit"
    assert hit.get_data() == first.get_data()
    assert hit.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert hit.headers["Content-Type"] == "text/html; charset=utf-8"
    assert int(hit.headers["Content-Length"]) == len(hit.get_data())


def test_a_change_made_by_another_process_invalidates_at_once(cached_app, client, db, topic):
    client.get("/latest")
    # Another worker's commit reaches this one only through the database.
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE site_state SET generation = generation + 1 WHERE id = 1"))
    assert client.get("/latest").headers["X-Page-Cache"] == "miss"


def test_cache_is_keyed_by_the_locale_cookie(cached_app, client, topic):
    client.get("/latest")
    client.set_cookie("locale", "en")
    response = client.get("/latest")
    assert response.headers["X-Page-Cache"] == "miss"
    assert '<html lang="en">' in response.get_data(as_text=True)
    client.delete_cookie("locale")
    response = client.get("/latest")
    assert response.headers["X-Page-Cache"] == "hit"
    assert '<html lang="ru">' in response.get_data(as_text=True)


def test_cache_is_keyed_by_host(cached_app, client, topic):
    client.get("/latest")
    assert client.get("/latest", headers={"Host": "other.example"}).headers[
        "X-Page-Cache"] == "miss"


def test_untrusted_hosts_are_refused_not_served_from_the_cache(cached_app, client, topic):
    cached_app.config["TRUSTED_HOSTS"] = ["localhost"]
    client.get("/latest")
    assert client.get("/latest").headers["X-Page-Cache"] == "hit"
    assert client.get("/latest", headers={"Host": "evil.example"}).status_code == 400


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
def test_requests_with_a_session_or_remember_cookie_bypass_the_cache(cached_app, client, topic,
                                                                     cookie):
    client.get("/latest")
    client.set_cookie(cookie, "anything")
    assert "X-Page-Cache" not in client.get("/latest").headers


def test_api_key_requests_bypass_the_cache(cached_app, client, topic):
    client.get("/latest.json")
    response = client.get("/latest.json", headers={"Api-Key": "wrong"})
    assert response.status_code == 403
    assert "X-Page-Cache" not in response.headers


def test_signed_in_pages_never_reach_guests(cached_app, client, login, member, topic):
    login(member)
    client.get("/latest")
    client.post("/logout")
    client.delete_cookie("session")
    client.delete_cookie("remember_token")
    response = client.get("/latest")
    assert response.headers["X-Page-Cache"] == "miss"
    assert "/my/preferences" not in response.get_data(as_text=True)  # the guest header


def test_a_page_that_sets_a_cookie_is_never_stored(cached_app, client, topic):
    @cached_app.after_request
    def personal(response):
        if request.args.get("personal"):
            response.set_cookie("mine", "secret")
        return response

    first = client.get("/latest?personal=1")
    second = client.get("/latest?personal=1")
    assert "X-Page-Cache" not in first.headers and "X-Page-Cache" not in second.headers
    assert "mine=secret" in second.headers["Set-Cookie"]
    client.get("/latest")
    hit = client.get("/latest")
    assert hit.headers["X-Page-Cache"] == "hit" and "Set-Cookie" not in hit.headers


def test_only_gets_of_shared_pages_are_cached(cached_app, client, topic):
    client.get("/latest")
    assert "X-Page-Cache" not in client.head("/latest").headers
    client.get("/login")
    assert "X-Page-Cache" not in client.get("/login").headers
    client.get("/no-such-page")
    assert "X-Page-Cache" not in client.get("/no-such-page").headers


def test_reading_a_topic_starts_no_session_for_a_guest_and_is_cached(cached_app, client, topic):
    url = f"/t/{topic.slug}/{topic.id}"
    first = client.get(url)
    assert "Set-Cookie" not in first.headers
    assert first.headers["X-Page-Cache"] == "miss"
    assert client.get(url).headers["X-Page-Cache"] == "hit"


def test_a_member_who_may_reply_still_gets_a_csrf_token(app, client, login, member, topic):
    login(member)
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get(f"/t/{topic.slug}/{topic.id}").get_data(as_text=True)
    assert 'id="reply"' in page and 'name="csrf_token"' in page


def test_websocket_handshakes_pass_straight_through(cached_app, client, topic):
    client.get("/latest")
    response = client.get("/latest", headers={"Upgrade": "websocket", "Connection": "Upgrade"})
    assert "X-Page-Cache" not in response.headers
