"""Where the CPU of one write request goes (issue 14): guest registrations through the API and
check-in redeems of distinct tickets, each kind sent REQUESTS times through the Flask test
client under cProfile, in the production configuration (FORUM_ENV=production, SQLite WAL or
DATABASE_URL), with the rate limits on (every request from its own network, so none is
refused) unless --no-limits.

Per request: the CPU time (process_time: independent of the machine's load, as far as one
thread on a busy core can be; the least is the steadiest), the number of Python function
calls (cProfile's count: the same on any machine at any load), the wall time, and how long
SQLite's write lock is held (from BEGIN IMMEDIATE to COMMIT or ROLLBACK: the part that other
workers wait for). Then the
profile: own time grouped by what spends it (Flask-Limiter, Babel, SQLAlchemy, the sqlite3
driver, Jinja, Werkzeug, compression, ...), and the app's and its extensions' functions by
time spent inside them.

    .venv/bin/python benchmarks/profile_write_path.py [--requests 300] [--top 30]
        [--only registration,redeem] [--no-limits] [--dump /tmp/prof]

Prints the figures as text (and JSON with --json). Not a test; the seed and the production
app are write_path.py's.
"""

import argparse
import cProfile
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.write_path import production_app, seed  # noqa: E402

WARMUP = 20  # requests of each kind before measuring: templates, catalogues, caches loaded
# Own time by where the code lives: the first group whose marker is in the file name.
GROUPS = [
    ("flask-limiter / limits", ("flask_limiter", "/limits/")),
    ("flask-babel / babel", ("flask_babel", "/babel/")),
    ("flask-compress / brotli / gzip", ("flask_compress", "brotli", "gzip", "zlib")),
    ("flask-login / flask-wtf / itsdangerous", ("flask_login", "flask_wtf", "itsdangerous")),
    ("sqlalchemy", ("sqlalchemy",)),
    ("sqlite3 / psycopg driver", ("sqlite3", "psycopg")),
    ("jinja2 / markupsafe", ("jinja2", "markupsafe")),
    ("werkzeug", ("werkzeug",)),
    ("flask", ("/flask/",)),
    ("blinker", ("blinker",)),
    ("json", ("json",)),
    ("logging", ("logging",)),
    ("hashing / tokens (hmac, hashlib, secrets, base64)",
     ("hmac", "hashlib", "secrets", "base64", "_sha", "_blake", "urandom")),
    ("forum_app", ("forum_app",)),
]


def _group(filename: str, name: str) -> str:
    where = f"{filename}:{name}"
    for group, markers in GROUPS:
        if any(marker in where for marker in markers):
            return group
    if filename == "~":
        return "built-ins (isinstance, getattr, dict and str methods, ...)"
    return "other Python (" + Path(filename).parent.name + ")"


class LockClock:
    """How long each write transaction holds the write lock (SQLite: from BEGIN IMMEDIATE to
    its end; PostgreSQL: from the first INSERT/UPDATE/DELETE to the end)."""

    def __init__(self):
        self.held: list[float] = []
        self._since: float | None = None

    def statement(self, conn, cursor, statement, parameters, context, executemany):
        if self._since is None and (statement == "BEGIN IMMEDIATE" or (
                conn.dialect.name != "sqlite" and statement.lstrip()[:6].upper() in
                ("INSERT", "UPDATE", "DELETE"))):
            self._since = time.perf_counter()

    def end(self, conn):
        if self._since is not None:
            self.held.append(time.perf_counter() - self._since)
            self._since = None


def senders(app, data: dict) -> dict:
    """name -> a function(n) that sends the n-th request of that kind and returns its status;
    the n-th comes from network 10.x.y.0/24 of its own, so no rate limit is reached."""
    client = app.test_client()
    codes = iter(data["codes"])
    auth = {"Authorization": f"Bearer {data['token']}"}

    def address(n):
        return {"REMOTE_ADDR": f"10.{n // 250 % 250}.{n % 250}.7"}

    def registration(n):
        return client.post(f"/api/v1/events/{data['rush_id']}/registrations", json={
            "name": f"Зочин {n}", "email": f"guest{n}@example.mn", "consent": True},
            environ_base=address(n)).status_code

    def redeem(n):
        return client.post("/api/v1/checkin", headers=auth, json={
            "code": next(codes), "nonce": f"profile-{n}", "gate": "Гол хаалга"},
            environ_base=address(n)).status_code

    return {"registration": (registration, 201), "redeem": (redeem, 200)}


def timed(send, expected: int, requests: int, first: int, profiler=None) -> dict:
    """Send `requests` requests (numbered from `first`), under `profiler` if given: the CPU
    and wall time of each, and how long each held the write lock."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    clock = LockClock()
    hooks = (("before_cursor_execute", clock.statement), ("commit", clock.end),
             ("rollback", clock.end))
    for name, hook in hooks:
        event.listen(Engine, name, hook)
    cpu, wall, wrong = [], [], 0
    try:
        for n in range(first, first + requests):
            started_cpu, started = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            status = send(n)
            if profiler:
                profiler.disable()
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            wrong += status != expected
    finally:
        for name, hook in hooks:
            event.remove(Engine, name, hook)
    if wrong:
        raise SystemExit(f"{wrong} of {requests} requests did not answer {expected}")
    return {"cpu_ms": _spread(cpu), "wall_ms": _spread(wall),
            "lock_held_ms": _spread(clock.held),
            "write_transactions_per_request": round(len(clock.held) / requests, 2)}


def _spread(seconds: list[float]) -> dict:
    ordered = sorted(seconds)
    if not ordered:
        return {"min": 0, "mean": 0, "median": 0, "p95": 0}
    return {"min": round(1000 * ordered[0], 3),
            "mean": round(1000 * sum(ordered) / len(ordered), 3),
            "median": round(1000 * ordered[len(ordered) // 2], 3),
            "p95": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 3)}


def breakdown(stats: pstats.Stats, requests: int, top: int) -> dict:
    """Own time per group, and the heaviest functions by time inside them (cumulative), of
    the app and of the libraries it calls, in ms per request."""
    groups: dict[str, float] = {}
    functions = []
    for (filename, line, name), (_calls, _prim, own, inside, _callers) in stats.stats.items():
        group = _group(filename, name)
        groups[group] = groups.get(group, 0.0) + own
        functions.append((inside, f"{_short(filename)}:{line}({name})"))
    per = 1000 / requests
    total = sum(groups.values())
    functions.sort(reverse=True)
    return {
        "python_calls_per_request": round(stats.total_calls / requests),
        "profiled_ms_per_request": round(total * per, 3),
        "own_time_ms_per_request": {group: round(seconds * per, 3) for group, seconds in
                                    sorted(groups.items(), key=lambda item: -item[1])
                                    if seconds * per >= 0.005},
        "inside_ms_per_request": [(round(inside * per, 3), where)
                                  for inside, where in functions[:top]],
    }


def _short(filename: str) -> str:
    for marker in ("site-packages/", "forum_app/", "lib/python3"):
        if marker in filename:
            return filename.split(marker, 1)[1] if marker != "forum_app/" else \
                "forum_app/" + filename.split(marker, 1)[1]
    return filename


def run(options) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(tmp) / 'forum.sqlite'}"
        # One device scans far more than a gate's phone would: its own limit is kept out of
        # the way (its check costs the same however high it is).
        os.environ["SCAN_RATE_LIMIT"] = "1000000 per minute"
        app = production_app(url, tmp, limits=not options.no_limits)
        wanted = options.only.split(",") if options.only else ["registration", "redeem"]
        data = seed(app, WARMUP + 2 * options.requests if "redeem" in wanted else 0)
        results = {"database": url.split(":", 1)[0], "requests": options.requests,
                   "rate_limits": not options.no_limits}
        for name, (send, expected) in senders(app, data).items():
            if name not in wanted:
                continue
            for n in range(WARMUP):
                if send(100_000 + n) != expected:
                    raise SystemExit(f"{name}: the warm-up request was refused")
            measured = timed(send, expected, options.requests, 0)
            profiler = cProfile.Profile()
            profiled = timed(send, expected, options.requests, options.requests, profiler)
            measured["profiled_cpu_ms"] = profiled["cpu_ms"]
            stats = pstats.Stats(profiler)
            if options.dump:
                stats.dump_stats(f"{options.dump}-{name}.prof")
            results[name] = measured | breakdown(stats, options.requests, options.top)
        return results


def show(results: dict) -> str:
    lines = [f"{results['database']}, {results['requests']} requests of each kind, "
             f"rate limits {'on' if results['rate_limits'] else 'off'}"]
    for name, figures in results.items():
        if not isinstance(figures, dict):
            continue
        lines += ["", f"== {name}: CPU {figures['cpu_ms']['mean']} ms per request "
                  f"(median {figures['cpu_ms']['median']}, least {figures['cpu_ms']['min']}), "
                  f"{figures['python_calls_per_request']} Python calls, "
                  f"wall {figures['wall_ms']['mean']} "
                  f"ms, write lock held {figures['lock_held_ms']['mean']} ms "
                  f"in {figures['write_transactions_per_request']} transaction(s); "
                  f"under cProfile {figures['profiled_cpu_ms']['mean']} ms CPU",
                  "  own time by group (under cProfile):"]
        lines += [f"    {ms:8.3f} ms  {group}"
                  for group, ms in figures["own_time_ms_per_request"].items()]
        lines.append("  time inside (cumulative), heaviest first:")
        lines += [f"    {ms:8.3f} ms  {where}" for ms, where in
                  figures["inside_ms_per_request"]]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--only", default="", help="registration,redeem")
    parser.add_argument("--no-limits", action="store_true", help="rate limits off")
    parser.add_argument("--dump", default="", help="write PREFIX-<kind>.prof (pstats)")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    results = run(options)
    print(json.dumps(results, indent=1, ensure_ascii=False) if options.json else show(results))


if __name__ == "__main__":
    main()
