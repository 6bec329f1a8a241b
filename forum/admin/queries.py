"""Admin reads: dashboard counts, the user list with search, groups, categories and API keys."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.groups.services import AUTOMATIC_GROUPS
from forum.models import ApiKey, Category, Group, User, category_moderators
from forum.text import fold

USERS_PER_PAGE = 50


@dataclass
class UserPage:
    users: list[User]
    page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def dashboard_counts() -> dict[str, int]:
    """Live accounts, and topics and posts from the categories' counters (no scan of posts)."""
    users = db.session.scalar(select(func.count(User.id)).where(User.deleted_at.is_(None)))
    topics, posts = db.session.execute(
        select(func.coalesce(func.sum(Category.topic_count), 0),
               func.coalesce(func.sum(Category.post_count), 0))).one()
    return {"users": users or 0, "topics": topics, "posts": posts}


def user_page(query: str, page: int) -> UserPage:
    """Users matching the search (username, full name or e-mail), newest first."""
    page = max(page, 1)
    statement = select(User).order_by(User.id.desc())
    query = (query or "").strip()
    if query:
        statement = statement.where(_user_matches(query))
    rows = list(db.session.scalars(
        statement.offset((page - 1) * USERS_PER_PAGE).limit(USERS_PER_PAGE + 1)))
    return UserPage(users=rows[:USERS_PER_PAGE], page=page, has_next=len(rows) > USERS_PER_PAGE)


def _user_matches(query: str):
    key = fold(query)
    # SQLite folds case for ASCII only, so Cyrillic full names are also matched as typed,
    # capitalised and lower-cased ("анна" finds "Анна Петровна"); PostgreSQL's ILIKE needs none.
    spellings = {query, query.lower(), query.capitalize(), query.title()}
    return or_(
        User.username_lower.contains(key, autoescape=True),
        User.email_lower.contains(key, autoescape=True),
        *(User.name.icontains(spelling, autoescape=True) for spelling in spellings),
    )


def user_by_id(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def user_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username_lower == fold(username)))


def moderated_categories(user: User) -> list[Category]:
    """The categories the user moderates as a subject moderator."""
    return list(db.session.scalars(
        select(Category).join(category_moderators,
                              category_moderators.c.category_id == Category.id)
        .where(category_moderators.c.user_id == user.id)
        .order_by(Category.position, Category.id)))


def all_groups() -> list[Group]:
    """Automatic groups first, widest first (everyone, members, teachers…), then named ones."""
    order = list(AUTOMATIC_GROUPS)
    groups = db.session.scalars(select(Group).order_by(Group.name))
    return sorted(groups, key=lambda g: (order.index(g.name) if g.is_automatic and g.name in order
                                         else len(order), g.name))


def custom_groups() -> list[Group]:
    return list(db.session.scalars(
        select(Group).where(Group.automatic_roles.is_(None)).order_by(Group.name)))


def group_by_id(group_id: int) -> Group | None:
    return db.session.get(Group, group_id)


def group_members(group: Group) -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.groups.any(Group.id == group.id)).order_by(User.username_lower)))


def member_counts() -> dict[int, int]:
    """Group id → number of named members (automatic groups have none stored)."""
    rows = db.session.execute(
        select(Group.id, func.count(User.id)).join(Group.members).group_by(Group.id)).all()
    return dict(rows)


def category_list() -> list[Category]:
    """Every category, parents each followed by their subcategories."""
    categories = list(db.session.scalars(
        select(Category).order_by(Category.position, Category.id)))
    ordered = []
    for category in categories:
        if category.parent_id is None:
            ordered.append(category)
            ordered.extend(child for child in categories if child.parent_id == category.id)
    return ordered


def top_level_categories(*, excluding: Category | None = None) -> list[Category]:
    statement = select(Category).where(Category.parent_id.is_(None)).order_by(
        Category.position, Category.id)
    if excluding is not None:
        statement = statement.where(Category.id != excluding.id)
    return list(db.session.scalars(statement))


def category_by_id(category_id: int) -> Category | None:
    return db.session.get(Category, category_id)


def api_keys() -> list[ApiKey]:
    """Every key, live ones first, newest first."""
    return list(db.session.scalars(
        select(ApiKey).order_by(ApiKey.revoked_at.is_not(None), ApiKey.id.desc())
        .options(selectinload(ApiKey.user))))


def api_key_by_id(key_id: int) -> ApiKey | None:
    return db.session.get(ApiKey, key_id)
