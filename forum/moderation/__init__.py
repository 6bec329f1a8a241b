"""Moderation: topic and post actions, flags and the review queue, sanctions, the staff log."""
