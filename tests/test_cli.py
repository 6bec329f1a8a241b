"""`flask forum …` commands: creating accounts and API keys from the command line.

(`forum demo` and `forum seed-bench` are tested with the demo data, in tests/demo/.)
"""

from __future__ import annotations

import flask_babel
import pytest

from forum.models import User

DRAFT = "/drafts/new_topic.json"  # answers 403 to guests, 200 to a signed-in user


@pytest.fixture
def forum_cli(app):
    """Run `flask forum ARGS…` in English and return the result."""
    runner = app.test_cli_runner()

    def _run(*args: str):
        with flask_babel.force_locale("en"):
            return runner.invoke(args=["forum", *args])

    return _run


def _create_olga(forum_cli, *extra: str):
    return forum_cli("user", "create", "olga", "--email", "olga@school.ru",
                     "--password", "secret password", *extra)


def test_user_create_makes_an_admin_who_can_sign_in(forum_cli, client, db):
    result = _create_olga(forum_cli, "--role", "admin", "--name", "Ольга Ивановна")
    assert result.exit_code == 0, result.output
    assert "Created admin olga" in result.output
    user = db.session.query(User).filter_by(username="olga").one()
    assert (user.role, user.email, user.name) == ("admin", "olga@school.ru", "Ольга Ивановна")
    response = client.post("/login", data={"login": "olga", "password": "secret password"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_user_create_defaults_to_the_member_role(forum_cli, db):
    assert _create_olga(forum_cli).exit_code == 0
    assert db.session.query(User).filter_by(username="olga").one().role == "member"


def test_duplicate_username_fails_with_a_message(forum_cli, db):
    assert _create_olga(forum_cli, "--role", "admin").exit_code == 0
    result = forum_cli("user", "create", "OLGA", "--email", "other@school.ru",
                       "--password", "secret password")
    assert result.exit_code != 0
    assert "This username is already taken." in result.output
    assert db.session.query(User).count() == 1


def test_duplicate_email_fails_with_a_message(forum_cli, db):
    assert _create_olga(forum_cli).exit_code == 0
    result = forum_cli("user", "create", "olga2", "--email", "OLGA@school.ru",
                       "--password", "secret password")
    assert result.exit_code != 0
    assert "An account with this e-mail address already exists." in result.output


def test_short_password_fails_and_creates_nothing(forum_cli, db):
    result = forum_cli("user", "create", "olga", "--email", "olga@school.ru",
                       "--password", "short")
    assert result.exit_code != 0
    assert "at least 8 characters" in result.output
    assert db.session.query(User).count() == 0


def test_unknown_role_is_refused(forum_cli, db):
    result = _create_olga(forum_cli, "--role", "king")
    assert result.exit_code != 0
    assert db.session.query(User).count() == 0


def test_api_key_for_a_user_is_the_last_line_and_authenticates(forum_cli, app, member):
    result = forum_cli("api-key", "create", "--user", "anna")
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    assert len(key) == 64
    api = app.test_client()
    assert api.get(DRAFT).status_code == 403
    headers = {"Api-Key": key, "Api-Username": "anna"}
    assert api.get(DRAFT, headers=headers).status_code == 200


def test_user_key_refuses_to_act_as_someone_else(forum_cli, app, member, other_member):
    key = forum_cli("api-key", "create", "--user", "anna").output.strip().splitlines()[-1]
    headers = {"Api-Key": key, "Api-Username": "boris"}
    assert app.test_client().get(DRAFT, headers=headers).status_code == 403


def test_all_users_key_acts_as_the_named_user(forum_cli, app, member):
    result = forum_cli("api-key", "create", "--description", "импорт")
    assert result.exit_code == 0, result.output
    assert "all users" in result.output
    key = result.output.strip().splitlines()[-1]
    headers = {"Api-Key": key, "Api-Username": "anna"}
    assert app.test_client().get(DRAFT, headers=headers).status_code == 200


def test_api_key_for_an_unknown_user_fails_with_a_message(forum_cli):
    result = forum_cli("api-key", "create", "--user", "nobody")
    assert result.exit_code != 0
    assert "No such user: nobody" in result.output


def test_api_key_for_a_deleted_account_is_refused(forum_cli, db, member):
    from forum.accounts import services as accounts

    accounts.delete_account(member, actor=member)
    db.session.commit()
    result = forum_cli("api-key", "create", "--user", f"anon{member.id}")
    assert result.exit_code != 0

