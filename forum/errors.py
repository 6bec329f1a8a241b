"""DomainError, and how errors answer: HTML pages, Discourse-style JSON, never a bare 500."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A business rule refused an action; the message is translated and shown to the user."""

    status_code = 422

    def __init__(self, message, *, field: str | None = None, status_code: int | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        if status_code is not None:
            self.status_code = status_code


# Messages for HTTP errors, in the reader's language.
ERROR_MESSAGES = {
    400: _l("The request could not be understood."),
    403: _l("You are not allowed to do that."),
    404: _l("The page you asked for does not exist or is not available to you."),
    405: _l("This address does not accept that kind of request."),
    413: _l("What you sent is too large."),
    422: _l("What you sent could not be processed."),
    429: _l("Too many attempts. Please wait a little and try again."),
    500: _l("Something went wrong on our side. Your text is kept in your draft; please try again."),
}


def wants_json() -> bool:
    """API clients: .json paths, JSON bodies, Api-Key requests, or Accept preferring JSON."""
    if request.path.endswith(".json") or request.is_json or request.headers.get("Api-Key"):
        return True
    if request.blueprint == "api":
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes[
        "text/html"]


def error_response(status: int, messages: list[str] | None = None):
    messages = messages or [str(ERROR_MESSAGES.get(status, ERROR_MESSAGES[500]))]
    if wants_json():
        payload = {"errors": messages, "error_type": _error_type(status)}
        return jsonify(payload), status
    try:
        return render_template("errors/error.html", status=status, messages=messages), status
    except Exception:  # the page itself failed (e.g. the database is down): plain text, not a 500
        log.exception("Error page failed to render")
        return "\n".join(messages), status, {"Content-Type": "text/plain; charset=utf-8"}


def _error_type(status: int) -> str:
    return {403: "invalid_access", 404: "not_found", 429: "rate_limit",
            422: "invalid_parameters", 400: "invalid_parameters"}.get(status, "server_error")


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        return error_response(error.status_code, [str(error.message)])

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        if wants_json():
            return error_response(403, [_("The security token is missing or has expired. "
                                          "Reload the page and try again.")])
        return error_response(400, [_("This page has expired (security token). Go back, "
                                      "reload the page and send it again; your draft is kept.")])

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        if status == 429:
            return error_response(429)
        return error_response(status)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        log.exception("Unhandled error on %s %s", request.method, request.path)
        from forum.extensions import db

        db.session.rollback()
        return error_response(500)


def attach_to_form(form, error: DomainError) -> None:
    """Show a DomainError beside the form field it names, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)] if isinstance(
            field.errors, list) else [str(error.message)]
    else:
        form.form_errors.append(str(error.message))
