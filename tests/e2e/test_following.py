"""A teacher watches a topic; a colleague replies: her bell counts it live, the notification
takes her to the first unread post, and she bookmarks it and finds it in her bookmarks."""


import pytest

from tests.e2e.server import log_in, run_on_live_database

pytestmark = pytest.mark.e2e

PASSWORD = "very secret words"

SETUP = """
from forum import create_app
from forum.accounts.services import register
from forum.extensions import db
from forum.models import Category
from forum.topics.services import create_topic
app = create_app()
with app.app_context():
    maths = db.session.query(Category).filter_by(slug="matematika").one()
    author = register(username="olga2", email="olga2@example.org", password={pw!r})
    for name in ("watcher", "replier"):
        register(username=name, email=name + "@example.org", password={pw!r}).trust_level = 1
    topic = create_topic(maths, author=author, title="Устный счёт на каждом уроке",
                         raw="Как вы организуете пятиминутку устного счёта?")
    db.session.commit()
    print(topic.id)
"""


@pytest.fixture
def data(live_server, tmp_path_factory):
    return int(run_on_live_database(tmp_path_factory, SETUP.format(pw=PASSWORD)))


def test_watch_get_notified_live_land_on_the_reply_and_bookmark_it(page, browser, live_server,
                                                                  data):
    log_in(page, live_server, "watcher", PASSWORD)
    page.goto(f"{live_server}/t/{data}")
    page.select_option("#notification-level", "3")
    page.click("form[data-level-form] button[type=submit]")
    assert page.locator("#notification-level").input_value() == "3"
    page.screenshot(path="/tmp/notify-topic.png", full_page=True)
    bell = page.locator("[data-notification-bell] [data-unread-count]")
    assert bell.is_hidden()
    page.wait_for_timeout(1500)  # the live connection joins the member's room

    other_context = browser.new_context(locale="ru-RU")
    other = other_context.new_page()
    log_in(other, live_server, "replier", PASSWORD)
    other.goto(f"{live_server}/t/{data}")
    other.fill("form#reply textarea[name=raw]", "Мы начинаем каждый урок с цепочки примеров.")
    other.click("form#reply button[type=submit]")
    other.wait_for_url("**#post_2")
    other_context.close()

    bell.filter(has_text="1").wait_for(timeout=10_000)  # no reload: the count arrived live
    page.goto(f"{live_server}/notifications")
    page.screenshot(path="/tmp/notify-notifications.png", full_page=True)
    page.locator("li.notification.is-unread button", has_text="replier").click()
    page.wait_for_url("**/2#post_2")

    post = page.locator("article.post", has_text="цепочки примеров")
    post.locator('a[data-action="bookmark"]').click()
    page.fill("input[name=name]", "Цепочки примеров")
    page.select_option("select[name=reminder]", "week")
    page.click("form.bookmark-form button[type=submit]")
    page.wait_for_url("**#post_2")
    page.locator("article.post", has_text="цепочки примеров").locator(
        '[data-action="unbookmark"]').wait_for()
    page.goto(f"{live_server}/u/watcher/bookmarks")
    page.locator(".bookmark-link", has_text="Цепочки примеров").wait_for()
    page.screenshot(path="/tmp/notify-bookmarks.png", full_page=True)
    assert page.console_errors == []
