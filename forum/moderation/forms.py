"""Moderation forms: where selected posts go, flagging a post, and a review decision with an
optional silence. Rules are checked by the services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField, TextAreaField

from forum.moderation.flags import FLAG_LABELS


class MovePostsForm(FlaskForm):
    mode = RadioField(_l("Move the selected posts"), default="new",
                      choices=[SelectChoice("new", _l("into a new topic")),
                               SelectChoice("existing", _l("into an existing topic"))])
    title = StringField(_l("Title of the new topic"))
    category_id = SelectField(_l("Category of the new topic"), coerce=int,
                              validate_choice=False)
    destination = StringField(_l("Existing topic: its number or address"))


class FlagForm(FlaskForm):
    kind = RadioField(_l("Why should moderators look at this post?"),
                      choices=[SelectChoice(kind, label) for kind, label in FLAG_LABELS.items()],
                      validate_choice=False)
    message = TextAreaField(_l("Message to the moderators"), render_kw={"rows": 4})


class ReviewActionForm(FlaskForm):
    silence_days = SelectField(_l("Silence the author"), coerce=str, validate_choice=False)
    silence_reason = StringField(_l("Reason for the silence (the member will see it)"))
