"""Keep third-party libraries' optional imports out of a web worker until used.

python-socketio and python-engineio import their *client* transports when imported
(`aiohttp`, `requests`, `websocket-client`), although a server never uses them, and
`redis` for a message queue most single-process sites do not have: ~19 MB of every
gunicorn worker's RSS. `deferred(...)` stands a placeholder module in for each client
transport while such a library is imported; the library keeps a reference to the
placeholder, and the real module is imported the first time anything reads an attribute
from it — so a Socket.IO client (tests, bench/chat_fanout.py) still works unchanged.
`hidden(...)` makes the library see redis as absent; `socketio_redis_manager()` gives it
redis back where a Redis queue is configured.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager


class _DeferredModule(types.ModuleType):
    """A module that imports the real one on the first attribute it does not have."""

    def __getattr__(self, attr: str):
        name = self.__name__
        real = sys.modules.get(name)
        if real is None or real is self:
            sys.modules.pop(name, None)
            real = importlib.import_module(name)
        return getattr(real, attr)


@contextmanager
def deferred(*names: str) -> Iterator[None]:
    """Within the block, `import name` gives a placeholder instead of running the module.

    Only names not imported yet and actually installed are deferred (a missing one keeps
    failing with ImportError, which the libraries handle). Afterwards the placeholders
    leave sys.modules, so code imported later gets the real modules as usual.
    """
    placed = {}
    for name in names:
        if name in sys.modules:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None:
            continue
        module = _DeferredModule(name)
        # Set what the import system reads, so `import name` does not reach __getattr__.
        module.__spec__, module.__loader__, module.__file__ = spec, spec.loader, spec.origin
        module.__package__ = spec.parent
        placed[name] = sys.modules[name] = module
    try:
        yield
    finally:
        for name, module in placed.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


@contextmanager
def hidden(*names: str) -> Iterator[None]:
    """Within the block, `import name` fails as if the package were not installed.

    For a library that imports an optional package only to keep a reference to it (and
    copes with its absence); whoever needs it later hands the library the real module.
    """
    placed = [name for name in names if name not in sys.modules]
    for name in placed:
        sys.modules[name] = None  # the import system's "not importable" mark
    try:
        yield
    finally:
        for name in placed:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


def socketio_redis_manager():
    """python-socketio's RedisManager class, with the redis package it was imported without.

    forum.extensions imports Socket.IO with redis hidden (5.8 MB a worker that has no
    Redis never uses); a process configured with a Redis queue imports it here.
    """
    import redis
    from socketio import redis_manager

    if redis_manager.redis is None:
        redis_manager.redis, redis_manager.RedisError = redis, redis.exceptions.RedisError
    return redis_manager.RedisManager
