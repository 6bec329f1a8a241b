"""The 'post' kind: topics and their posts (a topic's title counts with its first post)."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, or_, select

from forum import permissions
from forum.api.serializers import avatar_template
from forum.extensions import db
from forum.models import Category, Post, SearchDocument, Topic, User, utcnow
from forum.search.index import plain_text, remove_document, upsert_document, upsert_documents
from forum.search.kinds import CATEGORY, STATUS, TITLE, Hit, SearchContext, SearchKind

KIND = "post"


def post_document(post: Post) -> dict:
    """A post's document: its text, and its topic's title when it is the first post."""
    return {"ref_id": post.id, "title": post.topic.title if post.post_number == 1 else "",
            "body": plain_text(post.cooked), "user_id": post.user_id,
            "created_at": post.created_at}


def index_post(post: Post) -> None:
    document = post_document(post)
    upsert_document(KIND, document.pop("ref_id"), **document)


def unindex_post(post: Post) -> None:
    remove_document(KIND, post.id)


def post_filter(ctx: SearchContext):
    """Readable posts only: visible topic in a readable category, not deleted, not held for
    approval or hidden unless the viewer wrote or moderates it; then the query's filters."""
    viewer, query = ctx.viewer, ctx.query
    conditions = [Post.id == SearchDocument.ref_id, permissions.visible_posts(viewer),
                  permissions.unhidden_posts(viewer)]
    if ctx.category_ids is not None:
        conditions.append(Topic.category_id.in_(ctx.category_ids))
    if query.status == "open":
        conditions.append(Topic.is_closed.is_(False))
    elif query.status == "closed":
        conditions.append(Topic.is_closed.is_(True))
    elif query.status == "pinned":
        conditions.append(and_(Topic.pinned_at.is_not(None),
                               or_(Topic.pinned_until.is_(None), Topic.pinned_until > utcnow())))
    if query.in_title:
        conditions.append(Post.post_number == 1)
    return exists(select(Post.id).join(Topic, Topic.id == Post.topic_id).where(*conditions))


def load_posts(ref_ids: list[int], viewer) -> dict[int, Hit]:
    # Columns, not entities: a page of hits needs a few fields, and loading whole topics
    # would bring each category's permissions and moderators along.
    rows = db.session.execute(
        select(Post.id, Post.post_number, Post.created_at, Post.like_count, Post.user_id,
               Topic.id.label("topic_id"), Topic.title, Topic.slug, Topic.category_id,
               Topic.is_closed, Topic.pinned_at, Topic.pinned_until, Topic.posts_count,
               Category.name.label("category_name"), User.username, User.username_lower,
               User.name.label("user_name"))
        .join(Topic, Topic.id == Post.topic_id).join(Category, Category.id == Topic.category_id)
        .outerjoin(User, User.id == Post.user_id).where(Post.id.in_(ref_ids)))
    now = utcnow()
    hits = {}
    for row in rows:
        pinned = row.pinned_at is not None and (row.pinned_until is None
                                                or row.pinned_until > now)
        hits[row.id] = Hit(
            kind=KIND, ref_id=row.id, title=row.title,
            link=f"/t/{row.slug}/{row.topic_id}/{row.post_number}", context=row.category_name,
            username=row.username, created_at=row.created_at,
            data={"topic_id": row.topic_id, "post_number": row.post_number,
                  "category_id": row.category_id, "topic_slug": row.slug,
                  "closed": row.is_closed, "pinned": pinned, "like_count": row.like_count,
                  "posts_count": row.posts_count, "user_id": row.user_id,
                  "name": row.user_name or "",
                  "avatar_template": _avatar(row.username_lower)})
    return hits


def _avatar(username_lower: str | None) -> str | None:
    # avatar_template reads only the lower-cased name: no need to load the whole account.
    if username_lower is None:
        return None
    return avatar_template(SimpleNamespace(username_lower=username_lower))


def reindex_posts(batch_size: int) -> Iterator[int]:
    last_id = 0
    while True:
        posts = list(db.session.scalars(
            select(Post).where(Post.id > last_id, Post.deleted_at.is_(None))
            .order_by(Post.id).limit(batch_size)))
        if not posts:
            return
        upsert_documents(KIND, [post_document(p) for p in posts])
        last_id = posts[-1].id
        yield len(posts)


def count_posts() -> int:
    return db.session.scalar(select(func.count(Post.id))
                             .where(Post.deleted_at.is_(None))) or 0


POST_KIND = SearchKind(name=KIND, label=_l("Post"), filter=post_filter,
                       load=load_posts, supports=frozenset({CATEGORY, STATUS, TITLE}),
                       reindex=reindex_posts, count=count_posts)
