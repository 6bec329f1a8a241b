"""The reply form under a topic page, rendered once and kept for every member who may reply.

The form shows the topic (its reply address and draft key), the locale, whether the reader
may attach files and up to what size, and the reader's own values: their draft, the post it
answers, their id and the session's CSRF token. The first make the key (fragment_cache.kept_html);
the reader's own values stand as slots, filled in for each request, so members who may do
the same share one rendering. A form sent back with errors is rendered as it is, never kept.
"""

from __future__ import annotations

from flask import render_template, request
from flask_babel import get_locale
from markupsafe import Markup, escape

from forum import permissions
from forum.fragment_cache import CSRF_SLOT, csrf_slot, kept_html, with_csrf_tokens
from forum.models import Topic
from forum.topics.forms import ReplyForm

# No template prints NULs; the draft goes in last, so nothing in it is taken for a slot.
_RAW_SLOT = "\x00raw\x00"
_REPLY_TO_SLOT = "\x00reply-to\x00"
_USER_SLOT = "\x00user\x00"


def kept_reply_form(topic: Topic, viewer, raw: str, reply_to: int | None) -> Markup:
    """topics/_reply_form.html for a member who may reply, with their draft in it."""
    may_upload = permissions.can_upload(viewer)
    key = ("reply-form", str(get_locale()), request.script_root, topic.id, may_upload,
           permissions.upload_size_limit(viewer) if may_upload else None)
    html = kept_html(key, lambda: _render_with_slots(topic))
    html = with_csrf_tokens({"form": html.replace(_REPLY_TO_SLOT, str(reply_to or ""))
                            .replace(_USER_SLOT, str(viewer.id))})["form"]
    return html.replace(_RAW_SLOT, escape(raw))  # Markup's replace: the draft is escaped once


def _render_with_slots(topic: Topic) -> Markup:
    form = ReplyForm()
    if form.meta.csrf:  # off only where WTF_CSRF_ENABLED is (tests)
        form.csrf_token.current_token = CSRF_SLOT
    form.raw.data = _RAW_SLOT
    form.reply_to_post_number.raw_data = [_REPLY_TO_SLOT]
    return Markup(render_template(  # noqa: S704 - a template's escaped output
        "topics/_reply_form.html", topic=topic, form=form, composer_user_id=_USER_SLOT,
        csrf_token=csrf_slot))
