"""The small HTML pieces of every list row and post: user links, category badges, times, icons.

They are Jinja globals built in Python because a page shows a hundred of them and a Jinja
macro call costs several times what the string building does. Markup's % escapes every
value that is not already Markup, exactly as `{{ … }}` does in a template.
"""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from forum.templating import full_datetime, iso, timeago


def user_link(user) -> Markup:
    """A link to a member's profile; an anonymised or missing author as plain text."""
    if user is None:
        return Markup('<span class="user-link deleted">%s</span>') % _("deleted user")
    if user.deleted_at is not None:
        return Markup('<span class="user-link deleted">%s</span>') % user.username
    return Markup('<a class="user-link" href="%s">%s</a>') % (
        url_for("accounts.profile", username=user.username), user.display_name)


def category_badge(category) -> Markup:
    """The category's coloured badge, "Parent › Child" for a subcategory."""
    name = category.name
    if category.parent is not None:
        name = Markup("%s › %s") % (category.parent.name, name)
    return Markup('<a class="category-badge cat-%s" href="%s">%s</a>') % (
        category.id, url_for("categories.show", slug=category.slug, category_id=category.id),
        name)


def time(value: datetime | None, words: str | None = None) -> Markup:
    """A relative time ("5 минут назад") with the exact one in its title.

    `words` replaces the relative words (forum.fragment_cache leaves a slot there).
    """
    if not value:
        return Markup("")
    return Markup('<time datetime="%s" title="%s">%s</time>') % (
        iso(value), full_datetime(value), timeago(value) if words is None else words)


# Small inline SVG icons: they draw the same on every machine, emoji fonts or not.
_ICON_PATHS = {
    "pin": '<path d="M12 17v5"/><path d="M9 3h6l-1 6 4 4H6l4-4z"/>',
    "heart": '<path d="M19 14c1.5-1.5 3-3.2 3-5.5A5.5 5.5 0 0 0 16.5 3c-1.8 0-3 .5-4.5 2-1.5-1.5'
             '-2.7-2-4.5-2A5.5 5.5 0 0 0 2 8.5c0 2.3 1.5 4 3 5.5l7 7z"/>',
    "bell": '<path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9"/>'
            '<path d="M10.3 21a1.94 1.94 0 0 0 3.4 0"/>',
}


def icon(name: str) -> Markup:
    """An icon by name (pin, heart, bell). Decorative only (aria-hidden): the text beside it
    carries the meaning. A global rather than a macro: importing a macro file costs a module
    render in every template that imports it, and the like button is included per post."""
    return Markup(
        '<svg class="icon icon-%s" aria-hidden="true" focusable="false" width="16" height="16" '
        'viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" '
        'stroke-linecap="round" stroke-linejoin="round">%s</svg>'
    ) % (name, Markup(_ICON_PATHS.get(name, "")))  # noqa: S704 - constant SVG above


def page_links(base_url: str, pages: int, current: int) -> Markup:
    """Links to pages 1 … pages of base_url ("…?page=" + n), the current one as plain text.

    A 1,000-post topic has fifty pages: in a template loop, escaping the address and the
    number for each link cost a long topic's page more than its posts' kept HTML."""
    href = escape(base_url)
    return Markup("\n").join(
        Markup('<span aria-current="page">%d</span>') % n if n == current
        else Markup(f'<a href="{href}{n}">{n}</a>')  # noqa: S704 - escaped address, an int
        for n in range(1, pages + 1))


GLOBALS = {"user_link": user_link, "category_badge": category_badge, "time": time,
           "icon": icon, "page_links": page_links}
