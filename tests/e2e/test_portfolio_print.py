"""A teacher prints their electronic portfolio: on paper it is the document alone."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.server import running_server

pytestmark = pytest.mark.e2e

# A member with a liked topic, points, a badge and a seminar, written as the reputation
# services write them (whose receivers, once merged, add badges and points of their own).
SETUP_SCRIPT = """
from datetime import timedelta
from forum import create_app
from forum.accounts.services import register
from forum.bootstrap import ensure_base_data
from forum.categories.services import create_category
from forum.extensions import db
from forum.markup import cook
from forum.models import (CHANNEL_SEMINAR, Badge, ChatChannel, ChatMessage, Post, PostAction,
                          ReputationEvent, UserBadge, UserStats, utcnow)
from forum.topics.services import create_topic
app = create_app()
with app.app_context():
    db.create_all()
    ensure_base_data()
    maths = create_category(actor=None, name="Математика", slug="matematika")
    marina = register(username="marina", email="marina@school.example",
                      password="very secret words", name="Марина Сергеевна", role="member",
                      locale=None)
    marina.organisation = "Гимназия № 5"
    boris = register(username="boris", email="boris@school.example", password="very secret words",
                     name="", role="member", locale=None)
    boris.trust_level = 1
    topic = create_topic(maths, author=marina, title="Дроби на пицце: план урока",
                         raw="Делим пиццу на равные части.")
    db.session.flush()
    post = db.session.query(Post).filter_by(topic_id=topic.id, post_number=1).one()
    action = PostAction(post_id=post.id, user_id=boris.id)
    db.session.add(action)
    post.like_count = 1
    db.session.flush()
    db.session.add(ReputationEvent(user_id=marina.id, kind="like_received", points=10,
                                   source_key=f"like:{action.id}", actor_id=boris.id,
                                   post_id=post.id, category_id=maths.id))
    badge = Badge(slug="methodist-of-the-year", tier="bronze")
    db.session.add(badge)
    db.session.flush()
    db.session.add(UserBadge(badge_id=badge.id, user_id=marina.id))
    stats = db.session.get(UserStats, marina.id) or UserStats(user_id=marina.id)
    stats.days_visited = 12
    db.session.add(stats)
    start = utcnow() - timedelta(days=3)
    room = ChatChannel(kind=CHANNEL_SEMINAR, name="Формирующее оценивание", slug="seminar",
                       starts_at=start, ends_at=start + timedelta(hours=2), host_id=boris.id)
    db.session.add(room)
    db.session.flush()
    db.session.add(ChatMessage(channel_id=room.id, user_id=marina.id, raw="Спасибо!",
                               cooked=cook("Спасибо!")))
    db.session.commit()
"""


@pytest.fixture(scope="module")
def portfolio_server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("portfolio"), SETUP_SCRIPT) as url:
        yield url


def test_printed_portfolio_shows_the_document_without_the_site_around_it(page,
                                                                        portfolio_server):
    page.goto(portfolio_server + "/u/marina/portfolio")
    portfolio = page.locator("article.portfolio")
    assert page.locator(".site-header").is_visible()
    assert page.get_by_role("button", name="Распечатать").is_visible()
    assert not page.locator(".portfolio-printed").is_visible()

    page.emulate_media(media="print")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "portfolio-print.png"), full_page=True)
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".site-footer").is_visible()
    assert not page.get_by_role("button", name="Распечатать").is_visible()
    assert page.locator(".portfolio-printed").is_visible()
    for text in ("Марина Сергеевна", "Дроби на пицце: план урока", "Формирующее оценивание",
                 "Methodist of the year", "Получено благодарностей"):
        assert portfolio.get_by_text(text).first.is_visible(), text
    # 10 for the like, and more once the badge engine grants badges for the first post.
    assert int(portfolio.locator(".portfolio-reputation").inner_text()) >= 10
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
    assert page.console_errors == []
