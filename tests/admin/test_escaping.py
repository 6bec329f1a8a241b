"""Text that people type is shown escaped on every admin page (names, descriptions, searches)."""

from __future__ import annotations

import pytest
from markupsafe import escape

from forum.accounts import services as accounts
from forum.groups import services as groups
from tests import factories

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' autofocus onfocus='alert(1)",
    "<svg/onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "{{ 7*7 }}<b>жирный</b>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_typed_text_is_escaped_on_admin_pages(admin_client, db, payload):
    user = factories.make_user("victim", name=payload)
    group = groups.create_group(actor=None, name="hostile", full_name=payload,
                                description=payload)
    group.members.append(user)
    category = factories.make_category(payload, slug="hostile", description=payload,
                                       permissions={"hostile": 1})
    accounts.create_api_key(actor=None, user=user, description=payload)
    db.session.commit()
    pages = ["/admin/users", f"/admin/users/{user.id}", "/admin/groups",
             f"/admin/groups/{group.id}", "/admin/categories",
             f"/admin/categories/{category.id}/edit", "/admin/api-keys"]
    for path in pages:
        html = admin_client.get(path).get_data(as_text=True)
        assert payload not in html, path
        assert str(escape(payload)) in html, path  # shown, as text
    search = admin_client.get("/admin/users", query_string={"q": payload})
    assert payload not in search.get_data(as_text=True)
