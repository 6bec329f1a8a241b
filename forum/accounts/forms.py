"""Account forms; uniqueness and length rules live in accounts.services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo


class RegisterForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired()])
    email = EmailField(_l("E-mail"), validators=[DataRequired()])
    name = StringField(_l("Full name (optional)"))
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    password2 = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The passwords do not match."))])


class LoginForm(FlaskForm):
    login = StringField(_l("Username or e-mail"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Remember me"))


class ForgotPasswordForm(FlaskForm):
    login = StringField(_l("Username or e-mail"), validators=[DataRequired()])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired()])
    password2 = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The passwords do not match."))])


class ProfileForm(FlaskForm):
    name = StringField(_l("Full name"))
    organisation = StringField(_l("School or organisation"))
    subjects = StringField(_l("Subjects you teach"))
    about = TextAreaField(_l("About me"), render_kw={"rows": 6})
    locale = SelectField(_l("Interface language"),
                         choices=[SelectChoice("", _l("Automatic")), SelectChoice("ru", "Русский"),
                                  SelectChoice("en", "English")])


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(_l("New password"), validators=[DataRequired()])
    password2 = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The passwords do not match."))])


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password, to confirm"), validators=[DataRequired()])
