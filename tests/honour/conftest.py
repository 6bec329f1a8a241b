"""The honour pages' tests write the reputation helpers' rows themselves (builders.py): likes,
ledger entries, badges, visits. The helpers' receivers would add rows of their own to the same
data (a badge and its points for a first post, …), so domain events are muted here."""

from __future__ import annotations

import contextlib

import pytest
from blinker import Signal

from forum import domain_events


@pytest.fixture(autouse=True)
def muted_domain_events():
    with contextlib.ExitStack() as stack:
        for signal in vars(domain_events).values():
            if isinstance(signal, Signal):
                stack.enter_context(signal.muted())
        yield
