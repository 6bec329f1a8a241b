"""Admin API key pages: the list, keys for one user or all users shown once, revoking."""

from __future__ import annotations

from forum.accounts import services as accounts
from forum.models import ApiKey

DRAFT = "/drafts/new_topic.json"  # needs a signed-in user


def _html(response) -> str:
    return response.get_data(as_text=True)


def _created_key(response) -> str:
    return _html(response).split('id="api-key" class="api-key" value="')[1].split('"')[0]


def _key_row(db) -> ApiKey:
    db.session.expire_all()
    return db.session.query(ApiKey).order_by(ApiKey.id.desc()).first()


def test_api_key_list_shows_truncated_key_user_description_and_state(admin_client, admin,
                                                                     member, db):
    accounts.create_api_key(actor=None, user=member, description="Журнал")
    revoked_key = accounts.create_api_key(actor=None, user=None, description="Старый бот")
    accounts.revoke_api_key(_key_row(db), actor=admin)
    db.session.commit()
    html = _html(admin_client.get("/admin/api-keys"))
    assert f"<code>{revoked_key[:4]}…</code>" in html
    assert revoked_key not in html
    assert f'href="/admin/users/{member.id}">anna</a>' in html
    assert "all users" in html
    assert "Журнал" in html and "Старый бот" in html
    assert html.count('<tr class="revoked">') == 1
    assert html.count('/revoke"') == 1


def test_admin_creates_a_key_for_a_user_and_it_signs_requests_in(admin_client, app, member):
    anonymous = app.test_client()
    assert anonymous.get(DRAFT).status_code == 403
    response = admin_client.post("/admin/api-keys",
                                 data={"username": "anna", "description": "Журнал"})
    assert response.status_code == 200
    assert "Copy this key now" in _html(response)
    assert response.headers["Cache-Control"] == "no-store"
    key = _created_key(response)
    assert anonymous.get(DRAFT, headers={"Api-Key": key}).status_code == 200


def test_created_key_is_stored_only_as_a_digest(admin_client, member, db):
    key = _created_key(admin_client.post("/admin/api-keys", data={"username": "anna"}))
    row = _key_row(db)
    assert (row.user_id, row.truncated_key, row.key_digest) == (
        member.id, key[:4], ApiKey.digest(key))


def test_all_users_key_acts_as_the_user_named_in_api_username(admin_client, app, member):
    response = admin_client.post("/admin/api-keys", data={"username": "", "description": "бот"})
    key = _created_key(response)
    assert "any user" in _html(response)
    api = app.test_client()
    assert api.get(DRAFT, headers={"Api-Key": key, "Api-Username": "anna"}).status_code == 200
    assert api.get(DRAFT, headers={"Api-Key": key}).status_code == 403


def test_key_for_an_unknown_user_is_refused_and_the_form_keeps_what_was_typed(admin_client, db):
    response = admin_client.post("/admin/api-keys",
                                 data={"username": "nobody", "description": "Журнал"})
    assert response.status_code == 422
    html = _html(response)
    assert 'id="username-error"' in html
    assert 'value="Журнал"' in html
    assert _key_row(db) is None


def test_revoked_key_is_refused_with_403(admin_client, app, member, db):
    key = _created_key(admin_client.post("/admin/api-keys", data={"username": "anna"}))
    api = app.test_client()
    assert api.get(DRAFT, headers={"Api-Key": key}).status_code == 200
    response = admin_client.post(f"/admin/api-keys/{_key_row(db).id}/revoke")
    assert response.status_code == 302
    assert _key_row(db).revoked_at is not None
    assert api.get(DRAFT, headers={"Api-Key": key}).status_code == 403


def test_revoking_an_unknown_key_is_404(admin_client):
    assert admin_client.post("/admin/api-keys/9999/revoke").status_code == 404


def test_members_cannot_create_keys(login, member, db):
    client = login(member)
    assert client.post("/admin/api-keys", data={"username": "anna"}).status_code == 404
    assert _key_row(db) is None
