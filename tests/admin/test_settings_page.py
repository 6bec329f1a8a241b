"""The site settings page: admins only, validation that keeps input, each change logged."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.models import StaffAction
from forum.moderation import audit
from forum.settings import SETTINGS, get_setting
from tests.actors import ACTORS


def _every_setting() -> dict[str, str]:
    """The form sends every declared setting: those a test does not change keep their value."""
    return {name: str(get_setting(name)) for name, setting in SETTINGS.items()
            if setting.kind is not bool}


@pytest.mark.parametrize("actor", ACTORS)
def test_only_admins_open_and_change_settings(actor, actor_browser):
    browser, _ = actor_browser(actor)
    page = browser.get("/admin/settings")
    change = browser.post("/admin/settings", data=_every_setting() | {"flags_to_hide_post": "5",
                                                   "approve_new_member_posts": "0"})
    if actor == "admin":
        assert page.status_code == 200 and change.status_code == 302
        assert get_setting("flags_to_hide_post") == 5
    else:
        expected = 302 if actor in ("guest", "suspended_member") else 404
        assert page.status_code == expected and change.status_code == expected
        assert get_setting("flags_to_hide_post") == 3


def test_the_page_lists_every_setting_with_its_label_and_value(actor_browser):
    browser, _ = actor_browser("admin")
    html = browser.get("/admin/settings").get_data(as_text=True)
    assert "Flags from distinct members that hide a post" in html
    assert 'name="flags_to_hide_post"' in html and 'value="3"' in html
    assert 'name="approve_new_member_posts"' in html


@pytest.mark.parametrize("typed, message", [("много", "Enter a whole number."),
                                            ("0", "Enter a number from 1 to 100."),
                                            ("1000", "Enter a number from 1 to 100.")])
def test_bad_values_are_refused_and_what_was_typed_is_kept(typed, message,
                                                           actor_browser):
    browser, _ = actor_browser("admin")
    response = browser.post("/admin/settings", data=_every_setting() | {"flags_to_hide_post": typed,
                                                     "approve_new_member_posts": "7"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert f'value="{typed}"' in html and 'value="7"' in html
    # Nothing is saved when one value is bad, not even the good one.
    assert get_setting("approve_new_member_posts") == 0
    assert db.session.query(StaffAction).count() == 0


def test_each_change_is_logged_with_before_and_after_and_no_ops_are_not(
        actor_browser):
    browser, _ = actor_browser("admin")
    for _ in range(2):
        browser.post("/admin/settings", data=_every_setting() | {"flags_to_hide_post": "4",
                                              "approve_new_member_posts": "0"})
    (entry,) = db.session.query(StaffAction).filter_by(action=audit.SETTING_CHANGE).all()
    assert entry.target_label == "flags_to_hide_post"
    assert (entry.before, entry.after) == ({"value": 3}, {"value": 4})


def test_an_expired_token_keeps_the_input(app, actor_browser):
    browser, _ = actor_browser("admin")
    app.config["WTF_CSRF_ENABLED"] = True
    response = browser.post("/admin/settings", data=_every_setting() | {"flags_to_hide_post": "9",
                                                     "approve_new_member_posts": "0"})
    assert response.status_code == 422 and 'value="9"' in response.get_data(as_text=True)
    assert get_setting("flags_to_hide_post") == 3
