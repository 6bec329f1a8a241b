"""Account services: registration rules, authentication, password resets, profiles, leaving."""

from __future__ import annotations

import unicodedata

import pytest
from flask import current_app
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.exceptions import Forbidden

from forum.accounts import services
from forum.drafts.services import load_draft, save_draft
from forum.errors import DomainError
from forum.extensions import db
from forum.models import ApiKey, Post, User
from tests import factories

PASSWORD = factories.PASSWORD


def register(username="anna", email=None, password=PASSWORD, **kwargs) -> User:
    return services.register(username=username, email=email or f"{username}@example.org",
                             password=password, **kwargs)


def users_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


# --- registration -----------------------------------------------------------------------------

def test_register_stores_the_name_as_typed_and_a_folded_copy(db):
    user = register("AnnaPetrovna", email="Anna.P@Example.ORG")
    assert user.username == "AnnaPetrovna"
    assert user.username_lower == "annapetrovna"
    assert user.email == "Anna.P@Example.ORG"
    assert user.email_lower == "anna.p@example.org"


def test_register_makes_a_member_with_a_hashed_password(db):
    user = register()
    assert user.role == "member"
    assert PASSWORD not in user.password_hash
    assert user.check_password(PASSWORD)


def test_register_trims_surrounding_spaces_from_the_username(db):
    assert register("  anna  ").username == "anna"


@pytest.mark.parametrize(("first", "second"), [
    ("anna", "ANNA"),
    ("ANNA", "anna"),
    ("Anna", "aNNa"),
    ("мария", "Мария"),
    ("Мария", "МАРИЯ"),
    ("Ёлка", "ёлка"),
    ("anna", "ａｎｎａ"),  # full-width look-alikes fold to the same name
])
def test_register_refuses_a_username_taken_in_another_case(db, first, second):
    register(first, email="first@example.org")
    with pytest.raises(DomainError) as caught:
        register(second, email="second@example.org")
    assert caught.value.field == "username"


@pytest.mark.parametrize(("first", "second"), [
    ("anna@example.org", "ANNA@EXAMPLE.ORG"),
    ("Anna@Example.org", "anna@example.org"),
    ("мария@почта.рф", "Мария@ПОЧТА.РФ"),
])
def test_register_refuses_an_email_taken_in_another_case(db, first, second):
    register("first", email=first)
    with pytest.raises(DomainError) as caught:
        register("second", email=second)
    assert caught.value.field == "email"


@pytest.mark.parametrize("username", ["ab", "a" * 41, "", "   "])
def test_register_refuses_usernames_of_the_wrong_length(db, username):
    with pytest.raises(DomainError) as caught:
        register(username, email="x@example.org")
    assert caught.value.field == "username"


@pytest.mark.parametrize("username", ["abc", "a" * 40, "Вера", "ann.a", "ann-a", "ann_a", "Ёж1"])
def test_register_accepts_usernames_within_the_rules(db, username):
    assert register(username, email="x@example.org").username == username


@pytest.mark.parametrize("username", [
    "anna smith", "anna!", "<script>", "anna.", "анна@school", "an/na", "an\"na", "an\nna",
    "a<b>c",
])
def test_register_refuses_usernames_with_forbidden_characters(db, username):
    with pytest.raises(DomainError) as caught:
        register(username, email="x@example.org")
    assert caught.value.field == "username"


def test_register_accepts_a_decomposed_cyrillic_username_as_its_composed_form(db):
    # "й" typed or pasted as "и" + combining breve (NFD) is the same letter.
    decomposed = unicodedata.normalize("NFD", "Андрей")
    assert decomposed != "Андрей"
    user = register(decomposed, email="andrey@example.org")
    assert user.username == "Андрей"
    with pytest.raises(DomainError):
        register("андрей", email="other@example.org")


@pytest.mark.parametrize(("password", "accepted"), [("1234567", False), ("12345678", True),
                                                     ("", False)])
def test_register_requires_a_password_of_eight_characters(db, password, accepted):
    if accepted:
        assert register(password=password).check_password(password)
    else:
        with pytest.raises(DomainError) as caught:
            register(password=password)
        assert caught.value.field == "password"


@pytest.mark.parametrize("email", ["", "anna", "anna.example.org", "a@" + "b" * 260])
def test_register_refuses_an_invalid_email(db, email):
    with pytest.raises(DomainError) as caught:
        services.register(username="anna", email=email, password=PASSWORD)
    assert caught.value.field == "email"


def test_register_refuses_an_unknown_role(db):
    with pytest.raises(DomainError):
        register(role="superuser")


def test_refused_registration_adds_no_account(db):
    before = users_count()
    with pytest.raises(DomainError):
        register("a!")
    assert users_count() == before


def test_register_keeps_only_supported_locales(db):
    assert register("anna", locale="en").locale == "en"
    assert register("boris", locale="de").locale is None


# --- authentication ---------------------------------------------------------------------------

@pytest.mark.parametrize("login", ["anna", "ANNA", "anna@example.org", "ANNA@Example.Org",
                                   " anna "])
def test_authenticate_finds_the_account_by_name_or_email_in_any_case(db, login):
    user = register()
    assert services.authenticate(login, PASSWORD) == user


def test_authenticate_returns_none_for_a_wrong_password(db):
    register()
    assert services.authenticate("anna", "wrong password") is None


def test_authenticate_returns_none_for_an_unknown_account(db):
    assert services.authenticate("nobody", PASSWORD) is None


def test_authenticate_returns_none_for_empty_credentials(db):
    register()
    assert services.authenticate("anna", "") is None
    assert services.authenticate("", "") is None


def test_deleted_account_cannot_log_in(db):
    user = register()
    services.delete_account(user, actor=user)
    assert services.authenticate("anna", PASSWORD) is None
    assert services.authenticate(user.username, PASSWORD) is None


# --- passwords --------------------------------------------------------------------------------

def test_change_password_requires_the_current_one(db):
    user = register()
    with pytest.raises(DomainError) as caught:
        services.change_password(user, current="not it", new="new password 1")
    assert caught.value.field == "current_password"
    assert user.check_password(PASSWORD)


def test_change_password_refuses_a_short_new_password(db):
    user = register()
    with pytest.raises(DomainError):
        services.change_password(user, current=PASSWORD, new="short")


def test_change_password_replaces_the_old_one(db):
    user = register()
    services.change_password(user, current=PASSWORD, new="new password 1")
    assert services.authenticate("anna", PASSWORD) is None
    assert services.authenticate("anna", "new password 1") == user


def test_reset_token_identifies_its_user(db):
    user = register()
    assert services.user_for_reset_token(services.password_reset_token(user)) == user


def test_reset_password_sets_the_new_password(db):
    user = register()
    services.reset_password(services.password_reset_token(user), "brand new secret")
    assert services.authenticate("anna", "brand new secret") == user


def test_reset_token_works_only_once(db):
    user = register()
    token = services.password_reset_token(user)
    services.reset_password(token, "brand new secret")
    assert services.user_for_reset_token(token) is None
    with pytest.raises(DomainError) as caught:
        services.reset_password(token, "another secret 2")
    assert caught.value.field == "token"


def test_reset_token_dies_when_the_password_changes_otherwise(db):
    user = register()
    token = services.password_reset_token(user)
    services.change_password(user, current=PASSWORD, new="changed meanwhile")
    assert services.user_for_reset_token(token) is None


@pytest.fixture
def clock(monkeypatch):
    """Move itsdangerous' clock: clock.shift(seconds) makes later checks happen that much later."""
    import time as _time

    class Clock:
        offset = 0

        def shift(self, seconds: int) -> None:
            self.offset = seconds

    clock = Clock()
    monkeypatch.setattr(TimestampSigner, "get_timestamp",
                        lambda self: int(_time.time()) + clock.offset)
    return clock


@pytest.mark.parametrize(("age", "valid"), [(0, True), (60 * 60 * 2 - 5, True),
                                            (60 * 60 * 2 + 5, False), (60 * 60 * 24, False)])
def test_reset_token_expires_after_the_configured_age(app, db, clock, age, valid):
    assert app.config["PASSWORD_RESET_MAX_AGE"] == 60 * 60 * 2
    user = register()
    token = services.password_reset_token(user)
    clock.shift(age)
    assert (services.user_for_reset_token(token) == user) is valid


def test_expired_reset_token_cannot_reset(app, db):
    user = register()
    token = services.password_reset_token(user)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    with pytest.raises(DomainError):
        services.reset_password(token, "brand new secret")
    assert user.check_password(PASSWORD)


def _forged(payload, *, secret: str | None = None, salt: str = services.RESET_SALT) -> str:
    return URLSafeTimedSerializer(secret or current_app.config["SECRET_KEY"], salt=salt).dumps(
        payload)


@pytest.mark.parametrize("make_token", [
    lambda user: "",
    lambda user: "garbage",
    lambda user: services.password_reset_token(user)[:-3] + "abc",
    lambda user: _forged({"id": user.id, "fp": "x"}, secret="someone else's key"),
    lambda user: _forged({"id": user.id, "fp": "x"}, salt="another-purpose"),
    lambda user: _forged({"id": user.id, "fp": "wrong fingerprint"}),
    lambda user: _forged([user.id]),
    lambda user: _forged({"id": str(user.id)}),
    lambda user: _forged({"id": 999_999}),
], ids=["empty", "garbage", "tampered", "other-secret", "other-salt", "wrong-fingerprint",
        "not-a-dict", "id-not-int", "unknown-id"])
def test_invalid_reset_tokens_identify_nobody(db, make_token):
    user = register()
    assert services.user_for_reset_token(make_token(user)) is None


def test_reset_token_of_a_deleted_account_is_void(db):
    user = register()
    token = services.password_reset_token(user)
    services.delete_account(user, actor=user)
    assert services.user_for_reset_token(token) is None


def test_reset_password_refuses_a_short_password(db):
    user = register()
    with pytest.raises(DomainError) as caught:
        services.reset_password(services.password_reset_token(user), "short")
    assert caught.value.field == "password"
    assert user.check_password(PASSWORD)


# --- profiles ---------------------------------------------------------------------------------

def _profile(user, actor, **changes):
    fields = {"name": "Анна Петровна", "organisation": "Школа № 5", "subjects": "математика",
              "about": "Учу **дроби**.", "locale": "ru"} | changes
    return services.update_profile(user, actor=actor, **fields)


def test_update_profile_cooks_the_about_text(db):
    user = register()
    _profile(user, user)
    assert user.about == "Учу **дроби**."
    assert "<strong>дроби</strong>" in user.about_cooked


def test_update_profile_escapes_markup_in_about(db):
    user = register()
    _profile(user, user, about="<script>alert(1)</script><img src=x onerror=alert(2)>")
    assert "<script" not in user.about_cooked
    assert "onerror" not in user.about_cooked


def test_update_profile_saves_the_public_fields_trimmed(db):
    user = register()
    _profile(user, user, name="  Анна  ", organisation=" Лицей ", subjects=" физика ")
    assert (user.name, user.organisation, user.subjects) == ("Анна", "Лицей", "физика")
    assert user.display_name == "Анна"


@pytest.mark.parametrize(("length", "accepted"), [(3000, True), (3001, False)])
def test_update_profile_limits_about_to_3000_characters(db, length, accepted):
    user = register()
    if accepted:
        assert len(_profile(user, user, about="я" * length).about) == length
    else:
        with pytest.raises(DomainError) as caught:
            _profile(user, user, about="я" * length)
        assert caught.value.field == "about"


def test_update_profile_forgets_an_unsupported_locale(db):
    user = register(locale="en")
    _profile(user, user, locale="xx")
    assert user.locale is None


def test_members_cannot_edit_someone_elses_profile(db):
    user, other = register("anna"), register("boris")
    with pytest.raises(Forbidden):
        _profile(user, other)


def test_admins_may_edit_any_profile(db):
    user, admin = register("anna"), register("chief", role="admin")
    _profile(user, admin, name="Исправлено")
    assert user.name == "Исправлено"


# --- leaving ----------------------------------------------------------------------------------

def test_delete_account_anonymises_personal_data(db):
    user = register("anna", name="Анна")
    _profile(user, user)
    services.delete_account(user, actor=user)
    assert user.username == f"anon{user.id}"
    assert user.email.endswith("@deleted.invalid")
    assert (user.name, user.organisation, user.subjects, user.about, user.about_cooked) == (
        "", "", "", "", "")
    assert user.password_hash == ""
    assert user.deleted_at is not None
    assert not user.is_active


def test_delete_account_keeps_posts_under_the_same_user_id(db):
    user = register()
    topic = factories.make_topic(author=user, replies=2)
    services.delete_account(user, actor=user)
    db.session.commit()
    posts = db.session.scalars(select(Post).where(Post.topic_id == topic.id)).all()
    assert len(posts) == 3
    assert {p.user_id for p in posts} == {user.id}
    assert all(p.deleted_at is None for p in posts)


def test_delete_account_removes_drafts_and_revokes_api_keys(db):
    user = register()
    save_draft(user, "new_topic", {"raw": "черновик"})
    services.create_api_key(actor=None, user=user)
    services.delete_account(user, actor=user)
    assert load_draft(user, "new_topic") is None
    keys = db.session.scalars(select(ApiKey).where(ApiKey.user_id == user.id)).all()
    assert keys and all(k.revoked_at is not None for k in keys)


def test_deleted_accounts_name_and_email_can_be_registered_again(db):
    user = register("anna", email="anna@example.org")
    services.delete_account(user, actor=user)
    again = register("anna", email="anna@example.org")
    assert again.id != user.id


def test_members_cannot_delete_someone_elses_account(db):
    user, other = register("anna"), register("boris")
    with pytest.raises(Forbidden):
        services.delete_account(user, actor=other)
    assert user.deleted_at is None


def test_admin_may_delete_another_account(db):
    user, admin = register("anna"), register("chief", role="admin")
    services.delete_account(user, actor=admin)
    assert user.deleted_at is not None


def test_last_admin_cannot_delete_their_account(db):
    admin = register("chief", role="admin")
    with pytest.raises(DomainError):
        services.delete_account(admin, actor=admin)
    assert admin.deleted_at is None


def test_an_admin_may_leave_while_another_admin_remains(db):
    admin, second = register("chief", role="admin"), register("deputy", role="admin")
    services.delete_account(admin, actor=admin)
    assert admin.deleted_at is not None
    with pytest.raises(DomainError):
        services.delete_account(second, actor=second)


def test_last_admin_cannot_be_demoted(db):
    admin = register("chief", role="admin")
    with pytest.raises(DomainError):
        services.set_role(admin, actor=admin, role="member")
    assert admin.role == "admin"


def test_an_admin_may_be_demoted_while_another_admin_remains(db):
    admin, second = register("chief", role="admin"), register("deputy", role="admin")
    services.set_role(second, actor=admin, role="moderator")
    assert second.role == "moderator"


def test_set_role_is_for_admins_only(db):
    member, other = register("anna"), register("boris")
    with pytest.raises(Forbidden):
        services.set_role(other, actor=member, role="admin")


def test_set_role_refuses_an_unknown_role(db):
    admin, member = register("chief", role="admin"), register("anna")
    with pytest.raises(DomainError):
        services.set_role(member, actor=admin, role="overlord")


def test_set_role_takes_effect_on_permissions_at_once(db):
    from forum import permissions

    admin, member = register("chief", role="admin"), register("anna")
    category = factories.make_private_category()
    assert permissions.can_view_category(member, category)
    services.set_role(member, actor=admin, role="student")
    assert not permissions.can_view_category(member, category)
