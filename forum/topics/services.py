"""Topic and post writes: create, reply, edit with revisions, soft-delete and restore.

Each service asks forum.permissions first, keeps the denormalised counters right,
flushes, and queues live updates; the caller commits once.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select, update

from forum import domain_events, markup, permissions
from forum.drafts.services import discard_draft
from forum.errors import DomainError
from forum.extensions import db
from forum.models import (
    HIDDEN_AWAITING_APPROVAL,
    Category,
    MovedPost,
    Post,
    PostRevision,
    Topic,
    User,
    utcnow,
)
from forum.moderation import approval, audit, flags, sanctions
from forum.moderation.topic_actions import slow_mode_wait, tell_author
from forum.realtime import EVENT_POST_CREATED, EVENT_POST_UPDATED, emit_after_commit, room_for_topic
from forum.reputation import limits
from forum.text import make_slug, normalise_body, normalise_title
from forum.uploads import references as upload_references


def validate_title(title: str) -> str:
    title = normalise_title(title)
    low, high = current_app.config["TITLE_MIN_LENGTH"], current_app.config["TITLE_MAX_LENGTH"]
    if not low <= len(title) <= high:
        raise DomainError(_("The title must be %(low)d to %(high)d characters long.",
                            low=low, high=high), field="title")
    return title


def validate_body(raw: str) -> str:
    raw = normalise_body(raw)
    low, high = current_app.config["POST_MIN_LENGTH"], current_app.config["POST_MAX_LENGTH"]
    if len(raw) < max(low, 1):
        raise DomainError(_("The post cannot be empty."), field="raw")
    if len(raw) > high:
        raise DomainError(_("The post is too long: %(n)d characters, at most %(high)d.",
                            n=len(raw), high=high), field="raw")
    return raw


def cook_post(raw: str, *, author: User | None = None, shown_uploads: dict | None = None,
              upload_names: bool = False):
    """Cook a post body, linking @mentions of existing accounts only, and showing the uploads
    a post by `author` may reference (without an author, upload references stay text, or with
    `upload_names` show as their file names: markup.cook).
    `shown_uploads`, when given, collects the Upload rows the cooked text shows, by key."""
    names = markup.mentioned_usernames(raw)
    existing = set()
    if names:
        existing = set(db.session.scalars(
            select(User.username_lower).where(User.username_lower.in_(names),
                                              User.deleted_at.is_(None))))
    available = upload_references.uploads_for(raw, author)

    def lookup(key: str):
        upload = available.get(key)
        if upload is None:
            return None
        if shown_uploads is not None:
            shown_uploads[key] = upload
        return upload_references.reference_for(upload)

    return markup.cook(raw, mention_exists=lambda name: name.lower() in existing,
                       uploads=lookup if available else None, upload_names=upload_names)


def create_topic(category: Category, *, author: User, title: str, raw: str) -> Topic:
    """Open a topic with its first post in the category."""
    permissions.require(permissions.can_view_category(author, category), hide=True)
    sanctions.refuse_if_silenced(author)
    if not permissions.can_create_topic(author, category):
        raise DomainError(_("You cannot create topics in this category."), status_code=403)
    title, raw = validate_title(title), validate_body(raw)
    _check_new_member_limits(author, raw, new_topic=True)
    now = utcnow()
    topic = Topic(title=title, slug=make_slug(title), category=category, user_id=author.id,
                  created_at=now, bumped_at=now)
    db.session.add(topic)
    db.session.flush()
    _add_post(topic, author=author, raw=raw, now=now)
    if not topic.is_awaiting_approval:  # a held topic is counted when approved
        category.topic_count += 1
        author.topic_count += 1
    discard_draft(author, "new_topic")
    db.session.flush()
    return topic


def reply(topic: Topic, *, author: User, raw: str, reply_to_post_number: int | None = None) -> Post:
    """Add a reply (optionally to a given post) and bump the topic."""
    permissions.require(permissions.can_view_topic(author, topic), hide=True)
    sanctions.refuse_if_silenced(author)
    if not permissions.can_reply(author, topic):
        if topic.is_closed:
            raise DomainError(_("This topic is closed; new replies are not accepted."),
                              status_code=403)
        raise DomainError(_("You cannot reply in this topic."), status_code=403)
    _check_slow_mode(topic, author)
    raw = validate_body(raw)
    _check_new_member_limits(author, raw, new_topic=False)
    if reply_to_post_number is not None:
        target = db.session.scalar(select(Post).where(
            Post.topic_id == topic.id, Post.post_number == reply_to_post_number))
        if target is None:
            reply_to_post_number = None
        else:
            target.reply_count += 1
    post = _add_post(topic, author=author, raw=raw, now=utcnow(),
                     reply_to_post_number=reply_to_post_number)
    discard_draft(author, f"topic_{topic.id}")
    if post.hidden_reason == HIDDEN_AWAITING_APPROVAL:
        return post  # held: readers must not learn of it, not even live
    emit_after_commit(db.session, EVENT_POST_CREATED,
                      {"topic_id": topic.id, "post_id": post.id, "post_number": post.post_number},
                      room=room_for_topic(topic.id))
    return post


def _check_new_member_limits(author: User, raw: str, *, new_topic: bool) -> None:
    """TL0's daily allowance and links per post (nothing to do for other levels)."""
    if permissions.link_limit(author) is None:
        return
    limits.check_daily_posts(author, new_topic=new_topic)
    limits.check_links(author, cook_post(raw))


def _check_slow_mode(topic: Topic, author: User) -> None:
    wait = slow_mode_wait(topic, author)
    if wait:
        minutes = (wait + 59) // 60
        raise DomainError(ngettext(
            "Slow mode: you can reply in this topic again in %(num)d minute.",
            "Slow mode: you can reply in this topic again in %(num)d minutes.", minutes),
            status_code=429)


def next_post_number(topic: Topic) -> int:
    """The number the topic's next post gets: never one that a moved-away post once had,
    so the old permalink keeps redirecting to the moved post."""
    # Lock-free on SQLite (one writer); on PostgreSQL the unique (topic_id, post_number)
    # index turns a concurrent race into an error instead of a duplicate number.
    moved = select(func.max(MovedPost.old_post_number)).where(
        MovedPost.old_topic_id == topic.id).scalar_subquery()
    highest, moved_away = db.session.execute(select(
        select(func.max(Post.post_number)).where(Post.topic_id == topic.id).scalar_subquery(),
        moved)).one()
    return max(highest or 0, moved_away or 0) + 1


def _add_post(topic: Topic, *, author: User, raw: str, now, reply_to_post_number=None) -> Post:
    number = next_post_number(topic)
    shown: dict = {}
    post = Post(topic=topic, topic_id=topic.id, user_id=author.id, post_number=number, raw=raw,
                cooked=str(cook_post(raw, author=author, shown_uploads=shown)),
                reply_to_post_number=reply_to_post_number, created_at=now, updated_at=now)
    db.session.add(post)
    db.session.flush()
    upload_references.sync_post_uploads(post, shown.values())
    db.session.add(PostRevision(post_id=post.id, number=1, user_id=author.id,
                                username=author.username, raw=raw,
                                title=topic.title if number == 1 else None, created_at=now))
    if not approval.hold_post(post, author=author):
        count_new_post(post, author=author, now=now)
    return post


def count_new_post(post: Post, *, author: User, now) -> None:
    """Counters and bump for a post that becomes visible (when posted, or when approved)."""
    topic = post.topic
    topic.posts_count += 1
    topic.highest_post_number = max(topic.highest_post_number, post.post_number)
    topic.last_posted_at = now
    topic.last_poster_id = author.id
    topic.bumped_at = now
    if not topic.is_awaiting_approval:  # a held topic counts in its category once approved
        topic.category.post_count += 1
    author.post_count += 1
    domain_events.post_published.send(post)


def edit_post(post: Post, *, editor: User, raw: str, edit_reason: str = "",
              title: str | None = None) -> Post:
    """Save a new version of a post (and of the topic title when the first post is edited)."""
    permissions.require(permissions.can_view_topic(editor, post.topic), hide=True)
    sanctions.refuse_if_silenced(editor)
    may_edit = permissions.can_edit_post(editor, post)
    # A regular (TL3) may retitle a topic whose first post they may not edit: title only.
    retitles = title is not None and post.is_first and permissions.can_edit_topic(editor,
                                                                                  post.topic)
    if not may_edit and not retitles:
        raise DomainError(_("You cannot edit this post."), status_code=403)
    raw = validate_body(raw)
    if not may_edit and raw != post.raw:
        raise DomainError(_("You cannot edit this post."), status_code=403)
    new_title = None
    if title is not None and post.is_first:
        new_title = validate_title(title)
        if new_title == post.topic.title:
            new_title = None
        elif not permissions.can_edit_topic(editor, post.topic):
            raise DomainError(_("You cannot change this topic's title."), status_code=403)
    if raw == post.raw and new_title is None:
        return post
    # The uploads shown are those the post's author may reference, whoever edits it.
    shown: dict = {}
    cooked = str(cook_post(raw, author=post.user or editor, shown_uploads=shown))
    if raw != post.raw:
        limits.check_links(editor, cooked)
    now = utcnow()
    old_raw = post.raw
    post.version += 1
    post.raw = raw
    post.cooked = cooked
    post.updated_at = now
    post.last_editor_id = editor.id
    if new_title is not None:
        if editor.id != post.topic.user_id:  # a moderator's or regular's retitle: staff log
            audit.record(audit.TOPIC_RETITLE, actor=editor, target=post.topic,
                         before={"title": post.topic.title}, after={"title": new_title})
        post.topic.title = new_title
        post.topic.slug = make_slug(new_title)
    db.session.add(PostRevision(post_id=post.id, number=post.version, user_id=editor.id,
                                username=editor.username, raw=raw, title=new_title,
                                edit_reason=(edit_reason or "").strip()[:255], created_at=now))
    discard_draft(editor, f"post_{post.id}")
    flags.reopen_after_author_edit(post, editor=editor)
    db.session.flush()
    upload_references.sync_post_uploads(post, shown.values())
    domain_events.post_edited.send(post, editor=editor, old_raw=old_raw)
    emit_after_commit(db.session, EVENT_POST_UPDATED,
                      {"topic_id": post.topic_id, "post_id": post.id,
                       "post_number": post.post_number},
                      room=room_for_topic(post.topic_id))
    return post


def change_topic_category(topic: Topic, *, actor: User, category: Category) -> Topic:
    """Move a topic; the actor must be allowed to edit it and to open topics in the target."""
    if not permissions.can_edit_topic(actor, topic):
        raise DomainError(_("You cannot change this topic."), status_code=403)
    permissions.require(permissions.can_view_category(actor, category), hide=True)
    if not permissions.can_create_topic(actor, category):
        raise DomainError(_("You cannot move topics into this category."), status_code=403)
    if category.id != topic.category_id:
        _log_moderator_move(topic, actor, category)
        flags.follow_moved_posts(select(Post.id).where(Post.topic_id == topic.id), category.id)
    if category.id != topic.category_id and topic.is_awaiting_approval:
        topic.category = category  # never counted anywhere yet
        db.session.flush()
    elif category.id != topic.category_id:
        old = topic.category
        old.topic_count -= 1
        old.post_count -= topic.posts_count
        category.topic_count += 1
        category.post_count += topic.posts_count
        topic.category = category
        db.session.flush()
    return topic


def delete_post(post: Post, *, actor: User, logged: bool = True) -> None:
    """Soft-delete a reply; deleting the first post deletes its topic. Twice is harmless.

    logged=False: the caller (a review decision) records its own, more specific log entry
    and tells the author itself.
    """
    if post.is_first:
        delete_topic(post.topic, actor=actor, logged=logged)
        return
    if post.deleted_at is not None and permissions.can_restore_post(actor, post):
        return
    if not permissions.can_delete_post(actor, post):
        raise DomainError(_("You cannot delete this post."), status_code=403)
    post.deleted_at = utcnow()
    post.deleted_by_id = actor.id
    _recount_topic(post.topic)
    if logged:
        _log_moderator(audit.POST_DELETE, post, actor, post.user_id, deleted=True)
    db.session.flush()
    domain_events.post_deleted.send(post, actor=actor)


def restore_post(post: Post, *, actor: User) -> None:
    if post.is_first and post.topic.deleted_at is not None:
        restore_topic(post.topic, actor=actor)
        return
    if post.deleted_at is None and permissions.can_delete_post(actor, post):
        return
    if not permissions.can_restore_post(actor, post):
        raise DomainError(_("You cannot restore this post."), status_code=403)
    post.deleted_at = None
    post.deleted_by_id = None
    _recount_topic(post.topic)
    _log_moderator(audit.POST_RESTORE, post, actor, post.user_id, deleted=False)
    db.session.flush()
    domain_events.post_restored.send(post, actor=actor)


def delete_topic(topic: Topic, *, actor: User, logged: bool = True) -> None:
    """Soft-delete a topic: it leaves every list and count; moderators can still open it."""
    if topic.deleted_at is not None and permissions.can_restore_topic(actor, topic):
        return
    if not permissions.can_delete_topic(actor, topic):
        raise DomainError(_("You cannot delete this topic."), status_code=403)
    if logged:
        _log_moderator(audit.TOPIC_DELETE, topic, actor, topic.user_id, deleted=True)
    now = utcnow()
    topic.deleted_at = now
    topic.deleted_by_id = actor.id
    db.session.execute(update(Post).where(Post.topic_id == topic.id, Post.post_number == 1)
                       .values(deleted_at=now, deleted_by_id=actor.id))
    if not topic.is_awaiting_approval:  # a held topic was never counted
        topic.category.topic_count -= 1
        topic.category.post_count -= topic.posts_count
    db.session.flush()
    _send_for_first_post(topic, domain_events.post_deleted, actor)


def restore_topic(topic: Topic, *, actor: User) -> None:
    if topic.deleted_at is None and permissions.can_delete_topic(actor, topic):
        return
    if not permissions.can_restore_topic(actor, topic):
        raise DomainError(_("You cannot restore this topic."), status_code=403)
    _log_moderator(audit.TOPIC_RESTORE, topic, actor, topic.user_id, deleted=False)
    topic.deleted_at = None
    topic.deleted_by_id = None
    db.session.execute(update(Post).where(Post.topic_id == topic.id, Post.post_number == 1)
                       .values(deleted_at=None, deleted_by_id=None))
    if not topic.is_awaiting_approval:
        topic.category.topic_count += 1
        topic.category.post_count += topic.posts_count
    db.session.flush()
    _send_for_first_post(topic, domain_events.post_restored, actor)


def _send_for_first_post(topic: Topic, signal, actor: User) -> None:
    first = post_by_number(topic, 1)
    if first is not None:
        db.session.refresh(first, ["deleted_at", "deleted_by_id"])  # changed by a bulk UPDATE
        signal.send(first, actor=actor)


def _log_moderator(action: str, target, actor: User, author_id: int | None, *,
                   deleted: bool) -> None:
    """A moderator deleting or restoring someone else's content leaves a log entry."""
    if author_id == actor.id:
        return
    audit.record(action, actor=actor, target=target, before={"deleted": not deleted},
                 after={"deleted": deleted})
    if deleted:
        topic = target if isinstance(target, Topic) else target.topic
        tell_author(target.user, actor=actor, action=action, topic=topic,
                    post_number=getattr(target, "post_number", None))


def _log_moderator_move(topic: Topic, actor: User, category: Category) -> None:
    if actor.id == topic.user_id:
        return
    audit.record(audit.TOPIC_MOVE, actor=actor, target=topic,
                 before={"category_id": topic.category_id}, after={"category_id": category.id})
    tell_author(topic.user, actor=actor, action=audit.TOPIC_MOVE, topic=topic)


def _recount_topic(topic: Topic) -> None:
    """Recompute a topic's live-post counters after a delete or restore (rare, so exact)."""
    db.session.flush()
    # The first post's deleted_at mirrors the topic's own deletion, which is not a post delete:
    # it still counts, and a deleted topic's posts are already out of the category's count.
    live = select(Post).where(Post.topic_id == topic.id,
                              Post.deleted_at.is_(None) | (Post.post_number == 1),
                              Post.hidden_reason.is_distinct_from(HIDDEN_AWAITING_APPROVAL))
    count = db.session.scalar(select(func.count()).select_from(live.subquery())) or 0
    last = db.session.scalars(live.order_by(Post.post_number.desc()).limit(1)).first()
    if topic.deleted_at is None and not topic.is_awaiting_approval:
        topic.category.post_count += count - topic.posts_count
    topic.posts_count = count
    if last is not None:
        topic.last_posted_at = last.created_at
        topic.last_poster_id = last.user_id


def post_by_number(topic: Topic, post_number: int) -> Post | None:
    return db.session.scalar(select(Post).where(Post.topic_id == topic.id,
                                                Post.post_number == post_number))
