"""Sanction forms: a duration (or a chosen end date) and the reason the member will see."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from forum.errors import DomainError
from forum.models import utcnow

CUSTOM = "date"
# Duration choices: value → length; "date" means "until the date chosen below".
DURATIONS = {"1d": timedelta(days=1), "3d": timedelta(days=3), "1w": timedelta(weeks=1),
             "1m": timedelta(days=30), "1y": timedelta(days=365)}
DURATION_CHOICES = [
    SelectChoice("1d", _l("1 day")), SelectChoice("3d", _l("3 days")),
    SelectChoice("1w", _l("1 week")), SelectChoice("1m", _l("1 month")),
    SelectChoice("1y", _l("1 year")), SelectChoice(CUSTOM, _l("until the date below")),
]


class SanctionForm(FlaskForm):
    duration = SelectField(_l("For how long"), choices=DURATION_CHOICES, default="1w")
    until_date = DateField(_l("Until (date)"), validators=[Optional()])
    reason = TextAreaField(_l("Reason (the member will see it)"), render_kw={"rows": 3},
                           validators=[DataRequired(message=_l("Give a reason; the member will "
                                                               "see it.")),
                                       Length(max=1000)])


class LiftForm(FlaskForm):
    """Lifting a sanction early: only the CSRF token."""


def until_from_form(form: SanctionForm) -> datetime:
    """The sanction's end in UTC: now plus the duration, or the end of the chosen day."""
    if form.duration.data != CUSTOM:
        return utcnow() + DURATIONS[form.duration.data]
    if form.until_date.data is None:
        raise DomainError(_("Choose the date the sanction ends."), field="until_date")
    return end_of_day(form.until_date.data)


def end_of_day(day: date) -> datetime:
    """The last minute of the day in the site's time zone, as a UTC datetime."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    local = datetime.combine(day, time(23, 59), tzinfo=zone)
    return local.astimezone(ZoneInfo("UTC"))
