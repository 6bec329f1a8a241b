"""CPU milliseconds per page, measured in-process: a load-independent companion to http.py.

    .venv/bin/python bench/profile_pages.py                 # every page, guest and member
    .venv/bin/python bench/profile_pages.py -n 200 --page topic --profile   # plus cProfile

It prints CPU time, Python function calls, SQL statements and the time spent in them per
request, using http.py's dataset
(/tmp/kafedra-bench.sqlite3; run http.py once to seed it) and the Flask test client without
the guests' page cache, so each request renders the page. CPU time (time.process_time, the
best of three rounds) changes much less than requests per second when other processes load
the machine, and the count of calls does not depend on the machine at all; the first
requests of each page warm caches and are not counted.
"""

from __future__ import annotations

import sys

if sys.path and sys.path[0].rstrip("/").endswith("bench"):
    sys.path.pop(0)  # http.py beside this file would shadow the standard library's `http`

import argparse  # noqa: E402
import cProfile  # noqa: E402
import os  # noqa: E402
import pstats  # noqa: E402
import sqlite3  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_USER = "bench_reader"
SORT = os.environ.get("PROFILE_SORT", "cumulative")


def main() -> None:
    args = parse_args()
    if not Path(args.db).exists():
        sys.exit(f"{args.db} is missing: run bench/http.py once to seed it")
    os.environ.update({"DATABASE_URL": f"sqlite:///{args.db}", "SECRET_KEY": "bench-secret",
                       "PAGE_CACHE_SECONDS": "0"})
    os.environ.pop("REDIS_URL", None)
    from forum import create_app
    from forum.gc_tuning import freeze_startup_objects

    app = create_app()
    freeze_startup_objects()  # as wsgi.py does in every worker
    # Views are counted in memory and flushed by a timer; keep the timer out of the figures.
    app.config["STATS_FLUSH_SECONDS"] = 0
    urls = pick_urls(args.db)
    if args.page:
        urls = {args.page: urls[args.page]}
    member_id = user_id(args.db, BENCH_USER)
    clients = {}
    for who in ("guest", "member"):
        client = clients[who] = app.test_client()
        if who == "member":
            with client.session_transaction() as session:
                session["_user_id"], session["_fresh"] = str(member_id), True
        for name, path in urls.items():
            ms = measure(client, path, args.requests)
            calls = python_calls(client, path)
            print(f"{who:<7} {name:<22} {ms:6.2f} ms CPU/request {calls:8.0f} Python calls/request",
                  flush=True)
            if args.profile:
                profile(client, path, args.requests)
    # Last: the engine's event listeners that time statements would add to the figures above.
    for who, client in clients.items():
        for name, path in urls.items():
            statements, sql_ms = sql_time(client, path)
            print(f"{who:<7} {name:<22} {statements:4.1f} SQL statements/request, "
                  f"{sql_ms:5.2f} ms in them", flush=True)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="/tmp/kafedra-bench.sqlite3")
    parser.add_argument("-n", "--requests", type=int, default=300)
    parser.add_argument("--page", choices=["latest", "category", "topic", "long topic"])
    parser.add_argument("--profile", action="store_true", help="print the top of cProfile")
    return parser.parse_args()


def pick_urls(db_path: str) -> dict[str, str]:
    con = sqlite3.connect(db_path)
    slug, cat_id = con.execute(
        "SELECT slug, id FROM categories ORDER BY topic_count DESC LIMIT 1").fetchone()
    long_slug, long_id, long_posts = con.execute(
        "SELECT slug, id, highest_post_number FROM topics ORDER BY posts_count DESC LIMIT 1"
    ).fetchone()
    t_slug, t_id = con.execute(
        "SELECT slug, id FROM topics WHERE posts_count BETWEEN 20 AND 60 LIMIT 1").fetchone()
    con.close()
    return {"latest": "/latest", "category": f"/c/{slug}/{cat_id}",
            "topic": f"/t/{t_slug}/{t_id}",
            "long topic": f"/t/{long_slug}/{long_id}?page={(long_posts + 19) // 20}"}


def user_id(db_path: str, username: str) -> int:
    con = sqlite3.connect(db_path)
    row = con.execute("SELECT id FROM users WHERE username = ?", (username,)).fetchone()
    con.close()
    if row is None:
        sys.exit(f"{username} is missing from {db_path}: run bench/http.py once to create it")
    return row[0]


def measure(client, path: str, n: int, rounds: int = 3) -> float:
    """The best of a few rounds: other processes only ever add time (cache misses, switches)."""
    for _ in range(max(n // 10, 5)):  # warm-up: template compilation, caches
        assert client.get(path).status_code == 200, path
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(n):
            client.get(path)
        best = min(best, (time.process_time() - started) * 1000 / n)
    return best


def python_calls(client, path: str, n: int = 20) -> float:
    """Function calls per request: a rough measure of work that no other process can change."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        client.get(path)
    profiler.disable()
    return pstats.Stats(profiler).total_calls / n


def sql_time(client, path: str, n: int = 50) -> tuple[float, float]:
    """Statements per request and the milliseconds spent in them: a plan that goes wrong (no
    statistics, a missing index) shows here first."""
    from sqlalchemy import event

    from forum.extensions import db

    with client.application.app_context():
        engine = db.engine
    spent, started = [], {}

    def before(conn, cursor, statement, parameters, context, executemany):
        started[id(cursor)] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        spent.append(time.perf_counter() - started.pop(id(cursor)))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        for _ in range(n):
            client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return len(spent) / n, sum(spent) * 1000 / n


def profile(client, path: str, n: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        client.get(path)
    profiler.disable()
    pstats.Stats(profiler).sort_stats(SORT).print_stats(35)


if __name__ == "__main__":
    main()
