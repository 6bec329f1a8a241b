"""The staff action log: who reads what (page and JSON), filters, paging, append-only."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.i18n import LOCALE_COOKIE
from forum.models import StaffAction
from forum.moderation import audit
from tests import factories
from tests.actors import ACTORS


@pytest.fixture
def entries(db, topic, moderator, other_member):
    """One entry in `category` (Математика), one in Physics, one about a member (no category)."""
    physics = factories.make_category("Физика-лог", slug="fizika-log")
    other_topic = factories.make_topic(category=physics, title="Законы Ньютона")
    audit.record(audit.TOPIC_CLOSE, actor=moderator, target=topic, reason="Итоги подведены",
                 before={"closed": False}, after={"closed": True})
    audit.record(audit.TOPIC_PIN, actor=moderator, target=other_topic, reason="Важно")
    audit.record(audit.USER_SILENCE, actor=moderator, target=other_member, reason="Флуд")
    db.session.commit()


SEES = {  # actor → which of the three entries the log shows
    "admin": {"Итоги подведены", "Важно", "Флуд"},
    "moderator": {"Итоги подведены", "Важно"},
    "subject_moderator": {"Итоги подведены"},
    "other_subject_moderator": set(),
}


@pytest.mark.parametrize("actor", ACTORS)
def test_the_log_page_is_scoped_to_what_the_reader_moderates(actor, actor_browser, entries):
    browser, _ = actor_browser(actor)
    response = browser.get("/moderation/log")
    html = response.get_data(as_text=True)
    if actor in SEES:
        assert response.status_code == 200
        for reason in ("Итоги подведены", "Важно", "Флуд"):
            assert (reason in html) is (reason in SEES[actor]), reason
    elif actor in ("guest", "suspended_member"):
        assert response.status_code == 302 and "/login" in response.location
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("actor", ["admin", "moderator", "subject_moderator",
                                   "other_subject_moderator", "member", "silenced_member",
                                   "guest"])
def test_the_json_log_is_scoped_like_the_page(actor, request, client, entries):
    from forum.accounts.services import create_api_key

    headers = {}
    if actor != "guest":
        user = request.getfixturevalue(actor)
        headers = {"Api-Key": create_api_key(actor=None, user=user),
                   "Api-Username": user.username}
        db.session.commit()
    response = client.get("/admin/logs/staff_action_records.json", headers=headers)
    if actor in SEES:
        assert response.status_code == 200
        reasons = {e["reason"] for e in response.get_json()["staff_action_logs"]}
        assert reasons == SEES[actor]
    else:
        assert response.status_code == 403 and response.get_json()["errors"]


def test_json_entries_carry_who_what_target_and_changes(client, admin, entries):
    from forum.accounts.services import create_api_key

    headers = {"Api-Key": create_api_key(actor=None, user=admin), "Api-Username": admin.username,
               "Accept-Language": "en"}
    db.session.commit()
    logs = client.get("/admin/logs/staff_action_records.json?filters[action_name]=topic.close",
                      headers=headers).get_json()["staff_action_logs"]
    assert len(logs) == 1
    entry = logs[0]
    assert entry["acting_user"]["username"] == "moder"
    assert entry["action_label"] == "closed a topic"
    assert (entry["before"], entry["after"]) == ({"closed": False}, {"closed": True})
    assert entry["subject"] == "Как объяснять дроби" and entry["topic_id"] == entry["target_id"]


def _log(browser, query=""):
    return browser.get("/moderation/log" + query).get_data(as_text=True)


@pytest.mark.parametrize("query, shown", [
    ("?action=topic.pin", {"Важно"}),
    ("?actor=moder", {"Итоги подведены", "Важно", "Флуд"}),
    ("?actor=coordinator", set()),
    ("?target_type=user", {"Флуд"}),
    ("?target=ньютона", {"Важно"}),
    ("?target=Дроби", {"Итоги подведены"}),
    ("?action=nonsense&target_id=abc&target_type=<x>&page=-3", {"Итоги подведены", "Важно",
                                                                 "Флуд"}),
])
def test_the_log_filters_by_actor_action_and_target(query, shown, actor_browser, entries):
    browser, _ = actor_browser("admin")
    html = _log(browser, query)
    for reason in ("Итоги подведены", "Важно", "Флуд"):
        assert (reason in html) is (reason in shown), (query, reason)


def test_the_log_filters_by_target_id(actor_browser, entries, topic):
    browser, _ = actor_browser("admin")
    html = _log(browser, f"?target_type=topic&target_id={topic.id}")
    assert "Итоги подведены" in html and "Важно" not in html


def test_the_log_is_newest_first_and_paginated(actor_browser, topic, moderator):
    for n in range(55):
        audit.record(audit.TOPIC_CLOSE, actor=moderator, target=topic, reason=f"причина-{n:02d}")
    db.session.commit()
    browser, _ = actor_browser("admin")
    first = _log(browser)
    assert first.index("причина-54") < first.index("причина-53")
    assert "причина-04" not in first and "page=2" in first
    second = _log(browser, "?page=2")
    assert "причина-04" in second and "причина-54" not in second


def test_the_log_shows_labels_in_the_readers_language(actor_browser, entries, browser_for,
                                                      admin):
    browser = browser_for(admin)
    browser.set_cookie(LOCALE_COOKIE, "ru")
    html = _log(browser)
    assert "closed a topic" not in html and "закрыл" in html.lower()
    english, _ = actor_browser("admin")
    assert "closed a topic" in _log(english)


def test_the_log_shows_before_and_after_and_links_live_targets(actor_browser, entries, topic):
    browser, _ = actor_browser("admin")
    html = _log(browser)
    assert "<del>False</del> → <ins>True</ins>" in html
    assert f'/t/{topic.slug}/{topic.id}"' in html


def test_reasons_and_names_in_the_log_are_escaped(actor_browser, topic, moderator):
    audit.record(audit.TOPIC_CLOSE, actor=moderator, target=topic,
                 reason='<img src=x onerror="alert(1)">', after={"title": "<b>x</b>"})
    db.session.commit()
    browser, _ = actor_browser("admin")
    html = _log(browser)
    assert "<img src=x" not in html and "&lt;img src=x" in html
    assert "<b>x</b>" not in html


def test_no_route_edits_or_deletes_log_entries(app):
    for rule in app.url_map.iter_rules():
        if "log" in rule.rule and ("moderation" in rule.rule or "staff_action" in rule.rule):
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule.rule


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_writing_to_the_log_addresses_is_refused(method, actor_browser, entries):
    browser, _ = actor_browser("admin")
    for path in ("/moderation/log", "/admin/logs/staff_action_records.json"):
        response = getattr(browser, method)(path)
        assert response.status_code in (400, 405)
    assert db.session.query(StaffAction).count() == 3


# --- admin actions leave entries ---------------------------------------------------------------

def _entries(action):
    return db.session.query(StaffAction).filter_by(action=action).order_by(StaffAction.id).all()


def test_changing_a_role_is_logged_once_with_before_and_after(actor_browser, other_member):
    browser, _ = actor_browser("admin")
    for _ in range(2):
        browser.post(f"/admin/users/{other_member.id}/role", data={"role": "moderator"})
    (entry,) = _entries(audit.USER_ROLE)
    assert (entry.before, entry.after) == ({"role": "member"}, {"role": "moderator"})


def test_an_admin_deleting_an_account_is_logged_but_leaving_is_not(actor_browser, other_member,
                                                                    member):
    from forum.accounts import services as accounts

    browser, _ = actor_browser("admin")
    browser.post(f"/admin/users/{other_member.id}/delete", data={"confirm": "y"})
    accounts.delete_account(member, actor=member)
    db.session.commit()
    (entry,) = _entries(audit.USER_DELETE)
    assert entry.target_label == "boris" and entry.before == {"username": "boris"}


def test_assigning_and_removing_a_moderator_is_logged(actor_browser, other_member, category):
    browser, _ = actor_browser("admin")
    browser.post(f"/admin/users/{other_member.id}/moderates", data={"category_id": category.id})
    browser.post(f"/admin/users/{other_member.id}/moderates", data={"category_id": category.id})
    browser.post(f"/admin/users/{other_member.id}/moderates/{category.id}/remove")
    added, removed = _entries(audit.CATEGORY_MODERATORS)
    assert added.after == {"moderators": ["boris"]} and removed.after == {"moderators": []}
    assert added.category_id == category.id


def test_creating_and_editing_a_category_is_logged(actor_browser, category):
    browser, _ = actor_browser("admin")
    browser.post("/admin/categories/new", data={"name": "История", "color": "AA0000",
                                                "parent_id": 0})
    browser.post(f"/admin/categories/{category.id}/edit", data={
        "name": "Алгебра", "color": category.color, "position": category.position,
        "parent_id": 0, "description": category.description})
    created, *edits = _entries(audit.CATEGORY_CHANGE)
    assert created.before is None and created.after["name"] == "История"
    renamed = [e for e in edits if "name" in (e.after or {})]
    assert renamed and renamed[0].before["name"] == "Математика"
    assert renamed[0].after["name"] == "Алгебра"
    regranted = [e for e in edits if "permissions" in (e.after or {})]
    assert regranted and regranted[0].before["permissions"] == {"everyone": 3, "teachers": 1}
    assert regranted[0].after["permissions"] == {}
