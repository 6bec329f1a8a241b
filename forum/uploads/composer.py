"""Files sent with a composer form, the path that works without JavaScript: each is checked and
stored by the same service as POST /uploads.json, and its Markdown is appended to the post.

With JavaScript the composer uploads each file as it is chosen and clears the file input, so a
form arrives here with files only when the script did not run. Nothing here commits: the view
creates the post in the same transaction, so either the post is saved with all its files or,
after a refusal and the caller's rollback, neither the post nor any Upload row is (the quota
counts rows). Bytes already put in the content-addressed store stay: another upload of the same
bytes may be in flight, and sending the form again reuses them; if nothing comes to use them,
`forum uploads clean` removes them after the grace period (forum.uploads.cleanup).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge

from forum import permissions
from forum.errors import DomainError, error_response, wants_json
from forum.security import is_safe_redirect
from forum.uploads import checks, references, services

FIELD_NAME = "attachments"
# How many files of the member's size limit one form may carry (the text's own allowance,
# MAX_CONTENT_LENGTH, comes on top), so that a file slightly too large still arrives and is
# refused with a message beside the kept text rather than by a bare 413 page.
FORM_FILE_ALLOWANCE = 4


class AttachmentRefused(DomainError):
    """One of the files sent with the form was refused (the message names it)."""


def form_body_limit(user) -> int | None:
    """The largest composer form body (text and files) accepted from this user, in bytes
    (None: no limit, as the app's own setting may say)."""
    base = current_app.config["MAX_CONTENT_LENGTH"]
    if base is None or not permissions.can_upload(user):
        return base
    return base + FORM_FILE_ALLOWANCE * permissions.upload_size_limit(user)


def accepts_attachments(view):
    """Let a composer view's POST body carry files (the app-wide limit is for text only); set
    before the form is parsed, so it must wrap the view that builds the form. A body over
    that limit is still refused unread, with a page saying why (form_too_large)."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.method != "POST":
            return view(*args, **kwargs)
        request.max_content_length = form_body_limit(current_user)
        try:
            return view(*args, **kwargs)
        except RequestEntityTooLarge:
            if request.mimetype != "multipart/form-data" or not permissions.can_upload(
                    current_user):
                raise  # no files could have made it large: the generic 413
            return form_too_large()
    return wrapper


def form_too_large():
    """413 for a composer form whose files made it larger than its allowance. Its body was
    never read, so the text cannot be shown again here; going back in the browser returns
    to the form with the text still in it (browsers restore form fields on Back)."""
    limit = permissions.upload_size_limit(current_user)
    message = _("Your post was not sent: the files chosen with it are too large. Each file may "
                "be at most %(limit)s, and the form with all its files at most %(total)s.",
                limit=services.human_filesize(limit),
                total=services.human_filesize(form_body_limit(current_user)))
    if wants_json():
        return error_response(413, [message])
    back = request.referrer if is_safe_redirect(request.referrer) else None
    # Without a usable referrer, the same address shows the form afresh (new topic, the
    # full-page reply, the edit page): the typed text is then only in the browser's history.
    return render_template("uploads/form_too_large.html", message=message,
                           back_url=back or request.path), 413


def sent_files() -> list[FileStorage]:
    """The files chosen in this request's composer form (none when the script sent them)."""
    return chosen_files(request.files.getlist(FIELD_NAME))


def chosen_files(files: Iterable[FileStorage]) -> list[FileStorage]:
    """The files actually chosen: browsers send an empty part when the input was left empty."""
    return [file for file in files if file is not None and file.filename]


def append_attachments(raw: str, files: Iterable[FileStorage], *, uploader) -> str:
    """Receive each file for `uploader` and return `raw` with a reference to each on its own
    line. Raises DomainError naming the file at fault; the caller rolls back and re-shows the
    form with the typed text (a browser cannot refill a file input, so the message says to
    choose the files again)."""
    chosen = chosen_files(files)
    if not chosen:
        return raw
    lines = []
    for file in chosen:
        try:
            upload = services.receive_upload(file.stream, file.filename, uploader=uploader)
        except DomainError as error:
            name = checks.sanitise_filename(file.filename) or "…"
            raise AttachmentRefused(_("%(name)s: %(reason)s Choose the files again before "
                                      "sending.", name=name, reason=error.message),
                                    status_code=error.status_code) from error
        lines.append(references.markdown_for(upload))
    text = (raw or "").rstrip("\n")
    return "\n\n".join(part for part in (text, "\n".join(lines)) if part)


def files_dropped_note(error: DomainError) -> str | None:
    """When the post was refused for another reason while files were sent: those files were
    not kept (the rollback took them), and the browser will not resend them by itself."""
    if isinstance(error, AttachmentRefused) or not sent_files():
        return None
    return _("The files you chose were not attached: choose them again before sending.")
