"""Helpful replies over the API, in the shape of Discourse's "solved" plugin:
`POST /solution/accept` and `POST /solution/unaccept` (`id`: the reply's post id) — adapters
over forum.reputation.helpful. Unlike the plugin, a topic may have a few helpful replies."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from forum.api import params, serializers
from forum.api.like_routes import _visible_post
from forum.api.views import bp, committing, signed_in_required
from forum.reputation import helpful


@bp.post("/solution/accept")
@bp.post("/solution/accept.json")
@signed_in_required
def accept_solution():
    return _answer(marked=True)


@bp.post("/solution/unaccept")
@bp.post("/solution/unaccept.json")
@signed_in_required
def unaccept_solution():
    return _answer(marked=False)


def _answer(*, marked: bool):
    post = _visible_post(params.integer(params.body_params(), "id"))
    with committing():
        if marked:
            helpful.mark_helpful(post, user=current_user)
        else:
            helpful.unmark_helpful(post, user=current_user)
    result = serializers.serialize_post(post, current_user)
    result["accepted_answer"] = post.helpful_at is not None
    return jsonify(result)
