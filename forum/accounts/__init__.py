"""Accounts: registration, login, password reset, profiles, self-deletion, API keys."""
