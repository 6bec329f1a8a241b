"""Staff log reads: the filtered, scoped, paginated log and a member's current sanctions."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from forum import permissions
from forum.extensions import db
from forum.models import Category, Post, SitePage, StaffAction, Topic, User
from forum.moderation import audit
from forum.text import fold

PER_PAGE = 50
MAX_PAGE = 10_000


@dataclass
class LogFilters:
    """What the reader asked for; blank fields do not filter."""

    actor: str = ""
    action: str = ""
    target_type: str = ""
    target_id: int | None = None
    target: str = ""  # text searched in the target's name

    def as_args(self) -> dict:
        """The filters as query-string arguments (for pager links)."""
        args = {"actor": self.actor, "action": self.action, "target_type": self.target_type,
                "target_id": self.target_id, "target": self.target}
        return {k: v for k, v in args.items() if v not in ("", None)}


@dataclass
class LogPage:
    entries: list[StaffAction]
    page: int
    has_next: bool
    filters: LogFilters = field(default_factory=LogFilters)

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def visible_entries(viewer):
    """A filter on StaffAction: everything for admins, their categories' entries for moderators."""
    if permissions.is_admin(viewer):
        return StaffAction.id.is_not(None)
    if not permissions.can_view_staff_log(viewer):
        return StaffAction.id.is_(None)
    moderated = select(Category.id).where(permissions.moderated_categories(viewer))
    return StaffAction.category_id.in_(moderated)


def staff_log(viewer, filters: LogFilters, page: int = 1) -> LogPage:
    """One page of the log as the viewer may read it, newest first."""
    page = min(max(page, 1), MAX_PAGE)
    statement = select(StaffAction).where(visible_entries(viewer), *_conditions(filters))
    rows = list(db.session.scalars(
        statement.order_by(StaffAction.id.desc())
        .offset((page - 1) * PER_PAGE).limit(PER_PAGE + 1)))
    return LogPage(entries=rows[:PER_PAGE], page=page, has_next=len(rows) > PER_PAGE,
                   filters=filters)


def _conditions(filters: LogFilters) -> list:
    conditions = []
    actor = filters.actor.strip().lstrip("@")
    if actor:
        # By account (so a renamed actor's entries stay found), or by the name as recorded.
        accounts = select(User.id).where(User.username_lower == fold(actor))
        conditions.append(or_(StaffAction.actor_id.in_(accounts),
                              StaffAction.actor_name == actor))
    if filters.action in audit.ACTION_LABELS:
        conditions.append(StaffAction.action == filters.action)
    if filters.target_type:
        conditions.append(StaffAction.target_type == filters.target_type)
    if filters.target_id is not None:
        conditions.append(StaffAction.target_id == filters.target_id)
    text = filters.target.strip()
    if text:
        # SQLite folds ASCII only: try the spellings a reader types (as the admin user search).
        spellings = {text, text.lower(), text.capitalize(), fold(text)}
        conditions.append(or_(*(StaffAction.target_label.icontains(s, autoescape=True)
                                for s in spellings)))
    return conditions


def live_targets(entries: list[StaffAction]) -> dict[tuple[str, int], object]:
    """(type, id) → the entries' targets that still exist, to link only those (a query a type)."""
    models = {"topic": Topic, "post": Post, "user": User, "category": Category, "page": SitePage}
    found: dict[tuple[str, int], object] = {}
    for kind, model in models.items():
        ids = {e.target_id for e in entries if e.target_type == kind and e.target_id}
        if not ids:
            continue
        statement = select(model).where(model.id.in_(ids))
        if hasattr(model, "deleted_at"):
            statement = statement.where(model.deleted_at.is_(None))
        if model is Post:
            statement = statement.options(selectinload(Post.topic))
        found.update(((kind, obj.id), obj) for obj in db.session.scalars(statement))
    return found


def change_rows(entry: StaffAction) -> list[tuple[str, str, str]]:
    """(field, before, after) as plain text for each field an entry changed."""
    before, after = entry.before or {}, entry.after or {}
    keys = list(after) + [key for key in before if key not in after]
    return [(key, _as_text(before.get(key)), _as_text(after.get(key))) for key in keys]


def _as_text(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(_as_text(v) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_as_text(v)}" for k, v in value.items()) or "—"
    return str(value)


def last_sanction(user: User, action: str) -> StaffAction | None:
    """The latest log entry of this sanction on the member (who imposed it, and why)."""
    return db.session.scalar(
        select(StaffAction).where(StaffAction.target_type == "user",
                                  StaffAction.target_id == user.id,
                                  StaffAction.action == action)
        .order_by(StaffAction.id.desc()).limit(1))


def sanction_state(user: User) -> dict:
    """The member's current silence and suspension: until, reason and by whom (None if none)."""
    state = {}
    for kind, active, until, reason, action in (
            ("silence", user.is_silenced, user.silenced_until, user.silence_reason,
             audit.USER_SILENCE),
            ("suspension", user.is_suspended, user.suspended_until, user.suspend_reason,
             audit.USER_SUSPEND)):
        if not active:
            state[kind] = None
            continue
        entry = last_sanction(user, action)
        state[kind] = {"until": until, "reason": reason or "",
                       "by": entry.actor_name if entry is not None else ""}
    return state
