"""Chat fan-out benchmark: N clients in one channel, M messages from a few senders; prints the
delivery latency (p50/p99) and how many deliveries were lost or duplicated.

    .venv/bin/python bench/chat_fanout.py                          # 500 clients, one process
    .venv/bin/python bench/chat_fanout.py --clients 200 --messages 50
    .venv/bin/python bench/chat_fanout.py --processes 2 --redis redis://127.0.0.1:6379/5

It makes a temp SQLite database (or uses --database-url, e.g. an empty PostgreSQL database)
with a public channel and API keys for the senders, then starts gunicorn on 127.0.0.1 the way
README's production section does: one process per port with one gevent-websocket worker, and
with --processes 2 a second one joined through Redis (half the clients connect to each, as
nginx with ip_hash would spread them). The readers are guests watching the channel (guests
are not listed in presence, so joining costs no presence broadcast); --signed-in-readers makes
them members with API keys instead. Readers run in --client-procs processes of python-socketio
AsyncClients over WebSocket. Each message carries its send time; a reader's latency is its
receive time minus that (one machine, one clock). Every run is bounded by --timeout seconds
and all traffic stays on the loopback interface.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this folder leads sys.path, and bench/http.py would shadow the standard
# library's `http`; the project root takes its place.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from tests.chat.live import gunicorn_server, prepare_database, server_env  # noqa: E402

NAMESPACE = "/chat"
SENT_AT = re.compile(r"sent=([0-9.]+)")


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="kafedra-chat-bench-") as tmp:
        workdir = Path(tmp)
        redis_namespace = f"kafedra-bench-{uuid.uuid4().hex[:8]}"
        extra = {"CHAT_RATE_LIMIT": "100000 per 10 seconds"}  # measure fan-out, not the limit
        if args.database_url:
            extra["DATABASE_URL"] = args.database_url
        env = server_env(workdir, redis_url=args.redis, namespace=redis_namespace, **extra)
        members = args.senders + (args.clients if args.signed_in_readers else 0)
        setup = prepare_database(env, members=members)
        try:
            with contextlib.ExitStack() as stack:
                urls = [stack.enter_context(gunicorn_server(env, workdir / f"server{i}.log"))
                        for i in range(args.processes)]
                result = run(args, urls, setup)
        finally:
            if args.redis:
                forget_redis_keys(args.redis, redis_namespace)
    report(args, result)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=500, help="readers in the channel")
    parser.add_argument("--messages", type=int, default=60, help="messages sent in all")
    parser.add_argument("--senders", type=int, default=4)
    parser.add_argument("--rate", type=float, default=2.0, help="messages per second in all")
    parser.add_argument("--processes", type=int, default=1, choices=(1, 2))
    parser.add_argument("--redis", help="Redis URL joining the processes (needed for 2)")
    parser.add_argument("--database-url", help="default: a temp-file SQLite database")
    parser.add_argument("--client-procs", type=int, default=2,
                        help="processes running the reader clients")
    parser.add_argument("--signed-in-readers", action="store_true")
    parser.add_argument("--timeout", type=float, default=120, help="bound on the whole run")
    args = parser.parse_args()
    if args.processes == 2 and not args.redis:
        parser.error("--processes 2 needs --redis URL")
    return args


# --- readers (in their own processes) ---------------------------------------------------------

def reader_process(urls, channel_id, auths, ready, start_listening, stop, results) -> None:
    asyncio.run(_readers(urls, channel_id, auths, ready, start_listening, stop, results))


async def _readers(urls, channel_id, auths, ready, start_listening, stop, results) -> None:
    import socketio

    heard: list[list[int]] = [[] for _ in auths]
    latencies: list[float] = []
    after_store: list[float] = []  # from the server's created_at (before its commit) on
    clients = []

    def handler(index):
        def on_message(data):
            heard[index].append(data["id"])
            found = SENT_AT.search(data.get("cooked", ""))
            if found:
                now = time.time()
                latencies.append(now - float(found.group(1)))
                stored = datetime.fromisoformat(data["created_at"])
                after_store.append(now - stored.replace(tzinfo=UTC).timestamp())
        return on_message

    async def connect(index, auth):
        client = socketio.AsyncClient(reconnection=False)
        client.on("message", handler(index), namespace=NAMESPACE)
        await client.connect(urls[index % len(urls)], namespaces=[NAMESPACE],
                             transports=["websocket"], auth=auth, wait_timeout=30)
        ack = await client.call("watch", {"channel_id": channel_id}, namespace=NAMESPACE,
                                timeout=30)
        assert ack.get("ok"), ack
        clients.append(client)

    for start in range(0, len(auths), 25):  # in batches: a connect storm is another benchmark
        await asyncio.gather(*(connect(i, auths[i])
                               for i in range(start, min(start + 25, len(auths)))))
    ready.set()
    while not stop.is_set():
        await asyncio.sleep(0.1)
    results.put({"heard": heard, "latencies": latencies, "after_store": after_store})
    await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)


# --- the run ----------------------------------------------------------------------------------

def run(args, urls, setup) -> dict:
    ctx = multiprocessing.get_context("spawn")
    usernames = sorted(setup["keys"])
    senders, readers = usernames[:args.senders], usernames[args.senders:]
    auths = [{"api_key": setup["keys"][u], "api_username": u} for u in readers] \
        if args.signed_in_readers else [None] * args.clients
    stop, results = ctx.Event(), ctx.Queue()
    procs, readies = [], []
    deadline = time.monotonic() + args.timeout
    for part in range(args.client_procs):
        ready = ctx.Event()
        share = auths[part::args.client_procs]
        # Spread over the processes the same way whatever the split among reader processes.
        proc_urls = urls[part % len(urls):] + urls[:part % len(urls)]
        procs.append(ctx.Process(target=reader_process, daemon=True, args=(
            proc_urls, setup["channel_id"], share, ready, None, stop, results)))
        readies.append(ready)
        procs[-1].start()
    for ready in readies:
        if not ready.wait(max(deadline - time.monotonic(), 1)):
            sys.exit("the readers did not connect in time")
    print(f"{args.clients} readers connected to {len(urls)} process(es); sending…", flush=True)
    sent = asyncio.run(send_all(args, urls, setup, senders))
    time.sleep(min(5.0, max(deadline - time.monotonic(), 0)))  # let the last deliveries land
    stop.set()
    parts = [results.get(timeout=max(deadline - time.monotonic(), 30)) for _ in procs]
    for proc in procs:
        proc.join(timeout=10)
    return {"sent": sent, "parts": parts}


async def send_all(args, urls, setup, senders) -> list[int]:
    import socketio

    clients = []
    for i, name in enumerate(senders):
        client = socketio.AsyncClient(reconnection=False)
        await client.connect(urls[i % len(urls)], namespaces=[NAMESPACE],
                             transports=["websocket"], wait_timeout=30,
                             auth={"api_key": setup["keys"][name], "api_username": name})
        clients.append(client)

    async def send(i):
        raw = f"Сообщение {i} sent={time.time():.6f}"
        ack = await clients[i % len(clients)].call(
            "send", {"channel_id": setup["channel_id"], "client_id": uuid.uuid4().hex,
                     "raw": raw}, namespace=NAMESPACE, timeout=30)
        return ack.get("id") if ack.get("ok") else None

    tasks = []
    for i in range(args.messages):
        tasks.append(asyncio.create_task(send(i)))
        await asyncio.sleep(1 / args.rate)
    ids = await asyncio.gather(*tasks)
    for client in clients:
        await client.disconnect()
    failed = sum(1 for i in ids if i is None)
    if failed:
        print(f"{failed} sends were not acknowledged", flush=True)
    return [i for i in ids if i is not None]


def report(args, result) -> None:
    sent = set(result["sent"])
    latencies, after_store, lost, duplicated = [], [], 0, 0
    for part in result["parts"]:
        latencies += part["latencies"]
        after_store += part["after_store"]
        for ids in part["heard"]:
            lost += len(sent - set(ids))
            duplicated += len(ids) - len(set(ids))
    latencies.sort()
    expected = len(sent) * args.clients

    def pct(p):
        return latencies[min(int(len(latencies) * p), len(latencies) - 1)] * 1000 \
            if latencies else float("nan")

    print(f"processes={args.processes} readers={args.clients} messages acknowledged="
          f"{len(sent)}/{args.messages} rate={args.rate}/s deliveries={len(latencies)}/"
          f"{expected}")
    print(f"latency p50={pct(0.50):.1f} ms  p99={pct(0.99):.1f} ms  max={pct(1.0):.1f} ms  "
          f"mean={statistics.fmean(latencies) * 1000 if latencies else float('nan'):.1f} ms")
    after_store.sort()
    if after_store:
        print(f"of which after the server stored it (commit + fan-out + client): "
              f"p50={after_store[len(after_store) // 2] * 1000:.1f} ms")
    print(f"lost={lost}  duplicated={duplicated}")
    print("load average (1, 5, 15 min) at the end: "
          + ", ".join(f"{x:.1f}" for x in os.getloadavg())
          + f" on {os.cpu_count()} cores (other work on the machine inflates latency)")


def forget_redis_keys(url: str, namespace: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    for key in client.scan_iter(match=f"*{namespace}*", count=1000):
        client.delete(key)


if __name__ == "__main__":
    main()
