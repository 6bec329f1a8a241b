"""Locale and time zone selection for Flask-Babel: user setting → cookie → Accept-Language."""

from __future__ import annotations

import functools

from babel.support import Translations
from flask import Flask, Request, current_app, g, has_request_context, request
from flask_babel import get_locale, get_translations
from flask_login import current_user
from werkzeug.datastructures import LanguageAccept
from wtforms.i18n import messages_path

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


def current_translations():
    """The request's catalogue, remembered where Flask-Babel keeps its per-request state.

    Flask-Babel's own lookup walks several context proxies on every call, and a page asks
    for a hundred strings. `babel_translations` is the attribute Flask-Babel's refresh()
    and force_locale() already clear and restore, so a locale change is still seen at once.
    """
    state = g.get("_flask_babel")
    translations = getattr(state, "babel_translations", None)
    if translations is None:
        translations = get_translations()  # creates g._flask_babel in a request
        state = g.get("_flask_babel")
        if state is not None:
            state.babel_translations = translations
    return translations


def install_template_gettext(app: Flask) -> None:
    """Templates' _(), ngettext(), pgettext() through current_translations()."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: current_translations().ugettext(s),
        ngettext=lambda s, p, n: current_translations().ungettext(s, p, n),
        pgettext=lambda c, s: current_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: current_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


class ForumRequest(Request):
    """Flask's request, with WTForms' catalogue taken from a per-process cache.

    Flask-WTF reads `request.wtforms_translations` and, when it is missing, parses the
    WTForms .mo file again for every request that builds a form (a millisecond each time).
    """

    @functools.cached_property
    def wtforms_translations(self) -> Translations:
        return _wtforms_catalogue(str(get_locale()))


@functools.cache
def _wtforms_catalogue(locale: str) -> Translations:
    return Translations.load(messages_path(), [locale], domain="wtforms")
