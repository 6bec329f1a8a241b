"""Reputation: members' statistics and trust levels (stats, trust, limits); likes, points and
badges live beside them."""
