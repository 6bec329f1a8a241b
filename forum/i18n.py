"""Locale and time zone selection for Flask-Babel: user setting → cookie → Accept-Language."""

from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_login import current_user
from werkzeug.datastructures import LanguageAccept

LOCALE_COOKIE = "locale"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands, jobs, tests calling services directly
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return guest_locale(request.cookies.get(LOCALE_COOKIE), request.accept_languages,
                        current_app.config)


def guest_locale(cookie: str | None, accept_languages: LanguageAccept, config) -> str:
    """A visitor without an account setting: the locale cookie, else Accept-Language.

    The guests' page cache keys pages by this same function, so a cached page is always
    in the language the visitor would have been served.
    """
    languages = config["LANGUAGES"]
    if cookie in languages:
        return cookie
    return accept_languages.best_match(languages) or config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]
