"""Composer drafts kept on the server, so nothing typed is lost when a tab closes."""
