"""Account pages over HTTP: sign up, log in/out, password reset by mail, preferences, leaving."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from forum import mail
from forum.extensions import db
from forum.models import Post, User
from tests import factories

PASSWORD = factories.PASSWORD
HOME = ("/", "/latest")  # where "go home" redirects land


@pytest.fixture(autouse=True)
def english(client):
    """Read pages in English (the source language) so assertions name the messages."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def text(response) -> str:
    return response.get_data(as_text=True)


def errors(response) -> list[str]:
    return [unescape(m) for m in re.findall(r'class="error"[^>]*>([^<]*)<', text(response))]


def signup(client, **overrides):
    data = {"username": "anna", "email": "anna@example.org", "name": "Анна",
            "password": PASSWORD, "password2": PASSWORD} | overrides
    return client.post("/signup", data=data)


def is_signed_in(client) -> bool:
    return client.get("/my/preferences").status_code == 200


def user_named(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username_lower == username.lower()))


# --- sign up ----------------------------------------------------------------------------------

def test_signup_page_renders(client):
    response = client.get("/signup")
    assert response.status_code == 200
    assert 'name="username"' in text(response)


def test_signup_creates_the_account_and_signs_in(client, db):
    response = signup(client)
    assert response.status_code == 302
    assert response.headers["Location"] in HOME
    assert user_named("anna") is not None
    assert is_signed_in(client)


def test_signup_welcomes_by_name(client, db):
    page = client.get(signup(client).headers["Location"])
    assert "Welcome to the community, Анна!" in text(page)


@pytest.mark.parametrize(("overrides", "field_message"), [
    ({"username": "anna!"}, "only letters"),
    ({"username": "ab"}, "3 to 40 characters"),
    ({"password": "short", "password2": "short"}, "at least 8 characters"),
    ({"password2": "something else"}, "do not match"),
    ({"email": "not-an-address"}, "valid e-mail"),
])
def test_signup_errors_keep_what_was_typed_and_explain(client, db, overrides, field_message):
    response = signup(client, **overrides)
    assert response.status_code == 422
    body = text(response)
    username = overrides.get("username", "anna")
    email = overrides.get("email", "anna@example.org")
    assert f'value="{username}"' in unescape(body)
    assert f'value="{email}"' in body
    assert any(field_message in e for e in errors(response)), errors(response)
    assert PASSWORD not in body  # passwords are never echoed back
    assert db.session.scalar(select(User).where(User.email_lower == email.lower())) is None


@pytest.mark.parametrize("taken", ["ANNA", "Anna", "anna"])
def test_signup_refuses_a_taken_name_in_any_case(client, db, taken):
    factories.make_user("anna", email="first@example.org")
    db.session.commit()
    response = signup(client, username=taken, email="second@example.org")
    assert response.status_code == 422
    assert any("already taken" in e for e in errors(response))
    assert f'value="{taken}"' in text(response)


def test_signup_refuses_a_taken_email_in_any_case(client, db):
    factories.make_user("boris", email="anna@example.org")
    db.session.commit()
    response = signup(client, email="ANNA@Example.org")
    assert response.status_code == 422
    assert any("already exists" in e for e in errors(response))


def test_signup_with_missing_fields_is_422_not_500(client, db):
    response = client.post("/signup", data={})
    assert response.status_code == 422


def test_signed_in_member_is_sent_away_from_signup(client, member, login):
    login(member)
    assert client.get("/signup").status_code == 302


# --- log in / log out -------------------------------------------------------------------------

def test_login_with_username_or_email_signs_in(client, member):
    response = client.post("/login", data={"login": "ANNA@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert is_signed_in(client)


def test_wrong_password_and_unknown_account_look_the_same(client, member):
    wrong = client.post("/login", data={"login": "anna", "password": "wrong password"})
    unknown = client.post("/login", data={"login": "nobody", "password": "wrong password"})
    assert wrong.status_code == unknown.status_code == 401
    assert errors(wrong) == errors(unknown) == ["Wrong username, e-mail or password."]
    assert not is_signed_in(client)


def test_failed_login_keeps_the_typed_login(client, member):
    response = client.post("/login", data={"login": "anna", "password": "wrong password"})
    assert 'value="anna"' in text(response)


def test_deleted_account_cannot_log_in(client, member):
    from forum.accounts.services import delete_account

    delete_account(member, actor=member)
    db.session.commit()
    response = client.post("/login", data={"login": "anna", "password": PASSWORD})
    assert response.status_code == 401


@pytest.mark.parametrize("target", ["/categories", "/t/some-topic/1?page=2", "/u/anna"])
def test_login_follows_a_same_site_next(client, member, target):
    response = client.post("/login", query_string={"next": target},
                           data={"login": "anna", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == target


@pytest.mark.parametrize("target", [
    "//evil.com", "https://evil.com", "http://evil.com/path", "\\\\evil.com", "/\\evil.com",
    "\\/evil.com", "http:evil.com", "javascript:alert(1)", " //evil.com", "/\t/evil.com",
    "https://localhost.evil.com/", "///evil.com",
])
def test_login_ignores_a_next_pointing_elsewhere(client, member, target):
    response = client.post("/login", query_string={"next": target},
                           data={"login": "anna", "password": PASSWORD})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location in HOME
    assert "evil" not in location


def test_login_form_carries_next_through_the_post(client):
    response = client.get("/login", query_string={"next": "/categories"})
    assert "next=%2Fcategories" in text(response) or "next=/categories" in text(response)


def test_remember_me_sets_a_long_lived_httponly_lax_cookie(client, member):
    response = client.post("/login", data={"login": "anna", "password": PASSWORD,
                                           "remember": "y"})
    cookies = [c for c in response.headers.getlist("Set-Cookie")
               if c.startswith("remember_token=")]
    assert len(cookies) == 1
    assert "HttpOnly" in cookies[0]
    assert "SameSite=Lax" in cookies[0]
    assert "Expires=" in cookies[0]


def test_login_without_remember_me_sets_no_remember_cookie(client, member):
    response = client.post("/login", data={"login": "anna", "password": PASSWORD})
    assert not any(c.startswith("remember_token=")
                   for c in response.headers.getlist("Set-Cookie"))


def test_logout_is_not_a_get(client, member, login):
    login(member)
    assert client.get("/logout").status_code == 405
    assert is_signed_in(client)


def test_logout_by_post_signs_out(client, member, login):
    login(member)
    response = client.post("/logout")
    assert response.status_code == 302
    assert not is_signed_in(client)


def test_pages_for_members_send_guests_to_login(client, db):
    response = client.get("/my/preferences")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


# --- password reset ---------------------------------------------------------------------------

class _Delivered:
    """The mail as the queue's worker delivers it: reading it runs the worker first."""

    def _sent(self):
        from forum.mailqueue.worker import run_once

        run_once()
        return mail.outbox

    def __len__(self):
        return len(self._sent())

    def __getitem__(self, index):
        return self._sent()[index]


@pytest.fixture
def outbox(db):
    mail.outbox.clear()
    yield _Delivered()
    mail.outbox.clear()


def reset_link(message) -> str:
    body = message.get_content()
    match = re.search(r"https?://[^/\s]+(/password-reset/\S+)", body)
    assert match, body
    return match.group(1)


def test_password_reset_flow_works_end_to_end_once(client, member, outbox):
    response = client.post("/password-reset", data={"login": "ANNA"})
    assert response.status_code == 302
    assert len(outbox) == 1
    assert outbox[0]["To"] == "anna@example.org"
    link = reset_link(outbox[0])

    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": "new secret 123",
                                       "password2": "new secret 123"})
    assert response.status_code == 302
    assert is_signed_in(client)
    client.post("/logout")

    again = client.get(link)
    assert again.status_code == 302
    assert again.headers["Location"] == "/password-reset"
    assert client.post("/login", data={"login": "anna", "password": PASSWORD}).status_code == 401
    assert client.post("/login", data={"login": "anna",
                                       "password": "new secret 123"}).status_code == 302


def test_used_reset_link_explains_itself(client, member, outbox):
    client.post("/password-reset", data={"login": "anna"})
    link = reset_link(outbox[0])
    client.post(link, data={"password": "new secret 123", "password2": "new secret 123"})
    client.post("/logout")
    page = client.get(link, follow_redirects=True)
    assert "invalid or has expired" in text(page)


def test_reset_for_an_unknown_account_answers_the_same_and_sends_nothing(client, member,
                                                                        outbox):
    known = client.post("/password-reset", data={"login": "anna"}, follow_redirects=True)
    unknown = client.post("/password-reset", data={"login": "nobody"}, follow_redirects=True)
    assert len(outbox) == 1
    assert known.status_code == unknown.status_code == 200
    assert "If an account matches" in text(unknown)


def test_reset_mail_is_written_in_the_users_language(client, db, outbox):
    factories.make_user("vera", locale="ru")
    db.session.commit()
    client.post("/password-reset", data={"login": "vera"})
    assert outbox[0]["Subject"] != "Password reset"  # Russian, though the page is English


def test_reset_with_mismatched_passwords_keeps_the_link_usable(client, member, outbox):
    client.post("/password-reset", data={"login": "anna"})
    link = reset_link(outbox[0])
    response = client.post(link, data={"password": "new secret 123", "password2": "other one"})
    assert response.status_code == 200
    assert any("do not match" in e for e in errors(response))
    assert client.get(link).status_code == 200


def test_reset_with_a_short_password_shows_the_rule(client, member, outbox):
    client.post("/password-reset", data={"login": "anna"})
    link = reset_link(outbox[0])
    response = client.post(link, data={"password": "short", "password2": "short"})
    assert any("at least 8" in e for e in errors(response))


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "%00", "x" * 500])
def test_bad_reset_links_redirect_to_a_fresh_request(client, db, token):
    response = client.get(f"/password-reset/{token}")
    assert response.status_code == 302
    assert response.headers["Location"] == "/password-reset"


def test_expired_reset_link_is_refused(app, client, member, outbox):
    client.post("/password-reset", data={"login": "anna"})
    link = reset_link(outbox[0])
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    assert client.get(link).status_code == 302


# --- profile and preferences ------------------------------------------------------------------

def test_preferences_save_the_profile(client, member, login):
    login(member)
    response = client.post("/my/preferences", data={
        "name": "Анна Петровна", "organisation": "Гимназия № 1", "subjects": "алгебра",
        "about": "Люблю *геометрию*.", "locale": "en"})
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, member.id)
    assert (user.organisation, user.subjects, user.locale) == ("Гимназия № 1", "алгебра", "en")
    profile = text(client.get("/u/anna"))
    assert "Гимназия № 1" in profile
    assert "<em>геометрию</em>" in profile


def test_preferences_show_the_saved_values(client, member, login):
    member.organisation = "Лицей № 2"
    login(member)
    assert 'value="Лицей № 2"' in text(client.get("/my/preferences"))


def test_preferences_refuse_a_too_long_about_and_keep_the_text(client, member, login):
    login(member)
    about = "я" * 3001
    response = client.post("/my/preferences", data={"name": "Анна", "about": about,
                                                    "organisation": "", "subjects": "",
                                                    "locale": ""})
    assert response.status_code == 200
    assert about in text(response)
    assert any("too long" in e for e in errors(response))


def test_change_password_page_flow(client, member, login):
    login(member)
    response = client.post("/my/password", data={"current_password": PASSWORD,
                                                 "password": "new secret 123",
                                                 "password2": "new secret 123"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, member.id).check_password("new secret 123")


def test_change_password_with_a_wrong_current_password_is_refused(client, member, login):
    login(member)
    response = client.post("/my/password", data={"current_password": "nope nope",
                                                 "password": "new secret 123",
                                                 "password2": "new secret 123"})
    assert response.status_code == 422
    assert any("current password is wrong" in e for e in errors(response))


def test_profile_of_an_unknown_user_is_404(client, db):
    assert client.get("/u/nobody").status_code == 404


def test_profile_lookup_ignores_case(client, member):
    assert client.get("/u/ANNA").status_code == 200


# --- leaving ----------------------------------------------------------------------------------

def test_account_deletion_needs_the_password(client, member, login):
    login(member)
    response = client.post("/my/delete", data={"password": "wrong password"})
    assert response.status_code == 422
    assert db.session.get(User, member.id).deleted_at is None
    assert is_signed_in(client)


def test_account_deletion_anonymises_signs_out_and_keeps_posts(client, member, login, topic):
    login(member)
    response = client.post("/my/delete", data={"password": PASSWORD})
    assert response.status_code == 302
    assert not is_signed_in(client)
    db.session.expire_all()
    user = db.session.get(User, member.id)
    assert user.deleted_at is not None and user.username == f"anon{user.id}"
    posts = db.session.scalars(select(Post).where(Post.topic_id == topic.id)).all()
    assert [p.user_id for p in posts] == [member.id]
    page = text(client.get(f"/t/{topic.slug}/{topic.id}"))
    assert "Анна Петровна" not in page
    assert "Первое сообщение темы." in page


def test_deleted_profile_is_hidden_from_members_but_not_staff(client, member, other_member,
                                                             moderator, login):
    from forum.accounts.services import delete_account

    delete_account(member, actor=member)
    db.session.commit()
    assert client.get(f"/u/anon{member.id}").status_code == 404
    login(moderator)
    assert client.get(f"/u/anon{member.id}").status_code == 200


def test_last_admin_cannot_delete_their_account_over_http(client, admin, login):
    login(admin)
    response = client.post("/my/delete", data={"password": PASSWORD})
    assert response.status_code == 422
    assert any("last administrator" in e for e in errors(response))
    assert db.session.get(User, admin.id).deleted_at is None
