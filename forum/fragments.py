"""The small HTML pieces of every list row and post: user links, category badges, times.

They are Jinja globals built in Python because a page shows a hundred of them and a Jinja
macro call costs several times what the string building does. Markup's % escapes every
value that is not already Markup, exactly as `{{ … }}` does in a template.
"""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup

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


GLOBALS = {"user_link": user_link, "category_badge": category_badge, "time": time}
