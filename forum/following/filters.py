"""SQL filters on Topic for what a member muted (Latest leaves muted topics and categories out)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, has_request_context, request
from sqlalchemy import ColumnElement, and_, bindparam, literal, select, true, union_all

from forum.extensions import db
from forum.models import LEVEL_MUTED, CategoryUser, Topic, TopicUser


@dataclass(frozen=True)
class Mutes:
    """What one member muted: topics, categories, and the topics in those categories they
    set to another level (those still show)."""
    topics: frozenset[int] = frozenset()
    categories: frozenset[int] = frozenset()
    kept: frozenset[int] = frozenset()

    @property
    def shape(self) -> tuple:
        """Which branches not_muted_filter has for this member (kept statements' key)."""
        return ("mutes", bool(self.topics), bool(self.categories), bool(self.kept))

    @property
    def values(self) -> dict[str, list[int]]:
        """The member's ids for the parameters of not_muted_filter(self.shape)."""
        named = (("muted_topics", self.topics), ("muted_categories", self.categories),
                 ("kept_topics", self.kept))
        return {name: sorted(ids) for name, ids in named if ids}


NO_MUTES = Mutes()


def viewer_mutes(viewer) -> Mutes:
    """The viewer's Mutes, read once per request (one small query; two when a category is
    muted). Most members mute nothing, and then the lists need no filter at all."""
    if not getattr(viewer, "is_authenticated", False):
        return NO_MUTES
    if vars(viewer).get("mutes_anything") is False:  # loaded with the account this request
        return NO_MUTES
    # Kept for this request only (keyed by it: tests run many requests in one app context).
    this_request = request._get_current_object() if has_request_context() else None
    cached = g.get("viewer_mutes")
    if this_request is not None and cached and cached[:2] == (this_request, viewer.id):
        return cached[2]
    rows = db.session.execute(union_all(
        select(literal("t"), TopicUser.topic_id).where(
            TopicUser.user_id == viewer.id, TopicUser.notification_level == LEVEL_MUTED),
        select(literal("c"), CategoryUser.category_id).where(
            CategoryUser.user_id == viewer.id, CategoryUser.notification_level == LEVEL_MUTED),
    )).all()
    topics = frozenset(i for kind, i in rows if kind == "t")
    categories = frozenset(i for kind, i in rows if kind == "c")
    kept = frozenset(db.session.scalars(
        select(TopicUser.topic_id).join(Topic, Topic.id == TopicUser.topic_id).where(
            TopicUser.user_id == viewer.id, TopicUser.notification_level > LEVEL_MUTED,
            Topic.category_id.in_(sorted(categories))))) if categories else frozenset()
    mutes = Mutes(topics, categories, kept) if rows else NO_MUTES
    if this_request is not None:
        g.viewer_mutes = (this_request, viewer.id, mutes)
    return mutes


def forget_viewer_mutes(user) -> None:
    """After the member changed a level in this request, the next list reads them again."""
    g.pop("viewer_mutes", None)
    member = getattr(user, "_get_current_object", lambda: user)()  # current_user's own User
    if "mutes_anything" in vars(member) and member in db.session:
        db.session.expire(member, ["mutes_anything"])  # deferred: loads again when read


def not_muted(viewer) -> ColumnElement[bool]:
    """Topics the viewer neither muted nor left in a muted category (guests mute nothing).
    A topic the member set to another level shows even in a muted category."""
    mutes = viewer_mutes(viewer)
    return not_muted_filter(mutes.shape, mutes.values)


def not_muted_filter(shape: tuple, values: dict | None = None) -> ColumnElement[bool]:
    """not_muted for a Mutes shape: with values for this request's statement, or without, as
    required parameters of a statement kept for every member of the shape."""
    _, topics, categories, kept = shape

    def ids(name: str):
        if values is None:
            return bindparam(name, expanding=True, required=True)
        return bindparam(name, values[name], expanding=True)

    conditions = []
    if topics:
        conditions.append(Topic.id.not_in(ids("muted_topics")))
    if categories:
        outside = Topic.category_id.not_in(ids("muted_categories"))
        conditions.append(outside | Topic.id.in_(ids("kept_topics")) if kept else outside)
    return and_(*conditions) if conditions else true()
