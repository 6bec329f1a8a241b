"""The review queue's decisions: agree / disagree / ignore on flagged posts, approve / reject
on posts held for approval. Each decision is checked, logged, and told to those concerned.

Every action first locks the item and checks it is still pending, so a stale form or a
slower second moderator gets a clear message and changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from forum import permissions
from forum.errors import DomainError
from forum.extensions import db
from forum.models import (
    HIDDEN_AWAITING_APPROVAL,
    HIDDEN_FLAGGED,
    REVIEW_AGREED,
    REVIEW_DISAGREED,
    REVIEW_FLAGGED_CHAT_MESSAGE,
    REVIEW_FLAGGED_POST,
    REVIEW_IGNORED,
    REVIEW_PENDING,
    REVIEW_QUEUED_POST,
    Flag,
    Post,
    Reviewable,
    User,
    utcnow,
)
from forum.moderation import audit, sanctions
from forum.notifications.services import (
    KIND_FLAG_OUTCOME,
    KIND_POST_APPROVED,
    KIND_POST_HIDDEN,
    KIND_POST_REJECTED,
    notify,
)
from forum.topics import services as topic_services

AGREE_AND_HIDE = "agree_and_hide"
AGREE_AND_DELETE = "agree_and_delete"
AGREE_AND_DELETE_MESSAGE = "agree_and_delete_message"
DISAGREE = "disagree"
IGNORE = "ignore"
APPROVE = "approve_post"
REJECT = "reject_post"
ACTIONS_BY_KIND = {
    REVIEW_FLAGGED_POST: (AGREE_AND_HIDE, AGREE_AND_DELETE, DISAGREE, IGNORE),
    REVIEW_QUEUED_POST: (APPROVE, REJECT),
    REVIEW_FLAGGED_CHAT_MESSAGE: (AGREE_AND_DELETE_MESSAGE, DISAGREE, IGNORE),
}
ACTION_LABELS = {
    AGREE_AND_HIDE: _l("Agree and hide the post"),
    AGREE_AND_DELETE: _l("Agree and delete the post"),
    AGREE_AND_DELETE_MESSAGE: _l("Agree and delete the message"),
    DISAGREE: _l("Disagree"),
    IGNORE: _l("Ignore"),
    APPROVE: _l("Approve"),
    REJECT: _l("Reject"),
}
SILENCE_DAY_CHOICES = (0, 1, 3, 7, 14, 30, 90)


def perform(item: Reviewable, action: str, *, actor: User, silence_days: int = 0,
            silence_reason: str = "") -> Reviewable:
    """Apply one of the item's actions (see ACTIONS_BY_KIND) as the moderator."""
    if item.kind == REVIEW_FLAGGED_CHAT_MESSAGE:
        from forum.moderation import chat_review  # it builds on this module's helpers

        chat_review.perform(item, action, actor=actor, silence_days=silence_days,
                            silence_reason=silence_reason)
        db.session.flush()
        return item
    _begin(item, actor)
    if action not in ACTIONS_BY_KIND.get(item.kind, ()):
        raise DomainError(_("This action does not apply to this item."), status_code=422)
    if action in (AGREE_AND_HIDE, AGREE_AND_DELETE):
        agree(item, actor=actor, delete=action == AGREE_AND_DELETE,
              silence_days=silence_days, silence_reason=silence_reason)
    elif action == DISAGREE:
        disagree(item, actor=actor)
    elif action == IGNORE:
        ignore(item, actor=actor)
    elif action == APPROVE:
        approve(item, actor=actor)
    else:
        reject(item, actor=actor)
    db.session.flush()
    return item


def agree(item: Reviewable, *, actor: User, delete: bool = False, silence_days: int = 0,
          silence_reason: str = "") -> None:
    """The flags are right: hide (or soft-delete) the post, optionally silence its author."""
    post = _begin(item, actor, kind=REVIEW_FLAGGED_POST)
    author = post.user
    silence_days = _silence_days(silence_days)
    if silence_days and (author is None or not permissions.can_silence_user(actor, author)):
        raise DomainError(_("You cannot silence this member."), status_code=403)
    before = _post_state(post)
    if delete and post.deleted_at is None:
        topic_services.delete_post(post, actor=actor, logged=False)
    elif not delete and not post.is_hidden:
        post.hidden_at, post.hidden_reason = utcnow(), HIDDEN_FLAGGED
    if silence_days:
        sanctions.silence_user(author, actor=actor, reason=silence_reason,
                               until=utcnow() + timedelta(days=silence_days))
    _resolve(item, actor, REVIEW_AGREED)
    audit.record(audit.FLAG_AGREE, actor=actor, target=post, before=before,
                 after=_post_state(post), reason=silence_reason if silence_days else "")
    notify(author, KIND_POST_HIDDEN, data={"reason": HIDDEN_FLAGGED, "deleted": delete,
                                           "may_edit": not delete},
           topic=post.topic, post_number=post.post_number)


def disagree(item: Reviewable, *, actor: User) -> None:
    """The flags are wrong: clear them, and show the post again if flags hid it."""
    post = _begin(item, actor, kind=REVIEW_FLAGGED_POST)
    before = _post_state(post)
    if post.hidden_reason == HIDDEN_FLAGGED:
        post.hidden_at, post.hidden_reason = None, None
    _resolve(item, actor, REVIEW_DISAGREED)
    audit.record(audit.FLAG_DISAGREE, actor=actor, target=post, before=before,
                 after=_post_state(post))


def ignore(item: Reviewable, *, actor: User) -> None:
    """Close the item without changing the post."""
    post = _begin(item, actor, kind=REVIEW_FLAGGED_POST)
    _resolve(item, actor, REVIEW_IGNORED)
    audit.record(audit.FLAG_IGNORE, actor=actor, target=post)


def approve(item: Reviewable, *, actor: User) -> None:
    """Publish a held post: counted, and bumping its topic, as if posted at approval time."""
    post = _begin(item, actor, kind=REVIEW_QUEUED_POST)
    _require_still_held(post)
    now = utcnow()
    post.hidden_at, post.hidden_reason = None, None
    topic = post.topic
    if post.is_first and topic.is_awaiting_approval:
        # From now on the topic counts in its category, with any replies moderators made.
        topic.is_awaiting_approval = False
        topic.category.topic_count += 1
        topic.category.post_count += topic.posts_count
        post.user.topic_count += 1
    _count_reply_to(post, 1)
    topic_services.count_new_post(post, author=post.user, now=now)
    _resolve(item, actor, REVIEW_AGREED)
    audit.record(audit.POST_APPROVE, actor=actor, target=post,
                 before={"awaiting_approval": True}, after={"awaiting_approval": False})
    notify(post.user, KIND_POST_APPROVED, topic=topic, post_number=post.post_number)


def reject(item: Reviewable, *, actor: User) -> None:
    """Turn a held post down: it is soft-deleted (a held topic with it) and the author told."""
    post = _begin(item, actor, kind=REVIEW_QUEUED_POST)
    topic = post.topic
    _require_still_held(post, deleted_ok=True)
    if post.deleted_at is None:  # the author may have deleted it meanwhile: just close the item
        topic_services.delete_post(post, actor=actor, logged=False)
    _resolve(item, actor, REVIEW_DISAGREED)
    audit.record(audit.POST_REJECT, actor=actor, target=post,
                 before={"deleted": False}, after={"deleted": True})
    notify(post.user, KIND_POST_REJECTED, data={"excerpt": post.raw[:200]}, topic=topic,
           post_number=post.post_number)


def _begin(item: Reviewable, actor: User, *, kind: str | None = None) -> Post:
    """The item's post, once the actor may review it and the item is still pending."""
    post = item.post
    if post is None or not permissions.can_review_post(actor, post):
        # A chat item reaching a post decision is refused as not applying to it.
        if post is None and item.chat_message_id is not None and kind is not None:
            raise DomainError(_("This action does not apply to this item."), status_code=422)
        raise DomainError(_("You cannot review this post."), status_code=403)
    if kind is not None and item.kind != kind:
        raise DomainError(_("This action does not apply to this item."), status_code=422)
    require_pending(item)
    return post


def require_pending(item: Reviewable) -> None:
    """Lock the item (PostgreSQL) so two moderators cannot both decide; re-read its status."""
    db.session.refresh(item, attribute_names=["status", "resolved_by_name"],
                       with_for_update=True)
    if item.status != REVIEW_PENDING:
        raise DomainError(_("This item was already handled by %(name)s; nothing was changed.",
                            name=item.resolved_by_name or _("another moderator")),
                          status_code=409)


def _require_still_held(post: Post, *, deleted_ok: bool = False) -> None:
    deleted = post.deleted_at is not None and not deleted_ok
    if deleted or post.hidden_reason != HIDDEN_AWAITING_APPROVAL:
        raise DomainError(_("This post is no longer awaiting approval; nothing was changed."),
                          status_code=409)


def _count_reply_to(post: Post, change: int) -> None:
    """The replied-to post's reply count includes a held reply only once it is approved."""
    target = (topic_services.post_by_number(post.topic, post.reply_to_post_number)
              if post.reply_to_post_number else None)
    if target is not None:
        target.reply_count = max(target.reply_count + change, 0)


def _resolve(item: Reviewable, actor: User, status: str) -> None:
    """Close the item and its flags, and tell every flagger what was decided."""
    close_item(item, actor, status)
    for flag in item.flags:
        notify(flag.user, KIND_FLAG_OUTCOME, data={"outcome": status, "kind": flag.kind},
               topic=item.post.topic, post_number=item.post.post_number)


def close_item(item: Reviewable, actor: User, status: str) -> None:
    """Mark the item and its flags decided (telling the flaggers is the caller's part)."""
    item.status = status
    item.resolved_at, item.resolved_by_id = utcnow(), actor.id
    item.resolved_by_name = actor.username
    db.session.execute(update(Flag).where(Flag.reviewable_id == item.id).values(status=status))
    db.session.expire(item, ["flags"])


def silence_days(value) -> int:
    """A number of days to silence for, from a form or API field (0: none)."""
    return _silence_days(value)


def _silence_days(value) -> int:
    try:
        days = int(value or 0)
    except (TypeError, ValueError):
        raise DomainError(_("Choose how many days to silence the member."),
                          field="silence_days") from None
    if days < 0 or days > 365:
        raise DomainError(_("Choose how many days to silence the member."),
                          field="silence_days")
    return days


def _post_state(post: Post) -> dict:
    return {"hidden": post.hidden_reason, "deleted": post.deleted_at is not None}
