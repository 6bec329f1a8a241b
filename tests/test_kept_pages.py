"""forum.kept_pages: a member's list page, kept once and filled for each reader, is exactly the
page rendered for that reader, and nothing of one reader reaches another."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import current_app, render_template_string, template_rendered
from sqlalchemy import select

from forum import kept_pages, templating
from forum.following import services as following
from forum.models import Post, utcnow
from forum.models.following import LEVEL_WATCHING
from forum.topics import services as topic_services
from tests import factories

_TOKEN = re.compile(r'(name="csrf[-_]token" (?:content|value)=")[^"]+"')


def _sign_in(app, user):
    client = app.test_client()
    response = client.post("/login", data={"login": user.username,
                                           "password": factories.PASSWORD})
    assert response.status_code == 302
    return client


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    # A CSRF token is signed with the time: the same session's tokens differ by the second.
    return _TOKEN.sub(r'\1…"', response.get_data(as_text=True))


def _unkept(client, url: str) -> str:
    """The page rendered for this reader as if no page were kept."""
    store = current_app.extensions.pop("kept_pages")
    try:
        return _page(client, url)
    finally:
        current_app.extensions["kept_pages"] = store


@pytest.fixture(autouse=True)
def still_clock(monkeypatch):
    """Relative times read one clock: pages compared across requests must not cross a second."""
    now = utcnow() + timedelta(minutes=1)
    monkeypatch.setattr(templating, "utcnow", lambda: now)


@pytest.fixture
def two_readers(app, db, category, member, other_member):
    """Anna wrote a topic (new to Boris, not to her) and watches the category; Boris does not."""
    factories.make_topic(category=category, author=member, title="Как объяснять дроби")
    factories.make_topic(category=category, author=other_member, title="Устный счёт в 5 классе")
    following.set_category_level(category, user=member, level=LEVEL_WATCHING)
    db.session.commit()
    return _sign_in(app, member), _sign_in(app, other_member)


@pytest.fixture
def renders(app):
    names = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    template_rendered.connect(record, app)
    yield names
    template_rendered.disconnect(record, app)


@pytest.mark.parametrize("page", ["latest", "category"])
def test_each_reader_gets_the_page_rendered_for_them(two_readers, category, page):
    url = "/latest" if page == "latest" else f"/c/{category.slug}/{category.id}"
    anna, boris = two_readers
    for client in (anna, boris, anna):  # Anna's view keeps the page that Boris's then fills
        assert _page(client, url) == _unkept(client, url)
    annas, boriss = _page(anna, url), _page(boris, url)
    assert "Анна Петровна" in annas and "Анна Петровна" not in boriss.split("</header>")[0]
    assert annas.count("topic-mark new") == 1 and boriss.count("topic-mark new") == 1
    assert annas != boriss


def test_a_kept_page_serves_the_next_reader_without_rendering_it(two_readers, renders):
    anna, boris = two_readers
    _page(anna, "/latest")
    assert "topics/latest.html" in renders
    renders.clear()
    page = _page(boris, "/latest")
    # Only Boris's own header, kept for his next pages (forum.page_header).
    assert renders == ["_site_header.html"] and "Устный счёт в 5 классе" in page
    renders.clear()
    _page(boris, "/latest")
    assert renders == []


def test_relative_times_are_those_of_each_request(two_readers, monkeypatch):
    anna, _boris = two_readers
    now = _page(anna, "/latest")
    later = utcnow() + timedelta(hours=2)
    monkeypatch.setattr(templating, "utcnow", lambda: later)
    assert _page(anna, "/latest") != now
    assert _page(anna, "/latest") == _unkept(anna, "/latest")


def test_a_page_with_a_flash_message_is_rendered_for_it(two_readers, category):
    anna, _boris = two_readers
    _page(anna, "/latest")
    anna.post(f"/c/{category.id}/notification-level", data={"notification_level": "1"})
    page = _page(anna, "/latest")
    assert "flash" in page and page.count("class=\"flash ") == 1


def test_a_new_reply_shows_at_once(two_readers, db, member):
    anna, boris = two_readers
    _page(boris, "/latest")
    topic = factories.make_topic(author=member, title="Новая тема про проценты")
    db.session.commit()
    assert "Новая тема про проценты" in _page(boris, "/latest")
    topic_services.reply(topic, author=member, raw="И ещё одно соображение.")
    db.session.commit()
    assert _page(boris, "/latest") == _unkept(boris, "/latest")


def test_a_lapsing_pin_keeps_the_page_out(two_readers, db, category, member):
    pinned = factories.make_topic(category=category, author=member, title="Закреплено на день")
    pinned.pinned_at, pinned.pinned_until = utcnow(), utcnow() + timedelta(days=1)
    pinned.is_pinned_globally = True
    db.session.commit()
    anna, _boris = two_readers
    assert "Закреплено на день" in _page(anna, "/latest")
    assert len(current_app.extensions["kept_pages"].data) == 0


@pytest.mark.parametrize("template", [
    "{{ current_user.username }}",
    "{% if perm.can_view_staff_log(current_user) %}staff{% endif %}",
    "{% if level %}watching{% endif %}",
])
def test_a_template_that_reads_the_reader_outside_its_parts_fails_loudly(
        app, member, monkeypatch, template):
    monkeypatch.setattr(kept_pages, "render_template",
                        lambda _name, **context: render_template_string(template, **context))
    client = _sign_in(app, member)
    with app.test_request_context("/latest"):
        from flask import g
        from flask_login import login_user

        login_user(member)
        g.content_generation = 1
        with pytest.raises(kept_pages.KeptPageError):
            kept_pages.render_member_page("x.html", ("key",), reader={"level": 3})
    assert client  # signed in through the form as well: the app's own path stays usable


@pytest.fixture
def discussion(db, category, member, other_member):
    """Anna's topic with Boris's replies; Boris liked and bookmarked Anna's first post, and Anna
    has a reply draft."""
    from forum.drafts.services import save_draft
    from forum.following.bookmarks import create_bookmark
    from forum.reputation.likes import like_post

    topic = factories.make_topic(category=category, author=member, title="Как объяснять дроби")
    for n in range(3):
        topic_services.reply(topic, author=other_member, raw=f"Ответ номер {n} про дроби.")
    first = topic_services.post_by_number(topic, 1)
    like_post(first, user=other_member)
    create_bookmark(first, user=other_member)
    save_draft(member, f"topic_{topic.id}", {"raw": "Мой черновик ответа"})
    db.session.commit()
    return f"/t/{topic.slug}/{topic.id}?page=1"


def test_each_reader_gets_the_topic_page_rendered_for_them(app, discussion, member,
                                                           other_member, renders):
    anna, boris = _sign_in(app, member), _sign_in(app, other_member)
    for client in (anna, boris, anna, boris):
        assert _page(client, discussion) == _unkept(client, discussion)
    annas, boriss = _page(anna, discussion), _page(boris, discussion)
    assert "Мой черновик ответа" in annas and "Мой черновик ответа" not in boriss
    renders.clear()
    _page(boris, discussion)
    assert "topics/show.html" not in renders


def test_staff_and_pages_with_deleted_posts_are_rendered_for_each_reader(
        app, db, discussion, member, moderator, renders):
    _page(_sign_in(app, moderator), discussion)
    assert len(current_app.extensions["kept_pages"].data) == 0  # the toolbar reads the reader
    post = db.session.scalars(select(Post).where(Post.post_number == 2)).one()
    topic_services.delete_post(post, actor=moderator)
    db.session.commit()
    _page(_sign_in(app, member), discussion)
    assert len(current_app.extensions["kept_pages"].data) == 0
