"""Transcripts of a channel or seminar room as Markdown or HTML downloads, for its readers.

Deleted messages appear as placeholders (for everyone: a transcript is shared further than the
page), times are shown in the reader's time zone, and the file is named after the channel
with an ASCII fallback and an RFC 5987 UTF-8 name for Cyrillic titles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from flask import render_template
from flask_babel import get_timezone, to_user_timezone
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum import permissions
from forum.chat.channels import direct_title
from forum.errors import DomainError
from forum.extensions import db
from forum.markup import plain_text_excerpt, upload_names
from forum.models import ChatChannel, ChatMessage, utcnow

# A transcript is one response: past this many messages it says it stops early.
MAX_TRANSCRIPT_MESSAGES = 20_000
EXCERPT_LENGTH = 80


@dataclass
class Transcript:
    channel: ChatChannel
    title: str
    messages: list[ChatMessage]
    truncated: bool
    generated_at: datetime


def channel_transcript(channel: ChatChannel, *, viewer) -> Transcript:
    """Every message of the channel in order, for a reader of it (404 for anyone else)."""
    if not permissions.can_export_transcript(viewer, channel):
        raise DomainError(_("This channel does not exist or is not available to you."),
                          status_code=404)
    rows = list(db.session.scalars(
        select(ChatMessage).where(ChatMessage.channel_id == channel.id)
        .options(selectinload(ChatMessage.user),
                 selectinload(ChatMessage.reply_to).selectinload(ChatMessage.user))
        .order_by(ChatMessage.id).limit(MAX_TRANSCRIPT_MESSAGES + 1)))
    title = direct_title(channel, viewer) if channel.is_direct else channel.name
    return Transcript(channel=channel, title=title, messages=rows[:MAX_TRANSCRIPT_MESSAGES],
                      truncated=len(rows) > MAX_TRANSCRIPT_MESSAGES, generated_at=utcnow())


def as_markdown(transcript: Transcript) -> str:
    """The transcript as Markdown: a heading, then each message under its author and time."""
    lines = [f"# {_escape_line(transcript.title)}", ""]
    lines += [x for line in details(transcript) for x in (_escape_line(line), "")]
    lines += [_("Transcript made %(when)s (time zone: %(zone)s).",
                when=reader_time(transcript.generated_at), zone=zone_name()), ""]
    for message in transcript.messages:
        lines += _markdown_message(message)
    if transcript.truncated:
        lines.append(_("The transcript stops after %(n)d messages.", n=MAX_TRANSCRIPT_MESSAGES))
    return "\n".join(lines).rstrip() + "\n"


def as_html(transcript: Transcript) -> str:
    """The transcript as a standalone HTML page (the messages' sanitised HTML)."""
    return render_template("chat/moderation/transcript.html", transcript=transcript,
                           reader_time=reader_time, zone=zone_name(),
                           details=details(transcript),
                           author_name=author_name, max_messages=MAX_TRANSCRIPT_MESSAGES)


def content_disposition(transcript: Transcript, extension: str) -> str:
    """`attachment` with an ASCII filename and the channel's own name in UTF-8 (RFC 5987)."""
    day = to_user_timezone(transcript.generated_at).strftime("%Y-%m-%d")
    ascii_name = f"{transcript.channel.slug or 'chat'}-{day}.{extension}"
    readable = f"{transcript.title or transcript.channel.slug} {day}.{extension}"
    readable = "".join(ch for ch in readable if ch.isprintable() and ch not in '/\\"')
    return (f'attachment; filename="{ascii_name}"; '
            f"filename*=UTF-8''{quote(readable, safe='')}")


def details(transcript: Transcript) -> list[str]:
    """The lines under the title: the description, and a seminar's host and schedule."""
    channel = transcript.channel
    lines = [channel.description] if channel.description else []
    if channel.is_seminar and channel.host is not None:
        lines.append(_("Host: %(name)s", name=channel.host.display_name or channel.host.username))
    if channel.is_seminar and channel.starts_at is not None:
        lines.append(_("Seminar: %(start)s – %(end)s", start=reader_time(channel.starts_at),
                       end=reader_time(channel.ends_at) or "…"))
    return lines


def reader_time(moment: datetime | None) -> str:
    """A moment in the reader's time zone, numerically (the same in both languages)."""
    return to_user_timezone(moment).strftime("%d.%m.%Y %H:%M") if moment else ""


def zone_name() -> str:
    return str(get_timezone())


def author_name(message: ChatMessage) -> str:
    user = message.user
    if user is None:
        return _("deleted account")
    name = getattr(user, "display_name", None) or user.username
    return name if name == user.username else f"{name} (@{user.username})"


def _markdown_message(message: ChatMessage) -> list[str]:
    head = f"**{_escape_line(author_name(message))}** · {reader_time(message.created_at)}"
    if message.edited_at is not None and message.deleted_at is None:
        head += " · " + _("edited")
    lines = [head, ""]
    target = message.reply_to
    if target is not None:
        excerpt = (_("deleted message") if target.deleted_at is not None
                   else plain_text_excerpt(target.cooked, EXCERPT_LENGTH))
        lines += [f"> {_escape_line(author_name(target))}: {_escape_line(excerpt)}", ""]
    if message.deleted_at is not None:
        lines.append("*" + _("[message deleted]") + "*")
    else:
        lines.append(upload_names(message.raw))  # chat shows no files: their names only
    return [*lines, "", "---", ""]


def _escape_line(text: str) -> str:
    """One line of plain text that Markdown shows as written (no headings, links, emphasis)."""
    text = " ".join(str(text).split())
    return "".join("\\" + ch if ch in "\\`*_[]<>#|" else ch for ch in text)
