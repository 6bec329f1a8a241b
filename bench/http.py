"""HTTP benchmark: requests/s and p50/p99 latency of the main pages under gunicorn, with wrk.

    .venv/bin/python bench/http.py                      # seed (once) and measure everything
    .venv/bin/python bench/http.py --duration 10 --connections 16 --workers 2
    .venv/bin/python bench/http.py --worker-class sync   # compare another worker class

It builds a SQLite dataset with `forum seed-bench` (default 100,000 posts, 2,000 topics, one
1,000-post topic) under /tmp unless it exists, then for each mode — guests with the page cache,
guests without it, and a signed-in member — starts gunicorn on 127.0.0.1 the way README's
production command does (2 workers of gevent-websocket's worker class, which keeps
connections alive and serves Socket.IO), runs `wrk --latency` (Debian package `wrk`) against
the latest list, a category list, a topic page and the long topic's last page, each after one
unmeasured second that warms the workers, and prints a table: requests per second, p50 and
p99 latency, the workers' CPU per request (steadier from run to run than requests per second
on this machine, where wrk shares the two cores), and the workers' RSS.
Load stays on the loopback interface and every run is bounded by --duration.
"""

from __future__ import annotations

import sys

# This file is named like the standard library's `http` package; when it runs as a script its
# folder leads sys.path and would shadow it, so take the folder out before importing `http`.
if sys.path and sys.path[0].rstrip("/").endswith("bench"):
    sys.path.pop(0)

import argparse  # noqa: E402
import contextlib  # noqa: E402
import http.cookiejar  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import sqlite3  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.parse  # noqa: E402
import urllib.request  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BENCH_USER, BENCH_PASSWORD = "bench_reader", "bench-password-1"
# One browser signs in and then reads, as a member does. Flask-Login's session protection
# hashes the address and User-Agent at login: with urllib's agent at login and wrk's
# afterwards, every measured request failed the check, was marked not fresh and re-signed
# and re-sent the session cookie, a cost no member's browser pays.
USER_AGENT = "kafedra-bench (wrk)"
# README's production command line runs this worker class; measure what production runs.
PRODUCTION_WORKER_CLASS = "geventwebsocket.gunicorn.workers.GeventWebSocketWorker"


def main() -> None:
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{args.db}", "SECRET_KEY": "bench-secret",
           "PYTHONPATH": str(ROOT)}
    env.pop("REDIS_URL", None)
    if not Path(args.db).exists():
        seed(env, args.posts)
    urls = pick_urls(args.db)
    results = [{"mode": "machine", **machine_speed()}]
    print(f"machine: a pure-Python loop of 10M additions takes {results[0]['loop_s']:.2f} s "
          f"(load average {results[0]['load']:.1f}); figures scale with it across machines")
    modes = [("guest, page cache", {"PAGE_CACHE_SECONDS": "30"}, False),
             ("guest, no cache", {"PAGE_CACHE_SECONDS": "0"}, False),
             ("signed in", {"PAGE_CACHE_SECONDS": "30"}, True)]
    if args.mode:
        modes = [m for m in modes if m[0] in args.mode]
    for mode, extra_env, signed_in in modes:
        with gunicorn({**env, **extra_env}, args) as server:
            cookie = login(server.url) if signed_in else None
            for name, path in urls.items():
                stats = wrk(server.url + path, args, cookie, server)
                results.append({"mode": mode, "page": name, **stats})
                print_row(results[-1])
            rss = server.worker_rss_mb()
            print(f"   workers' RSS after '{mode}': {', '.join(f'{r:.0f} MB' for r in rss)}")
            results.append({"mode": mode, "page": "RSS per worker (MB)", "rss_mb": rss})
    if args.crawl:
        with gunicorn({**env, "PAGE_CACHE_SECONDS": "30"}, args) as server:
            rss = crawl(server, args.db, args.crawl)
        print(f"   workers' RSS after crawling {args.crawl} pages as a guest and as a member: "
              f"{', '.join(f'{r:.0f} MB' for r in rss)}")
        results.append({"mode": "crawl", "page": "RSS per worker (MB)", "rss_mb": rss,
                        "pages": args.crawl})
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"http-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(results, indent=1))


def machine_speed() -> dict:
    """How fast this machine runs Python just now: machines of one kind here differed
    up to threefold, so each run records what its figures were measured on."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for i in range(10_000_000):
            total += i
        best = min(best, time.perf_counter() - started)
    return {"loop_s": round(best, 3), "load": os.getloadavg()[0]}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="/tmp/kafedra-bench.sqlite3")
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default=PRODUCTION_WORKER_CLASS)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--mode", action="append",
                        choices=["guest, page cache", "guest, no cache", "signed in"],
                        help="measure only this mode (repeatable); all three by default")
    parser.add_argument("--crawl", type=int, default=0, metavar="N",
                        help="then read N distinct pages as a guest and as a member, and print "
                             "the workers' RSS: every per-process cache full, not just four "
                             "pages' worth")
    return parser.parse_args()


def flask(env, *args) -> str:
    return subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], env=env, cwd=ROOT,
                          check=True, capture_output=True, text=True).stdout


def seed(env, posts: int) -> None:
    print(f"Seeding {posts} posts into {env['DATABASE_URL']} …", flush=True)
    flask(env, "db", "upgrade")
    flask(env, "forum", "init")
    started = time.monotonic()
    print(flask(env, "forum", "seed-bench", "--posts", str(posts)).strip().splitlines()[-1])
    print(f"seed-bench took {time.monotonic() - started:.1f} s")
    flask(env, "forum", "user", "create", BENCH_USER, "--email", "bench@example.org",
          "--password", BENCH_PASSWORD)


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
    last_page = (long_posts + 19) // 20
    return {"latest": "/latest", "category": f"/c/{slug}/{cat_id}",
            "topic": f"/t/{t_slug}/{t_id}",
            "long topic, last page": f"/t/{long_slug}/{long_id}?page={last_page}"}


def crawl_paths(db_path: str, count: int) -> list[str]:
    """Distinct pages a community's readers spread over: Latest's pages, every category,
    topics (first and, for long ones, last page) and profiles."""
    con = sqlite3.connect(db_path)
    paths = [f"/latest?page={n}" for n in range(5)]
    paths += [f"/c/{slug}/{cat_id}" for slug, cat_id in con.execute(
        "SELECT slug, id FROM categories")]
    for slug, topic_id, posts in con.execute(
            "SELECT slug, id, highest_post_number FROM topics ORDER BY bumped_at DESC"):
        paths.append(f"/t/{slug}/{topic_id}")
        if posts > 20:
            paths.append(f"/t/{slug}/{topic_id}?page={(posts + 19) // 20}")
    paths += [f"/u/{name}" for (name,) in con.execute("SELECT username FROM users LIMIT 100")]
    con.close()
    return paths[:count]


def crawl(server: gunicorn, db_path: str, count: int) -> list[float]:
    cookie = login(server.url)
    paths = crawl_paths(db_path, count)

    def read(path_and_cookie):
        path, with_cookie = path_and_cookie
        request = urllib.request.Request(server.url + path, headers={"User-Agent": USER_AGENT})
        if with_cookie:
            request.add_header("Cookie", with_cookie)
        # A hidden or missing page still costs what it costs.
        with contextlib.suppress(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=30).read()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(read, [(p, None) for p in paths] + [(p, cookie) for p in paths]))
    return server.worker_rss_mb()


class gunicorn:  # noqa: N801 - used as a context manager like a function
    def __init__(self, env, args):
        self.env, self.args = env, args
        self.url = f"http://127.0.0.1:{args.port}"

    def __enter__(self):
        self.proc = subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", str(self.args.workers), "--worker-class",
             self.args.worker_class, "--bind", f"127.0.0.1:{self.args.port}", "--log-level",
             "warning", "wsgi:app"], env=self.env, cwd=ROOT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/latest", timeout=2).close()
                return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        sys.exit("gunicorn did not start")

    def __exit__(self, *exc):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)

    def worker_pids(self) -> list[str]:
        return Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()

    def worker_cpu_seconds(self) -> float:
        """User and system CPU time the workers have used so far (from /proc)."""
        total = 0
        for pid in self.worker_pids():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
        return total / os.sysconf("SC_CLK_TCK")

    def worker_rss_mb(self) -> list[float]:
        sizes = []
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            kb = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
            sizes.append(kb / 1024)
        return sizes


def login(base_url: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    page = opener.open(base_url + "/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page)
    data = urllib.parse.urlencode({"login": BENCH_USER, "password": BENCH_PASSWORD,
                                   "csrf_token": token.group(1) if token else ""}).encode()
    opener.open(base_url + "/login", data=data).read()
    cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
    if "session=" not in cookies:
        sys.exit("could not sign in the benchmark user")
    return cookies


def wrk(url: str, args, cookie: str | None, server: gunicorn) -> dict:
    # One unmeasured second first: a page's first requests in each worker fill its caches
    # (compiled templates, kept fragments, statements), which a short run would count.
    _run_wrk(url, args, cookie, seconds=1)
    cpu_before = server.worker_cpu_seconds()
    output = _run_wrk(url, args, cookie, seconds=args.duration)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    # The workers' CPU per request: what sets requests per second on these shared cores, and
    # far steadier than it from run to run.
    cpu_ms = (server.worker_cpu_seconds() - cpu_before) * 1000 / max(requests, 1)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "cpu_ms": round(cpu_ms, 2),
            "p50_ms": _latency(output, "50%"), "p99_ms": _latency(output, "99%"),
            "non_2xx": int(m.group(1)) if (m := re.search(r"Non-2xx.*?:\s+(\d+)", output))
            else 0}


def _run_wrk(url: str, args, cookie: str | None, seconds: int) -> str:
    command = ["wrk", "--latency", "-H", f"User-Agent: {USER_AGENT}", "-t", str(args.threads),
               "-c", str(args.connections),
               "-d", f"{seconds}s", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    return subprocess.run(command, check=True, capture_output=True, text=True,
                          timeout=seconds + 30).stdout


def _latency(output: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", output).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def print_row(row: dict) -> None:
    print(f"{row['mode']:<18} {row['page']:<24} {row['rps']:>8.0f} req/s  "
          f"p50 {row['p50_ms']:>6.1f} ms  p99 {row['p99_ms']:>6.1f} ms  "
          f"CPU {row['cpu_ms']:>5.2f} ms/req  non-2xx {row['non_2xx']}", flush=True)


if __name__ == "__main__":
    main()
