"""Rules for moderators: topic and post actions, flags and review, sanctions, the staff log,
settings and site pages."""

from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.models import (
    HIDDEN_AWAITING_APPROVAL,
    ROLE_ADMIN,
    ROLE_MODERATOR,
    Category,
    Post,
    Topic,
    User,
    category_moderators,
)
from forum.permissions.content import (
    TopicFacts,
    can_create_topic,
    can_moderate,
    can_view_category,
    can_view_topic,
)
from forum.permissions.people import is_admin, is_global_moderator, is_signed_in, may_write
from forum.permissions.trust import is_active_leader_in

# --- moderation -------------------------------------------------------------------------------

def can_moderate_topic(user, topic: Topic) -> bool:
    """Pin, close, archive, unlist, move, split, merge, hide, slow mode: category moderators."""
    return moderates_topic(TopicFacts(user, topic))


def moderates_topic(facts: TopicFacts) -> bool:
    """can_moderate_topic given the viewer's facts about the topic."""
    return facts.moderator and facts.views


def can_pin_topic(user, topic: Topic) -> bool:
    """The topic's moderators pin it in its category; so does a leader (TL4) active there."""
    if can_moderate_topic(user, topic):
        return True
    return (may_write(user) and topic.deleted_at is None and can_view_topic(user, topic)
            and is_active_leader_in(user, topic.category))


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
    return hides_post(TopicFacts(user, post.topic), post)


def hides_post(facts: TopicFacts, post: Post) -> bool:
    """can_hide_post given the viewer's facts about the post's topic."""
    return post.deleted_at is None and moderates_topic(facts)


def is_exempt_from_slow_mode(user, topic: Topic) -> bool:
    """Slow mode holds back members; the topic's moderators reply as often as they need."""
    return can_moderate(user, topic.category)


def can_flag_post(user, post: Post) -> bool:
    """Unsilenced basic members (TL1) and above flag live posts of others that they can read
    (not ones held back)."""
    return flags_post(TopicFacts(user, post.topic), post)


def flags_post(facts: TopicFacts, post: Post) -> bool:
    """can_flag_post given the viewer's facts about the post's topic."""
    return (facts.writer and facts.flagger and post.user_id != facts.user.id
            and post.deleted_at is None
            and post.hidden_reason != HIDDEN_AWAITING_APPROVAL
            and facts.views)


def can_review_post(user, post: Post) -> bool:
    """A flagged or queued post is reviewed by the moderators of its category."""
    return can_moderate_topic(user, post.topic)


def can_view_review_queue(user) -> bool:
    """Staff and subject moderators have a review queue (scoped to what they moderate)."""
    return is_global_moderator(user) or (is_signed_in(user) and moderates_some_category(user))


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


def moderates_some_category(user) -> bool:
    """A subject moderator: moderates at least one category."""
    # Preloaded with the signed-in account (forum.models.user_state): no query per page.
    preloaded = vars(user).get("moderates_any_category") if hasattr(user, "__dict__") else None
    if preloaded is not None:
        return bool(preloaded)
    return db.session.scalar(select(category_moderators.c.category_id).where(
        category_moderators.c.user_id == user.id).limit(1)) is not None
