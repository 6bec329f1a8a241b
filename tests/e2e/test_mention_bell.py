"""Issue 7's journey: a teacher is mentioned and sees the bell count rise without reloading,
then opens the notification and lands on the post that mentions her."""


import pytest

from tests.e2e.server import log_in, run_on_live_database

pytestmark = pytest.mark.e2e

PASSWORD = "very secret words"

SETUP = """
from forum import create_app
from forum.accounts.services import register
from forum.extensions import db
from forum.models import Category, User
from forum.topics.services import create_topic
app = create_app()
with app.app_context():
    maths = db.session.query(Category).filter_by(slug="matematika").one()
    for name in ("irina", "pavel"):
        register(username=name, email=name + "@example.org", password={pw!r}).trust_level = 1
    db.session.commit()
    pavel = db.session.query(User).filter_by(username="pavel").one()
    topic = create_topic(maths, author=pavel, title="Задачи на движение в 5 классе",
                         raw="Какие задачи на движение вы даёте первыми?")
    db.session.commit()
    print(topic.id)
"""


@pytest.fixture
def topic_id(live_server, tmp_path_factory):
    return int(run_on_live_database(tmp_path_factory, SETUP.format(pw=PASSWORD)))


def test_a_mentioned_teacher_sees_the_bell_rise_without_reloading(page, browser, live_server,
                                                                   topic_id):
    log_in(page, live_server, "irina", PASSWORD)
    page.goto(f"{live_server}/")
    bell = page.locator("[data-notification-bell] [data-unread-count]")
    assert bell.is_hidden()
    page.evaluate("window.__notReloaded = true")
    page.wait_for_timeout(1500)  # the live connection joins the member's room

    other_context = browser.new_context(locale="ru-RU")
    other = other_context.new_page()
    log_in(other, live_server, "pavel", PASSWORD)
    other.goto(f"{live_server}/t/{topic_id}")
    other.fill("form#reply textarea[name=raw]",
               "@irina, у вас была хорошая подборка задач на встречное движение?")
    other.click("form#reply button[type=submit]")
    other.wait_for_url("**#post_2")
    other_context.close()

    bell.filter(has_text="1").wait_for(timeout=10_000)
    assert page.evaluate("window.__notReloaded") is True  # the same page, never reloaded
    page.screenshot(path="/tmp/jobs-mention-bell.png")

    page.goto(f"{live_server}/notifications")
    note = page.locator("li.notification.is-unread button", has_text="pavel")
    assert "Задачи на движение в 5 классе" in note.inner_text()
    page.screenshot(path="/tmp/jobs-mention-notifications.png", full_page=True)
    note.click()
    page.wait_for_url("**/2#post_2")
    page.locator("article.post", has_text="встречное движение").wait_for()
    assert page.console_errors == []
