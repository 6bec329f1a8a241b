"""Base data every installation needs: the automatic groups and the site-state row (idempotent)."""

from __future__ import annotations

from forum.extensions import db
from forum.groups.services import ensure_automatic_groups
from forum.models import SiteState


def ensure_base_data() -> None:
    """Create what is missing; safe to call on every start, CLI command and test set-up."""
    ensure_automatic_groups()
    if db.session.get(SiteState, 1) is None:
        db.session.add(SiteState(id=1, generation=0))
    db.session.flush()
