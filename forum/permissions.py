"""The one policy: may this user do this to that? Predicates, require(), and SQL visibility filters.

Every predicate takes the acting user (possibly Flask-Login's anonymous user) and the object,
reads nothing from the request, and states its rule in one sentence. Views, API routes,
Socket.IO handlers, templates and the CLI all ask these functions; no rule is written twice.
"""

from __future__ import annotations

import contextlib

from flask import abort
from sqlalchemy import ColumnElement, false, or_, select, true

from forum.extensions import db
from forum.models import (
    HIDDEN_AWAITING_APPROVAL,
    PERMISSION_FULL,
    PERMISSION_READONLY,
    PERMISSION_REPLY,
    ROLE_ADMIN,
    ROLE_MODERATOR,
    Category,
    CategoryPermission,
    Group,
    Post,
    Topic,
    User,
    category_moderators,
)

ANYONE = "*"  # automatic group roles: guests included
ANY_ACCOUNT = "+"  # automatic group roles: every signed-in account


def require(allowed: bool, *, hide: bool = False) -> None:
    """Stop the request unless allowed: 404 when the object must stay invisible, else 403."""
    if not allowed:
        abort(404 if hide else 403)


# --- who is who -------------------------------------------------------------------------------

def is_signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_admin(user) -> bool:
    """Admins are the community's coordinators."""
    return is_signed_in(user) and user.role == ROLE_ADMIN


def may_write(user) -> bool:
    """Signed in and not silenced: the precondition of posting, editing, flagging and chat."""
    return is_signed_in(user) and not user.is_silenced


def is_global_moderator(user) -> bool:
    """Admins and moderators without a subject moderate everything."""
    return is_signed_in(user) and user.role in (ROLE_ADMIN, ROLE_MODERATOR)


def group_ids(user) -> frozenset[int]:
    """The ids of every group the user belongs to, automatic groups included (cached per user)."""
    cached = getattr(user, "_kafedra_group_ids", None)
    if cached is not None:
        return cached
    automatic = db.session.execute(
        select(Group.id, Group.automatic_roles).where(Group.automatic_roles.is_not(None))
    ).all()
    ids = {gid for gid, roles in automatic if _automatic_group_has(user, roles)}
    if is_signed_in(user):
        ids.update(g.id for g in user.groups)
    result = frozenset(ids)
    # Objects that refuse new attributes are simply not cached.
    with contextlib.suppress(AttributeError):
        user._kafedra_group_ids = result
    return result


def forget_cached_groups(user) -> None:
    """Drop the cached group ids after the user's role or memberships change."""
    if hasattr(user, "_kafedra_group_ids"):
        del user._kafedra_group_ids


def _automatic_group_has(user, roles: str) -> bool:
    if roles == ANYONE:
        return True
    if not is_signed_in(user):
        return False
    return roles == ANY_ACCOUNT or user.role in roles.split(",")


# --- categories -------------------------------------------------------------------------------

def can_moderate(user, category: Category) -> bool:
    """Global moderators moderate everything; subject moderators their categories and children."""
    if is_global_moderator(user):
        return True
    if not is_signed_in(user) or category is None:
        return False
    for cat in (category, category.parent):
        if cat is not None and any(m.id == user.id for m in cat.moderators):
            return True
    return False


def category_access(user, category: Category) -> int | None:
    """The strongest Discourse permission type the user holds in the category, or None."""
    if can_moderate(user, category):
        return PERMISSION_FULL
    ids = group_ids(user)
    granted = [p.permission_type for p in category.permissions if p.group_id in ids]
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
    if not can_view_topic(user, post.topic):
        return False
    return (post.hidden_reason != HIDDEN_AWAITING_APPROVAL
            or _author_or_moderator(user, post.topic, post.user_id))


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
    if not may_write(user):
        return False
    if can_moderate(user, post.topic.category):
        return can_view_topic(user, post.topic)
    return (
        post.user_id == user.id
        and post.deleted_at is None
        and post.topic.deleted_at is None
        and can_reply(user, post.topic)
    )


def can_edit_topic(user, topic: Topic) -> bool:
    """The title and category: the author while they may edit the first post, or a moderator."""
    if not is_signed_in(user):
        return False
    if can_moderate(user, topic.category):
        return True
    return topic.user_id == user.id and topic.deleted_at is None and can_reply(user, topic)


def can_view_deleted_post(user, post: Post) -> bool:
    """A deleted post's content stays readable to moderators and to whoever deleted it."""
    return can_moderate(user, post.topic.category) or _deleted_by(user, post)


def can_delete_post(user, post: Post) -> bool:
    """Authors delete their own replies (a first post goes with its topic); moderators any post."""
    if not is_signed_in(user) or post.deleted_at is not None:
        return False
    if can_moderate(user, post.topic.category):
        return True
    return post.user_id == user.id and not post.is_first and can_view_topic(user, post.topic)


def can_restore_post(user, post: Post) -> bool:
    """Moderators restore any deleted post; authors the posts they deleted themselves."""
    if post.deleted_at is None or not is_signed_in(user):
        return False
    return can_moderate(user, post.topic.category) or (
        _deleted_by(user, post) and post.user_id == user.id
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
    return can_moderate(user, post.topic.category) or (
        is_signed_in(user) and post.user_id == user.id)


def can_view_revisions(user, post: Post) -> bool:
    """Whoever can read a post can read its edit history (as Discourse shows it)."""
    if post.deleted_at is not None and not can_view_deleted_post(user, post):
        return False
    return can_view_topic(user, post.topic)


# --- moderation -------------------------------------------------------------------------------

def can_moderate_topic(user, topic: Topic) -> bool:
    """Pin, close, archive, unlist, move, split, merge, hide, slow mode: category moderators."""
    return can_moderate(user, topic.category) and can_view_topic(user, topic)


def can_pin_globally(user) -> bool:
    """Pinning across the whole forum and the site banner are for staff (admins and moderators)."""
    return is_global_moderator(user)


def can_move_posts_to(user, category: Category) -> bool:
    """Posts and topics may go only where the moderator could open a topic themselves."""
    return can_view_category(user, category) and can_create_topic(user, category)


def can_set_banner(user) -> bool:
    """The site banner is chosen by staff (admins and moderators), like global pins."""
    return is_global_moderator(user)


def can_hide_post(user, post: Post) -> bool:
    """Moderators of the topic's category hide and unhide live posts."""
    return post.deleted_at is None and can_moderate_topic(user, post.topic)


def is_exempt_from_slow_mode(user, topic: Topic) -> bool:
    """Slow mode holds back members; the topic's moderators reply as often as they need."""
    return can_moderate(user, topic.category)


def can_flag_post(user, post: Post) -> bool:
    """Unsilenced members flag live posts of others that they can read (not ones held back)."""
    return (may_write(user) and post.user_id != user.id and post.deleted_at is None
            and post.hidden_reason != HIDDEN_AWAITING_APPROVAL
            and can_view_topic(user, post.topic))


def can_review_post(user, post: Post) -> bool:
    """A flagged or queued post is reviewed by the moderators of its category."""
    return can_moderate_topic(user, post.topic)


def can_view_review_queue(user) -> bool:
    """Staff and subject moderators have a review queue (scoped to what they moderate)."""
    return is_global_moderator(user) or (is_signed_in(user) and _moderates_any(user))


def can_silence_user(user, target: User) -> bool:
    """Staff and subject moderators silence members; never themselves or staff."""
    return (can_view_review_queue(user) and target.id != user.id
            and target.role not in (ROLE_ADMIN, ROLE_MODERATOR) and target.deleted_at is None)


def can_suspend_user(user, target: User) -> bool:
    """Staff suspend members (admins also moderators); never themselves or an admin."""
    if not is_global_moderator(user) or target.id == user.id or target.deleted_at is not None:
        return False
    if target.role == ROLE_ADMIN:
        return False
    return target.role != ROLE_MODERATOR or is_admin(user)


def can_sanction_user(user, target: User) -> bool:
    """Whoever may silence or suspend the member sees their sanctions page."""
    return can_silence_user(user, target) or can_suspend_user(user, target)


def can_view_staff_log(user) -> bool:
    """Admins read the whole staff log; moderators the entries of the categories they moderate."""
    return can_view_review_queue(user)


def can_edit_site_pages(user) -> bool:
    """Site pages such as the code of conduct are edited by admins."""
    return is_admin(user)


def can_change_settings(user) -> bool:
    """Site settings are changed by admins."""
    return is_admin(user)


def _moderates_any(user) -> bool:
    # Preloaded with the signed-in account (forum.models.user_state): no query per page.
    preloaded = vars(user).get("moderates_any_category") if hasattr(user, "__dict__") else None
    if preloaded is not None:
        return bool(preloaded)
    return db.session.scalar(select(category_moderators.c.category_id).where(
        category_moderators.c.user_id == user.id).limit(1)) is not None


def _deleted_by(user, obj) -> bool:
    return is_signed_in(user) and obj.deleted_by_id == user.id


# --- people and administration ----------------------------------------------------------------

def can_view_profile(user, target: User) -> bool:
    """Profiles of live accounts are public; anonymised accounts show to staff only."""
    return target.deleted_at is None or is_global_moderator(user)


def can_edit_profile(user, target: User) -> bool:
    """Members edit their own profile; admins edit anyone's."""
    return is_signed_in(user) and (user.id == target.id or is_admin(user))


def can_delete_account(user, target: User) -> bool:
    """Members may leave; an admin may remove an account; the last admin cannot delete itself."""
    return is_signed_in(user) and (user.id == target.id or is_admin(user))


def can_administer(user) -> bool:
    """The admin area (users, groups, categories, API keys) is for admins."""
    return is_admin(user)


def can_use_drafts(user) -> bool:
    """Drafts belong to signed-in accounts."""
    return is_signed_in(user)


# --- SQL filters ------------------------------------------------------------------------------

def visible_categories(user) -> ColumnElement[bool]:
    """A filter on Category: the categories the user may see."""
    if is_global_moderator(user):
        return true()
    granted = select(CategoryPermission.category_id).where(
        CategoryPermission.group_id.in_(group_ids(user) or {-1}),
        CategoryPermission.permission_type <= PERMISSION_READONLY,
    )
    condition = Category.id.in_(granted)
    if is_signed_in(user):
        moderated = select(category_moderators.c.category_id).where(
            category_moderators.c.user_id == user.id
        )
        condition = or_(condition, Category.id.in_(moderated), Category.parent_id.in_(moderated))
    return condition


def visible_topics(user, *, include_deleted: bool = False) -> ColumnElement[bool]:
    """A filter on Topic: topics in visible categories; deleted ones only when asked for."""
    condition = Topic.category_id.in_(select(Category.id).where(visible_categories(user)))
    if not include_deleted:
        condition = condition & Topic.deleted_at.is_(None)
    # A new member's topic awaiting approval: only its author and its moderators see it.
    awaiting_ok = Topic.is_awaiting_approval.is_(False)
    if is_global_moderator(user):
        return condition
    if is_signed_in(user):
        awaiting_ok = or_(awaiting_ok, Topic.user_id == user.id,
                          Topic.category_id.in_(_moderated_category_ids(user)))
    return condition & awaiting_ok


def moderated_categories(user) -> ColumnElement[bool]:
    """A filter on a category id column's owner Category: the categories the user moderates."""
    if is_global_moderator(user):
        return true()
    if not is_signed_in(user):
        return false()
    moderated = select(category_moderators.c.category_id).where(
        category_moderators.c.user_id == user.id)
    return or_(Category.id.in_(moderated), Category.parent_id.in_(moderated))


def visible_posts(user) -> ColumnElement[bool]:
    """A filter on Post: live posts of visible, live topics (for counts, search and feeds)."""
    topics = select(Topic.id).where(visible_topics(user))
    return Post.topic_id.in_(topics) & Post.deleted_at.is_(None) & shown_posts(user)


def shown_posts(user) -> ColumnElement[bool]:
    """A filter on Post: hides posts awaiting approval from all but their authors and moderators."""
    if is_global_moderator(user):
        return true()
    condition = Post.hidden_reason.is_distinct_from(HIDDEN_AWAITING_APPROVAL)
    if is_signed_in(user):
        moderated_topics = select(Topic.id).where(
            Topic.category_id.in_(_moderated_category_ids(user)))
        condition = or_(condition, Post.user_id == user.id, Post.topic_id.in_(moderated_topics))
    return condition


def _moderated_category_ids(user):
    return select(Category.id).where(moderated_categories(user))
