"""A subject moderator pins and closes a topic; a member sees it pinned first and cannot reply."""

import os
import subprocess
import sys

import pytest

from tests.e2e.server import ROOT, log_in

pytestmark = pytest.mark.e2e

PASSWORD = "very secret words"
SEED = """
from datetime import timedelta
from sqlalchemy import select
from forum import create_app
from forum.accounts.services import register
from forum.categories.services import assign_moderator
from forum.extensions import db
from forum.models import Category, utcnow
from forum.topics.services import create_topic
app = create_app()
with app.app_context():
    maths = db.session.scalar(select(Category).where(Category.slug == "matematika"))
    moderator = register(username="matmod", email="matmod@school.example",
                         password="{password}", name="", role="member", locale="ru")
    assign_moderator(maths, moderator, actor=None)
    anna = register(username="anna", email="anna@school.example", password="{password}",
                    name="", role="member", locale="ru")
    rules = create_topic(maths, author=anna, title="Правила раздела математики", raw="Правила.")
    rules.bumped_at = utcnow() - timedelta(days=30)
    create_topic(maths, author=anna, title="Свежий вопрос о дробях", raw="Как объяснить?")
    db.session.commit()
    print(rules.id)
"""


@pytest.fixture
def seeded(live_server, tmp_path_factory):
    """Accounts and two topics, written to the live server's database by a separate process."""
    database = next(tmp_path_factory.getbasetemp().glob("e2e*/e2e.sqlite3"))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "e2e-secret",
           "PYTHONPATH": str(ROOT)}
    env.pop("TEST_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", SEED.replace("{password}", PASSWORD)], env=env,
                          cwd=ROOT, check=True, timeout=60, capture_output=True, text=True)
    return int(done.stdout.split()[-1])




def test_a_subject_moderator_pins_and_closes_and_a_member_cannot_reply(page, browser,
                                                                       live_server, seeded):
    topic_id = seeded
    log_in(page, live_server, "matmod", PASSWORD)
    page.goto(f"{live_server}/t/{topic_id}")
    page.locator(".mod-toolbar summary").click()
    page.locator('form[action$="/pin"] button[type="submit"]').click()
    page.locator(".topic-meta .tag-pinned").wait_for()
    page.locator(".mod-toolbar summary").click()
    page.fill('form[action$="/close"] input[name="reason"]', "Правила не обсуждаются")
    page.locator('form[action$="/close"] button[type="submit"]').click()
    page.locator(".notice-closed").wait_for()
    assert page.console_errors == []

    member = browser.new_context(locale="ru-RU").new_page()
    log_in(member, live_server, "anna", PASSWORD)
    member.goto(live_server + "/categories")
    member.get_by_role("link", name="Математика").first.click()
    rows = member.locator(".topic-list .topic-row")
    rows.first.wait_for()
    assert "Правила раздела математики" in rows.first.inner_text()
    assert rows.first.locator(".tag-pinned").is_visible()
    assert rows.nth(1).locator(".tag-pinned").count() == 0
    rows.first.locator("a.topic-title").click()
    member.locator(".notice-closed").wait_for()
    assert member.locator("form#reply").count() == 0
    assert member.locator(".mod-toolbar").count() == 0
    member.context.close()
