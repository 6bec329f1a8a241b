"""A member flags a post as spam; the subject moderator resolves it from the review queue."""


import pytest

from tests.e2e.server import log_in, run_on_live_database

pytestmark = pytest.mark.e2e

PASSWORD = "very secret words"

# Runs against the live server's own SQLite file: a post author, a flagger, and the
# subject moderator of "Математика" (created by the live server's setup).
SETUP = """
from forum import create_app
from forum.accounts.services import register
from forum.categories.services import assign_moderator
from forum.extensions import db
from forum.models import Category
from forum.topics.services import create_topic, reply
app = create_app()
with app.app_context():
    maths = db.session.query(Category).filter_by(slug="matematika").one()
    author = register(username="reklama", email="reklama@example.org", password={pw!r})
    # Flagging is for basic members (trust level 1) and above: vera has been around a while.
    register(username="vera", email="vera@example.org", password={pw!r}).trust_level = 1
    moderator = register(username="predmetnik", email="predmetnik@example.org", password={pw!r})
    assign_moderator(maths, moderator, actor=None)
    topic = create_topic(maths, author=author, title="Задачи на проценты для 6 класса",
                         raw="Собираю хорошие задачи на проценты.")
    reply(topic, author=author, raw="Купите мои платные курсы по ссылке!")
    db.session.commit()
    print(topic.id)
"""


@pytest.fixture
def data(live_server, tmp_path_factory):
    return int(run_on_live_database(tmp_path_factory, SETUP.format(pw=PASSWORD)))




def test_a_member_flags_a_post_and_the_subject_moderator_resolves_it(page, live_server, data):
    log_in(page, live_server, "vera", PASSWORD)
    page.goto(f"{live_server}/t/{data}")
    spam = page.locator("article.post", has_text="Купите мои платные курсы")
    spam.locator("a[data-action=flag]").click()
    page.locator("input[name=kind][value=spam]").check()
    page.locator("form.flag-form button[type=submit]").click()
    page.locator(".flash-success").wait_for()
    assert "/t/" in page.url

    page.context.clear_cookies()
    log_in(page, live_server, "predmetnik", PASSWORD)
    review_link = page.locator("a[data-review-link]")
    assert "(1)" in review_link.inner_text()
    review_link.click()
    item = page.locator("section.review-item", has_text="Купите мои платные курсы")
    assert "vera" in item.inner_text()
    item.locator("button[name=action][value=agree_and_hide]").click()
    page.locator(".flash-success").wait_for()
    assert page.locator("section.review-item").count() == 0
    assert "(0)" in page.locator("a[data-review-link]").inner_text()
    assert page.console_errors == []
