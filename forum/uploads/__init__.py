"""Uploads: receiving, checking, storing and serving files attached to posts."""
