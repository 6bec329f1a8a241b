"""Reputation: likes and the reputation ledger (likes, points), members' statistics and trust
levels (stats, trust, limits), and badges.

`register_receivers()` connects the ledger to the domain events; create_app calls it.
"""

from __future__ import annotations


def register_receivers() -> None:
    """Connect the reputation ledger to the domain events (idempotent: blinker keeps one)."""
    from forum.reputation import points

    points.connect_receivers()
