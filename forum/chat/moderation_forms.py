"""Forms of the chat moderation tools: slow mode, silence a member, flag a message, and turn
messages into a forum topic. Rules are checked by the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField, TextAreaField

from forum.moderation.flags import FLAG_LABELS


class SlowModeForm(FlaskForm):
    seconds = SelectField(_l("Slow mode"), coerce=str, validate_choice=False)


class SilenceForm(FlaskForm):
    username = StringField(_l("Member's username"))
    minutes = SelectField(_l("For how long"), coerce=str, validate_choice=False)
    reason = StringField(_l("Reason (the member will see it)"))


class ChatFlagForm(FlaskForm):
    kind = RadioField(_l("Why should moderators look at this message?"),
                      choices=[SelectChoice(kind, label) for kind, label in FLAG_LABELS.items()],
                      validate_choice=False)
    message = TextAreaField(_l("Message to the moderators"), render_kw={"rows": 4})


class MoveMessagesForm(FlaskForm):
    operation = RadioField(_l("What to do with the messages"), default="move",
                           choices=[SelectChoice("move", _l("Move them (they leave the chat)")),
                                    SelectChoice("copy", _l("Copy them (the chat keeps them)"))])
    since = StringField(_l("Or every message from"), render_kw={"type": "datetime-local"})
    until = StringField(_l("until"), render_kw={"type": "datetime-local"})
    mode = RadioField(_l("Where to"), default="new",
                      choices=[SelectChoice("new", _l("into a new topic")),
                               SelectChoice("existing", _l("into an existing topic"))])
    title = StringField(_l("Title of the new topic"))
    category_id = SelectField(_l("Category of the new topic"), coerce=str,
                              validate_choice=False)
    destination = StringField(_l("Existing topic: its number or address"))
