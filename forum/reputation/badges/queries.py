"""Badge reads: the badge list, one badge's holders, a member's badges, the title beside names."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import g, has_request_context
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum import permissions
from forum.extensions import db
from forum.models import Badge, Post, Topic, User, UserBadge
from forum.reputation.badges.definitions import BY_SLUG, DEFINITIONS, BadgeDefinition
from forum.reputation.badges.engine import badges_by_slug

HOLDERS_PER_PAGE = 50
MAX_PAGE = 10_000


@dataclass
class BadgeView:
    """A badge as pages show it: its declaration (names, icon) with its row (id, counts)."""

    definition: BadgeDefinition
    badge: Badge

    @property
    def id(self) -> int:
        return self.badge.id

    @property
    def name(self) -> str:
        return str(self.definition.name)

    @property
    def description(self) -> str:
        return str(self.definition.description)


@dataclass
class HeldBadge:
    """One badge a member holds: how many times, when first and last, the visible posts."""

    view: BadgeView
    grants: list[UserBadge] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.grants)

    @property
    def last_granted_at(self) -> datetime:
        return max(g.granted_at for g in self.grants)


def badge_views(*, include_disabled: bool = False) -> list[BadgeView]:
    """Every declared badge, in declaration order (the order the community reads them in)."""
    badges = badges_by_slug()
    return [BadgeView(d, badges[d.slug]) for d in DEFINITIONS
            if include_disabled or badges[d.slug].is_enabled]


def badge_view(badge_id: int) -> BadgeView | None:
    badge = db.session.get(Badge, badge_id)
    definition = BY_SLUG.get(badge.slug) if badge is not None else None
    if definition is None or not badge.is_enabled:
        return None
    return BadgeView(definition, badge)


@dataclass
class HolderPage:
    grants: list[UserBadge]
    page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def holders(view: BadgeView, viewer, page: int = 1) -> HolderPage:
    """One page of a badge's grants, newest first, with their members; posts the viewer may
    not see are left out of the grants (the grant itself is public)."""
    page = min(max(page, 1), MAX_PAGE)
    rows = list(db.session.scalars(
        select(UserBadge).join(User, User.id == UserBadge.user_id)
        .where(UserBadge.badge_id == view.id, User.deleted_at.is_(None))
        .options(selectinload(UserBadge.user))
        .order_by(UserBadge.granted_at.desc(), UserBadge.id.desc())
        .offset((page - 1) * HOLDERS_PER_PAGE).limit(HOLDERS_PER_PAGE + 1)))
    grants = rows[:HOLDERS_PER_PAGE]
    _attach_visible_posts(grants, viewer)
    return HolderPage(grants=grants, page=page, has_next=len(rows) > HOLDERS_PER_PAGE)


def member_badges(user: User, viewer, *, with_posts: bool = False) -> list[HeldBadge]:
    """The member's badges grouped by badge, gold first, then by the latest grant; one query
    (two with_posts: the posts behind the grants that the viewer may see)."""
    rows = db.session.execute(
        select(UserBadge, Badge).join(Badge, Badge.id == UserBadge.badge_id)
        .where(UserBadge.user_id == user.id, Badge.is_enabled.is_(True))
        .order_by(UserBadge.granted_at.desc(), UserBadge.id.desc())).all()
    rows = [(grant, badge) for grant, badge in rows if badge.slug in BY_SLUG]
    if with_posts:
        _attach_visible_posts([grant for grant, _ in rows], viewer)
    held: dict[int, HeldBadge] = {}
    for grant, badge in rows:
        held.setdefault(badge.id, HeldBadge(BadgeView(BY_SLUG[badge.slug], badge)))
        held[badge.id].grants.append(grant)
    order = {"gold": 0, "silver": 1, "bronze": 2}
    return sorted(held.values(), key=lambda h: (order.get(h.view.badge.tier, 3),
                                                -h.last_granted_at.timestamp()))


def _attach_visible_posts(grants: list[UserBadge], viewer) -> None:
    """Set `visible_post` on each grant: its post if the viewer may see it, else None."""
    post_ids = {g.post_id for g in grants if g.post_id is not None}
    posts = {}
    if post_ids:
        posts = {p.id: p for p in db.session.scalars(
            select(Post).join(Topic, Topic.id == Post.topic_id)
            .where(Post.id.in_(sorted(post_ids)), permissions.visible_posts(viewer))
            .options(selectinload(Post.topic)))}
    for grant in grants:
        grant.visible_post = posts.get(grant.post_id)


# --- the title beside a member's name ---------------------------------------------------------

def title_of(user) -> str:
    """The name of the member's chosen title badge, or "".

    Costs nothing for members without a title, and one query per request for all the others
    (the badges are few): a topic page stays a fixed number of queries however many authors.
    """
    badge_id = getattr(user, "title_badge_id", None)
    if badge_id is None:
        return ""
    slug = _title_slugs().get(badge_id)
    definition = BY_SLUG.get(slug) if slug is not None else None
    return str(definition.name) if definition is not None else ""


def _title_slugs() -> dict[int, str]:
    """Badge id → slug of the badges that may serve as titles now (plain values: they outlive
    the commits a request makes, where ORM objects would expire and reload one by one)."""
    if has_request_context() and "kafedra_title_badges" in g:
        return g.kafedra_title_badges
    slugs = dict(db.session.execute(select(Badge.id, Badge.slug).where(
        Badge.is_enabled.is_(True), Badge.allow_title.is_(True))).all())
    if has_request_context():
        g.kafedra_title_badges = slugs
    return slugs
