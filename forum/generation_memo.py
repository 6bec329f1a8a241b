"""Small answers kept in each process for one content generation, such as a reader's groups.

A fragment page reads the content generation before anything else (forum.fragment_cache),
and every change to content — groups, memberships and accounts included — bumps it in its
own transaction. An answer computed from content alone can therefore serve every later
request of the same generation, in this process, without asking the database again. Outside
such pages (no generation read, or the request changed content itself) nothing is kept.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app, g, has_request_context

T = TypeVar("T")

# What one process keeps per generation, counted in items: an answer weighs one, or its
# length when it is a tuple (a topic page's 20 posts). The least recently used answers go
# first. 5,000 items of topic pages' posts are about 1.2 MB of a worker's memory; a
# count of answers alone let pages' posts grow past 20 MB in a long quiet generation.
MAX_ITEMS = 5_000


class _Memo:
    __slots__ = ("generation", "answers", "items")

    def __init__(self, generation: int):
        self.generation, self.answers, self.items = generation, OrderedDict(), 0

    def keep(self, key: Hashable, answer) -> None:
        self.answers[key] = answer
        self.items += _weight(answer)
        while self.items > MAX_ITEMS and self.answers:
            _key, dropped = self.answers.popitem(last=False)
            self.items -= _weight(dropped)


def _weight(answer) -> int:
    return max(len(answer), 1) if isinstance(answer, tuple) else 1


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
        answer = memo.answers[key]
    except KeyError:
        answer = compute()
        if g.get("content_generation") == generation:
            memo.keep(key, answer)
        return answer
    memo.answers.move_to_end(key)
    return answer
