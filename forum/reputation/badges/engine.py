"""The badge engine: sync Badge rows from the definitions, evaluate rules for the members an
event concerns, grant idempotently (UserBadge's unique grant key), and backfill everyone.

Granting is one INSERT … SELECT … ON CONFLICT DO NOTHING per rule, so a rule evaluated twice,
concurrently or by the backfill after the events grants nothing new.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import and_, func, literal, select, text, update

from forum import domain_events
from forum.extensions import db, dialect_insert
from forum.models import Badge, Notification, User, UserBadge, UTCDateTime, utcnow
from forum.notifications.services import KIND_BADGE_GRANTED, notify
from forum.reputation.badges.definitions import BY_SLUG, DEFINITIONS, BadgeDefinition
from forum.reputation.badges.rules import EMPTY_KEY, Scope


@dataclass(frozen=True)
class Grant:
    """A grant the engine just made."""

    id: int
    badge_id: int
    user_id: int


def _insert(table):
    return dialect_insert(table)


# --- Badge rows -----------------------------------------------------------------------------------

def sync_badges() -> dict[str, Badge]:
    """Create missing Badge rows and update the declared attributes; returns them by slug.

    Called on first use (and by the backfill), so no migration is needed for a new badge.
    """
    rows = [_declared(d) for d in DEFINITIONS]
    db.session.execute(_insert(Badge.__table__).values(rows)
                       .on_conflict_do_nothing(index_elements=["slug"]))
    badges = {b.slug: b for b in db.session.scalars(select(Badge))}
    for row in rows:
        badge = badges[row["slug"]]
        for key, value in row.items():
            if getattr(badge, key) != value:
                setattr(badge, key, value)
    db.session.flush()
    return badges


def _declared(definition: BadgeDefinition) -> dict:
    return {"slug": definition.slug, "tier": definition.tier, "icon": definition.icon,
            "allow_multiple": definition.multiple, "is_manual": definition.manual,
            "allow_title": definition.allow_title}


def badges_by_slug() -> dict[str, Badge]:
    """Every declared badge's row, synced first when one is missing."""
    badges = {b.slug: b for b in db.session.scalars(select(Badge))}
    if not all(d.slug in badges for d in DEFINITIONS):
        badges = sync_badges()
    return badges


# --- evaluation on events ---------------------------------------------------------------------

def evaluate(definitions: list[BadgeDefinition], scope: Scope) -> list[Grant]:
    """Grant whatever the given rules now make due to the scoped members; notify each grant.

    Runs inside the caller's transaction and never commits.
    """
    return evaluate_many([(definitions, scope)])


def evaluate_many(batches: list[tuple[list[BadgeDefinition], Scope]]) -> list[Grant]:
    """evaluate() for several (definitions, scope) pairs, reading the badge rows and the
    members' once-only badges one time for all of them (one event, several members)."""
    batches = [(defs, scope) for defs, scope in batches if defs and scope.user_ids]
    if not batches:
        return []
    db.session.flush()  # the rules read the rows the event's service just changed
    badges, held = _badges_and_held(set().union(*(s.user_ids for _, s in batches)))
    grants = []
    for definitions, scope in batches:
        for definition in definitions:
            badge = badges[definition.slug]
            if badge.is_enabled and not _all_hold(definition, badge, held, scope.user_ids):
                grants += grant_due(definition, badge, scope)
    for grant in grants:
        _announce(grant)
    return grants


def _badges_and_held(user_ids) -> tuple[dict[str, Badge], set[tuple[int, int]]]:
    """Badge rows and the (badge_id, user_id) once-only grants the members already hold."""
    badges = badges_by_slug()
    held = db.session.execute(select(UserBadge.badge_id, UserBadge.user_id).where(
        UserBadge.user_id.in_(sorted(user_ids)), UserBadge.grant_key == EMPTY_KEY)).all()
    return badges, set(map(tuple, held))


def _all_hold(definition: BadgeDefinition, badge: Badge, held, user_ids) -> bool:
    return not definition.multiple and all((badge.id, uid) in held for uid in user_ids)


def grant_due(definition: BadgeDefinition, badge: Badge, scope: Scope) -> list[Grant]:
    """One statement: insert what the rule finds due and is not yet held; the new grants."""
    due = definition.rule(scope).subquery("due")
    live = select(User.id).where(User.deleted_at.is_(None))
    source = (select(literal(badge.id), due.c.user_id, due.c.grant_key, due.c.post_id,
                     func.coalesce(due.c.granted_at, literal(scope.now, UTCDateTime())),
                     literal(""))
              .where(due.c.user_id.in_(live), ~_held(badge.id, due)))
    columns = ["badge_id", "user_id", "grant_key", "post_id", "granted_at", "reason"]
    statement = (_insert(UserBadge.__table__).from_select(columns, source)
                 .on_conflict_do_nothing()
                 .returning(UserBadge.id, UserBadge.user_id))
    grants = [Grant(id=row.id, badge_id=badge.id, user_id=row.user_id)
              for row in db.session.execute(statement)]
    if grants:
        db.session.execute(update(Badge).where(Badge.id == badge.id)
                           .values(grant_count=Badge.grant_count + len(grants)))
    return grants


def _held(badge_id: int, due):
    return select(UserBadge.id).where(
        and_(UserBadge.badge_id == badge_id, UserBadge.user_id == due.c.user_id,
             UserBadge.grant_key == due.c.grant_key)).exists()


def _announce(grant: Grant) -> None:
    """Tell the member (a notification) and the rest of the app (the badge_granted event)."""
    user_badge = db.session.get(UserBadge, grant.id)
    slug = user_badge.badge.slug
    notify(user_badge.user, KIND_BADGE_GRANTED,
           data={"badge_id": grant.badge_id, "badge_slug": slug, "user_badge_id": grant.id},
           topic=user_badge.post.topic if user_badge.post is not None else None,
           post_number=user_badge.post.post_number if user_badge.post is not None else None)
    domain_events.badge_granted.send(user_badge, backfill=False)


# --- backfill ---------------------------------------------------------------------------------

def backfill(*, progress: Callable[[BadgeDefinition, int], object] | None = None,
             notify_members: bool = True) -> dict[str, int]:
    """Evaluate every automatic badge for everyone; returns new grants by slug.

    Idempotent: a second run grants nothing. Notifications go in with one bulk insert per
    badge (no live pushes: nobody is waiting for history); badge_granted is sent for each new
    grant with backfill=True so listeners may batch.
    """
    badges = sync_badges()
    _refresh_statistics()
    scope = Scope()
    counts = {}
    for definition in DEFINITIONS:
        badge = badges[definition.slug]
        grants = []
        if definition.rule is not None and badge.is_enabled:
            grants = grant_due(definition, badge, scope)
            if notify_members:
                _bulk_notify(definition, grants)
            _send_granted(grants)
        counts[definition.slug] = len(grants)
        if progress is not None:
            progress(definition, len(grants))
    return counts


def _refresh_statistics() -> None:
    """PostgreSQL plans the rules' joins from table statistics; right after a bulk import
    (a migration, a restore, the benchmark's seed) autovacuum has not gathered them yet, and
    a blind plan can take minutes instead of seconds. ANALYZE of these tables is sub-second."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    tables = ("users", "posts", "topics", "categories", "category_permissions",
              "group_members", "category_moderators", "post_actions", "chat_messages",
              "chat_channels", "user_stats", "user_badges")
    db.session.execute(text(f"ANALYZE {', '.join(tables)}"))


def _bulk_notify(definition: BadgeDefinition, grants: list[Grant]) -> None:
    now = utcnow()
    rows = [{"user_id": g.user_id, "kind": KIND_BADGE_GRANTED, "created_at": now,
             "data": {"badge_id": g.badge_id, "badge_slug": definition.slug,
                      "user_badge_id": g.id}} for g in grants]
    for start in range(0, len(rows), 5_000):
        db.session.execute(Notification.__table__.insert(), rows[start:start + 5_000])


def _send_granted(grants: list[Grant]) -> None:
    if not grants or not domain_events.badge_granted.receivers:
        return
    for chunk in _chunks([g.id for g in grants], 1_000):
        for user_badge in db.session.scalars(select(UserBadge).where(UserBadge.id.in_(chunk))):
            domain_events.badge_granted.send(user_badge, backfill=True)


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def definition_of(badge: Badge) -> BadgeDefinition | None:
    return BY_SLUG.get(badge.slug)
