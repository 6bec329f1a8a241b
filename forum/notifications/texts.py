"""Each notification kind as a sentence in the reader's language, rendered at display time.

Never trusts `data`: a missing or odd key falls back to a plainer sentence, and an unknown
kind gets a generic one, so a notification can never break the page that lists it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from flask_babel import ngettext

from forum.models import Notification
from forum.moderation import audit
from forum.notifications import services as kinds
from forum.reputation.badges.definitions import BY_SLUG
from forum.templating import full_datetime


def notification_text(note: Notification, topic_title: str | None = None,
                      channel_name: str | None = None) -> str:
    """The sentence for one notification; topic_title (or, for chat, channel_name) is None
    when the reader cannot see it."""
    data = note.data if isinstance(note.data, dict) else {}
    if "channel_id" in data:  # about chat: the place is a channel, not a topic
        topic = channel_name or _("a chat channel")
    else:
        topic = topic_title or _("a topic")
    render = _RENDERERS.get(note.kind)
    if render is None:
        return _("You have a new notification.")
    return render(data, topic)


def gone_text(*, post: bool) -> str:
    """A notification whose post (or topic) was deleted or can no longer be read: said so,
    without naming what it was."""
    if post:
        return _("Post deleted")
    return _("Topic deleted or no longer available")


def _post_hidden(data: dict, topic: str) -> str:
    if data.get("reason") == "flagged":
        return _("Your post in “%(topic)s” was hidden after flags from members; edit it "
                 "and it goes back to the moderators.", topic=topic)
    if data.get("reason") == "approval":
        return _("Your post in “%(topic)s” is waiting for a moderator's approval.", topic=topic)
    return _("A moderator hid your post in “%(topic)s”.", topic=topic)


def _post_approved(data: dict, topic: str) -> str:
    return _("Your post in “%(topic)s” was approved and is now visible.", topic=topic)


def _post_rejected(data: dict, topic: str) -> str:
    return _("Your post in “%(topic)s” was not approved by the moderators.", topic=topic)


def _flag_outcome(data: dict, topic: str) -> str:
    outcome = data.get("outcome")
    if "channel_id" in data:
        return _chat_flag_outcome(outcome, topic)
    if outcome == "agreed":
        return _("The moderators agreed with your flag on a post in “%(topic)s”. Thank you.",
                 topic=topic)
    if outcome == "disagreed":
        return _("The moderators reviewed your flag on a post in “%(topic)s” and left the "
                 "post as it was.", topic=topic)
    if outcome == "ignored":
        return _("The moderators reviewed your flag on a post in “%(topic)s” and took no "
                 "action.", topic=topic)
    return _("The moderators reviewed your flag on a post in “%(topic)s”.", topic=topic)


def _chat_flag_outcome(outcome, channel: str) -> str:
    if outcome == "agreed":
        return _("The moderators agreed with your flag on a message in the chat “%(channel)s” "
                 "and deleted it. Thank you.", channel=channel)
    if outcome == "disagreed":
        return _("The moderators reviewed your flag on a message in the chat “%(channel)s” and "
                 "left the message as it was.", channel=channel)
    return _("The moderators reviewed your flag on a message in the chat “%(channel)s”.",
             channel=channel)


def _chat_mention(data: dict, channel: str) -> str:
    by = str(data.get("by") or "") or _("Someone")
    return _("%(name)s mentioned you in the chat “%(channel)s”.", name=by, channel=channel)


def _chat_silenced(data: dict, channel: str) -> str:
    until, reason = _sanction_parts(data)
    return _("You have been silenced in the chat “%(channel)s” until %(until)s: you can read "
             "but not write there. Reason: %(reason)s", channel=channel, until=until or "—",
             reason=reason)


def _chat_message_deleted(data: dict, channel: str) -> str:
    return _("A moderator deleted your message in the chat “%(channel)s” after flags from "
             "members.", channel=channel)


def _moderator_action(data: dict, topic: str) -> str:
    action = data.get("action")
    sentence = _ACTION_SENTENCES.get(action) if isinstance(action, str) else None
    if sentence is not None:
        return sentence(topic)
    return _("A moderator acted on your content in “%(topic)s”.", topic=topic)


_ACTION_SENTENCES = {
    audit.TOPIC_CLOSE: lambda t: _("A moderator closed your topic “%(topic)s”.", topic=t),
    audit.TOPIC_OPEN: lambda t: _("A moderator reopened your topic “%(topic)s”.", topic=t),
    audit.TOPIC_ARCHIVE: lambda t: _("A moderator archived your topic “%(topic)s”.", topic=t),
    audit.TOPIC_UNLIST: lambda t: _("A moderator unlisted your topic “%(topic)s”.", topic=t),
    audit.TOPIC_MOVE: lambda t: _("A moderator moved your topic “%(topic)s” to another "
                                  "category.", topic=t),
    audit.TOPIC_RETITLE: lambda t: _("A moderator changed the title of your topic "
                                     "“%(topic)s”.", topic=t),
    audit.TOPIC_MERGE: lambda t: _("A moderator merged your topic into “%(topic)s”.", topic=t),
    audit.TOPIC_DELETE: lambda t: _("A moderator deleted your topic “%(topic)s”.", topic=t),
    audit.TOPIC_RESTORE: lambda t: _("A moderator restored your topic “%(topic)s”.", topic=t),
    audit.POST_MOVE: lambda t: _("A moderator moved your post to “%(topic)s”.", topic=t),
    audit.POST_HIDE: lambda t: _("A moderator hid your post in “%(topic)s”.", topic=t),
    audit.POST_UNHIDE: lambda t: _("A moderator made your post in “%(topic)s” visible "
                                   "again.", topic=t),
    audit.POST_DELETE: lambda t: _("A moderator deleted your post in “%(topic)s”.", topic=t),
    audit.POST_RESTORE: lambda t: _("A moderator restored your post in “%(topic)s”.", topic=t),
    audit.POST_EDIT: lambda t: _("A moderator edited your post in “%(topic)s”.", topic=t),
}


def _sanction_parts(data: dict) -> tuple[str, str]:
    return _until(data.get("until")), str(data.get("reason") or "—")


def _silenced(data: dict, topic: str) -> str:
    until, reason = _sanction_parts(data)
    if not until:
        return _("You have been silenced: you can read but not post. Reason: %(reason)s",
                 reason=reason)
    return _("You have been silenced until %(until)s: you can read but not post. "
             "Reason: %(reason)s", until=until, reason=reason)


def _suspended(data: dict, topic: str) -> str:
    until, reason = _sanction_parts(data)
    if not until:
        return _("Your account has been suspended. Reason: %(reason)s", reason=reason)
    return _("Your account has been suspended until %(until)s. Reason: %(reason)s",
             until=until, reason=reason)


def _trust_level_promoted(data: dict, topic: str) -> str:
    # Imported here: the permissions package is heavier than this module needs at import.
    from forum.permissions.trust import LEVEL_NAMES, UNLOCKS
    level = data.get("level")
    if not isinstance(level, int) or level not in LEVEL_NAMES:
        return _("Your trust level went up.")
    sentence = _("You reached trust level %(level)d («%(name)s»).", level=level,
                 name=LEVEL_NAMES[level])
    start = data.get("from") if isinstance(data.get("from"), int) else level - 1
    # A member may pass two levels at once (e.g. the daily review): list both levels' unlocks.
    unlocked = "; ".join(str(item) for step in range(max(start, 0) + 1, level + 1)
                         for item in UNLOCKS.get(step, ()))
    if unlocked:
        sentence += " " + _("Now you can: %(unlocked)s.", unlocked=unlocked)
    return sentence


def _until(value) -> str:
    """An ISO date from `data`, in the site's time zone; "" when absent or malformed."""
    if not isinstance(value, str):
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return ""
    return full_datetime(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def _badge_granted(data: dict, topic: str) -> str:
    slug = data.get("badge_slug")
    definition = BY_SLUG.get(slug) if isinstance(slug, str) else None
    if definition is None:
        return _("You earned a badge.")
    return _("You earned the badge “%(badge)s”: %(description)s", badge=definition.name,
             description=definition.description)


def _by(data: dict) -> str:
    return str(data.get("by") or "") or _("Someone")


def _replied(data: dict, topic: str) -> str:
    return _("%(name)s replied in “%(topic)s”.", name=_by(data), topic=topic)


def _mentioned(data: dict, topic: str) -> str:
    return _("%(name)s mentioned you in “%(topic)s”.", name=_by(data), topic=topic)


def _quoted(data: dict, topic: str) -> str:
    return _("%(name)s quoted your post in “%(topic)s”.", name=_by(data), topic=topic)


def _liked(data: dict, topic: str) -> str:
    names = [str(n) for n in data.get("usernames") or [] if isinstance(n, str)] or [_by(data)]
    count = data.get("count") if isinstance(data.get("count"), int) else len(names)
    others = max(count - 1, 0)
    if not others:
        return _("%(name)s liked your post in “%(topic)s”.", name=names[0], topic=topic)
    # "Анна и ещё 3 поблагодарили…": the newest liker named, the rest counted.
    return ngettext("%(name)s and %(num)d other liked your post in “%(topic)s”.",
                    "%(name)s and %(num)d others liked your post in “%(topic)s”.", others,
                    name=names[0], topic=topic)


def _posted(data: dict, topic: str) -> str:
    return _("%(name)s posted in “%(topic)s”, a topic you watch.", name=_by(data),
             topic=topic)


def _watching_first_post(data: dict, topic: str) -> str:
    return _("%(name)s opened a new topic “%(topic)s” in a category you watch.",
             name=_by(data), topic=topic)


def _chat_invited(data: dict, channel: str) -> str:
    if data.get("seminar") is True:
        return _("%(name)s invited you to the seminar “%(channel)s”.", name=_by(data),
                 channel=channel)
    return _("%(name)s invited you to the chat “%(channel)s”.", name=_by(data),
             channel=channel)


def _bookmark_reminder(data: dict, topic: str) -> str:
    name = data.get("name") if isinstance(data.get("name"), str) else ""
    if name:
        return _("Reminder about your bookmark “%(name)s” in “%(topic)s”.", name=name,
                 topic=topic)
    return _("Reminder about your bookmark in “%(topic)s”.", topic=topic)


_RENDERERS = {
    kinds.KIND_POST_HIDDEN: _post_hidden, kinds.KIND_POST_APPROVED: _post_approved,
    kinds.KIND_POST_REJECTED: _post_rejected, kinds.KIND_FLAG_OUTCOME: _flag_outcome,
    kinds.KIND_MODERATOR_ACTION: _moderator_action, kinds.KIND_SILENCED: _silenced,
    kinds.KIND_SUSPENDED: _suspended, kinds.KIND_CHAT_MENTION: _chat_mention,
    kinds.KIND_CHAT_SILENCED: _chat_silenced,
    kinds.KIND_CHAT_MESSAGE_DELETED: _chat_message_deleted,
    kinds.KIND_TRUST_LEVEL_PROMOTED: _trust_level_promoted,
    kinds.KIND_BADGE_GRANTED: _badge_granted,
    kinds.KIND_REPLIED: _replied, kinds.KIND_MENTIONED: _mentioned, kinds.KIND_QUOTED: _quoted,
    kinds.KIND_LIKED: _liked, kinds.KIND_POSTED: _posted,
    kinds.KIND_WATCHING_FIRST_POST: _watching_first_post,
    kinds.KIND_CHAT_INVITED: _chat_invited, kinds.KIND_BOOKMARK_REMINDER: _bookmark_reminder,
}
