"""Trust levels: automatic promotion TL0→TL3 from activity (thresholds are admin settings),
TL3 judged over a recent window and lost after a grace period, TL4 and locks set by admins.

`review(user)` runs on visits, posts and likes (domain events) and for everyone from the CLI.
Changing a level sends domain_events.trust_level_changed; a promotion notifies the member and
says what it unlocks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from forum import domain_events, permissions
from forum.errors import DomainError
from forum.extensions import db
from forum.models import (
    TRUST_LEVELS,
    PostAction,
    Topic,
    TopicRead,
    User,
    UserVisit,
    utcnow,
)
from forum.models import Post as PostModel
from forum.moderation import audit
from forum.notifications.services import KIND_TRUST_LEVEL_PROMOTED, notify
from forum.reputation.stats import stats_of
from forum.settings import get_setting

TL_REGULAR, TL_LEADER = permissions.TL_REGULAR, permissions.TL_LEADER


@dataclass(frozen=True)
class Requirement:
    """One line of a level's requirements: what is counted, how much the member has, and the
    bound (at least `needed`, or at most it when `at_most`)."""
    label: object
    have: int
    needed: int
    at_most: bool = False

    @property
    def met(self) -> bool:
        return self.have <= self.needed if self.at_most else self.have >= self.needed


def requirements(user: User, level: int, *, now: datetime | None = None) -> list[Requirement]:
    """What reaching `level` (1–3) asks of the member, with their current figures."""
    if level == 1:
        return _tl1(user)
    if level == 2:
        return _tl2(user)
    if level == TL_REGULAR:
        return _tl3(user, now or utcnow())
    return []


def qualifies(user: User, level: int, *, now: datetime | None = None) -> bool:
    return all(r.met for r in requirements(user, level, now=now))


def _tl1(user: User) -> list[Requirement]:
    stats = stats_of(user)
    return [
        Requirement(_l("Topics entered"), stats.topics_entered,
                    get_setting("trust_tl1_topics_entered")),
        Requirement(_l("Posts read"), stats.posts_read, get_setting("trust_tl1_posts_read")),
        Requirement(_l("Minutes spent reading"), stats.time_read_seconds // 60,
                    get_setting("trust_tl1_time_read_minutes")),
    ]


def _tl2(user: User) -> list[Requirement]:
    stats = stats_of(user)
    return [
        Requirement(_l("Days visited"), stats.days_visited, get_setting("trust_tl2_days_visited")),
        Requirement(_l("Topics entered"), stats.topics_entered,
                    get_setting("trust_tl2_topics_entered")),
        Requirement(_l("Posts read"), stats.posts_read, get_setting("trust_tl2_posts_read")),
        Requirement(_l("Minutes spent reading"), stats.time_read_seconds // 60,
                    get_setting("trust_tl2_time_read_minutes")),
        Requirement(_l("Topics replied to"), _topics_replied(user),
                    get_setting("trust_tl2_topics_replied")),
        Requirement(_l("Likes given"), stats.likes_given, get_setting("trust_tl2_likes_given")),
        Requirement(_l("Likes received"), stats.likes_received,
                    get_setting("trust_tl2_likes_received")),
    ]


def _tl3(user: User, now: datetime) -> list[Requirement]:
    since = now - timedelta(days=get_setting("trust_tl3_period_days"))
    return [
        Requirement(_l("Days visited recently"), _count(
            select(func.count(UserVisit.id)).where(UserVisit.user_id == user.id,
                                                   UserVisit.visited_on >= since.date())),
                    get_setting("trust_tl3_days_visited")),
        Requirement(_l("Topics replied to recently"), _topics_replied(user, since),
                    get_setting("trust_tl3_topics_replied")),
        Requirement(_l("Topics viewed recently"), _count(
            select(func.count(TopicRead.id)).where(TopicRead.user_id == user.id,
                                                   TopicRead.last_read_at >= since)),
                    _share(_new_topics(since), "trust_tl3_topics_viewed")),
        Requirement(_l("Posts read recently"), _count(
            select(func.coalesce(func.sum(UserVisit.posts_read), 0)).where(
                UserVisit.user_id == user.id, UserVisit.visited_on >= since.date())),
                    _share(_new_posts(since), "trust_tl3_posts_read")),
        Requirement(_l("Likes given recently"), _count(
            select(func.count(PostAction.id)).where(PostAction.user_id == user.id,
                                                    PostAction.created_at >= since)),
                    get_setting("trust_tl3_likes_given")),
        Requirement(_l("Likes received recently"), _count(
            select(func.count(PostAction.id)).join(PostModel, PostModel.id == PostAction.post_id)
            .where(PostModel.user_id == user.id, PostAction.user_id != user.id,
                   PostAction.created_at >= since)),
                    get_setting("trust_tl3_likes_received")),
        Requirement(_l("Posts hidden or removed by moderators recently"),
                    _posts_removed(user, since), get_setting("trust_tl3_max_posts_removed"),
                    at_most=True),
        Requirement(_l("Silenced or suspended now"),
                    int(user.is_silenced or user.is_suspended), 0, at_most=True),
    ]


def _count(query) -> int:
    return int(db.session.scalar(query) or 0)


def _share(total: int, prefix: str) -> int:
    """A percentage of what was new in the window, never more than the setting's cap."""
    return min(math.ceil(total * get_setting(prefix + "_percent") / 100),
               get_setting(prefix + "_cap"))


def _new_topics(since: datetime) -> int:
    return _count(select(func.count(Topic.id)).where(Topic.created_at >= since,
                                                     Topic.deleted_at.is_(None)))


def _new_posts(since: datetime) -> int:
    return _count(select(func.count(PostModel.id)).where(PostModel.created_at >= since,
                                                         PostModel.deleted_at.is_(None)))


def _topics_replied(user: User, since: datetime | None = None) -> int:
    query = select(func.count(func.distinct(PostModel.topic_id))).where(
        PostModel.user_id == user.id, PostModel.post_number > 1, PostModel.deleted_at.is_(None))
    if since is not None:
        query = query.where(PostModel.created_at >= since)
    return _count(query)


def _posts_removed(user: User, since: datetime) -> int:
    return _count(select(func.count(PostModel.id)).where(
        PostModel.user_id == user.id,
        or_(PostModel.hidden_at >= since,
            (PostModel.deleted_at >= since) & (PostModel.deleted_by_id != user.id))))


# --- promotion and demotion -------------------------------------------------------------------

def review(user: User, *, now: datetime | None = None, regular: bool = True) -> int | None:
    """Promote or demote the member as their activity says; returns the new level if it changed.

    `regular=False` skips the costlier TL3 checks (used after each post and like); visits and
    the CLI check everything. Locked levels, leaders and removed accounts are left alone.
    """
    now = now or utcnow()
    if user.deleted_at is not None or user.trust_level >= TL_LEADER:
        return None
    stats = stats_of(user)
    if stats.trust_level_locked:
        return None
    if user.trust_level == TL_REGULAR:
        return _review_regular(user, stats, now) if regular else None
    target = user.trust_level
    while target < 2 and qualifies(user, target + 1):
        target += 1
    if target == 2 and regular and qualifies(user, TL_REGULAR, now=now):
        target = TL_REGULAR
    if target == user.trust_level:
        return None
    set_trust_level(user, target, now=now)
    return target


def _review_regular(user: User, stats, now: datetime) -> int | None:
    """A regular keeps TL3 while they qualify; after falling short, a grace period runs first."""
    if qualifies(user, TL_REGULAR, now=now):
        stats.tl3_grace_until = None
        return None
    if stats.tl3_grace_until is None:
        stats.tl3_grace_until = now + timedelta(days=get_setting("trust_tl3_grace_days"))
    if now < stats.tl3_grace_until:
        return None
    set_trust_level(user, 2, now=now)
    return 2


def set_trust_level(user: User, level: int, *, now: datetime | None = None) -> bool:
    """Change the level (no permission check: callers are review() and change_trust_level()),
    send trust_level_changed, and on promotion tell the member what it unlocks."""
    old = user.trust_level or 0
    if level == old:
        return False
    stats = stats_of(user)
    user.trust_level = level
    stats.trust_level_reached_at = now or utcnow()
    stats.tl3_grace_until = None
    db.session.flush()
    domain_events.trust_level_changed.send(user, old=old, new=level)
    if level > old:
        notify(user, KIND_TRUST_LEVEL_PROMOTED, data={"level": level, "from": old})
    return True


def change_trust_level(user: User, level, *, actor: User, lock: bool | None = None) -> bool:
    """An admin sets a member's level (TL4 only this way); returns whether anything changed.

    `lock` fixes the level against automatic changes; by default a demotion is locked (else the
    next review would undo it) and a promotion is not (activity may still raise it further).
    """
    if not permissions.can_change_trust_level(actor, user):
        raise DomainError(_("Only administrators change trust levels."), status_code=403)
    level = parse_level(level)
    stats = stats_of(user)
    old, was_locked = user.trust_level, stats.trust_level_locked
    lock = level < old if lock is None else bool(lock)
    if old == level and was_locked == lock:
        return False
    set_trust_level(user, level)
    stats.trust_level_locked = lock
    audit.record(audit.USER_TRUST_LEVEL, actor=actor, target=user,
                 before={"level": old, "locked": was_locked},
                 after={"level": level, "locked": lock})
    db.session.flush()
    return True


def parse_level(raw) -> int:
    """A trust level from user input (0–4), or a DomainError on the `level` field."""
    try:
        level = int(str(raw).strip())
    except (TypeError, ValueError):
        level = -1
    if level not in TRUST_LEVELS:
        raise DomainError(_("Choose a trust level from 0 to 4."), field="level")
    return level


def members_to_review():
    """Ids of the members the CLI reviews (live accounts below leader), in id order."""
    return db.session.scalars(select(User.id).where(User.deleted_at.is_(None),
                                                    User.trust_level < TL_LEADER)
                              .order_by(User.id)).all()


# --- domain events ----------------------------------------------------------------------------

def _on_member_visited(user: User, **_kwargs) -> None:
    review(user)  # once a day per member: the full check, TL3 included


def _on_post_published(post, **_kwargs) -> None:
    if post.user is not None:
        review(post.user, regular=False)


def _on_like_given(action, **_kwargs) -> None:
    for member in (action.user, action.post.user if action.post else None):
        if member is not None:
            review(member, regular=False)


def register_receivers() -> None:
    """Connect the trust receivers (module-level functions: blinker holds weak references)."""
    domain_events.member_visited.connect(_on_member_visited)
    domain_events.post_published.connect(_on_post_published)
    domain_events.like_given.connect(_on_like_given)
