"""Two colleagues read a topic; one likes a post: the button shows it at once, the other reader's
count changes live, and the count opens who liked."""


import pytest

from tests.e2e.server import log_in, run_on_live_database

pytestmark = pytest.mark.e2e

PASSWORD = "very secret words"

SETUP = """
from forum import create_app
from forum.accounts.services import register
from forum.extensions import db
from forum.models import Category
from forum.topics.services import create_topic, reply
app = create_app()
with app.app_context():
    maths = db.session.query(Category).filter_by(slug="matematika").one()
    author = register(username="olga", email="olga@example.org", password={pw!r})
    for name in ("liker1", "reader1"):
        register(username=name, email=name + "@example.org", password={pw!r}).trust_level = 1
    topic = create_topic(maths, author=author, title="Дроби в пятом классе: игры",
                         raw="Делюсь играми для урока дробей.")
    reply(topic, author=author, raw="Карточки с долями пиццы работают лучше всего.")
    db.session.commit()
    print(topic.id)
"""


@pytest.fixture
def data(live_server, tmp_path_factory):
    return int(run_on_live_database(tmp_path_factory, SETUP.format(pw=PASSWORD)))


def test_a_like_shows_at_once_reaches_other_readers_live_and_lists_who_liked(
        page, browser, live_server, data):
    reader_context = browser.new_context(locale="ru-RU")
    reader = reader_context.new_page()
    log_in(reader, live_server, "reader1", PASSWORD)
    reader.goto(f"{live_server}/t/{data}")
    reader_post = reader.locator("article.post", has_text="Карточки с долями пиццы")
    reader.wait_for_timeout(1500)  # the live connection joins the topic's room

    log_in(page, live_server, "liker1", PASSWORD)
    page.goto(f"{live_server}/t/{data}")
    post = page.locator("article.post", has_text="Карточки с долями пиццы")
    button = post.locator("button.like-button")
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    post.locator('button.like-button[aria-pressed="true"]').wait_for()
    assert post.locator("[data-like-count]").inner_text() == "1"
    assert "#post_" not in page.url  # no page load (the form would land on #post_2)

    reader_post.locator("[data-like-count]").filter(has_text="1").wait_for(timeout=10_000)
    reader_post.locator("a.like-count").click()
    reader_post.locator("[data-likers-list]").filter(has_text="liker1").wait_for()
    assert page.console_errors == []
    reader_context.close()
