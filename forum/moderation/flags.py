"""Flags: members flag a post; the flag joins the post's pending review item; enough flags from
distinct members hide the post at once; the author's edit of such a post sends it back to review.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from forum import permissions
from forum.errors import DomainError
from forum.extensions import db, dialect_insert
from forum.models import (
    FLAG_INAPPROPRIATE,
    FLAG_KINDS,
    FLAG_OFF_TOPIC,
    FLAG_OTHER,
    FLAG_SPAM,
    HIDDEN_FLAGGED,
    REVIEW_FLAGGED_POST,
    REVIEW_PENDING,
    Flag,
    Post,
    Reviewable,
    User,
    utcnow,
)
from forum.notifications.services import KIND_POST_HIDDEN, notify
from forum.settings import get_setting

MESSAGE_MAX_LENGTH = 1000

# How the flag form and the review queue name each kind, and what the form explains.
FLAG_LABELS = {
    FLAG_OFF_TOPIC: _l("Off-topic"),
    FLAG_INAPPROPRIATE: _l("Inappropriate"),
    FLAG_SPAM: _l("Spam"),
    FLAG_OTHER: _l("Something else"),
}
FLAG_DESCRIPTIONS = {
    FLAG_OFF_TOPIC: _l("This post has nothing to do with the topic; it belongs elsewhere."),
    FLAG_INAPPROPRIATE: _l("This post is rude, offensive or breaks the code of conduct."),
    FLAG_SPAM: _l("This post is an advertisement or vandalism, not a contribution."),
    FLAG_OTHER: _l("Something else needs a moderator's attention: say what in the message."),
}


def flag_post(post: Post, *, flagger: User, kind: str, message: str = "") -> Flag:
    """Flag the post once; the flag joins the post's pending review item (or opens one)."""
    permissions.require(permissions.can_view_post(flagger, post), hide=True)
    refuse_unless_may_flag(flagger, post)
    message = _validate(kind, message)
    if has_flagged(flagger, post):
        raise DomainError(_("You have already flagged this post."), field="kind")
    # Lock the post (PostgreSQL) so two first flags cannot open two review items for it.
    db.session.execute(select(Post.id).where(Post.id == post.id).with_for_update())
    reviewable = pending_item(post) or _open_item(post)
    flag_id = _insert_once(post=post, flagger=flagger, kind=kind, message=message,
                           reviewable=reviewable)
    if flag_id is None:  # another request of the same member won the race
        raise DomainError(_("You have already flagged this post."), field="kind")
    reviewable.category_id = post.topic.category_id  # the topic may have moved since
    db.session.expire(reviewable, ["flags"])  # inserted below the ORM
    db.session.flush()
    _hide_when_enough_flags(post, reviewable, flagger)
    return db.session.get(Flag, flag_id)


def refuse_unless_may_flag(user, post: Post) -> None:
    """403 with a reason; a new member learns which trust level lets them flag."""
    if permissions.can_flag_post(user, post):
        return
    if permissions.may_write(user) and not permissions.may_flag(user):
        raise DomainError(permissions.trust_refusal(
            permissions.TL_BASIC, _("New members cannot flag posts yet.")), status_code=403)
    raise DomainError(_("You cannot flag this post."), status_code=403)


def has_flagged(user, post: Post) -> bool:
    """Whether the member already flagged the post."""
    return permissions.is_signed_in(user) and db.session.scalar(
        select(Flag.id).where(Flag.post_id == post.id, Flag.user_id == user.id)) is not None


def pending_item(post: Post) -> Reviewable | None:
    """The post's pending flagged-post review item, if any (there is at most one)."""
    return db.session.scalar(select(Reviewable).where(
        Reviewable.post_id == post.id, Reviewable.kind == REVIEW_FLAGGED_POST,
        Reviewable.status == REVIEW_PENDING).order_by(Reviewable.id).limit(1))


def reopen_after_author_edit(post: Post, *, editor: User) -> None:
    """The author edited a post hidden by flags: its review item is pending again, marked so.

    The post stays hidden until a moderator decides.
    """
    if post.hidden_reason != HIDDEN_FLAGGED or editor.id != post.user_id:
        return
    item = db.session.scalar(select(Reviewable).where(
        Reviewable.post_id == post.id, Reviewable.kind == REVIEW_FLAGGED_POST)
        .order_by(Reviewable.id.desc()).limit(1))
    if item is None:
        item = _open_item(post)
    item.status = REVIEW_PENDING
    item.resolved_at, item.resolved_by_id, item.resolved_by_name = None, None, ""
    item.edited_by_author_at = utcnow()
    item.category_id = post.topic.category_id


def _validate(kind: str, message: str) -> str:
    if kind not in FLAG_KINDS:
        raise DomainError(_("Choose why you are flagging this post."), field="kind")
    message = (message or "").strip()
    if kind == FLAG_OTHER and not message:
        raise DomainError(_("Tell the moderators what is wrong with this post."),
                          field="message")
    if len(message) > MESSAGE_MAX_LENGTH:
        raise DomainError(_("The message is too long: %(n)d characters, at most %(high)d.",
                            n=len(message), high=MESSAGE_MAX_LENGTH), field="message")
    return message


def _open_item(post: Post) -> Reviewable:
    item = Reviewable(kind=REVIEW_FLAGGED_POST, post_id=post.id,
                      category_id=post.topic.category_id, created_at=utcnow())
    db.session.add(item)
    db.session.flush()
    return item


def _insert_once(*, post: Post, flagger: User, kind: str, message: str,
                 reviewable: Reviewable) -> int | None:
    """Insert the flag unless the member's flag exists: the unique (post, user) constraint
    decides a race between two requests without an error that would spoil the transaction."""
    statement = (dialect_insert(Flag).values(
        post_id=post.id, user_id=flagger.id, kind=kind, message=message,
        status=REVIEW_PENDING, reviewable_id=reviewable.id, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["post_id", "user_id"]).returning(Flag.id))
    return db.session.execute(statement).scalar()


def _hide_when_enough_flags(post: Post, reviewable: Reviewable, flagger: User) -> None:
    if post.is_hidden:
        return
    # A regular's (TL3) judgement is trusted: their flag alone hides the post until review.
    if not permissions.flag_hides_at_once(flagger):
        distinct_flaggers = db.session.scalar(select(func.count(func.distinct(Flag.user_id)))
                                              .where(Flag.reviewable_id == reviewable.id,
                                                     Flag.status == REVIEW_PENDING,
                                                     Flag.user_id.is_not(None))) or 0
        if distinct_flaggers < get_setting("flags_to_hide_post"):
            return
    post.hidden_at, post.hidden_reason = utcnow(), HIDDEN_FLAGGED
    notify(post.user, KIND_POST_HIDDEN, data={"reason": HIDDEN_FLAGGED, "may_edit": True},
           topic=post.topic, post_number=post.post_number)


def follow_moved_posts(post_ids, category_id: int) -> None:
    """Open review items follow their posts to a new category, so its moderators see them.

    `post_ids` is a list or a SELECT of post ids; resolved items keep the category they had.
    """
    db.session.execute(update(Reviewable).where(
        Reviewable.post_id.in_(post_ids), Reviewable.status == REVIEW_PENDING)
        .values(category_id=category_id))
