"""Reputation: likes and points, members' statistics and trust levels, badges."""
