"""Account pages: sign up, log in/out, password reset, profiles, preferences, leaving, language."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from forum import permissions
from forum.accounts import services
from forum.accounts.forms import (
    DeleteAccountForm,
    ForgotPasswordForm,
    LoginForm,
    PasswordForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
)
from forum.errors import DomainError, attach_to_form
from forum.extensions import db, limiter
from forum.i18n import LOCALE_COOKIE
from forum.mailqueue.services import enqueue_mail
from forum.models import User
from forum.security import csrf_in_form, is_safe_redirect
from forum.text import fold
from forum.topics.queries import user_recent_posts, user_visible_counts

bp = Blueprint("accounts", __name__)


def _config(key):
    return lambda: current_app.config[key]


def _login_account_key() -> str:
    # Keyed by the account, not the spelling: "anna" and her e-mail address share one budget.
    login = request.form.get("login", "")
    user = services.find_user(login)
    return f"login-account:#{user.id}" if user is not None else "login-account:" + fold(login)[:254]


@bp.route("/signup", methods=["GET", "POST"])
@csrf_in_form
@limiter.limit(_config("REGISTRATION_LIMIT"), methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("topics.latest"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register(username=form.username.data, email=form.email.data,
                                     password=form.password.data, name=form.name.data or "",
                                     locale=request.cookies.get(LOCALE_COOKIE))
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            login_user(user)
            flash(_("Welcome to the community, %(name)s!", name=user.display_name), "success")
            return redirect(url_for("topics.latest"))
    return render_template("accounts/register.html", form=form), (
        422 if request.method == "POST" else 200)


@bp.route("/login", methods=["GET", "POST"])
@csrf_in_form
@limiter.limit(_config("LOGIN_LIMIT_PER_IP"), methods=["POST"])
@limiter.limit(_config("LOGIN_LIMIT_PER_ACCOUNT"), methods=["POST"], key_func=_login_account_key)
def login():
    form = LoginForm()
    next_url = request.values.get("next")
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.login.data, form.password.data)
        except DomainError as error:  # a suspended account: the member is told why
            form.form_errors.append(str(error.message))
            return render_template("accounts/login.html", form=form, next_url=next_url), 403
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(next_url if is_safe_redirect(next_url) else url_for("topics.latest"))
        # One message for an unknown account and a wrong password: nothing to enumerate.
        form.form_errors.append(_("Wrong username, e-mail or password."))
    return render_template("accounts/login.html", form=form, next_url=next_url), (
        401 if request.method == "POST" else 200)


@bp.post("/logout")
def logout():
    logout_user()
    return redirect(url_for("topics.latest"))


@bp.route("/password-reset", methods=["GET", "POST"])
@csrf_in_form
@limiter.limit(_config("LOGIN_LIMIT_PER_IP"), methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = services.find_user(form.login.data)
        if user is not None and user.is_active:
            _send_reset_mail(user)
            db.session.commit()
        # The same answer whether or not the account exists.
        flash(_("If an account matches, we have sent a link to reset the password."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html", form=form)


def _send_reset_mail(user: User) -> None:
    link = url_for("accounts.reset_password", token=services.password_reset_token(user),
                   _external=True)
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        enqueue_mail(user.email, _("Password reset"),
                  _("Someone asked to reset the password of %(name)s. To choose a new "
                    "password, open:\n\n%(link)s\n\nIf it was not you, ignore this letter.",
                    name=user.username, link=link))


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
@csrf_in_form
def reset_password(token: str):
    if services.user_for_reset_token(token) is None:
        flash(_("This password reset link is invalid or has expired. Ask for a new one."),
              "error")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.reset_password(token, form.password.data)
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            login_user(user)
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("topics.latest"))
    return render_template("accounts/reset.html", form=form)


@bp.get("/u/<username>")
def profile(username: str):
    user = db.session.scalar(select(User).where(User.username_lower == fold(username)))
    permissions.require(user is not None and permissions.can_view_profile(current_user, user),
                        hide=True)
    # Counts as this reader may see them: the stored counters include private categories.
    return render_template("accounts/profile.html", user=user,
                           posts=user_recent_posts(current_user, user),
                           counts=user_visible_counts(current_user, user))


@bp.route("/my/preferences", methods=["GET", "POST"])
@login_required
@csrf_in_form
def preferences():
    form = ProfileForm(obj=current_user if request.method == "GET" else None)
    if request.method == "GET":
        form.locale.data = current_user.locale or ""
    if form.validate_on_submit():
        try:
            services.update_profile(current_user, actor=current_user, name=form.name.data,
                                    organisation=form.organisation.data,
                                    subjects=form.subjects.data, about=form.about.data,
                                    locale=form.locale.data or None)
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("accounts.preferences"))
    return render_preferences(form=form)


def render_preferences(*, form=None, notification_form=None, password_form=None,
                       delete_form=None):
    """The preferences page; the form that failed (if any) is passed in with what was typed."""
    from forum.notifications.forms import NotificationPreferencesForm
    from forum.notifications.preferences import options_of

    if form is None:
        form = ProfileForm(formdata=None, obj=current_user)
        form.locale.data = current_user.locale or ""
    if notification_form is None:
        notification_form = NotificationPreferencesForm(formdata=None)
        notification_form.fill_from(options_of(current_user))
    return render_template("accounts/preferences.html", form=form,
                           password_form=password_form or PasswordForm(formdata=None),
                           delete_form=delete_form or DeleteAccountForm(formdata=None),
                           notification_form=notification_form)


@bp.post("/my/password")
@login_required
@csrf_in_form
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, current=form.current_password.data,
                                     new=form.password.data)
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("accounts.preferences"))
    return render_preferences(password_form=form), 422


@bp.post("/my/delete")
@login_required
@csrf_in_form
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.password.data):
            form.password.errors = [_("The password is wrong.")]
        else:
            try:
                services.delete_account(current_user, actor=current_user)
            except DomainError as error:
                db.session.rollback()
                attach_to_form(form, error)
            else:
                db.session.commit()
                logout_user()
                flash(_("Your account has been deleted. Your posts stay, without your name."),
                      "info")
                return redirect(url_for("topics.latest"))
    return render_preferences(delete_form=form), 422


@bp.post("/language")
def set_language():
    """Remember the interface language: on the account when signed in, in a cookie always."""
    locale = request.form.get("locale")
    if locale not in current_app.config["LANGUAGES"]:
        locale = current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user.is_authenticated:
        current_user.locale = locale
        db.session.commit()
    back = request.referrer if is_safe_redirect(request.referrer) else url_for("topics.latest")
    response = make_response(redirect(back))
    response.set_cookie(LOCALE_COOKIE, locale, max_age=60 * 60 * 24 * 365, samesite="Lax",
                        httponly=True, secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response
