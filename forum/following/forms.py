"""Following forms: a watching level, a bookmark with an optional reminder."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from forum.errors import DomainError
from forum.models import LEVEL_MUTED, LEVEL_NORMAL, LEVEL_TRACKING, LEVEL_WATCHING, utcnow


def level_choices():
    return [SelectChoice(LEVEL_WATCHING, _l("Watching: every new post")),
            SelectChoice(LEVEL_TRACKING, _l("Tracking: count unread posts")),
            SelectChoice(LEVEL_NORMAL, _l("Normal: only replies and mentions")),
            SelectChoice(LEVEL_MUTED, _l("Muted: hidden from Latest, no notifications"))]


class LevelForm(FlaskForm):
    notification_level = SelectField(_l("Notifications"), coerce=int, choices=level_choices())


REMINDERS = ("", "hour", "tomorrow", "week", "custom")


class BookmarkForm(FlaskForm):
    name = StringField(_l("Name (optional)"), validators=[Length(max=100)])
    reminder = SelectField(_l("Remind me"), choices=[
        SelectChoice("", _l("No reminder")), SelectChoice("hour", _l("In an hour")),
        SelectChoice("tomorrow", _l("Tomorrow morning")), SelectChoice("week", _l("In a week")),
        SelectChoice("custom", _l("At a time I choose"))])
    reminder_at = StringField(_l("Reminder time"), render_kw={"type": "datetime-local"})

    def reminder_time(self, now: datetime | None = None) -> datetime | None:
        """The chosen reminder as UTC; a custom time is read in the site's time zone."""
        now = now or utcnow()
        zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
        choice = self.reminder.data or ""
        if choice == "hour":
            return now + timedelta(hours=1)
        if choice == "week":
            return now + timedelta(days=7)
        if choice == "tomorrow":
            local = now.astimezone(zone) + timedelta(days=1)
            return local.replace(hour=8, minute=0, second=0, microsecond=0).astimezone(
                ZoneInfo("UTC"))
        if choice == "custom":
            return parse_local_time(self.reminder_at.data or "", zone)
        return None


def parse_local_time(value: str, zone) -> datetime:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise DomainError(_("Enter the reminder time as a date and time."),
                          field="reminder_at") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(ZoneInfo("UTC"))
