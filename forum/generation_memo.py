"""Small answers kept in each process for one content generation, such as a reader's groups.

A fragment page reads the content generation before anything else (forum.fragment_cache),
and every change to content — groups, memberships and accounts included — bumps it in its
own transaction. An answer computed from content alone can therefore serve every later
request of the same generation, in this process, without asking the database again. Outside
such pages (no generation read, or the request changed content itself) nothing is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app, g, has_request_context

T = TypeVar("T")

# Answers kept per generation; beyond this, new answers are computed and not kept.
MAX_ANSWERS = 5000


class _Memo:
    __slots__ = ("generation", "answers")

    def __init__(self, generation: int):
        self.generation, self.answers = generation, {}


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), or the answer it gave earlier in this content generation.

    compute must read only content (rows whose changes bump the generation) and return
    something immutable, since every later request shares it.
    """
    generation = g.get("content_generation") if has_request_context() else None
    if generation is None:
        return compute()
    memo = current_app.extensions.get("generation_memo")
    if memo is None or memo.generation != generation:
        # A new generation: the old answers may all be stale, so forget them at once.
        memo = current_app.extensions["generation_memo"] = _Memo(generation)
    try:
        return memo.answers[key]
    except KeyError:
        answer = compute()
        if len(memo.answers) < MAX_ANSWERS and g.get("content_generation") == generation:
            memo.answers[key] = answer
        return answer
