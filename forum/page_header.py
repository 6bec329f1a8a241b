"""The site header on every page: a signed-in reader's is rendered once and kept.

A member's header shows only their own account (name, profile and bookmark links), whether
they administer, their review queue's count, their unread notifications and the language
switch. The key below holds each of those values, so a kept header is never stale: when one
changes, the next page renders and keeps a new one. The forms' CSRF token is filled in per
request. A guest's header is rendered with the page by base.html (the guests' page cache keeps
whole pages; it carries the page's own address in the login link).
"""

from __future__ import annotations

from flask import render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from forum import permissions
from forum.accounts.auth import current_viewer
from forum.fragment_cache import csrf_slot, kept_html, with_csrf_tokens
from forum.moderation.queries import pending_count

TEMPLATE = "_site_header.html"


def site_header() -> Markup:
    """The signed-in reader's header (base.html includes a guest's header itself: a render
    of its own would cost a guest's page more than the header does)."""
    viewer = current_viewer()
    review = pending_count(viewer) if permissions.can_view_review_queue(viewer) else None
    key = ("site-header", str(get_locale()), request.script_root, viewer.id, viewer.username,
           viewer.display_name, permissions.can_administer(viewer), review,
           viewer.unread_notification_count or 0)
    html = kept_html(key, lambda: Markup(render_template(  # noqa: S704 - escaped output
        TEMPLATE, csrf_token=csrf_slot, review_count=review)))
    return with_csrf_tokens({"header": html})["header"]
