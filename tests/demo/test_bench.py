"""The benchmark dataset: bulk-inserted, yet every counter agrees with the rows."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from forum.demo.bench import LONG_TOPIC_TITLE, USERNAME_PREFIX, seed_benchmark_data
from forum.extensions import db
from forum.models import Category, Post, PostRevision, SiteState, Topic, User, utcnow
from tests import factories
from tests.demo.counters import counter_mismatches

# Cooking dominates a small run, so fewer distinct bodies than the real benchmark's 300.
SMALL = {"posts": 500, "topics": 20, "long_topic_posts": 100, "users": 30, "distinct_bodies": 60}


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def seeded(db):
    """A small benchmark dataset on an empty database; the value is the progress output."""
    lines: list[str] = []
    seed_benchmark_data(**SMALL, echo=lines.append)
    return lines


def test_small_benchmark_has_the_requested_size(seeded):
    assert _count(Topic) == 20
    assert _count(Post) == 500
    assert _count(User, User.username.startswith(USERNAME_PREFIX)) == 30


def test_one_topic_is_long(seeded):
    long_topic = db.session.scalars(select(Topic).where(Topic.title == LONG_TOPIC_TITLE)).one()
    assert long_topic.posts_count == 100
    assert long_topic.category.slug == "matematika"


def test_small_benchmark_keeps_every_counter_consistent(seeded):
    assert counter_mismatches() == []


def test_every_post_has_its_first_revision(seeded):
    assert _count(PostRevision, PostRevision.number == 1) == _count(Post)


def test_posts_lie_in_the_past_and_in_order(seeded):
    assert db.session.scalar(select(func.max(Post.created_at))) <= utcnow()
    first_posts = _count(Post, Post.post_number == 1)
    assert first_posts == 20


def test_benchmark_text_is_russian_and_english_markdown(seeded):
    cooked = "\n".join(db.session.scalars(select(Post.cooked).distinct()))
    assert re.search("[а-яё]{4}", cooked) and re.search(r"\b(the|students|How)\b", cooked)
    assert 'class="mention"' in cooked and "<blockquote>" in cooked and "<li>" in cooked


def test_benchmark_reports_progress_and_elapsed_time(seeded):
    assert any("posts 500 / 500" in line for line in seeded)
    assert re.search(r"done .* in \d+\.\d s$", seeded[-1])


def test_benchmark_invalidates_cached_guest_pages(db):
    before = db.session.get(SiteState, 1).generation
    seed_benchmark_data(**SMALL, echo=lambda line: None)
    assert db.session.get(SiteState, 1).generation > before


def test_benchmark_on_top_of_the_demo_reuses_its_categories(demo):
    users_before = _count(User)
    seed_benchmark_data(**SMALL, echo=lambda line: None)
    assert _count(Category) == 16
    assert _count(User) == users_before + 30
    assert counter_mismatches() == []


def test_running_the_benchmark_twice_reuses_its_members(seeded):
    seed_benchmark_data(**SMALL, echo=lambda line: None)
    assert _count(User, User.username.startswith(USERNAME_PREFIX)) == 30
    assert _count(Topic) == 40
    assert counter_mismatches() == []


def test_services_still_create_accounts_topics_and_posts_afterwards(seeded):
    # On PostgreSQL the bulk insert sets ids itself; the sequences must have moved past them.
    author = factories.make_user("after_bench")
    category = db.session.scalars(select(Category).where(Category.slug == "fizika")).one()
    topic = factories.make_topic(category=category, author=author, replies=2)
    db.session.commit()
    assert topic.posts_count == 3
    assert counter_mismatches() == []


def test_benchmark_needs_a_post_for_every_topic(db):
    with pytest.raises(ValueError, match="one post per topic"):
        seed_benchmark_data(posts=5, topics=10, echo=lambda line: None)


def test_seed_bench_command_builds_the_dataset(app, db):
    result = app.test_cli_runner().invoke(args=["forum", "seed-bench", "--posts", "300",
                                                "--topics", "12"])
    assert result.exit_code == 0, result.output
    assert "done" in result.output
    assert (_count(Topic), _count(Post)) == (12, 300)
    assert counter_mismatches() == []


def test_demo_command_loads_the_demo_into_an_empty_database(app, db):
    result = app.test_cli_runner().invoke(args=["forum", "demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "password: demo-password" in result.output
    assert _count(User) == 14


def test_benchmark_posts_get_likes_from_teachers_never_their_authors(seeded):
    from forum.models import PostAction

    assert _count(PostAction) > 200  # ~1.5 per post on average
    own = db.session.scalar(select(func.count()).select_from(PostAction).join(
        Post, Post.id == PostAction.post_id).where(Post.user_id == PostAction.user_id))
    assert own == 0
    likers = set(db.session.scalars(select(User.role).join(
        PostAction, PostAction.user_id == User.id)))
    assert likers <= {"member", "moderator"}
