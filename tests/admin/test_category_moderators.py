"""Subject moderators on a category's admin page: listed, added by username, removed, logged."""

from __future__ import annotations

import pytest

from forum import permissions
from forum.extensions import db
from forum.models import Category, StaffAction
from forum.moderation import audit
from tests.actors import ACTORS


def _category(category):
    db.session.expire_all()
    return db.session.get(Category, category.id)


@pytest.mark.parametrize("actor", ACTORS)
def test_only_admins_assign_moderators(actor, actor_browser, category, other_member):
    browser, _ = actor_browser(actor)
    response = browser.post(f"/admin/categories/{category.id}/moderators",
                            data={"username": other_member.username})
    moderators = {m.username for m in _category(category).moderators}
    if actor == "admin":
        assert response.status_code == 302 and "boris" in moderators
    else:
        assert response.status_code == (302 if actor in ("guest", "suspended_member") else 404)
        assert "boris" not in moderators


@pytest.mark.parametrize("actor", ACTORS)
def test_only_admins_remove_moderators(actor, actor_browser, category, subject_moderator):
    browser, _ = actor_browser(actor)
    browser.post(f"/admin/categories/{category.id}/moderators/{subject_moderator.id}/remove")
    still = subject_moderator in _category(category).moderators
    assert still is (actor != "admin")


def test_the_edit_page_lists_moderators_and_the_new_one_may_moderate(actor_browser, category,
                                                                     other_member):
    browser, _ = actor_browser("admin")
    browser.post(f"/admin/categories/{category.id}/moderators", data={"username": "BORIS"})
    html = browser.get(f"/admin/categories/{category.id}/edit").get_data(as_text=True)
    assert 'id="moderators"' in html and ">boris</a>" in html
    assert permissions.can_moderate(other_member, _category(category))


def test_an_unknown_username_is_refused_and_kept(actor_browser, category):
    browser, _ = actor_browser("admin")
    response = browser.post(f"/admin/categories/{category.id}/moderators",
                            data={"username": "никто<b>"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "There is no user with this name." in html
    assert 'value="никто&lt;b&gt;"' in html
    assert f'value="{category.name}"' in html  # the category form shows stored values
    assert db.session.query(StaffAction).count() == 0


def test_assigning_twice_is_harmless_and_logged_once(actor_browser, category, other_member):
    browser, _ = actor_browser("admin")
    for _ in range(2):
        browser.post(f"/admin/categories/{category.id}/moderators", data={"username": "boris"})
    assert len(_category(category).moderators) == 1
    (entry,) = db.session.query(StaffAction).filter_by(action=audit.CATEGORY_MODERATORS).all()
    assert (entry.before, entry.after) == ({"moderators": []}, {"moderators": ["boris"]})
