"""Rules for categories, topics and posts: who sees, opens, replies, edits, deletes, restores."""

from __future__ import annotations

from functools import cached_property
from typing import NamedTuple

from forum.generation_memo import remembered
from forum.models import (
    HIDDEN_AWAITING_APPROVAL,
    PERMISSION_FULL,
    PERMISSION_READONLY,
    PERMISSION_REPLY,
    Category,
    Post,
    Topic,
)
from forum.permissions.people import (
    group_ids,
    is_admin,
    is_global_moderator,
    is_signed_in,
    may_write,
)
from forum.permissions.trust import may_flag, may_retitle_topics

# --- categories -------------------------------------------------------------------------------

class CategoryRules(NamedTuple):
    """What the category rules below read of a category: its groups' permission types, and
    who moderates it (its own moderators and its parent's)."""

    grants: tuple[tuple[int, int], ...]  # (group id, permission type)
    moderator_ids: frozenset[int]


def category_rules(category: Category) -> CategoryRules:
    """The category's rules, kept for the content generation (forum.generation_memo): every
    change to a category, its permissions or its moderators bumps it. A topic page then
    need not load the category's permission and moderator rows on every view."""
    if category.id is None:  # not yet flushed: nothing to key it by
        return _read_category_rules(category)
    return remembered(("category-rules", category.id), lambda: _read_category_rules(category))


def _read_category_rules(category: Category) -> CategoryRules:
    moderators = {m.id for cat in (category, category.parent) if cat is not None
                  for m in cat.moderators}
    return CategoryRules(tuple((p.group_id, p.permission_type) for p in category.permissions),
                         frozenset(moderators))


def can_moderate(user, category: Category) -> bool:
    """Global moderators moderate everything; subject moderators their categories and children."""
    if is_global_moderator(user):
        return True
    if not is_signed_in(user) or category is None:
        return False
    return user.id in category_rules(category).moderator_ids


def category_access(user, category: Category) -> int | None:
    """The strongest Discourse permission type the user holds in the category, or None."""
    if can_moderate(user, category):
        return PERMISSION_FULL
    ids = group_ids(user)
    granted = [kind for group_id, kind in category_rules(category).grants if group_id in ids]
    return min(granted) if granted else None


def can_view_category(user, category: Category) -> bool:
    """A category is visible to members of a group it names, to its moderators and to staff."""
    access = category_access(user, category)
    return access is not None and access <= PERMISSION_READONLY


def can_create_topic(user, category: Category) -> bool:
    """Unsilenced members of a group with full permission on the category may open topics."""
    if not may_write(user):
        return False
    access = category_access(user, category)
    return access is not None and access <= PERMISSION_FULL


def can_manage_categories(user) -> bool:
    """Only admins create, edit and re-permission categories."""
    return is_admin(user)


# --- topics and posts -------------------------------------------------------------------------

class TopicFacts:
    """One viewer's topic-wide answers about one topic, each asked at most once, when first needed.

    The per-post rules (edits_post, deletes_post, …) take these facts instead of asking again:
    a single check (can_edit_post) builds facts for its one post, and a topic page's batch
    (forum.permissions.posts.post_controls) shares one set between all its posts. The facts
    are the predicates of this package, so each rule still has a single source.
    """

    def __init__(self, user, topic: Topic):
        self.user, self.topic = user, topic

    @cached_property
    def signed_in(self) -> bool:
        return is_signed_in(self.user)

    @cached_property
    def writer(self) -> bool:
        return may_write(self.user)

    @cached_property
    def flagger(self) -> bool:
        return may_flag(self.user)

    @cached_property
    def moderator(self) -> bool:
        return can_moderate(self.user, self.topic.category)

    @cached_property
    def views(self) -> bool:
        return can_view_topic(self.user, self.topic)

    @cached_property
    def replies(self) -> bool:
        return can_reply(self.user, self.topic)


def can_view_topic(user, topic: Topic) -> bool:
    """Visible when its category is; a deleted topic only to moderators and whoever deleted it."""
    if not can_view_category(user, topic.category):
        return False
    if topic.is_awaiting_approval and not _author_or_moderator(user, topic, topic.user_id):
        return False
    if topic.deleted_at is None:
        return True
    return can_moderate(user, topic.category) or _deleted_by(user, topic)


def can_view_post(user, post: Post) -> bool:
    """A post is readable with its topic; one awaiting approval by its author and moderators."""
    return can_view_topic(user, post.topic) and shows_post(user, post.topic, post)


def shows_post(user, topic: Topic, post) -> bool:
    """Whether a post of a topic the viewer sees is shown to them: one awaiting approval only
    to its author and moderators. The rule of filters.shown_posts, for a post (or a topic
    page's PagePost) already loaded."""
    return (post.hidden_reason != HIDDEN_AWAITING_APPROVAL
            or _author_or_moderator(user, topic, post.user_id))


def _author_or_moderator(user, topic: Topic, author_id: int | None) -> bool:
    return is_signed_in(user) and (user.id == author_id or can_moderate(user, topic.category))


def can_reply(user, topic: Topic) -> bool:
    """Unsilenced members with reply permission reply to live, open topics; moderators to any."""
    if not may_write(user) or topic.deleted_at is not None:
        return False
    if not can_view_topic(user, topic):
        return False
    if can_moderate(user, topic.category):
        return True
    if topic.is_closed or topic.is_archived:
        return False
    access = category_access(user, topic.category)
    return access is not None and access <= PERMISSION_REPLY


def can_edit_post(user, post: Post) -> bool:
    """Authors edit their own live posts in open topics they can still reply to; moderators any."""
    return edits_post(TopicFacts(user, post.topic), post)


def edits_post(facts: TopicFacts, post: Post) -> bool:
    """can_edit_post given the viewer's facts about the post's topic."""
    if not facts.writer:
        return False
    if facts.moderator:
        return facts.views
    return (
        post.user_id == facts.user.id
        and post.deleted_at is None
        and facts.topic.deleted_at is None
        and facts.replies
    )


def can_edit_topic(user, topic: Topic) -> bool:
    """The title and category: the author while they may edit the first post, a regular (TL3)
    who may reply to the live topic, or a moderator."""
    if not is_signed_in(user):
        return False
    if can_moderate(user, topic.category):
        return True
    if topic.deleted_at is not None or not can_reply(user, topic):
        return False
    return topic.user_id == user.id or may_retitle_topics(user)


def can_view_deleted_post(user, post: Post) -> bool:
    """A deleted post's content stays readable to moderators and to whoever deleted it."""
    return can_moderate(user, post.topic.category) or _deleted_by(user, post)


def can_delete_post(user, post: Post) -> bool:
    """Authors delete their own replies (a first post goes with its topic); moderators any post."""
    return deletes_post(TopicFacts(user, post.topic), post)


def deletes_post(facts: TopicFacts, post: Post) -> bool:
    """can_delete_post given the viewer's facts about the post's topic."""
    if not facts.signed_in or post.deleted_at is not None:
        return False
    if facts.moderator:
        return True
    return post.user_id == facts.user.id and not post.is_first and facts.views


def can_restore_post(user, post: Post) -> bool:
    """Moderators restore any deleted post; authors the posts they deleted themselves."""
    return restores_post(TopicFacts(user, post.topic), post)


def restores_post(facts: TopicFacts, post: Post) -> bool:
    """can_restore_post given the viewer's facts about the post's topic."""
    if post.deleted_at is None or not facts.signed_in:
        return False
    return facts.moderator or (
        _deleted_by(facts.user, post) and post.user_id == facts.user.id
    )


def can_delete_topic(user, topic: Topic) -> bool:
    """Moderators delete any topic; authors only their own topic while nobody has replied."""
    if not is_signed_in(user) or topic.deleted_at is not None:
        return False
    if can_moderate(user, topic.category):
        return True
    return topic.user_id == user.id and topic.posts_count <= 1


def can_restore_topic(user, topic: Topic) -> bool:
    """Moderators restore any deleted topic; authors the topics they deleted themselves."""
    if topic.deleted_at is None or not is_signed_in(user):
        return False
    return can_moderate(user, topic.category) or (
        _deleted_by(user, topic) and topic.user_id == user.id
    )


def can_view_hidden_post(user, post: Post) -> bool:
    """A hidden post's content shows to its author and to moderators; others see a placeholder."""
    return _author_or_moderator(user, post.topic, post.user_id)


def can_view_revisions(user, post: Post) -> bool:
    """Whoever can read a post can read its edit history (as Discourse shows it)."""
    if post.deleted_at is not None and not can_view_deleted_post(user, post):
        return False
    return can_view_topic(user, post.topic)


def _deleted_by(user, obj) -> bool:
    return is_signed_in(user) and obj.deleted_by_id == user.id
