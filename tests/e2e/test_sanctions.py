"""A moderator silences a member: the member's bell counts it live, and the reply box becomes
a notice with the reason and the end date."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.e2e.conftest import ROOT, _free_port, _wait_until_up

pytestmark = pytest.mark.e2e

SETUP_SCRIPT = """
from forum import create_app
from forum.accounts.services import register
from forum.bootstrap import ensure_base_data
from forum.categories.services import create_category
from forum.extensions import db
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
    db.session.commit()
"""


@pytest.fixture(scope="module")
def sanction_server(tmp_path_factory):
    """A server of its own: this journey needs a moderator, a member and a topic."""
    workdir = tmp_path_factory.mktemp("e2e-sanctions")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{workdir / 'e2e.sqlite3'}",
           "SECRET_KEY": "e2e-secret", "PYTHONPATH": str(ROOT)}
    env.pop("TEST_DATABASE_URL", None)
    subprocess.run([sys.executable, "-c", SETUP_SCRIPT], env=env, cwd=ROOT, check=True,
                   timeout=60)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with open(workdir / "server.log", "w") as log:
        server = subprocess.Popen([sys.executable, "-m", "forum.devserver", "--port", str(port)],
                                  env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
        try:
            _wait_until_up(url, server)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)


def _log_in(page, url: str, username: str) -> None:
    page.goto(url + "/login")
    page.get_by_label("Имя пользователя или электронная почта").fill(username)
    page.get_by_label("Пароль").fill("very secret words")
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(re.compile(r"/latest$|/$"))


def test_a_silenced_member_is_told_live_and_sees_a_notice_instead_of_the_reply_box(
        browser, sanction_server):
    url = sanction_server
    member_context = browser.new_context(locale="ru-RU")
    moderator_context = browser.new_context(locale="ru-RU")
    member, moderator = member_context.new_page(), moderator_context.new_page()
    errors: list[str] = []
    member.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        _log_in(member, url, "olga")
        bell = member.locator("[data-notification-bell] [data-unread-count]")
        assert bell.is_hidden()

        _log_in(moderator, url, "moder")
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
