"""Garbage-collector tuning for serving processes (wsgi.py applies it once the app is loaded).

A loaded worker holds a few hundred thousand long-lived objects: modules, SQLAlchemy's
mappers, Babel's catalogues, the app's routes. CPython's oldest-generation collection walks
every one of them, and under load that walk was the slowest request's time: about 90 ms,
once every hundred library pages (bench/library.py's p99, against p50 near 20 ms).
`gc.freeze()` moves what exists after start-up into the permanent generation, which no
collection visits; objects made while serving are collected as before.
"""

from __future__ import annotations

import gc


def freeze_startup_objects() -> int:
    """Collect start-up garbage, then freeze the survivors; returns how many were frozen.
    Call once per process after create_app() (a frozen object is never collected, so
    collecting first keeps start-up garbage out of the permanent generation)."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
