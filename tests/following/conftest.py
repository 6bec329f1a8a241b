"""Following tests: no badge notifications (a first post earns badges, and each is counted)."""

import pytest


@pytest.fixture(autouse=True)
def _no_badge_notifications(without_badges):
    """These tests count the notifications they make."""
