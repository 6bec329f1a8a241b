"""Members' site headers are kept per account and what they show (forum.page_header): each
page still shows its own reader's name, counts and CSRF token, and a change shows at once."""

from __future__ import annotations

import re

from forum.extensions import db
from forum.notifications import services as notifications
from tests import factories


def _header(html: str) -> str:
    return html[html.index('<header class="site-header">'):html.index("</header>")]


def _kept_headers(app) -> list:
    return [key for key in app.extensions["kept_html"].data if key[0] == "site-header"]


def _tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', _header(html)))


def test_a_members_header_is_kept_and_shows_a_new_notification_at_once(app, login, member):
    client = login(member)
    first = client.get("/latest").get_data(as_text=True)
    assert member.display_name in _header(first)
    assert len(_kept_headers(app)) == 1
    client.get("/categories")
    assert len(_kept_headers(app)) == 1  # the second page used the kept one

    notifications.notify(member, "mentioned", data={"by": "colleague"})
    db.session.commit()
    html = client.get("/latest").get_data(as_text=True)
    assert re.search(r"data-unread-count>\s*1\s*<", _header(html))


def test_each_reader_gets_their_own_header_and_csrf_token(app, login, member, admin):
    member_html = login(member).get("/latest").get_data(as_text=True)
    admin_client = app.test_client()
    admin_client.post("/login", data={"login": admin.username,
                                      "password": factories.PASSWORD})
    admin_html = admin_client.get("/latest").get_data(as_text=True)

    assert admin.display_name in _header(admin_html)
    assert member.display_name not in _header(admin_html)
    assert "/admin" in _header(admin_html) and "/admin" not in _header(member_html)
    member_tokens, admin_tokens = _tokens(member_html), _tokens(admin_html)
    assert len(member_tokens) == 1 and len(admin_tokens) == 1
    assert member_tokens != admin_tokens


def test_a_header_kept_for_one_session_carries_another_sessions_own_token(
        app, login, member):
    phone = login(member)
    phone.get("/latest")  # keeps this member's header
    laptop = app.test_client()
    laptop.post("/login", data={"login": member.username, "password": factories.PASSWORD})
    app.config["WTF_CSRF_ENABLED"] = True
    (token,) = _tokens(laptop.get("/latest").get_data(as_text=True))  # from the kept header

    response = laptop.post("/logout", data={"csrf_token": token})

    assert response.status_code == 302
    assert 'action="/logout"' not in laptop.get("/latest").get_data(as_text=True)


def test_a_member_made_admin_sees_the_admin_link_on_the_next_page(app, login, member):
    client = login(member)
    assert "/admin" not in _header(client.get("/latest").get_data(as_text=True))

    member.role = "admin"
    db.session.commit()

    assert "/admin" in _header(client.get("/latest").get_data(as_text=True))


def test_a_guests_header_is_not_kept_and_links_back_to_the_page(app, client):
    html = client.get("/categories").get_data(as_text=True)

    assert "next=/categories" in _header(html) or "next=%2Fcategories" in _header(html)
    assert not _kept_headers(app)
