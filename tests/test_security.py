"""Security behaviour over HTTP: headers, cookies, CSRF, login throttling, body limits, hosts."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import func, select

from forum import create_app
from forum.bootstrap import ensure_base_data
from forum.config import TestConfig
from forum.extensions import db as _db
from forum.extensions import limiter
from forum.models import Post, Topic
from tests import factories

TEST_CONFIG = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
PASSWORD = factories.PASSWORD


def text(response) -> str:
    return response.get_data(as_text=True)


def csp_directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:])
            for part in (p.strip() for p in policy.split(";")) if part}


@pytest.fixture
def make_app():
    """Build an app with config overrides and a fresh schema; at most one per test."""
    pushed = []

    def _make(**overrides):
        app = create_app({**TEST_CONFIG, **overrides})
        context = app.app_context()
        context.push()
        _db.drop_all()
        _db.create_all()
        ensure_base_data()
        _db.session.commit()
        limiter.reset()
        pushed.append(context)
        return app

    yield _make
    for context in reversed(pushed):
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()
        context.pop()


def english_client(app):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


# --- headers ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/categories", "/login", "/nowhere", "/drafts/x.json"])
def test_every_response_carries_a_strict_content_security_policy(client, db, path):
    directives = csp_directives(client.get(path))
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["frame-ancestors"] == "'self'"
    assert "'unsafe-inline'" not in directives.get("script-src", "")


@pytest.mark.parametrize("path", ["/", "/nowhere", "/categories.css"])
def test_responses_forbid_sniffing_and_limit_the_referrer(client, db, path):
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_session_cookie_is_httponly_and_samesite_lax(client, member):
    response = client.post("/login", data={"login": "anna", "password": PASSWORD})
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_pages_contain_no_inline_scripts(client, topic):
    body = text(client.get(f"/t/{topic.slug}/{topic.id}"))
    for tag in re.findall(r"<script\b[^>]*>", body):
        assert "src=" in tag, tag
    assert not re.search(r"\son[a-z]+=", body)  # no inline event handlers either


# --- CSRF -------------------------------------------------------------------------------------

def token_from(client, path: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text(client.get(path)))
    assert match, path
    return match.group(1)


@pytest.fixture
def csrf_app(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    member = factories.make_user("anna")
    category = factories.make_category("Математика", slug="matematika")
    topic = factories.make_topic(category=category, author=member, title="Как объяснять дроби")
    _db.session.commit()
    return app, member, topic


@pytest.fixture
def csrf_client(csrf_app):
    app, _member, _topic = csrf_app
    client = english_client(app)
    token = token_from(client, "/login")
    response = client.post("/login", data={"login": "anna", "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302
    return client


def posts_in(topic) -> int:
    return _db.session.scalar(select(func.count()).where(Post.topic_id == topic.id))


def test_forms_carry_a_csrf_token(csrf_client):
    assert token_from(csrf_client, "/new-topic")


def test_a_sessions_token_is_signed_once_and_every_copy_is_accepted(csrf_app, csrf_client):
    _app, _member, topic = csrf_app
    first = token_from(csrf_client, "/latest")  # its forms: the header's and the language's
    time.sleep(1.1)  # a new signature would carry a new timestamp
    assert token_from(csrf_client, "/latest") == first
    # A page that is never kept ("New") asks the template's csrf_token() for its meta tag.
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)"', text(csrf_client.get("/new")))
    assert meta and meta.group(1) == first
    response = csrf_client.post(f"/t/{topic.id}/notification-level",
                                data={"notification_level": "3", "csrf_token": first})
    assert response.status_code == 302
    other = english_client(_app)
    assert token_from(other, "/login") != first  # another session, another token


def test_new_topic_without_token_keeps_the_text_explains_and_saves_nothing(csrf_app,
                                                                           csrf_client):
    _app, _member, topic = csrf_app
    response = csrf_client.post("/new-topic", data={
        "title": "Таблица умножения", "raw": "Мой длинный текст.",
        "category_id": topic.category_id})
    assert 400 <= response.status_code < 500
    body = text(response)
    assert 'value="Таблица умножения"' in body
    assert "Мой длинный текст." in body
    assert "expired" in body
    assert _db.session.scalar(select(func.count()).select_from(Topic)) == 1


def test_new_topic_with_the_token_is_created(csrf_app, csrf_client):
    _app, _member, topic = csrf_app
    response = csrf_client.post("/new-topic", data={
        "title": "Таблица умножения", "raw": "Текст.", "category_id": topic.category_id,
        "csrf_token": token_from(csrf_client, "/new-topic")})
    assert response.status_code == 302


def test_reply_without_token_keeps_the_text_and_saves_nothing(csrf_app, csrf_client):
    _app, _member, topic = csrf_app
    response = csrf_client.post(f"/t/{topic.id}/reply", data={"raw": "Мой ответ без токена."})
    assert 400 <= response.status_code < 500
    assert "Мой ответ без токена." in text(response)
    assert "expired" in text(response)
    assert posts_in(topic) == 1


def test_login_without_token_does_not_sign_in(csrf_app):
    app, _member, _topic = csrf_app
    client = english_client(app)
    response = client.post("/login", data={"login": "anna", "password": PASSWORD})
    assert 400 <= response.status_code < 500
    assert 'value="anna"' in text(response)
    assert "expired" in text(response)
    assert client.get("/my/preferences").status_code == 302


@pytest.mark.parametrize("path", ["/preview", "/drafts.json"])
def test_json_post_without_token_gets_a_json_error(csrf_client, path):
    response = csrf_client.post(path, json={"raw": "текст", "draft_key": "new_topic",
                                            "data": {"raw": "x"}})
    assert response.status_code in (400, 403)
    assert response.is_json
    assert response.get_json()["errors"]


def test_json_post_with_the_token_header_works(csrf_client):
    token = token_from(csrf_client, "/new-topic")
    response = csrf_client.post("/preview", json={"raw": "**да**"},
                                headers={"X-CSRFToken": token})
    assert response.status_code == 200


def test_button_posts_without_token_change_nothing(csrf_app, csrf_client):
    _app, _member, topic = csrf_app
    assert 400 <= csrf_client.post(f"/t/{topic.id}/delete").status_code < 500
    assert 400 <= csrf_client.post("/logout").status_code < 500
    _db.session.expire_all()
    assert _db.session.get(Topic, topic.id).deleted_at is None
    assert csrf_client.get("/my/preferences").status_code == 200


# --- login throttling -------------------------------------------------------------------------

def attempt(client, login, password="wrong password"):
    return client.post("/login", data={"login": login, "password": password}).status_code


@pytest.fixture
def throttled(make_app):
    app = make_app(LOGIN_LIMIT_PER_ACCOUNT="3 per minute", LOGIN_LIMIT_PER_IP="8 per minute")
    for name in ("anna", "boris", "vera"):
        factories.make_user(name)
    _db.session.commit()
    return app


def test_account_is_throttled_after_its_limit_even_with_the_right_password(throttled):
    client = english_client(throttled)
    assert [attempt(client, "anna") for _ in range(3)] == [401, 401, 401]
    assert attempt(client, "anna", PASSWORD) == 429


def test_throttle_counts_the_account_in_any_spelling(throttled):
    client = english_client(throttled)
    for login in ("anna", "ANNA", "anna@example.org"):
        attempt(client, login)
    assert attempt(client, " Anna ", PASSWORD) == 429


def test_throttled_answer_is_a_page_not_an_error(throttled):
    client = english_client(throttled)
    for _ in range(3):
        attempt(client, "anna")
    response = client.post("/login", data={"login": "anna", "password": "x"})
    assert response.status_code == 429
    assert "Too many attempts" in text(response)


def test_another_account_from_the_same_client_still_works_until_the_ip_limit(throttled):
    client = english_client(throttled)
    for _ in range(4):
        attempt(client, "anna")
    assert attempt(client, "boris", PASSWORD) == 302
    # Fresh names each time, so only the per-IP budget (8 a minute) can run out.
    statuses = [attempt(client, f"someone{i}") for i in range(6)]
    assert 429 in statuses
    assert all(s == 401 for s in statuses[:statuses.index(429)])
    # 8 per IP: anna's three failures and boris used 4 (5 if the refused try counts too).
    assert statuses.index(429) in (3, 4)


def test_owner_can_log_in_again_after_the_window(make_app):
    # A window of a few seconds: a busy CI machine must not let it lapse between attempts.
    app = make_app(LOGIN_LIMIT_PER_ACCOUNT="2 per 3 second")
    factories.make_user("anna")
    _db.session.commit()
    client = english_client(app)
    attempt(client, "anna")
    attempt(client, "anna")
    assert attempt(client, "anna", PASSWORD) == 429
    time.sleep(3.1)
    assert attempt(client, "anna", PASSWORD) == 302


def test_limiter_reset_lifts_the_throttle(throttled):
    client = english_client(throttled)
    for _ in range(3):
        attempt(client, "anna")
    limiter.reset()
    assert attempt(client, "anna", PASSWORD) == 302


# --- request size and hosts -------------------------------------------------------------------

BIG = "я" * (1024 * 1024 + 10)  # over 2 MB in UTF-8


def test_oversized_form_post_gets_a_413_page(app, client, login, topic, other_member):
    # A composer form may also carry files: its allowance is the text's plus a few files of
    # the member's size limit (forum.uploads.composer), made small here to stay cheap.
    app.config.update(UPLOAD_MAX_BYTES=1024, UPLOAD_MAX_BYTES_NEW_MEMBER=1024)
    login(other_member)
    response = client.post(f"/t/{topic.id}/reply", data={"raw": BIG})
    assert response.status_code == 413
    assert "<html" in text(response)
    assert posts_in(topic) == 1


def test_a_too_long_reply_within_the_form_allowance_comes_back_with_its_text(
        client, login, topic, other_member):
    login(other_member)
    response = client.post(f"/t/{topic.id}/reply", data={"raw": BIG})
    assert response.status_code == 422
    assert BIG[:1000] in text(response)
    assert posts_in(topic) == 1


def test_oversized_json_post_gets_a_413_json_error(client, db):
    response = client.post("/preview", json={"raw": BIG})
    assert response.status_code == 413
    assert response.get_json()["errors"]


def test_oversized_login_post_gets_a_413_not_a_500(client, db):
    response = client.post("/login", data={"login": BIG, "password": "x"})
    assert response.status_code == 413


def test_trusted_hosts_refuse_other_hosts(make_app):
    app = make_app(TRUSTED_HOSTS=["kafedra.example"])
    client = app.test_client()
    assert client.get("/", headers={"Host": "kafedra.example"}).status_code == 200
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


def test_any_host_is_accepted_when_trusted_hosts_is_unset(client, db):
    assert client.get("/", headers={"Host": "whatever.example"}).status_code == 200
