"""The public pages a visitor who is not signed in reads, served as in production (gunicorn,
FORUM_ENV=production, SQLite with the demo data), each as a ratio to ceiling A (a bare Flask
endpoint answering `{}`) measured in the same run, with the page cache off and on.

wrk (2 threads, 16 connections) for a few seconds per page, twice: without cookies (every
request a first visit, which gets a session cookie for its CSRF token) and with the cookie a
first visit got (a returning visitor); `uptime` before and after says how busy the machine was.

    .venv/bin/python benchmarks/public_pages.py [--workers 4] [--seconds 5]
"""

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.registration_throughput import start_gunicorn  # noqa: E402

SECRET = "benchmark-secret-key-0123456789abcdef"  # noqa: S105 - a throwaway server's
RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
P99 = re.compile(r"99%\s+([\d.]+)(us|ms|s)\b")
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, seconds: int, cookie: str | None = None) -> dict:
    header = ["-H", f"Cookie: {cookie}"] if cookie else []
    out = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", *header, url],
                         capture_output=True, text=True, check=True).stdout
    p99 = P99.search(out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(RATE.search(out).group(1)),
            "p99_ms": round(float(p99.group(1)) * UNIT_MS[p99.group(2)], 1) if p99 else None,
            "non_2xx": int(errors.group(1)) if errors else 0}


def seed(database: Path, instance: Path) -> dict:
    env = {**os.environ, "FORUM_ENV": "development", "DATABASE_URL": f"sqlite:///{database}",
           "SECRET_KEY": SECRET, "FORUM_INSTANCE_PATH": str(instance)}
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([str(Path(sys.executable).with_name("flask")), "--app", "wsgi", *command],
                       cwd=ROOT, env=env, check=True, capture_output=True)
    with sqlite3.connect(database) as rows:
        slug = rows.execute("SELECT slug FROM events WHERE state = 'published' "
                            "ORDER BY starts_at DESC LIMIT 1").fetchone()[0]
        issue = rows.execute("SELECT id FROM issues WHERE hidden_at IS NULL "
                             "ORDER BY id LIMIT 1").fetchone()[0]
        item = rows.execute("SELECT id FROM agenda_items ORDER BY id LIMIT 1").fetchone()[0]
    return {"home": "/", "events list": "/events/", "event page": f"/events/{slug}",
            "issues list": "/issues/", "issue page": f"/issues/{issue}",
            "outcomes": "/forum/outcomes", "forum item": f"/forum/items/{item}"}


def measure_pages(pages: dict, env: dict, workers: int, seconds: int) -> dict:
    server, port = start_gunicorn("wsgi:app", env, workers)
    try:
        results = {}
        for name, path in pages.items():
            url = f"http://127.0.0.1:{port}{path}"
            cookie = first_visit_cookie(url)  # the page exists; its first render is not timed
            results[name] = wrk(url, seconds)
            results[name + " (returning visitor)"] = wrk(url, seconds, cookie)
        return results
    finally:
        server.terminate()
        server.wait()


def first_visit_cookie(url: str) -> str:
    """The session cookie a first visit gets (it holds the visitor's CSRF secret)."""
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - loopback
        assert response.status == 200, url
        return response.headers["Set-Cookie"].split(";", 1)[0]


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    report = {"uptime_before": uptime(), "settings": vars(args)}
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "forum.sqlite"
        pages = seed(database, Path(tmp))
        env = {"FORUM_ENV": "production", "DATABASE_URL": f"sqlite:///{database}",
               "SECRET_KEY": SECRET, "PUBLIC_BASE_URL": "http://127.0.0.1",
               "FORUM_INSTANCE_PATH": tmp, "RATELIMIT_ENABLED": "false", "REDIS_URL": ""}

        server, port = start_gunicorn("benchmarks.bare_app:app",
                                      {"BARE_DB": str(Path(tmp) / "bare.sqlite")}, args.workers)
        try:
            ceiling = wrk(f"http://127.0.0.1:{port}/", args.seconds)
        finally:
            server.terminate()
            server.wait()
        report["ceiling_a"] = ceiling
        for label, seconds in (("cache_off", "0"), ("cache_on", "60")):
            rounds = measure_pages(pages, env | {"PAGE_CACHE_SECONDS": seconds}, args.workers,
                                   args.seconds)
            for row in rounds.values():
                row["vs_ceiling_a"] = round(row["rps"] / ceiling["rps"], 3)
            report[label] = rounds
    report["uptime_after"] = uptime()
    print(json.dumps(report, indent=2, ensure_ascii=False))
    print(table(report))


def table(report: dict) -> str:
    ceiling = report["ceiling_a"]
    lines = [f"ceiling A: {ceiling['rps']:.0f}/s, p99 {ceiling['p99_ms']} ms",
             "| page | cache off /s | p99 ms | × A | cache on /s | p99 ms | × A |",
             "|---|---|---|---|---|---|---|"]
    for name, off in report["cache_off"].items():
        on = report["cache_on"][name]
        lines.append(f"| {name} | {off['rps']:.0f} | {off['p99_ms']} | {off['vs_ceiling_a']} | "
                     f"{on['rps']:.0f} | {on['p99_ms']} | {on['vs_ceiling_a']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
