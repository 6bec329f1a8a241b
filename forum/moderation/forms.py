"""Moderation forms: where selected posts go. Rules are checked by the services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice


class MovePostsForm(FlaskForm):
    mode = RadioField(_l("Move the selected posts"), default="new",
                      choices=[SelectChoice("new", _l("into a new topic")),
                               SelectChoice("existing", _l("into an existing topic"))])
    title = StringField(_l("Title of the new topic"))
    category_id = SelectField(_l("Category of the new topic"), coerce=int,
                              validate_choice=False)
    destination = StringField(_l("Existing topic: its number or address"))
