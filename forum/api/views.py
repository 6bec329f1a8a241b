"""Discourse-compatible JSON routes."""

from flask import Blueprint

bp = Blueprint("api", __name__)
