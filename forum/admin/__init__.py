"""The admin area: users and roles, groups, categories and their permissions, API keys."""
