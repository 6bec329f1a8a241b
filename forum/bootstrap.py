"""Base data every installation needs: automatic groups, the site-state row, the code of conduct.

Idempotent: safe to run on every start.
"""

from __future__ import annotations

from forum.extensions import db
from forum.groups.services import ensure_automatic_groups
from forum.models import SiteState
from forum.pages.services import ensure_guidelines


def ensure_base_data() -> None:
    """Create what is missing; safe to call on every start, CLI command and test set-up."""
    ensure_automatic_groups()
    ensure_guidelines()
    if db.session.get(SiteState, 1) is None:
        db.session.add(SiteState(id=1, generation=0))
    db.session.flush()
