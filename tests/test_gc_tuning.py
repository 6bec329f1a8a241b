"""The serving process freezes its start-up objects out of the garbage collector's walks."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

from forum.gc_tuning import freeze_startup_objects

ROOT = Path(__file__).resolve().parents[1]


def test_freeze_moves_live_objects_to_the_permanent_generation():
    kept = [object() for _ in range(1000)]
    try:
        frozen = freeze_startup_objects()
        assert frozen == gc.get_freeze_count() >= len(kept)
        # Garbage made before the call was collected, not frozen with the survivors.
        assert gc.get_count()[0] < 50
    finally:
        gc.unfreeze()


def test_the_wsgi_entry_point_freezes_after_loading_the_app(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'forum.sqlite3'}",
           "SECRET_KEY": "test-secret", "PYTHONPATH": str(ROOT)}
    env.pop("REDIS_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", "import gc, wsgi; print(gc.get_freeze_count(), flush=True)"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True)
    # The app's modules and objects: far more than an interpreter holds at start.
    assert int(out.stdout.split()[-1]) > 50_000
