"""Admin forms: they check shape only; names, uniqueness and permissions are the services' rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from forum.models import PERMISSION_FULL, PERMISSION_READONLY, PERMISSION_REPLY, ROLES

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "moderator": _l("Moderator"),
    "member": _l("Teacher (member)"),
    "student": _l("Student"),
    "parent": _l("Parent"),
}
# The columns of the permissions table; "" means the group is not named by the category.
LEVEL_CHOICES = [
    SelectChoice("", _l("None")),
    SelectChoice(str(PERMISSION_READONLY), _l("Read only")),
    SelectChoice(str(PERMISSION_REPLY), _l("Reply")),
    SelectChoice(str(PERMISSION_FULL), _l("Full (create topics)")),
]
LEVEL_LABELS = {int(choice.value): choice.label for choice in LEVEL_CHOICES if choice.value}


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"),
                       choices=[SelectChoice(role, ROLE_LABELS[role]) for role in ROLES])


class AddToGroupForm(FlaskForm):
    group_id = SelectField(_l("Group"), coerce=int, choices=[])


class ModeratorForm(FlaskForm):
    category_id = SelectField(_l("Category"), coerce=int, choices=[])


class ApiKeyForm(FlaskForm):
    username = StringField(_l("User"), validators=[Length(max=60)])
    description = StringField(_l("Description"), validators=[Length(max=200)])


class UserApiKeyForm(FlaskForm):
    description = StringField(_l("Description"), validators=[Length(max=200)])


class DeleteUserForm(FlaskForm):
    confirm = BooleanField(
        _l("I understand that the account is anonymised for good; its posts stay"),
        validators=[DataRequired(message=_l("Tick the box to confirm."))])


class GroupForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=60)])
    full_name = StringField(_l("Full name"), validators=[Length(max=120)])
    description = TextAreaField(_l("Description"), render_kw={"rows": 3})


class AddMemberForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=60)])


class CategoryForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    slug = StringField(_l("Slug"), validators=[Length(max=80)])
    description = TextAreaField(_l("Description"), render_kw={"rows": 3})
    color = StringField(_l("Colour"), default="0088CC", validators=[DataRequired()])
    position = IntegerField(_l("Position"), validators=[Optional()])
    parent_id = SelectField(_l("Parent category"), coerce=int, choices=[])


def permission_field_name(group) -> str:
    return f"perm_{group.id}"


def category_form(groups, *, creating: bool, **kwargs) -> CategoryForm:
    """A category form with one radio row per group (the permissions table)."""

    class Form(CategoryForm):
        pass

    for group in groups:
        setattr(Form, permission_field_name(group),
                RadioField(group.name, choices=LEVEL_CHOICES, default=""))
    form = Form(**kwargs)
    if not creating:
        del form.slug  # the slug is part of every link to the category: fixed once created
    return form


def permissions_from_form(form: CategoryForm, groups) -> dict[str, int]:
    """Group name → permission level, for the groups given any level."""
    levels = {}
    for group in groups:
        value = form[permission_field_name(group)].data
        if value:
            levels[group.name] = int(value)
    return levels
