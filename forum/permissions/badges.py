"""Badge rules of the policy: who grants badges by hand."""

from __future__ import annotations

from forum.permissions.people import is_admin


def can_grant_badge(user, badge) -> bool:
    """Admins grant the badges meant to be granted by hand; automatic ones follow their rules."""
    return is_admin(user) and badge is not None and badge.is_manual and badge.is_enabled
