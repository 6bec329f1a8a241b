"""Chat forms for the plain (no-JavaScript) pages: send, edit, react, invite, start a
conversation, create a channel or seminar room. Lengths and rules are the services' job."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional
from wtforms.widgets import HiddenInput

from forum.models import (
    CHANNEL_CATEGORY,
    CHANNEL_PRIVATE,
    CHANNEL_PUBLIC,
    CHANNEL_SEMINAR,
)

# What the create form offers, in this order (direct conversations start from the list page).
CHANNEL_KIND_LABELS = {
    CHANNEL_PUBLIC: _l("Public channel"),
    CHANNEL_PRIVATE: _l("Private channel (by invitation)"),
    CHANNEL_CATEGORY: _l("Channel of a category"),
    CHANNEL_SEMINAR: _l("Seminar room"),
}
# Quick reactions offered under each message; any other emoji works through the socket.
QUICK_REACTIONS = ("👍", "❤️", "😂", "🎉", "🤔", "👏")


def new_client_id() -> str:
    """A fresh id for a message typed in the plain form: a double submit sends it twice."""
    return uuid.uuid4().hex


class MessageForm(FlaskForm):
    raw = TextAreaField(_l("Message"), render_kw={"rows": 2, "maxlength": 20000})
    client_id = HiddenField(default=new_client_id)
    reply_to_id = IntegerField(widget=HiddenInput(), validators=[Optional()])


class EditMessageForm(FlaskForm):
    raw = TextAreaField(_l("Message"), render_kw={"rows": 6})


class ReactionForm(FlaskForm):
    emoji = HiddenField()


class UsernamesForm(FlaskForm):
    """Invite to a channel, or start a direct conversation: usernames, separated freely."""

    usernames = StringField(_l("Usernames"), render_kw={"autocomplete": "off",
                                                        "placeholder": "anna, boris"})


class ChannelForm(FlaskForm):
    kind = SelectField(_l("Kind"), validate_choice=False)
    name = StringField(_l("Name"))
    description = TextAreaField(_l("Description (optional)"), render_kw={"rows": 3})
    category_id = SelectField(_l("Category (for a category's channel)"), coerce=int,
                              validate_choice=False, validators=[Optional()])
    host = StringField(_l("Host's username (seminar rooms; you, if empty)"),
                       render_kw={"autocomplete": "off"})
    starts_at = DateTimeLocalField(_l("Starts at"), validators=[Optional()])
    ends_at = DateTimeLocalField(_l("Ends at"), validators=[Optional()])


def split_usernames(text) -> list[str]:
    """Usernames from what was typed: separated by commas or spaces, an @ allowed."""
    if not isinstance(text, str):
        return []
    names = [name.lstrip("@") for name in re.split(r"[\s,;]+", text) if name.strip("@ ")]
    return list(dict.fromkeys(names))  # in order, once each


def local_to_utc(value: datetime | None) -> datetime | None:
    """A datetime-local value, read in the site's time zone (where dates are shown), as UTC."""
    if value is None:
        return None
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return value.replace(tzinfo=zone).astimezone(ZoneInfo("UTC"))
