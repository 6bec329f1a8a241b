"""Tests of the admin area (forum/admin)."""
