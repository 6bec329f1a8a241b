"""Admins set trust levels: Discourse's PUT /admin/users/<id>/trust_level (`level`) and
trust_level_lock (`locked`), and the same on the admin user page."""

from __future__ import annotations

import pytest

from forum.accounts.services import create_api_key
from forum.i18n import LOCALE_COOKIE
from forum.models import StaffAction, User
from forum.reputation.stats import stats_of

# Trust messages are compared in English, the source language.
pytestmark = pytest.mark.usefixtures("english_by_default")


@pytest.fixture
def key_for(db):
    def _headers(user) -> dict:
        key = create_api_key(actor=None, user=user, description="test client")
        db.session.commit()
        return {"Api-Key": key, "Api-Username": user.username}
    return _headers


def reload(db, user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_an_admin_grants_trust_level_4_through_the_api(client, db, admin, member, key_for):
    response = client.put(f"/admin/users/{member.id}/trust_level", data={"level": "4"},
                          headers=key_for(admin))
    assert response.status_code == 200
    assert response.json["admin_user"]["trust_level"] == 4
    assert reload(db, member).trust_level == 4
    assert db.session.query(StaffAction).filter_by(action="user.trust_level").count() == 1


def test_the_api_takes_json_as_well(client, db, admin, member, key_for):
    response = client.put(f"/admin/users/{member.id}/trust_level.json", json={"level": 2},
                          headers=key_for(admin))
    assert response.status_code == 200 and reload(db, member).trust_level == 2


@pytest.mark.parametrize("body", [{}, {"level": "5"}, {"level": "abc"}, {"level": "-1"}])
def test_a_missing_or_bad_level_gets_a_clear_error_and_changes_nothing(client, db, admin,
                                                                      member, key_for, body):
    response = client.put(f"/admin/users/{member.id}/trust_level", data=body,
                          headers=key_for(admin))
    assert response.status_code == 422
    assert "trust level from 0 to 4" in response.json["errors"][0]
    assert reload(db, member).trust_level == 1


@pytest.mark.parametrize("actor", ["moderator", "other_member"])
def test_only_admins_set_trust_levels_through_the_api(request, client, db, member, key_for,
                                                      actor):
    user = request.getfixturevalue(actor)
    response = client.put(f"/admin/users/{member.id}/trust_level", data={"level": "3"},
                          headers=key_for(user))
    assert response.status_code == 403 and response.json["errors"]
    assert reload(db, member).trust_level == 1


def test_an_unknown_user_answers_404(client, admin, key_for):
    response = client.put("/admin/users/987654/trust_level", data={"level": "1"},
                          headers=key_for(admin))
    assert response.status_code == 404


def test_trust_level_lock_fixes_and_frees_the_level(client, db, admin, member, key_for):
    headers = key_for(admin)
    locked = client.put(f"/admin/users/{member.id}/trust_level_lock", data={"locked": "true"},
                        headers=headers)
    assert locked.json["admin_user"]["manual_locked_trust_level"] == 1
    assert stats_of(reload(db, member)).trust_level_locked
    client.put(f"/admin/users/{member.id}/trust_level_lock", data={"locked": "false"},
               headers=headers)
    assert not stats_of(reload(db, member)).trust_level_locked


def test_the_admin_user_page_shows_the_level_and_progress_and_changes_it(client, login, db,
                                                                         admin, member):
    client.set_cookie(LOCALE_COOKIE, "en")
    login(admin)
    page = client.get(f"/admin/users/{member.id}").get_data(as_text=True)
    assert "Trust level 1 («basic member»)" in page and "Towards trust level 2" in page
    assert "Days visited" in page
    response = client.post(f"/admin/users/{member.id}/trust-level",
                           data={"level": "4", "locked": "1", "csrf_token": _token(page)})
    assert response.status_code == 302
    user = reload(db, member)
    assert user.trust_level == 4 and stats_of(user).trust_level_locked


def test_a_forged_level_on_the_admin_page_is_refused_with_a_message(client, login, db, admin,
                                                                    member):
    client.set_cookie(LOCALE_COOKIE, "en")
    login(admin)
    page = client.get(f"/admin/users/{member.id}").get_data(as_text=True)
    response = client.post(f"/admin/users/{member.id}/trust-level",
                           data={"level": "9", "csrf_token": _token(page)},
                           follow_redirects=True)
    assert "trust level from 0 to 4" in response.get_data(as_text=True)
    assert reload(db, member).trust_level == 1


def test_a_member_cannot_use_the_admin_page_form(client, login, db, member, other_member):
    login(other_member)
    page = client.get("/latest").get_data(as_text=True)
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    response = client.post(f"/admin/users/{member.id}/trust-level",
                           data={"level": "4", "csrf_token": token})
    assert response.status_code == 403 and reload(db, member).trust_level == 1


def _token(page: str) -> str:
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
