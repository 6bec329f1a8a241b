"""Admin group pages: the list, creating a named group, members added by username and removed."""

from __future__ import annotations

from forum.groups.services import group_by_name
from forum.models import PERMISSION_READONLY, Group, User
from tests import factories


def _html(response) -> str:
    return response.get_data(as_text=True)


def test_group_list_marks_automatic_groups(admin_client, experts):
    html = _html(admin_client.get("/admin/groups"))
    assert html.count('<tr class="automatic">') == 6
    assert f'href="/admin/groups/{experts.id}">experts</a>' in html
    assert "every signed-in account" in html


def test_admin_creates_a_named_group(admin_client, db):
    response = admin_client.post("/admin/groups/new", data={
        "name": "experts", "full_name": "Эксперты", "description": "Методисты района"})
    group = group_by_name("experts")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/groups/{group.id}"
    assert (group.full_name, group.description, group.is_automatic) == (
        "Эксперты", "Методисты района", False)


def test_duplicate_group_name_is_refused_and_the_form_keeps_what_was_typed(admin_client,
                                                                           experts):
    response = admin_client.post("/admin/groups/new",
                                 data={"name": "experts", "full_name": "Другие эксперты"})
    assert response.status_code == 422
    html = _html(response)
    assert 'id="name-error"' in html
    assert "A group with this name already exists." in html
    assert 'value="Другие эксперты"' in html


def test_group_name_with_spaces_is_refused(admin_client, db):
    response = admin_client.post("/admin/groups/new", data={"name": "two words"})
    assert response.status_code == 422
    assert group_by_name("two words") is None


def test_group_page_lists_members(admin_client, experts, member, db):
    experts.members.append(member)
    db.session.commit()
    html = _html(admin_client.get(f"/admin/groups/{experts.id}"))
    assert f'href="/admin/users/{member.id}">anna</a>' in html
    assert f'action="/admin/groups/{experts.id}/members/{member.id}/remove"' in html


def test_admin_adds_a_member_by_username(admin_client, experts, member, db):
    response = admin_client.post(f"/admin/groups/{experts.id}/members",
                                 data={"username": "Anna"})
    assert response.status_code == 302
    db.session.expire_all()
    assert [u.username for u in db.session.get(Group, experts.id).members] == ["anna"]


def test_adding_an_unknown_username_shows_an_error_beside_the_field(admin_client, experts):
    response = admin_client.post(f"/admin/groups/{experts.id}/members",
                                 data={"username": "nobody"})
    assert response.status_code == 422
    html = _html(response)
    assert 'id="username-error"' in html
    assert "There is no user with this name." in html
    assert 'value="nobody"' in html


def test_admin_removes_a_member(admin_client, experts, member, db):
    experts.members.append(member)
    db.session.commit()
    response = admin_client.post(f"/admin/groups/{experts.id}/members/{member.id}/remove")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Group, experts.id).members == []


def test_automatic_group_page_explains_membership_and_offers_no_editing(admin_client):
    teachers = group_by_name("teachers")
    html = _html(admin_client.get(f"/admin/groups/{teachers.id}"))
    assert "Membership of this group follows the users" in html
    assert f'action="/admin/groups/{teachers.id}/members"' not in html


def test_adding_a_member_to_an_automatic_group_is_refused(admin_client, member, db):
    students = group_by_name("students")
    response = admin_client.post(f"/admin/groups/{students.id}/members",
                                 data={"username": "anna"})
    assert response.status_code == 422
    assert "Membership of automatic groups follows the user" in _html(response)
    db.session.expire_all()
    assert db.session.get(User, member.id).groups == []


def test_unknown_group_is_404(admin_client):
    assert admin_client.get("/admin/groups/9999").status_code == 404


def test_group_membership_grants_access_to_a_category_naming_the_group(
        admin_client, client_for, experts, member, db):
    library = factories.make_category("Методкабинет", permissions={"experts": PERMISSION_READONLY})
    db.session.commit()
    member_client = client_for(member)
    assert member_client.get(f"/c/{library.id}").status_code == 404
    admin_client.post(f"/admin/groups/{experts.id}/members", data={"username": "anna"})
    assert member_client.get(f"/c/{library.id}").status_code == 301
    admin_client.post(f"/admin/groups/{experts.id}/members/{member.id}/remove")
    assert member_client.get(f"/c/{library.id}").status_code == 404
