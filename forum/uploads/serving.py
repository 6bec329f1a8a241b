"""Sending stored bytes to a reader who may have them: the one place that sets the headers a
file from a member needs (attachment or inline, RFC 5987 name, nosniff, a CSP that keeps it
from scripting our origin, revalidation, conditional requests and byte ranges)."""

from __future__ import annotations

from flask import abort, current_app, send_file

from forum.models import Upload
from forum.uploads.storage import storage

# Shown in the browser, never able to script our origin: no scripts, no plugins but the PDF
# viewer, no same-origin privileges (sandbox) for anything but PDFs.
FILE_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; " \
           "frame-ancestors 'self'"


def send_stored(key: str, upload: Upload, content_type: str, *, inline: bool):
    """The response for the bytes stored under `key` (the upload's file or its thumbnail),
    named after the upload; the caller has checked that the reader may have them."""
    store = storage()
    try:
        source = store.path(key) if hasattr(store, "path") else store.open(key)
        response = send_file(source, mimetype=content_type, as_attachment=not inline,
                             download_name=upload.original_filename, conditional=True,
                             etag=key, last_modified=upload.created_at, max_age=0)
    except FileNotFoundError:
        current_app.logger.error("upload %s: stored bytes %s are missing", upload.id, key)
        abort(404)
    # Permission-dependent: browsers may keep it, shared caches may not; revalidate each time.
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Content-Type-Options"] = "nosniff"
    csp = FILE_CSP if content_type == "application/pdf" else FILE_CSP + "; sandbox"
    response.headers["Content-Security-Policy"] = csp
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
