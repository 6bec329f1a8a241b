"""Sanctions on members: silence (may read, may not post, flag or chat) and suspend (may not
log in), each for a duration with a reason the member sees; lifting either early."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _

from forum import permissions
from forum.errors import DomainError
from forum.extensions import db
from forum.models import User, utcnow
from forum.moderation import audit
from forum.notifications.services import KIND_SILENCED, KIND_SUSPENDED, notify
from forum.templating import full_datetime

# The longest sanction a form offers; "forever" is a date far enough away.
MAX_SANCTION = timedelta(days=365 * 100)


def silence_user(target: User, *, actor: User, until: datetime, reason: str) -> User:
    """Silence the member until the date; they are told why."""
    if not permissions.can_silence_user(actor, target):
        raise DomainError(_("You cannot silence this member."), status_code=403)
    until, reason = _validate(until, reason)
    before = _iso(target.silenced_until) if target.is_silenced else None
    target.silenced_until, target.silence_reason = until, reason
    audit.record(audit.USER_SILENCE, actor=actor, target=target, reason=reason,
                 before={"silenced_until": before}, after={"silenced_until": _iso(until)})
    notify(target, KIND_SILENCED, data={"until": _iso(until), "reason": reason})
    db.session.flush()
    return target


def unsilence_user(target: User, *, actor: User) -> User:
    """Lift a silence early (harmless when the member is not silenced)."""
    if not permissions.can_silence_user(actor, target):
        raise DomainError(_("You cannot silence this member."), status_code=403)
    if target.is_silenced:
        audit.record(audit.USER_UNSILENCE, actor=actor, target=target,
                     before={"silenced_until": _iso(target.silenced_until)},
                     after={"silenced_until": None})
    target.silenced_until, target.silence_reason = None, ""
    db.session.flush()
    return target


def suspend_user(target: User, *, actor: User, until: datetime, reason: str) -> User:
    """Suspend the member until the date: they cannot log in and their sessions end."""
    if not permissions.can_suspend_user(actor, target):
        raise DomainError(_("You cannot suspend this member."), status_code=403)
    until, reason = _validate(until, reason)
    before = _iso(target.suspended_until) if target.is_suspended else None
    target.suspended_until, target.suspend_reason = until, reason
    audit.record(audit.USER_SUSPEND, actor=actor, target=target, reason=reason,
                 before={"suspended_until": before}, after={"suspended_until": _iso(until)})
    notify(target, KIND_SUSPENDED, data={"until": _iso(until), "reason": reason})
    db.session.flush()
    return target


def unsuspend_user(target: User, *, actor: User) -> User:
    """Lift a suspension early (harmless when the member is not suspended)."""
    if not permissions.can_suspend_user(actor, target):
        raise DomainError(_("You cannot suspend this member."), status_code=403)
    if target.is_suspended:
        audit.record(audit.USER_UNSUSPEND, actor=actor, target=target,
                     before={"suspended_until": _iso(target.suspended_until)},
                     after={"suspended_until": None})
    target.suspended_until, target.suspend_reason = None, ""
    db.session.flush()
    return target


def silence_refusal(user) -> str | None:
    """The message refusing a silenced member's post (with the reason and end date), or None."""
    if not getattr(user, "is_authenticated", False) or not user.is_silenced:
        return None
    return _("You are silenced until %(until)s and cannot post. Reason: %(reason)s",
             until=format_until(user.silenced_until), reason=user.silence_reason or "—")


def refuse_if_silenced(user) -> None:
    """Raise a 403 DomainError with silence_refusal()'s message when the member is silenced."""
    message = silence_refusal(user)
    if message is not None:
        raise DomainError(message, status_code=403)


def suspension_refusal(user: User) -> str | None:
    """The message refusing a suspended member's login (with the reason and end date), or None."""
    if user is None or not user.is_suspended:
        return None
    return _("Your account is suspended until %(until)s. Reason: %(reason)s",
             until=format_until(user.suspended_until), reason=user.suspend_reason or "—")


def format_until(moment: datetime) -> str:
    """A sanction's end in the site's time zone, as the member reads it."""
    return full_datetime(moment)


def _validate(until: datetime, reason: str) -> tuple[datetime, str]:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason; the member will see it."), field="reason")
    if len(reason) > 1000:
        raise DomainError(_("The reason is too long: at most %(n)d characters.", n=1000),
                          field="reason")
    now = utcnow()
    if until is None or until <= now:
        raise DomainError(_("Choose a date in the future."), field="until")
    return min(until, now + MAX_SANCTION), reason


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
