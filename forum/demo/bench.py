"""seed_benchmark_data(): a large realistic dataset, bulk-inserted in one transaction.

The ORM services cost milliseconds per post (permission checks, cooking, flushes), so this goes
around them with SQLAlchemy Core executemany inserts, and computes every denormalised counter
itself: topic posts_count/highest_post_number/last_posted_at/last_poster_id/bumped_at, category
topic_count/post_count, user topic_count/post_count and post reply_count, plus revision 1 of
every post. Posts get likes from teachers (post/topic like_count and the members' likes
given/received are counted too); the reputation ledger is left to `forum reputation
recompute`. Works on an empty database or on top of the demo, and can be run again (the
`bench_user_NNN` accounts are reused, their counters incremented).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.engine import Connection

from forum import planner_statistics
from forum.bootstrap import ensure_base_data
from forum.categories.services import DEFAULT_PERMISSIONS
from forum.demo import data
from forum.demo.loader import ensure_categories
from forum.extensions import db
from forum.groups.services import AUTOMATIC_GROUPS
from forum.markup import cook
from forum.models import (
    PERMISSION_FULL,
    PERMISSION_REPLY,
    POST_ACTION_LIKE,
    ROLES,
    Category,
    Post,
    PostAction,
    PostRevision,
    SiteState,
    Topic,
    User,
    UserStats,
    utcnow,
)
from forum.text import make_slug

USERNAME_PREFIX = "bench_user_"
# Cooking is the slow part of writing a post (~10 ms each): 100k posts would take minutes, so
# a few hundred distinct bodies are cooked once and reused. Pages still render real, varied HTML.
DISTINCT_BODIES = 300
BATCH_SIZE = 5_000
LONG_TOPIC_TITLE = "Задача дня: решаем вместе"
LONG_TOPIC_CATEGORY = "matematika"
HISTORY_DAYS = 720  # topics open over the last two years
# How often a category is picked for a new topic: subjects get most of the traffic.
CATEGORY_WEIGHTS = {"obyavleniya": 1, "oficialno": 1, "meropriyatiya": 3, "dlya-roditeley": 3,
                    "poleznye-sayty": 2, "uchitelskaya": 4}
SUBJECT_WEIGHT = 6
USERS_TABLE, TOPICS_TABLE, POSTS_TABLE = User.__table__, Topic.__table__, Post.__table__
CATEGORIES_TABLE, REVISIONS_TABLE = Category.__table__, PostRevision.__table__
LIKES_TABLE, STATS_TABLE = PostAction.__table__, UserStats.__table__
MEAN_LIKES_PER_POST = 2.0  # exponential, rounded down: most posts get 0-2 likes, a few many
LIKERS = ("member", "moderator")  # teachers like; students and parents read


@dataclass
class _Member:
    id: int
    username: str
    role: str


@dataclass
class _TopicPlan:
    id: int
    category_id: int
    title: str
    times: list[datetime]  # one per post, ascending; post_number = index + 1
    authors: list[int]
    reply_to: list[int | None] = field(default_factory=list)
    is_closed: bool = False

    @property
    def size(self) -> int:
        return len(self.times)


def seed_benchmark_data(*, posts: int = 100_000, topics: int = 2_000,
                        long_topic_posts: int = 1_000, users: int = 200,
                        distinct_bodies: int = DISTINCT_BODIES,
                        echo: Callable[[str], object] = print, seed: int = 20240901) -> dict:
    """Insert `users` members, `topics` topics (one of `long_topic_posts` posts) and `posts` posts.

    Creates the demo's categories when missing. Commits once at the end (the CLI relies on it)
    and returns the counts and the elapsed seconds. The same seed gives the same dataset.
    """
    if topics < 1 or posts < topics:
        raise ValueError("Need at least one topic and at least one post per topic.")
    started = time.perf_counter()
    rng = random.Random(seed)
    now = utcnow()
    ensure_base_data()
    categories = ensure_categories()
    db.session.flush()
    conn = db.session.connection()
    members = _ensure_members(conn, users, rng, now)
    echo(f"bench: {len(members)} members ({USERNAME_PREFIX}001…, password: {data.PASSWORD})")
    bodies = _cook_bodies(rng, members, min(distinct_bodies, posts))
    echo(f"bench: cooked {len(bodies)} distinct post bodies "
         f"({time.perf_counter() - started:.1f} s)")
    long_size = min(long_topic_posts, posts - (topics - 1))
    plans = _plan_topics(conn, rng, categories, members, topics, posts, long_size, now)
    _insert_topics(conn, plans, rng)
    echo(f"bench: {len(plans)} topics ({time.perf_counter() - started:.1f} s)")
    first_post_id = _next_id(conn, POSTS_TABLE)
    _insert_posts(conn, plans, bodies, members, echo, started)
    _add_to_counters(conn, plans)
    liked = _insert_likes(conn, plans, members, first_post_id, now)
    echo(f"bench: {liked:,} likes ({time.perf_counter() - started:.1f} s)")
    _sync_sequences(conn)
    planner_statistics.refresh(conn)  # plans for the new rows, not for empty tables
    # Core inserts bypass the ORM flush hook that invalidates guests' cached pages.
    conn.execute(update(SiteState.__table__).where(SiteState.__table__.c.id == 1)
                 .values(generation=SiteState.__table__.c.generation + 1))
    db.session.commit()
    db.session.expire_all()  # counters changed under the ORM's feet
    elapsed = time.perf_counter() - started
    echo(f"bench: done — {len(members)} members, {len(plans)} topics, "
         f"{sum(p.size for p in plans):,} posts in {elapsed:.1f} s")
    return {"users": len(members), "topics": len(plans),
            "posts": sum(p.size for p in plans), "seconds": elapsed}


# --- members ------------------------------------------------------------------------------------

def _bench_role(number: int) -> str:
    """A few moderators (they write in staff-only categories), some students and parents."""
    if number <= 4:
        return "moderator"
    return {0: "student", 5: "parent"}.get(number % 10, "member")


def _ensure_members(conn: Connection, count: int, rng: random.Random,
                    now: datetime) -> list[_Member]:
    names = [f"{USERNAME_PREFIX}{n:03d}" for n in range(1, count + 1)]
    found = {row.username: _Member(row.id, row.username, row.role) for row in conn.execute(
        select(USERS_TABLE.c.id, USERS_TABLE.c.username, USERS_TABLE.c.role)
        .where(USERS_TABLE.c.username.in_(names)))}
    # One hash for everyone: password hashing is deliberately slow (~0.1 s each). A throwaway
    # User hashes it, so the configured method (PASSWORD_HASH_METHOD) applies.
    probe = User()
    probe.set_password(data.PASSWORD)
    password_hash = probe.password_hash
    next_id = _next_id(conn, USERS_TABLE)
    rows = []
    for number, username in enumerate(names, 1):
        if username in found:
            continue
        member = found[username] = _Member(next_id, username, _bench_role(number))
        rows.append(_member_row(member, password_hash, rng, now))
        next_id += 1
    _insert(conn, USERS_TABLE, rows)
    return [found[name] for name in names]


def _member_row(member: _Member, password_hash: str, rng: random.Random, now: datetime) -> dict:
    female = rng.random() < 0.75  # most Russian school teachers are women
    first = rng.choice(data.FEMALE_FIRST_NAMES if female else data.MALE_FIRST_NAMES)
    surname = rng.choice(data.SURNAMES) + ("а" if female else "")
    teacher = member.role in ("moderator", "member")
    email = f"{member.username}@bench.kafedra.example"
    return {
        "id": member.id, "username": member.username, "username_lower": member.username,
        "email": email, "email_lower": email, "password_hash": password_hash,
        "name": f"{first} {surname}",
        "organisation": f"Школа № {rng.randint(1, 150)}, {rng.choice(data.CITIES)}",
        "subjects": rng.choice(data.SUBJECTS) if teacher else "", "about": "",
        "about_cooked": "", "locale": None, "role": member.role,
        # Some new members (trust level 0), whose likes the reputation rules discount.
        "trust_level": 0 if rng.random() < 0.15 else rng.choice((1, 1, 2, 2, 3)),
        "created_at": now - timedelta(days=HISTORY_DAYS + rng.uniform(30, 400)),
        "last_seen_at": now - timedelta(hours=rng.uniform(1, 24 * 60)), "deleted_at": None,
        "topic_count": 0, "post_count": 0,
    }


# --- text ---------------------------------------------------------------------------------------

def _sentence(rng: random.Random, english: bool) -> str:
    if english:
        if rng.random() < 0.2:
            return f"How do you {rng.choice(data.EN_QUESTION_VERBS)} {rng.choice(data.EN_OBJECTS)}?"
        text = (f"{rng.choice(data.EN_SUBJECTS)} {rng.choice(data.EN_VERBS)} "
                f"{rng.choice(data.EN_OBJECTS)} {rng.choice(data.EN_TAILS)}.")
    else:
        if rng.random() < 0.2:
            return f"Как вы {rng.choice(data.RU_QUESTION_VERBS)} {rng.choice(data.RU_OBJECTS)}?"
        text = (f"{rng.choice(data.RU_OPENERS)}{rng.choice(data.RU_SUBJECTS)} "
                f"{rng.choice(data.RU_VERBS)} {rng.choice(data.RU_OBJECTS)} "
                f"{rng.choice(data.RU_TAILS)}.")
    return text[0].upper() + text[1:]


def _paragraph(rng: random.Random, english: bool) -> str:
    return " ".join(_sentence(rng, english) for _ in range(rng.randint(1, 4)))


def _body(rng: random.Random, usernames: list[str]) -> str:
    """Markdown like members write it: prose, sometimes a list, mention, quote, link or code."""
    english = rng.random() < 0.25
    parts = [_paragraph(rng, english) for _ in range(rng.randint(1, 4))]
    extra = rng.random()
    objects = data.EN_OBJECTS if english else data.RU_OBJECTS
    if extra < 0.15:
        parts.insert(1, "\n".join(f"- {item};" for item in rng.sample(objects, 4)))
    elif extra < 0.25:
        parts[0] = f"@{rng.choice(usernames)}, {parts[0][0].lower()}{parts[0][1:]}"
    elif extra < 0.32:
        parts.insert(0, f'[quote="{rng.choice(usernames)}"]\n{_paragraph(rng, english)}\n'
                        "[/quote]")
    elif extra < 0.36:
        parts.append("```python\nfor variant in range(1, 31):\n"
                     "    print(f\"Вариант {variant}\")\n```")
    elif extra < 0.39:
        parts.append("| Класс | Средний балл |\n|---|---:|\n| 9 «А» | 3,8 |\n| 9 «Б» | 4,1 |")
    elif extra < 0.46:
        parts.append(rng.choice(["Материалы: https://fipi.ru", "См. https://resh.edu.ru",
                                 "Задачи: https://problems.ru"]))
    return "\n\n".join(parts)


def _cook_bodies(rng: random.Random, members: list[_Member],
                 count: int) -> list[tuple[str, str]]:
    """(raw, cooked) pairs; every @name in them is a bench member, so all mentions link."""
    usernames = [m.username for m in members]
    known = {name.lower() for name in usernames}
    bodies = []
    for _ in range(count):
        raw = _body(rng, usernames)
        bodies.append((raw, str(cook(raw, mention_exists=lambda n: n.lower() in known))))
    return bodies


def _title(rng: random.Random) -> str:
    english = rng.random() < 0.2
    template = rng.choice(data.EN_TITLE_TEMPLATES if english else data.RU_TITLE_TEMPLATES)
    thing = rng.choice(data.EN_OBJECTS if english else data.RU_OBJECTS)
    verb = rng.choice(data.EN_QUESTION_VERBS if english else data.RU_TITLE_VERBS)
    return template.format(verb=verb, object=thing, Object=thing[0].upper() + thing[1:],
                           grade=rng.randint(5, 11))


# --- topics and posts ---------------------------------------------------------------------------

def _roles_with(permissions: dict[str, int] | None, level: int) -> set[str]:
    """Roles whose automatic groups hold at least `level` in the category (named groups ignored)."""
    roles: set[str] = set()
    for group, granted in (permissions or DEFAULT_PERMISSIONS).items():
        if group in AUTOMATIC_GROUPS and granted <= level:
            spec = AUTOMATIC_GROUPS[group][0]
            roles.update(ROLES if spec in ("*", "+") else spec.split(","))
    return roles


def _category_pools(categories: dict[str, Category], members: list[_Member]):
    """category id → (weight, who may open topics, who may reply), where someone can write."""
    specs = {spec["slug"]: spec for parent in data.CATEGORIES
             for spec in [parent, *parent.get("children", ())]}
    pools = {}
    for slug, category in categories.items():
        perms = specs[slug].get("permissions")
        openers = [m.id for m in members if m.role in _roles_with(perms, PERMISSION_FULL)]
        repliers = [m.id for m in members if m.role in _roles_with(perms, PERMISSION_REPLY)]
        if openers and repliers:
            pools[category.id] = (CATEGORY_WEIGHTS.get(slug, SUBJECT_WEIGHT), openers, repliers)
    if not pools:
        raise ValueError("Too few bench members to write anywhere; use more users.")
    return pools


def _topic_sizes(rng: random.Random, topics: int, posts: int, long_size: int) -> list[int]:
    """Posts per topic: the long topic first, the rest skewed like real forums (few busy topics)."""
    sizes = [long_size] + [1] * (topics - 1)
    extra = posts - long_size - (topics - 1)
    if topics > 1 and extra > 0:
        weights = [min(rng.paretovariate(1.3), 40.0) for _ in range(topics - 1)]
        total = sum(weights)
        shares = [int(extra * w / total) for w in weights]
        for index in rng.choices(range(topics - 1), weights=weights, k=extra - sum(shares)):
            shares[index] += 1
        sizes[1:] = [1 + share for share in shares]
    elif topics == 1:
        sizes[0] = posts
    return sizes


def _plan_topics(conn: Connection, rng: random.Random, categories: dict[str, Category],
                 members: list[_Member], topics: int, posts: int, long_size: int,
                 now: datetime) -> list[_TopicPlan]:
    """Who writes what where and when, for every topic; the long topic comes first."""
    pools = _category_pools(categories, members)
    pool_ids = list(pools)
    weights = [pools[cid][0] for cid in pool_ids]
    first_id = _next_id(conn, TOPICS_TABLE)
    long_category = categories[LONG_TOPIC_CATEGORY].id
    plans = []
    for index, size in enumerate(_topic_sizes(rng, topics, posts, long_size)):
        long = index == 0
        category_id = long_category if long and long_category in pools else rng.choices(
            pool_ids, weights=weights)[0]
        plans.append(_plan_topic(rng, first_id + index, category_id, pools[category_id],
                                 size, long, now))
    return plans


def _plan_topic(rng: random.Random, topic_id: int, category_id: int, pool: tuple, size: int,
                long: bool, now: datetime) -> _TopicPlan:
    _, openers, repliers = pool
    start = now - timedelta(days=365 if long else rng.uniform(1, HISTORY_DAYS))
    # Most topics are busy for days or weeks; the long one runs up to now.
    busy = now - start if long else timedelta(days=rng.expovariate(1 / 12))
    span = max(min(busy, now - start - timedelta(minutes=1)), timedelta(0))
    times = [start] + sorted(start + span * rng.random() for _ in range(size - 1))
    # A topic is a conversation among a handful of people, not the whole membership.
    cast = rng.sample(repliers, min(len(repliers), 40 if long else rng.randint(2, 12)))
    # About one reply in five answers an earlier post (Discourse's "in reply to").
    reply_to = [None] * min(size, 2) + [rng.randint(1, n - 1) if rng.random() < 0.2 else None
                                        for n in range(3, size + 1)]
    return _TopicPlan(id=topic_id, category_id=category_id,
                      title=LONG_TOPIC_TITLE if long else _title(rng), times=times,
                      authors=[rng.choice(openers)] + [rng.choice(cast) for _ in times[1:]],
                      reply_to=reply_to, is_closed=not long and rng.random() < 0.03)


def _insert_topics(conn: Connection, plans: list[_TopicPlan], rng: random.Random) -> None:
    _insert(conn, TOPICS_TABLE, [{
        "id": p.id, "title": p.title, "slug": make_slug(p.title), "category_id": p.category_id,
        "user_id": p.authors[0], "created_at": p.times[0], "bumped_at": p.times[-1],
        "last_posted_at": p.times[-1], "last_poster_id": p.authors[-1],
        "posts_count": p.size, "highest_post_number": p.size,
        "views": p.size * rng.randint(3, 30) + rng.randint(0, 50), "is_closed": p.is_closed,
        "is_archived": False, "is_visible": True, "pinned_at": None,
        "is_pinned_globally": False, "deleted_at": None, "deleted_by_id": None,
    } for p in plans])


def _insert_posts(conn: Connection, plans: list[_TopicPlan], bodies: list[tuple[str, str]],
                  members: list[_Member], echo, started: float) -> None:
    """Posts and their first revisions, topic by topic, BATCH_SIZE rows per statement."""
    names = {m.id: m.username for m in members}
    total = sum(p.size for p in plans)
    post_id = _next_id(conn, POSTS_TABLE)
    picks = random.Random(total)
    posts, revisions, written, reported = [], [], 0, 0
    for plan in plans:
        replies = Counter(n for n in plan.reply_to if n is not None)
        for number, (when, author) in enumerate(zip(plan.times, plan.authors, strict=True), 1):
            raw, cooked = bodies[picks.randrange(len(bodies))]
            posts.append({
                "id": post_id, "topic_id": plan.id, "user_id": author, "post_number": number,
                "reply_to_post_number": plan.reply_to[number - 1], "raw": raw,
                "cooked": cooked, "version": 1, "reply_count": replies[number],
                "created_at": when, "updated_at": when, "last_editor_id": None,
                "deleted_at": None, "deleted_by_id": None})
            revisions.append({
                "post_id": post_id, "number": 1, "user_id": author, "username": names[author],
                "raw": raw, "title": plan.title if number == 1 else None, "edit_reason": "",
                "created_at": when})
            post_id += 1
        if len(posts) >= BATCH_SIZE or plan is plans[-1]:
            _insert(conn, POSTS_TABLE, posts)
            _insert(conn, REVISIONS_TABLE, revisions)
            written += len(posts)
            posts, revisions = [], []
            if written - reported >= 20_000 or written == total:
                reported = written
                echo(f"bench: posts {written:,} / {total:,} "
                     f"({time.perf_counter() - started:.1f} s)")


def _add_to_counters(conn: Connection, plans: list[_TopicPlan]) -> None:
    """Add the new topics and posts to category and member counters (on top of what is there)."""
    category_topics, category_posts = Counter(), Counter()
    user_topics, user_posts = Counter(), Counter()
    for plan in plans:
        category_topics[plan.category_id] += 1
        category_posts[plan.category_id] += plan.size
        user_topics[plan.authors[0]] += 1
        user_posts.update(plan.authors)
    _increment(conn, CATEGORIES_TABLE, "topic_count", "post_count",
               {cid: (category_topics[cid], category_posts[cid]) for cid in category_topics})
    _increment(conn, USERS_TABLE, "topic_count", "post_count",
               {uid: (user_topics[uid], user_posts[uid]) for uid in user_posts})


def _increment(conn: Connection, table, first: str, second: str,
               deltas: dict[int, tuple[int, int]]) -> None:
    statement = (update(table).where(table.c.id == bindparam("row_id"))
                 .values({first: table.c[first] + bindparam("d1"),
                          second: table.c[second] + bindparam("d2")}))
    rows = [{"row_id": key, "d1": a, "d2": b} for key, (a, b) in deltas.items()]
    if rows:
        conn.execute(statement, rows)


# --- likes --------------------------------------------------------------------------------------

def _insert_likes(conn: Connection, plans: list[_TopicPlan], members: list[_Member],
                  first_post_id: int, now: datetime) -> int:
    """Likes from teachers on other people's posts, within days of each post; every counter
    they touch (posts, topics, members' statistics) added to."""
    rng = random.Random(len(plans) * 7919)  # its own stream: the posts stay as they were
    teachers = [m.id for m in members if m.role in LIKERS]
    action_id = _next_id(conn, LIKES_TABLE)
    rows, per_post, per_topic = [], Counter(), Counter()
    given, received = Counter(), Counter()
    post_id = first_post_id  # posts were numbered in plan order from here
    for plan in plans:
        for when, author in zip(plan.times, plan.authors, strict=True):
            count = min(int(rng.expovariate(1 / MEAN_LIKES_PER_POST)), len(teachers) - 1)
            for liker in [t for t in rng.sample(teachers, count + 1) if t != author][:count]:
                rows.append({"id": action_id, "post_id": post_id, "user_id": liker,
                             "action_type": POST_ACTION_LIKE,
                             "created_at": min(when + timedelta(hours=rng.expovariate(1 / 30)),
                                               now)})
                action_id += 1
                per_post[post_id] += 1
                per_topic[plan.id] += 1
                given[liker] += 1
                received[author] += 1
            post_id += 1
    _insert(conn, LIKES_TABLE, rows)
    _set_like_counts(conn, POSTS_TABLE, per_post)
    _set_like_counts(conn, TOPICS_TABLE, per_topic)
    _add_like_stats(conn, given, received)
    return len(rows)


def _set_like_counts(conn: Connection, table, counts: Counter) -> None:
    rows = [{"row_id": key, "n": n} for key, n in counts.items()]
    statement = (update(table).where(table.c.id == bindparam("row_id"))
                 .values(like_count=table.c.like_count + bindparam("n")))
    for start in range(0, len(rows), BATCH_SIZE):
        conn.execute(statement, rows[start:start + BATCH_SIZE])


def _add_like_stats(conn: Connection, given: Counter, received: Counter) -> None:
    ids = set(given) | set(received)
    present = set(conn.scalars(select(STATS_TABLE.c.user_id)
                               .where(STATS_TABLE.c.user_id.in_(ids))))
    _insert(conn, STATS_TABLE, [{"user_id": uid} for uid in ids - present])
    statement = (update(STATS_TABLE).where(STATS_TABLE.c.user_id == bindparam("row_id"))
                 .values(likes_given=STATS_TABLE.c.likes_given + bindparam("g"),
                         likes_received=STATS_TABLE.c.likes_received + bindparam("r")))
    rows = [{"row_id": uid, "g": given[uid], "r": received[uid]} for uid in ids]
    if rows:
        conn.execute(statement, rows)


# --- plumbing -----------------------------------------------------------------------------------

def _insert(conn: Connection, table, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH_SIZE):
        conn.execute(insert(table), rows[start:start + BATCH_SIZE])


def _next_id(conn: Connection, table) -> int:
    # Ids are assigned here so posts and revisions can be written without RETURNING.
    return (conn.scalar(select(func.max(table.c.id))) or 0) + 1


def _sync_sequences(conn: Connection) -> None:
    """PostgreSQL: explicit ids do not advance the id sequences, so move them past the new rows."""
    if conn.dialect.name != "postgresql":
        return
    for table in (USERS_TABLE, TOPICS_TABLE, POSTS_TABLE, LIKES_TABLE):
        if conn.scalar(select(func.max(table.c.id))) is None:
            continue  # setval refuses 0 on an empty table
        conn.execute(select(func.setval(func.pg_get_serial_sequence(table.name, "id"),
                                        select(func.max(table.c.id)).scalar_subquery())))
