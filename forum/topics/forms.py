"""Composer forms: new topic, reply, edit. Lengths are checked by the services, not here."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional
from wtforms.widgets import HiddenInput


class TopicForm(FlaskForm):
    title = StringField(_l("Title"))
    category_id = SelectField(_l("Category"), coerce=int, validate_choice=False)
    raw = TextAreaField(_l("Message"), render_kw={"rows": 12, "data-composer": "1"})


class ReplyForm(FlaskForm):
    raw = TextAreaField(_l("Your reply"), render_kw={"rows": 8, "data-composer": "1"})
    reply_to_post_number = IntegerField(widget=HiddenInput(), validators=[Optional()])


class EditPostForm(FlaskForm):
    title = StringField(_l("Title"))
    raw = TextAreaField(_l("Message"), render_kw={"rows": 12, "data-composer": "1"})
    edit_reason = StringField(_l("Reason for the edit (optional)"))


class TopicSettingsForm(FlaskForm):
    title = StringField(_l("Title"))
    category_id = SelectField(_l("Category"), coerce=int, validate_choice=False)
