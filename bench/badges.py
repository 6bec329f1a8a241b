"""Benchmark of `forum badges backfill` on the 100,000-post dataset (target: under 30 s).

    .venv/bin/python bench/badges.py                        # PostgreSQL, seeds once
    .venv/bin/python bench/badges.py --database-url sqlite:////tmp/kafedra-badges.sqlite3
    .venv/bin/python bench/badges.py --posts 20000          # a smaller dataset

Seeds the dataset with `seed_benchmark_data` (as `forum seed-bench --posts N` does) when the
database has fewer posts, then adds what the other reputation services would have written —
likes (PostAction rows with Post/Topic like counters), days visited, trust levels, seminar rooms
with messages — when there are none yet. Each run forgets earlier grants, times a full backfill
(with its notifications), then a second one, which must grant nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

# bench/http.py would shadow the standard library's `http` package: take this folder out.
if sys.path and sys.path[0].rstrip("/").endswith("bench"):
    sys.path.pop(0)
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import delete, func, insert, select, update  # noqa: E402

from forum import create_app  # noqa: E402
from forum.extensions import db  # noqa: E402
from forum.models import (  # noqa: E402
    CHANNEL_SEMINAR,
    Badge,
    ChatChannel,
    ChatMessage,
    Notification,
    Post,
    PostAction,
    Topic,
    User,
    UserBadge,
    UserStats,
    utcnow,
)

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/kafedra_badges_bench"
LIKED_SHARE = 0.4  # of posts that have likes
SEMINARS = 30


def main() -> None:
    args = parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SECRET_KEY": "bench",
                      "TESTING": False})
    with app.app_context():
        db.create_all()
        prepare(args.posts)
        forget_grants()
        first = timed_backfill()
        second = timed_backfill()
        print(f"backfill: {first[0]:.1f} s, {first[1]:,} badges granted")
        print(f"again:    {second[0]:.1f} s, {second[1]:,} badges granted (must be 0)")
        if second[1]:
            sys.exit("the second backfill granted badges: not idempotent")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL",
                                                                 DEFAULT_URL))
    parser.add_argument("--posts", type=int, default=100_000)
    return parser.parse_args()


def prepare(posts: int) -> None:
    if (db.session.scalar(select(func.count(Post.id))) or 0) < posts:
        from forum.demo.bench import seed_benchmark_data

        seed_benchmark_data(posts=posts, topics=max(posts // 50, 1))
    if not db.session.scalar(select(func.count(PostAction.id))):
        started = time.perf_counter()
        rng = random.Random(7)
        users = list(db.session.scalars(select(User.id).where(User.deleted_at.is_(None))))
        add_likes(rng, users)
        add_visits_and_levels(rng, users)
        add_seminars(rng, users)
        db.session.commit()
        print(f"reputation data added in {time.perf_counter() - started:.1f} s")
    if db.engine.dialect.name == "postgresql":
        # Fresh bulk inserts have no planner statistics until autovacuum runs: analyse now,
        # as a live database would have, or the first plans are nested loops over 100k rows.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")


def add_likes(rng: random.Random, users: list[int]) -> None:
    """Skewed like counts: most liked posts get a few, some get dozens (badge thresholds)."""
    rows = []
    for post_id, author in db.session.execute(select(Post.id, Post.user_id)):
        if rng.random() > LIKED_SHARE:
            continue
        count = min(int(rng.paretovariate(1.2)), len(users) - 1)
        likers = [u for u in rng.sample(users, min(count + 1, len(users))) if u != author]
        rows += [{"post_id": post_id, "user_id": u, "action_type": 2,
                  "created_at": utcnow() - timedelta(days=rng.randint(0, 700))}
                 for u in likers[:count]]
    for start in range(0, len(rows), 10_000):
        db.session.execute(insert(PostAction), rows[start:start + 10_000])
    counts = (select(func.count(PostAction.id)).where(PostAction.post_id == Post.id)
              .scalar_subquery())
    db.session.execute(update(Post).values(like_count=counts))
    sums = select(func.coalesce(func.sum(Post.like_count), 0)).where(
        Post.topic_id == Topic.id).scalar_subquery()
    db.session.execute(update(Topic).values(like_count=sums))
    print(f"{len(rows):,} likes")


def add_visits_and_levels(rng: random.Random, users: list[int]) -> None:
    db.session.execute(delete(UserStats))
    db.session.execute(insert(UserStats), [
        {"user_id": u, "days_visited": rng.randint(0, 300)} for u in users])
    for level in (1, 2, 3, 4):
        chosen = [u for u in users if rng.random() < 0.5 ** level]
        db.session.execute(update(User).where(User.id.in_(chosen)).values(trust_level=level))


def add_seminars(rng: random.Random, users: list[int]) -> None:
    now = utcnow()
    for n in range(SEMINARS):
        host = rng.choice(users)
        channel = ChatChannel(kind=CHANNEL_SEMINAR, name=f"Семинар {n + 1}", slug="seminar",
                              host_id=host, starts_at=now - timedelta(days=n * 7 + 1),
                              ends_at=now - timedelta(days=n * 7))
        db.session.add(channel)
        db.session.flush()
        db.session.execute(insert(ChatMessage), [
            {"channel_id": channel.id, "user_id": u, "raw": "Спасибо!", "cooked": "<p>Спасибо!</p>",
             "created_at": channel.starts_at + timedelta(minutes=i)}
            for i, u in enumerate(rng.sample(users, min(40, len(users))))])


def forget_grants() -> None:
    db.session.execute(delete(Notification).where(Notification.kind == "badge_granted"))
    db.session.execute(delete(UserBadge))
    db.session.execute(update(Badge).values(grant_count=0))
    db.session.commit()


def timed_backfill() -> tuple[float, int]:
    from forum.reputation.badges.engine import backfill

    started = time.perf_counter()
    times, last = [], [started]

    def progress(definition, count):
        now = time.perf_counter()
        times.append((now - last[0], definition.slug, count))
        last[0] = now

    counts = backfill(progress=progress)
    db.session.commit()
    slowest = ", ".join(f"{slug} {seconds:.1f} s" for seconds, slug, _ in sorted(times)[-4:])
    print(f"  slowest rules: {slowest}")
    return time.perf_counter() - started, sum(counts.values())


if __name__ == "__main__":
    main()
