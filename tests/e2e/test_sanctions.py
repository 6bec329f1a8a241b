"""A moderator silences a member: the member's bell counts it live, and the reply box becomes
a notice with the reason and the end date."""

from __future__ import annotations

import re

import pytest

from tests.e2e.server import log_in, running_server

pytestmark = pytest.mark.e2e

SETUP_SCRIPT = """
from forum import create_app
from forum.accounts.services import register
from forum.bootstrap import ensure_base_data
from forum.categories.services import create_category
from forum.extensions import db
from forum.notifications.services import mark_read
from forum.topics.services import create_topic
app = create_app()
with app.app_context():
    db.create_all()
    ensure_base_data()
    category = create_category(actor=None, name="Математика", slug="matematika")
    register(username="moder", email="moder@example.org", password="very secret words",
             role="moderator")
    olga = register(username="olga", email="olga@example.org", password="very secret words")
    create_topic(category, author=olga, title="Дроби в пятом классе", raw="Как объяснять?")
    mark_read(olga)  # her first topic earned badges; the journey starts with a quiet bell
    db.session.commit()
"""


@pytest.fixture(scope="module")
def sanction_server(tmp_path_factory):
    """A server of its own: this journey needs a moderator, a member and a topic."""
    with running_server(tmp_path_factory.mktemp("e2e-sanctions"), SETUP_SCRIPT) as url:
        yield url




def test_a_silenced_member_is_told_live_and_sees_a_notice_instead_of_the_reply_box(
        browser, sanction_server):
    url = sanction_server
    member_context = browser.new_context(locale="ru-RU")
    moderator_context = browser.new_context(locale="ru-RU")
    member, moderator = member_context.new_page(), moderator_context.new_page()
    errors: list[str] = []
    member.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        log_in(member, url, "olga", "very secret words")
        bell = member.locator("[data-notification-bell] [data-unread-count]")
        assert bell.is_hidden()

        log_in(moderator, url, "moder", "very secret words")
        moderator.goto(url + "/u/olga")
        moderator.get_by_role("link", name=re.compile("Ограничения")).click()
        moderator.locator("#silence-duration").select_option("3d")
        moderator.locator("#silence-reason").fill("Грубость в обсуждении")
        moderator.get_by_role("button", name="Запретить писать").click()
        moderator.wait_for_url(re.compile(r"/u/olga/sanctions$"))

        bell.wait_for(state="visible", timeout=10_000)  # pushed over Socket.IO
        assert bell.inner_text() == "1"

        member.goto(url + "/latest")
        member.get_by_role("link", name="Дроби в пятом классе").click()
        notice = member.locator(".silenced-notice")
        assert "Грубость в обсуждении" in notice.inner_text()
        assert member.locator("form.reply-form").count() == 0
        assert errors == []
    finally:
        member_context.close()
        moderator_context.close()
