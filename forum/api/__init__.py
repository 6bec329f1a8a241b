"""The Discourse-compatible JSON API: the same services as the HTML views, Discourse's shapes."""
