"""The notification preferences form: a channel per kind, the e-mail delay and the digest."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange

from forum.models import DIGEST_DAILY, DIGEST_OFF, DIGEST_WEEKLY, UserOption
from forum.notifications.preferences import (
    CHANNEL_APP,
    CHANNEL_EMAIL,
    CHANNEL_OFF,
    CONFIGURABLE,
    channel_from,
    preference_key,
)

_CHANNEL_CHOICES = [SelectChoice(CHANNEL_APP, _l("In the app")),
                    SelectChoice(CHANNEL_EMAIL, _l("In the app and by e-mail")),
                    SelectChoice(CHANNEL_OFF, _l("Off"))]


class NotificationPreferencesForm(FlaskForm):
    email_delay_minutes = IntegerField(
        _l("E-mail me about unread notifications after (minutes)"),
        validators=[InputRequired(), NumberRange(min=0, max=24 * 60)])
    digest_frequency = SelectField(_l("Summary e-mail of popular topics and seminars"), choices=[
        SelectChoice(DIGEST_OFF, _l("Never")), SelectChoice(DIGEST_DAILY, _l("Daily")),
        SelectChoice(DIGEST_WEEKLY, _l("Weekly"))])

    def kind_fields(self):
        return [getattr(self, f"kind_{key}") for key in CONFIGURABLE]

    def channels(self) -> dict[str, str]:
        return {key: getattr(self, f"kind_{key}").data for key in CONFIGURABLE}

    def fill_from(self, options: UserOption | None) -> None:
        from forum.notifications import kinds

        by_key = {preference_key(getattr(kinds, name)): getattr(kinds, name)
                  for name in dir(kinds) if name.startswith("KIND_")}
        for key in CONFIGURABLE:
            getattr(self, f"kind_{key}").data = channel_from(options, by_key[key])
        self.email_delay_minutes.data = options.email_delay_minutes if options else 10
        self.digest_frequency.data = options.digest_frequency if options else DIGEST_OFF


for _key, (_label, _default) in CONFIGURABLE.items():
    setattr(NotificationPreferencesForm, f"kind_{_key}",
            SelectField(_label, choices=_CHANNEL_CHOICES, default=_default))
