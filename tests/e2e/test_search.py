"""A teacher types in the header search box, sees a suggestion appear, and opens the full
results page with the matches highlighted."""


import pytest

from tests.e2e.server import run_on_live_database

pytestmark = pytest.mark.e2e

SETUP = """
from forum import create_app
from forum.accounts.services import register
from forum.extensions import db
from forum.models import Category
from forum.topics.services import create_topic, reply
app = create_app()
with app.app_context():
    maths = db.session.query(Category).filter_by(slug="matematika").one()
    author = register(username="searcher", email="searcher@example.org", password="x" * 12)
    author.trust_level = 1
    topic = create_topic(maths, author=author, title="Как объяснять логарифмы девятиклассникам",
                         raw="Девятиклассники путают логарифмы и степени: нужна наглядность.")
    reply(topic, author=author, raw="Я показываю логарифмы на графиках — работает безотказно.")
    db.session.commit()
    print(topic.id)
"""


@pytest.fixture
def data(live_server, tmp_path_factory):
    return int(run_on_live_database(tmp_path_factory, SETUP))


def test_header_box_suggests_and_opens_the_results_page(page, live_server, data):
    page.goto(f"{live_server}/latest")
    box = page.get_by_role("combobox", name="Поиск по форуму")
    box.click()
    box.press_sequentially("логариф", delay=40)
    suggestion = page.locator(".search-suggestion", has_text="Как объяснять логарифмы")
    suggestion.first.wait_for(timeout=5000)
    assert box.get_attribute("aria-expanded") == "true"
    page.screenshot(path="/tmp/search-suggestions.png")

    box.fill("логарифмами")
    box.press("Enter")
    page.wait_for_url("**/search?q=*")
    results = page.locator(".search-result")
    assert results.count() == 2
    assert page.locator(".search-snippet mark", has_text="логарифмы").count() >= 2
    assert page.get_by_role("heading", name="Поиск по форуму").is_visible()
    page.screenshot(path="/tmp/search-results.png", full_page=True)

    page.locator("summary", has_text="Фильтры").click()
    page.get_by_label("Где искать").select_option("title")
    page.get_by_role("button", name="Найти").last.click()
    page.wait_for_url("**in=title**")
    assert page.locator(".search-result").count() == 1
    assert not page.console_errors
