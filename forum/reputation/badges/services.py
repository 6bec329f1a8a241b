"""Badge writes that people make: an admin's manual grant with a reason, a member's title."""

from __future__ import annotations

import secrets

from flask_babel import gettext as _
from sqlalchemy import select

from forum import domain_events, permissions
from forum.errors import DomainError
from forum.extensions import db
from forum.models import Badge, User, UserBadge, utcnow
from forum.notifications.services import KIND_BADGE_GRANTED, notify
from forum.reputation.badges.rules import EMPTY_KEY

MAX_REASON_LENGTH = 500


def grant_manually(badge: Badge | None, *, user: User | None, actor, reason: str) -> UserBadge:
    """An admin grants a hand-granted badge (e.g. a contest winner's) with a reason.

    Raises DomainError: 403 for non-admins, 404 for an unknown badge or member, 422 for an
    automatic badge, a missing or overlong reason, or a once-only badge already held.
    """
    if not permissions.is_admin(actor):
        raise DomainError(_("Only administrators grant badges."), status_code=403)
    if badge is None or not badge.is_enabled:
        raise DomainError(_("There is no such badge."), field="badge_id", status_code=404)
    if user is None or user.deleted_at is not None:
        raise DomainError(_("There is no member with that name."), field="username",
                          status_code=404)
    if not permissions.can_grant_badge(actor, badge):
        raise DomainError(_("This badge is granted automatically by its rule, not by hand."),
                          field="badge_id", status_code=422)
    reason = _clean_reason(reason)
    grant = UserBadge(badge_id=badge.id, user_id=user.id, grant_key=_grant_key(badge, user),
                      granted_by_id=actor.id, reason=reason, granted_at=utcnow())
    db.session.add(grant)
    badge.grant_count = (badge.grant_count or 0) + 1
    db.session.flush()
    notify(user, KIND_BADGE_GRANTED, data={"badge_id": badge.id, "badge_slug": badge.slug,
                                           "user_badge_id": grant.id})
    domain_events.badge_granted.send(grant, backfill=False)
    return grant


def revoke_manually(grant: UserBadge | None, *, actor) -> None:
    """An admin takes back a hand-granted badge (granted by mistake, or a contest annulled):
    the grant, its reputation points and the title it gave go. Automatic badges follow their
    rules and are not revoked by hand (the next backfill would grant them again)."""
    if not permissions.is_admin(actor):
        raise DomainError(_("Only administrators revoke badges."), status_code=403)
    if grant is None:
        raise DomainError(_("There is no such grant."), status_code=404)
    badge = grant.badge
    if not badge.is_manual:
        raise DomainError(_("This badge is granted automatically by its rule, not by hand."),
                          status_code=422)
    user = grant.user
    if user is not None and user.title_badge_id == badge.id and not db.session.scalar(
            select(UserBadge.id).where(UserBadge.user_id == user.id,
                                       UserBadge.badge_id == badge.id,
                                       UserBadge.id != grant.id)):
        user.title_badge_id = None
    badge.grant_count = max((badge.grant_count or 1) - 1, 0)
    domain_events.badge_revoked.send(grant, actor=actor)
    db.session.delete(grant)
    db.session.flush()


def _clean_reason(reason) -> str:
    reason = (reason if isinstance(reason, str) else "").strip()
    if not reason:
        raise DomainError(_("Say why the badge is granted (for example, which contest)."),
                          field="reason", status_code=422)
    if len(reason) > MAX_REASON_LENGTH:
        raise DomainError(_("The reason is too long: at most %(limit)d characters.",
                            limit=MAX_REASON_LENGTH), field="reason", status_code=422)
    return reason


def _grant_key(badge: Badge, user: User) -> str:
    if badge.allow_multiple:
        return f"manual:{secrets.token_hex(8)}"
    held = db.session.scalar(select(UserBadge.id).where(
        UserBadge.badge_id == badge.id, UserBadge.user_id == user.id,
        UserBadge.grant_key == EMPTY_KEY))
    if held is not None:
        raise DomainError(_("The member already holds this badge."), field="badge_id",
                          status_code=422)
    return EMPTY_KEY


def set_title(user: User, badge_id: int | None) -> Badge | None:
    """The member shows one of their badges that may serve as a title beside their name, or
    none (badge_id None). Raises DomainError for a badge they do not hold or that is no title."""
    if badge_id is None:
        user.title_badge_id = None
        db.session.flush()
        return None
    badge = db.session.get(Badge, badge_id)
    if badge is None or badge.id not in {b.id for b in title_choices(user)}:
        raise DomainError(_("Choose one of your badges that may serve as a title."),
                          field="title_badge_id")
    user.title_badge_id = badge.id
    db.session.flush()
    return badge


def title_choices(user: User) -> list[Badge]:
    """The member's badges that may serve as a title, each once."""
    held = select(UserBadge.badge_id).where(UserBadge.user_id == user.id)
    return list(db.session.scalars(
        select(Badge).where(Badge.id.in_(held), Badge.allow_title.is_(True),
                            Badge.is_enabled.is_(True)).order_by(Badge.id)))
