"""Badge forms: an admin's manual grant, a member's choice of title."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired


class GrantBadgeForm(FlaskForm):
    username = StringField(_l("Member's username"), validators=[DataRequired()])
    badge_id = SelectField(_l("Badge"), coerce=int, validate_choice=False)
    reason = TextAreaField(_l("Reason (for example, which contest was won)"),
                           validators=[DataRequired()])


class TitleForm(FlaskForm):
    # "" is "no title"; the service checks that the member holds the chosen badge.
    title_badge_id = SelectField(_l("Title shown beside your name"), validate_choice=False)
