"""Admin user pages: the list with search and pages, details, role, groups, moderators, deletion."""

from __future__ import annotations

import pytest

from forum.admin import queries
from forum.models import PERMISSION_FULL, Category, User
from tests import factories


def _html(response) -> str:
    return response.get_data(as_text=True)


# --- the list ---------------------------------------------------------------------------------

def test_user_list_shows_usernames_and_links_to_user_pages(admin_client, member):
    html = _html(admin_client.get("/admin/users"))
    assert f'href="/admin/users/{member.id}"' in html
    assert "anna@example.org" in html


def test_user_search_finds_by_username(admin_client, member, other_member):
    html = _html(admin_client.get("/admin/users?q=ANN"))
    assert ">anna<" in html
    assert ">boris<" not in html


def test_user_search_finds_by_email(admin_client, member, other_member):
    html = _html(admin_client.get("/admin/users?q=boris@example"))
    assert ">boris<" in html
    assert ">anna<" not in html


def test_user_search_finds_a_cyrillic_full_name_typed_in_lower_case(admin_client, member,
                                                                    other_member):
    html = _html(admin_client.get("/admin/users", query_string={"q": "анна"}))
    assert ">anna<" in html
    assert ">boris<" not in html


def test_user_search_treats_percent_signs_literally(admin_client, member):
    html = _html(admin_client.get("/admin/users", query_string={"q": "%"}))
    assert ">anna<" not in html
    assert "No users match." in html


def test_user_search_keeps_the_query_in_the_search_field(admin_client, member):
    html = _html(admin_client.get("/admin/users?q=anna"))
    assert 'name="q" value="anna"' in html


def test_user_list_is_paginated_with_the_query_kept(admin_client, db, monkeypatch):
    monkeypatch.setattr(queries, "USERS_PER_PAGE", 2)
    for n in range(3):
        factories.make_user(f"teacher{n}")
    db.session.commit()
    first = _html(admin_client.get("/admin/users?q=teacher"))
    assert ">teacher2<" in first and ">teacher1<" in first and ">teacher0<" not in first
    assert 'href="/admin/users?page=2&amp;q=teacher"' in first
    second = _html(admin_client.get("/admin/users?q=teacher&page=2"))
    assert ">teacher0<" in second and ">teacher2<" not in second
    assert 'href="/admin/users?page=1&amp;q=teacher"' in second


# --- details ----------------------------------------------------------------------------------

def test_user_page_shows_role_groups_and_counts(admin_client, topic, member, experts, db):
    experts.members.append(member)
    factories.make_post(topic, author=member)
    db.session.commit()
    html = _html(admin_client.get(f"/admin/users/{member.id}"))
    assert "<dt>Role</dt><dd>Teacher (member)</dd>" in html
    assert "Эксперты" in html
    assert "<dt>Topics</dt><dd>1</dd>" in html
    assert "<dt>Posts</dt><dd>2</dd>" in html
    assert "<dt>Last seen</dt><dd>never</dd>" in html


def test_unknown_user_page_is_404(admin_client):
    assert admin_client.get("/admin/users/9999").status_code == 404


# --- role -------------------------------------------------------------------------------------

def test_admin_changes_a_members_role(admin_client, member, db):
    response = admin_client.post(f"/admin/users/{member.id}/role", data={"role": "moderator"})
    assert response.status_code == 302
    db.session.refresh(member)
    assert member.role == "moderator"


def test_promotion_to_admin_opens_the_admin_area_to_that_user(admin_client, client_for, member):
    member_client = client_for(member)
    assert member_client.get("/admin/").status_code == 404
    admin_client.post(f"/admin/users/{member.id}/role", data={"role": "admin"})
    assert member_client.get("/admin/").status_code == 200


def test_demotion_to_student_hides_a_teachers_only_category(admin_client, client_for, member,
                                                            private_category):
    member_client = client_for(member)
    assert member_client.get(f"/c/{private_category.id}").status_code == 301
    admin_client.post(f"/admin/users/{member.id}/role", data={"role": "student"})
    assert member_client.get(f"/c/{private_category.id}").status_code == 404


def test_unknown_role_is_refused_beside_the_field(admin_client, member, db):
    response = admin_client.post(f"/admin/users/{member.id}/role", data={"role": "king"})
    assert response.status_code == 422
    assert 'id="role-error"' in _html(response)
    db.session.refresh(member)
    assert member.role == "member"


def test_the_last_admin_cannot_be_demoted(admin_client, admin, db):
    response = admin_client.post(f"/admin/users/{admin.id}/role", data={"role": "member"})
    assert response.status_code == 422
    assert "The last administrator cannot be demoted." in _html(response)
    db.session.refresh(admin)
    assert admin.role == "admin"


# --- groups -----------------------------------------------------------------------------------

def test_admin_adds_a_user_to_a_named_group(admin_client, member, experts, db):
    response = admin_client.post(f"/admin/users/{member.id}/groups",
                                 data={"group_id": experts.id})
    assert response.status_code == 302
    db.session.expire_all()
    assert [g.name for g in db.session.get(User, member.id).groups] == ["experts"]


def test_automatic_groups_are_not_offered_for_membership(admin_client, member, db):
    from forum.groups.services import group_by_name

    teachers = group_by_name("teachers")
    response = admin_client.post(f"/admin/users/{member.id}/groups",
                                 data={"group_id": teachers.id})
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(User, member.id).groups == []


def test_admin_removes_a_user_from_a_group(admin_client, member, experts, db):
    experts.members.append(member)
    db.session.commit()
    response = admin_client.post(f"/admin/users/{member.id}/groups/{experts.id}/remove")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, member.id).groups == []


# --- subject moderators -----------------------------------------------------------------------

def test_admin_makes_a_user_subject_moderator_of_a_category(admin_client, member, category, db):
    response = admin_client.post(f"/admin/users/{member.id}/moderates",
                                 data={"category_id": category.id})
    assert response.status_code == 302
    db.session.expire_all()
    assert [u.username for u in db.session.get(Category, category.id).moderators] == ["anna"]
    assert category.name in _html(admin_client.get(f"/admin/users/{member.id}"))


def test_subject_moderator_sees_a_category_closed_to_their_role(admin_client, client_for,
                                                                student, db):
    staff_room = factories.make_category("Для координаторов",
                                         permissions={"staff": PERMISSION_FULL})
    db.session.commit()
    student_client = client_for(student)
    assert student_client.get(f"/c/{staff_room.id}").status_code == 404
    admin_client.post(f"/admin/users/{student.id}/moderates", data={"category_id": staff_room.id})
    assert student_client.get(f"/c/{staff_room.id}").status_code == 301


def test_admin_removes_a_subject_moderator(admin_client, member, category, db):
    from forum.categories import services as categories

    categories.assign_moderator(category, member, actor=None)
    db.session.commit()
    response = admin_client.post(f"/admin/users/{member.id}/moderates/{category.id}/remove")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Category, category.id).moderators == []


# --- API key for the user ---------------------------------------------------------------------

def test_admin_creates_an_api_key_for_the_user_shown_once(admin_client, app, member):
    response = admin_client.post(f"/admin/users/{member.id}/api-key",
                                 data={"description": "журнал"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = _html(response)
    assert "it is shown only once" in html
    key = html.split('id="api-key" class="api-key" value="')[1].split('"')[0]
    assert len(key) == 64
    answer = app.test_client().get("/drafts/new_topic.json", headers={"Api-Key": key})
    assert answer.status_code == 200
    assert key not in _html(admin_client.get("/admin/api-keys"))


# --- deletion ---------------------------------------------------------------------------------

def test_admin_deletes_and_anonymises_an_account(admin_client, member, db):
    response = admin_client.post(f"/admin/users/{member.id}/delete", data={"confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, member.id)
    assert user.deleted_at is not None
    assert user.username == f"anon{member.id}"
    assert user.email.endswith("@deleted.invalid")


def test_deleted_user_can_no_longer_sign_in(admin_client, client, member):
    admin_client.post(f"/admin/users/{member.id}/delete", data={"confirm": "y"})
    admin_client.post("/logout")
    response = client.post("/login", data={"login": "anna", "password": factories.PASSWORD})
    assert response.status_code == 401


def test_deletion_needs_the_confirmation_box(admin_client, member, db):
    response = admin_client.post(f"/admin/users/{member.id}/delete", data={})
    assert response.status_code == 422
    assert "Tick the box to confirm." in _html(response)
    db.session.refresh(member)
    assert member.deleted_at is None


def test_the_last_admin_cannot_delete_their_own_account(admin_client, admin, db):
    response = admin_client.post(f"/admin/users/{admin.id}/delete", data={"confirm": "y"})
    assert response.status_code == 422
    assert "The last administrator cannot be deleted." in _html(response)
    db.session.refresh(admin)
    assert admin.deleted_at is None


@pytest.mark.parametrize("path", ["role", "groups", "moderates", "api-key", "delete"])
def test_actions_on_an_unknown_user_are_404(admin_client, path):
    assert admin_client.post(f"/admin/users/9999/{path}", data={}).status_code == 404
