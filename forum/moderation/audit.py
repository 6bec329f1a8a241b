"""The staff action log: every moderation and admin action records one row, through record().

Action names are "<target>.<verb>" constants defined here, so the log's filter lists them all
and a grep finds every place an action is recorded.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from forum.extensions import db
from forum.models import (
    Category,
    ChatChannel,
    ChatMessage,
    Post,
    SitePage,
    StaffAction,
    Topic,
    User,
    utcnow,
)

TOPIC_PIN = "topic.pin"
TOPIC_UNPIN = "topic.unpin"
TOPIC_BANNER = "topic.banner"
TOPIC_UNBANNER = "topic.unbanner"
TOPIC_CLOSE = "topic.close"
TOPIC_OPEN = "topic.open"
TOPIC_ARCHIVE = "topic.archive"
TOPIC_UNARCHIVE = "topic.unarchive"
TOPIC_UNLIST = "topic.unlist"
TOPIC_LIST = "topic.list"
TOPIC_MOVE = "topic.move"
TOPIC_RETITLE = "topic.retitle"
TOPIC_MERGE = "topic.merge"
TOPIC_SLOW_MODE = "topic.slow_mode"
TOPIC_DELETE = "topic.delete"
TOPIC_RESTORE = "topic.restore"
POST_MOVE = "post.move"
POST_HIDE = "post.hide"
POST_UNHIDE = "post.unhide"
POST_DELETE = "post.delete"
POST_RESTORE = "post.restore"
POST_EDIT = "post.edit"
POST_APPROVE = "post.approve"
POST_REJECT = "post.reject"
FLAG_AGREE = "flag.agree"
FLAG_DISAGREE = "flag.disagree"
FLAG_IGNORE = "flag.ignore"
USER_SILENCE = "user.silence"
USER_UNSILENCE = "user.unsilence"
USER_SUSPEND = "user.suspend"
USER_UNSUSPEND = "user.unsuspend"
USER_ROLE = "user.role"
USER_TRUST_LEVEL = "user.trust_level"
USER_DELETE = "user.delete"
CATEGORY_MODERATORS = "category.moderators"
CATEGORY_CHANGE = "category.change"
SETTING_CHANGE = "setting.change"
PAGE_EDIT = "page.edit"
CHAT_CLOSE = "chat.close"
CHAT_REOPEN = "chat.reopen"
CHAT_SLOW_MODE = "chat.slow_mode"
CHAT_SILENCE = "chat.silence"
CHAT_UNSILENCE = "chat.unsilence"
CHAT_MOVE = "chat.move"
CHAT_COPY = "chat.copy"
CHAT_MESSAGE_DELETE = "chat_message.delete"
CHAT_MESSAGE_RESTORE = "chat_message.restore"

# How the log names each action, in the reader's language.
ACTION_LABELS = {
    TOPIC_PIN: _l("pinned a topic"), TOPIC_UNPIN: _l("unpinned a topic"),
    TOPIC_BANNER: _l("made a topic the banner"), TOPIC_UNBANNER: _l("removed the banner"),
    TOPIC_CLOSE: _l("closed a topic"), TOPIC_OPEN: _l("reopened a topic"),
    TOPIC_ARCHIVE: _l("archived a topic"), TOPIC_UNARCHIVE: _l("unarchived a topic"),
    TOPIC_UNLIST: _l("unlisted a topic"), TOPIC_LIST: _l("listed a topic"),
    TOPIC_MOVE: _l("moved a topic"), TOPIC_RETITLE: _l("retitled a topic"),
    TOPIC_MERGE: _l("merged topics"), TOPIC_SLOW_MODE: _l("changed slow mode"),
    TOPIC_DELETE: _l("deleted a topic"), TOPIC_RESTORE: _l("restored a topic"),
    POST_MOVE: _l("moved posts"), POST_HIDE: _l("hid a post"), POST_UNHIDE: _l("unhid a post"),
    POST_DELETE: _l("deleted a post"), POST_RESTORE: _l("restored a post"),
    POST_EDIT: _l("edited someone's post"), POST_APPROVE: _l("approved a post"),
    POST_REJECT: _l("rejected a post"), FLAG_AGREE: _l("agreed with flags"),
    FLAG_DISAGREE: _l("disagreed with flags"), FLAG_IGNORE: _l("ignored flags"),
    USER_SILENCE: _l("silenced a member"), USER_UNSILENCE: _l("lifted a silence"),
    USER_SUSPEND: _l("suspended a member"), USER_UNSUSPEND: _l("lifted a suspension"),
    USER_ROLE: _l("changed a role"), USER_TRUST_LEVEL: _l("changed a trust level"),
    USER_DELETE: _l("deleted an account"),
    CATEGORY_MODERATORS: _l("changed a category's moderators"),
    CATEGORY_CHANGE: _l("changed a category"), SETTING_CHANGE: _l("changed a setting"),
    PAGE_EDIT: _l("edited a site page"),
    CHAT_CLOSE: _l("closed a chat channel"), CHAT_REOPEN: _l("reopened a chat channel"),
    CHAT_SLOW_MODE: _l("changed a channel's slow mode"),
    CHAT_SILENCE: _l("silenced a member in a channel"),
    CHAT_UNSILENCE: _l("lifted a silence in a channel"),
    CHAT_MOVE: _l("moved chat messages to a topic"),
    CHAT_COPY: _l("copied chat messages to a topic"),
    CHAT_MESSAGE_DELETE: _l("deleted a chat message"),
    CHAT_MESSAGE_RESTORE: _l("restored a chat message"),
}


def record(action: str, *, actor: User, target=None, reason: str = "",
           before: dict | None = None, after: dict | None = None,
           category: Category | None = None) -> StaffAction:
    """Append one entry to the staff log (flushed with the action; the caller commits both)."""
    if action not in ACTION_LABELS:
        raise ValueError(f"unknown staff action {action!r}")
    target_type, target_id, label, target_category = _describe(target)
    entry = StaffAction(
        action=action, actor_id=actor.id, actor_name=actor.username,
        target_type=target_type, target_id=target_id, target_label=label[:255],
        category_id=(category.id if category is not None else target_category),
        reason=(reason or "").strip(), before=before, after=after, created_at=utcnow())
    db.session.add(entry)
    return entry


def _describe(target) -> tuple[str, int | None, str, int | None]:
    """(type, id, readable label, category id) of a log target."""
    if isinstance(target, Topic):
        return "topic", target.id, target.title, target.category_id
    if isinstance(target, Post):
        topic = target.topic
        return ("post", target.id, f"{topic.title} #{target.post_number}",
                topic.category_id)
    if isinstance(target, User):
        return "user", target.id, target.username, None
    if isinstance(target, Category):
        return "category", target.id, target.name, target.id
    if isinstance(target, SitePage):
        return "page", target.id, target.title, None
    if isinstance(target, ChatChannel):
        return "channel", target.id, target.name or f"#{target.id}", target.category_id
    if isinstance(target, ChatMessage):
        channel = target.channel
        return ("chat_message", target.id, f"{channel.name or channel.id} #{target.id}",
                channel.category_id)
    if isinstance(target, str):  # e.g. a setting's name
        return "setting", None, target, None
    return "", None, "", None
