"""Fair turns between connections under gevent (the production worker): a WSGI layer.

A gevent worker serves every connection of its process in one thread, switching only when a
greenlet would block. A keep-alive client that sends its next request while the previous
response is still being finished finds it already in the socket, so its greenlet never
blocks: one connection can hold the worker for seconds while the others, and even new
connections waiting to be accepted, starve (measured: p50 12 ms but p99 over a second, and
wrk timeouts, under 16 connections). Yielding to the event loop once per request, with a
timer so the loop polls sockets before this greenlet runs again, gives each ready
connection its turn in order.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable


def running_under_gevent() -> bool:
    """True in a process whose sockets gevent has patched (gunicorn's gevent workers)."""
    monkey = sys.modules.get("gevent.monkey")
    return monkey is not None and monkey.is_module_patched("socket")


class YieldEachRequest:
    """Wraps a WSGI callable; before each request, lets every other ready greenlet run."""

    # Any positive delay: it becomes a timer, resumed by the loop after the sockets it found
    # ready; sleep(0) would resume us from the callback queue before them.
    PAUSE = 0.000_001

    def __init__(self, wsgi_app: Callable):
        import gevent

        self.wsgi_app = wsgi_app
        self.sleep = gevent.sleep

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        self.sleep(self.PAUSE)
        return self.wsgi_app(environ, start_response)
