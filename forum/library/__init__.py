"""The resource library: files attached to posts gathered into a searchable, reviewed library
of teaching materials (models in forum.models.library, rules in forum.permissions.library)."""

from __future__ import annotations


def init_app(app) -> None:
    """Register the pages and follow the posts' attachments (receivers are idempotent)."""
    from forum.library import services
    from forum.library.views import bp

    if "library" not in app.blueprints:
        app.register_blueprint(bp)
    services.connect_receivers()
