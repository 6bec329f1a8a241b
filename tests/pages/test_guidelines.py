"""The code of conduct: seeded, shown cooked, edited by admins with revisions, diffs and log."""

from __future__ import annotations

import pytest

from forum.bootstrap import ensure_base_data
from forum.extensions import db
from forum.i18n import LOCALE_COOKIE
from forum.models import SitePage, SitePageRevision, StaffAction
from forum.moderation import audit
from forum.pages import services
from tests.actors import ACTORS


def _page() -> SitePage:
    db.session.expire_all()
    return services.guidelines_page()


def _edit(browser, raw="# Правила\n\nБудьте вежливы.", title="Кодекс сетевого поведения",
          reason="Короче"):
    return browser.post("/guidelines/edit", data={"title": title, "raw": raw,
                                                  "edit_reason": reason})


def test_base_data_seeds_the_page_once_with_russian_rules(app):
    ensure_base_data()
    ensure_base_data()
    db.session.commit()
    pages = db.session.query(SitePage).filter_by(slug="guidelines").all()
    assert len(pages) == 1
    assert pages[0].title == "Кодекс сетевого поведения" and "Уважайте" in pages[0].raw
    assert db.session.query(SitePageRevision).count() == 1


def test_the_page_shows_the_cooked_rules_to_guests(client):
    response = client.get("/guidelines", headers={"Accept-Language": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Code of conduct</h1>" in html and "<h2>Уважайте собеседников</h2>" in html


def test_the_page_is_recreated_when_missing(client):
    db.session.execute(SitePage.__table__.delete())
    db.session.commit()
    assert client.get("/guidelines").status_code == 200
    assert _page() is not None


@pytest.mark.parametrize("actor", ACTORS)
def test_only_admins_edit_the_code_of_conduct(actor, actor_browser):
    browser, _ = actor_browser(actor)
    form = browser.get("/guidelines/edit")
    saved = _edit(browser)
    page = _page()
    if actor == "admin":
        assert form.status_code == 200 and saved.status_code == 302
        assert page.version == 2 and "Будьте вежливы" in page.cooked
    else:
        expected = 302 if actor in ("guest", "suspended_member") else 403
        assert form.status_code == expected and saved.status_code == expected
        assert page.version == 1


def test_an_edit_keeps_a_revision_a_log_entry_and_a_history_diff(actor_browser, client):
    browser, admin = actor_browser("admin")
    _edit(browser, raw="Первая строка\nВторая строка")
    _edit(browser, raw="Первая строка\nНовая вторая строка", reason="Уточнение")
    assert [r.number for r in _page().revisions] == [1, 2, 3]
    entries = db.session.query(StaffAction).filter_by(action=audit.PAGE_EDIT).all()
    assert len(entries) == 2 and entries[-1].reason == "Уточнение"
    assert entries[-1].after == {"version": 3, "title": "Кодекс сетевого поведения"}
    html = client.get("/guidelines/history").get_data(as_text=True)
    assert "<del>− Вторая строка</del>" in html and "<ins>+ Новая вторая строка</ins>" in html
    assert "Уточнение" in html and admin.username in html


def test_saving_unchanged_text_is_not_a_new_version(actor_browser):
    browser, _ = actor_browser("admin")
    page = _page()
    _edit(browser, raw=page.raw, title=page.title)
    assert _page().version == 1
    assert db.session.query(StaffAction).count() == 0


@pytest.mark.parametrize("title, raw, message", [
    ("", "Текст", "The title must be 1 to 255 characters long."),
    ("Кодекс", "   ", "The page cannot be empty."),
])
def test_bad_input_is_refused_and_kept(title, raw, message, actor_browser):
    browser, _ = actor_browser("admin")
    response = _edit(browser, title=title, raw=raw or "Мой <i>черновик</i>")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert _page().version == 1
    if raw.strip():
        assert "Мой &lt;i&gt;черновик&lt;/i&gt;" in html or "Текст" in html


def test_page_text_is_cooked_safely(actor_browser, client):
    browser, _ = actor_browser("admin")
    _edit(browser, raw='<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b onclick="x">b</b>',
          title="<img src=x onerror=alert(1)>")
    html = client.get("/guidelines").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "javascript:" not in html
    assert "onclick" not in html and "<img src=x" not in html


def test_the_footer_of_every_page_links_the_code_of_conduct(client):
    for path in ("/latest", "/categories", "/login", "/guidelines"):
        assert 'href="/guidelines"' in client.get(path).get_data(as_text=True), path


def test_registration_says_members_accept_the_code_of_conduct(client):
    client.set_cookie(LOCALE_COOKIE, "en")
    html = client.get("/signup").get_data(as_text=True)
    assert 'By registering you accept the <a href="/guidelines">code of conduct</a>.' in html


def test_the_edit_link_shows_only_to_admins(actor_browser):
    admin_browser, _ = actor_browser("admin")
    member_browser, _ = actor_browser("member")
    assert "/guidelines/edit" in admin_browser.get("/guidelines").get_data(as_text=True)
    assert "/guidelines/edit" not in member_browser.get("/guidelines").get_data(as_text=True)


def test_the_staff_log_links_the_edited_page(actor_browser):
    browser, _ = actor_browser("admin")
    _edit(browser)
    html = browser.get("/moderation/log").get_data(as_text=True)
    assert '<td><a href="/guidelines">Кодекс сетевого поведения</a>' in " ".join(html.split())
