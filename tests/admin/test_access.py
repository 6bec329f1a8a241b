"""Who may enter the admin area, and the dashboard."""

from __future__ import annotations

import pytest

from tests import factories

ADMIN_PAGES = ["/admin/", "/admin/users", "/admin/groups", "/admin/groups/new",
               "/admin/categories", "/admin/categories/new", "/admin/api-keys"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_answer_404_to_members(login, member, path):
    client = login(member)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_answer_404_to_moderators(login, moderator, path):
    client = login(moderator)
    assert client.get(path).status_code == 404


def test_admin_user_page_answers_404_to_members(login, member, admin):
    client = login(member)
    assert client.get(f"/admin/users/{admin.id}").status_code == 404


def test_admin_actions_answer_404_to_members_and_change_nothing(login, member, db):
    client = login(member)
    response = client.post(f"/admin/users/{member.id}/role", data={"role": "admin"})
    assert response.status_code == 404
    db.session.refresh(member)
    assert member.role == "member"


def test_guests_are_sent_to_the_login_page(client):
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_open_for_admins(admin_client, path):
    response = admin_client.get(path)
    assert response.status_code == 200
    assert "text/html" in response.content_type


def test_dashboard_shows_counts_of_users_topics_and_posts(admin_client, topic, db):
    factories.make_post(topic, author=topic.user)
    db.session.commit()
    html = admin_client.get("/admin/").get_data(as_text=True)
    # admin + the topic's author; one topic; its first post and a reply.
    assert "<dt>Users</dt><dd>2</dd>" in html
    assert "<dt>Topics</dt><dd>1</dd>" in html
    assert "<dt>Posts</dt><dd>2</dd>" in html


def test_dashboard_links_to_every_admin_section(admin_client):
    html = admin_client.get("/admin/").get_data(as_text=True)
    for path in ("/admin/users", "/admin/groups", "/admin/categories", "/admin/api-keys"):
        assert f'href="{path}"' in html



# --- CSRF, switched on as in production --------------------------------------------------------

def _token(html: str) -> str:
    return html.split('name="csrf_token" value="')[1].split('"')[0]


def test_admin_form_without_csrf_token_is_refused_and_keeps_the_page(app, admin_client,
                                                                     member, db):
    app.config["WTF_CSRF_ENABLED"] = True
    response = admin_client.post(f"/admin/users/{member.id}/role", data={"role": "admin"})
    assert response.status_code == 422
    assert "This form has expired" in response.get_data(as_text=True)
    db.session.refresh(member)
    assert member.role == "member"


def test_admin_form_with_the_pages_csrf_token_is_accepted(app, admin_client, member, db):
    app.config["WTF_CSRF_ENABLED"] = True
    page = admin_client.get(f"/admin/users/{member.id}").get_data(as_text=True)
    response = admin_client.post(f"/admin/users/{member.id}/role",
                                 data={"role": "moderator", "csrf_token": _token(page)})
    assert response.status_code == 302
    db.session.refresh(member)
    assert member.role == "moderator"


def test_admin_button_without_csrf_token_is_refused(app, admin_client, admin, db):
    from forum.accounts import services as accounts
    from forum.models import ApiKey

    accounts.create_api_key(actor=None, user=admin)
    db.session.commit()
    key = db.session.query(ApiKey).one()
    app.config["WTF_CSRF_ENABLED"] = True
    assert admin_client.post(f"/admin/api-keys/{key.id}/revoke").status_code == 400
    db.session.refresh(key)
    assert key.revoked_at is None
