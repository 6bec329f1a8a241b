"""counter_mismatches(): every denormalised counter compared with the rows it counts."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Category, Post, PostAction, PostRevision, Topic, User, UserStats


def counter_mismatches() -> list[str]:
    """Human-readable differences between counters and rows; empty when all agree."""
    return [*_topic_mismatches(), *_category_mismatches(), *_user_mismatches(),
            *_post_mismatches(), *_like_mismatches()]


def _live_posts():
    return (select(Post).join(Topic, Topic.id == Post.topic_id)
            .where(Post.deleted_at.is_(None), Topic.deleted_at.is_(None)))


def _topic_mismatches() -> list[str]:
    posts = list(db.session.execute(_live_posts().with_only_columns(
        Post.topic_id, Post.post_number, Post.created_at, Post.user_id)))
    by_topic: dict[int, list] = {}
    for row in posts:
        by_topic.setdefault(row.topic_id, []).append(row)
    problems = []
    for topic in db.session.scalars(select(Topic).where(Topic.deleted_at.is_(None))):
        rows = sorted(by_topic.get(topic.id, []), key=lambda r: r.post_number)
        if not rows:
            problems.append(f"topic {topic.id} has no posts")
            continue
        last = rows[-1]
        expected = (len(rows), last.post_number, last.created_at, last.user_id, last.created_at)
        actual = (topic.posts_count, topic.highest_post_number, topic.last_posted_at,
                  topic.last_poster_id, topic.bumped_at)
        if expected != actual:
            problems.append(f"topic {topic.id}: counters {actual} != rows {expected}")
        if max(r.created_at for r in rows) != last.created_at:
            problems.append(f"topic {topic.id}: a post is newer than the last post")
    return problems


def _category_mismatches() -> list[str]:
    topics = Counter(dict(db.session.execute(
        select(Topic.category_id, func.count()).where(Topic.deleted_at.is_(None))
        .group_by(Topic.category_id)).all()))
    posts = Counter(dict(db.session.execute(
        _live_posts().with_only_columns(Topic.category_id, func.count())
        .group_by(Topic.category_id)).all()))
    return [f"category {c.slug}: ({c.topic_count}, {c.post_count}) != "
            f"({topics[c.id]}, {posts[c.id]})"
            for c in db.session.scalars(select(Category))
            if (c.topic_count, c.post_count) != (topics[c.id], posts[c.id])]


def _user_mismatches() -> list[str]:
    topics = Counter(dict(db.session.execute(
        select(Topic.user_id, func.count()).where(Topic.deleted_at.is_(None))
        .group_by(Topic.user_id)).all()))
    posts = Counter(dict(db.session.execute(
        _live_posts().with_only_columns(Post.user_id, func.count())
        .group_by(Post.user_id)).all()))
    return [f"user {u.username}: ({u.topic_count}, {u.post_count}) != "
            f"({topics[u.id]}, {posts[u.id]})"
            for u in db.session.scalars(select(User))
            if (u.topic_count, u.post_count) != (topics[u.id], posts[u.id])]


def _post_mismatches() -> list[str]:
    replies = Counter(dict(((topic_id, number), n) for topic_id, number, n in db.session.execute(
        select(Post.topic_id, Post.reply_to_post_number, func.count())
        .where(Post.reply_to_post_number.is_not(None))
        .group_by(Post.topic_id, Post.reply_to_post_number))))
    revisions = dict(db.session.execute(
        select(PostRevision.post_id, func.max(PostRevision.number))
        .where(PostRevision.number >= 1).group_by(PostRevision.post_id)).all())
    firsts = set(db.session.scalars(
        select(PostRevision.post_id).where(PostRevision.number == 1)))
    problems = []
    for post in db.session.execute(select(Post.id, Post.topic_id, Post.post_number,
                                          Post.reply_count, Post.version)):
        if post.reply_count != replies[(post.topic_id, post.post_number)]:
            problems.append(f"post {post.id}: reply_count {post.reply_count} != "
                            f"{replies[(post.topic_id, post.post_number)]}")
        if post.id not in firsts or revisions.get(post.id) != post.version:
            problems.append(f"post {post.id}: version {post.version}, "
                            f"revisions up to {revisions.get(post.id)}")
    return problems


def _like_mismatches() -> list[str]:
    """Like counts on posts and topics, and members' likes given and received."""
    by_post = Counter(dict(db.session.execute(
        select(PostAction.post_id, func.count()).group_by(PostAction.post_id)).all()))
    liked = select(Post.topic_id, Post.user_id, PostAction.user_id.label("liker")).join(
        PostAction, PostAction.post_id == Post.id)
    rows = db.session.execute(liked).all()
    by_topic = Counter(row.topic_id for row in rows)
    received = Counter(row.user_id for row in rows)
    given = Counter(row.liker for row in rows)
    problems = [f"post {pid}: like_count {n} != {by_post[pid]}" for pid, n in
                db.session.execute(select(Post.id, Post.like_count)) if n != by_post[pid]]
    problems += [f"topic {tid}: like_count {n} != {by_topic[tid]}" for tid, n in
                 db.session.execute(select(Topic.id, Topic.like_count)) if n != by_topic[tid]]
    stats = {s.user_id: (s.likes_given, s.likes_received)
             for s in db.session.scalars(select(UserStats))}
    for uid in set(given) | set(received) | set(stats):
        if stats.get(uid, (0, 0)) != (given[uid], received[uid]):
            problems.append(f"user {uid}: likes {stats.get(uid)} != "
                            f"({given[uid]}, {received[uid]})")
    return problems
