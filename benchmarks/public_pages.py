"""The public pages a visitor who is not signed in reads, served as in production (gunicorn,
FORUM_ENV=production, SQLite with the demo data), each as a ratio to ceiling A (a bare Flask
endpoint answering `{}`) measured in the same run, with the page cache off and on.

Rounds of wrk_rounds.py (its runner, its Lua scripts, its ceilings): per page, a first visit
each request (get.lua: every answer sets a session cookie for the visitor's CSRF token) and a
returning visitor (cookie.lua, with the cookie a first visit got); `uptime` before and after
says how busy the machine was.

    .venv/bin/python benchmarks/public_pages.py [--workers 4] [--seconds 5] [--warmup 2]

Writes benchmarks/results/public_pages_sqlite.{json,md}. Not a test.
"""

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.registration_throughput import start_gunicorn  # noqa: E402
from benchmarks.wrk_rounds import (  # noqa: E402
    RESULTS,
    SECRET,
    ceilings,
    machine,
    run_wrk,
    visitor_cookie,
)


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


def measure_pages(pages: dict, env: dict, options) -> dict:
    server, port = start_gunicorn("wsgi:app", env, options.workers)
    try:
        results = {}
        for name, path in pages.items():
            url = f"http://127.0.0.1:{port}{path}"
            cookie = visitor_cookie(url)  # the page exists; its first render is not timed
            results[name] = run_wrk(port, path, "get.lua", [], options)
            results[name + " (returning visitor)"] = run_wrk(port, path, "cookie.lua",
                                                             [cookie], options)
        return results
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    options = parser.parse_args()
    options.threads, options.connections = 2, 16
    started = time.monotonic()
    report = {"meta": machine() | {key: getattr(options, key) for key in (
        "seconds", "warmup", "connections", "threads", "workers")}}
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "forum.sqlite"
        pages = seed(database, Path(tmp))
        env = {"FORUM_ENV": "production", "DATABASE_URL": f"sqlite:///{database}",
               "SECRET_KEY": SECRET, "PUBLIC_BASE_URL": "http://127.0.0.1",
               "FORUM_INSTANCE_PATH": tmp, "RATELIMIT_ENABLED": "false", "REDIS_URL": ""}
        report["ceilings"] = ceilings(tmp, options)
        ceiling = report["ceilings"]["A"]["per_s"]
        for label, seconds in (("cache_off", "0"), ("cache_on", "60")):
            rounds = measure_pages(pages, env | {"PAGE_CACHE_SECONDS": seconds}, options)
            for row in rounds.values():
                row["vs_ceiling_a"] = round(row["per_s"] / ceiling, 3)
            report[label] = rounds
    report["meta"]["uptime_after"] = subprocess.run(["uptime"], capture_output=True,
                                                    text=True).stdout.strip()
    report["meta"]["seconds_in_all"] = round(time.monotonic() - started)
    RESULTS.mkdir(exist_ok=True)
    markdown = table(report)
    (RESULTS / "public_pages_sqlite.json").write_text(json.dumps(report, indent=1,
                                                                 ensure_ascii=False))
    (RESULTS / "public_pages_sqlite.md").write_text(markdown)
    print(markdown)


def table(report: dict) -> str:
    meta, ceiling = report["meta"], report["ceilings"]["A"]
    lines = ["# Public pages for visitors not signed in, against ceiling A "
             "(benchmarks/public_pages.py)", "",
             f"{meta['when']}; {meta['cpus']} × {meta['cpu']}; SQLite demo data; gunicorn "
             f"{meta['workers']} sync workers, FORUM_ENV=production; wrk -t{meta['threads']} "
             f"-c{meta['connections']} -d{meta['seconds']}s per row after {meta['warmup']} s "
             "of warm-up (wrk_rounds.py's runner).", "",
             f"- uptime before: `{meta['uptime_before']}`",
             f"- uptime after: `{meta['uptime_after']}`", "",
             "Cache off = PAGE_CACHE_SECONDS=0, cache on = the default 60. A first visit gets "
             "a session cookie (its CSRF token); a returning visitor sends the cookie back.", "",
             f"ceiling A: {ceiling['per_s']:.0f}/s, p99 {ceiling['p99_ms']} ms", "",
             "| page | cache off /s | p99 ms | × A | cache on /s | p99 ms | × A |",
             "|---|---|---|---|---|---|---|"]
    for name, off in report["cache_off"].items():
        on = report["cache_on"][name]
        lines.append(f"| {name} | {off['per_s']:.0f} | {off['p99_ms']} | {off['vs_ceiling_a']} "
                     f"| {on['per_s']:.0f} | {on['p99_ms']} | {on['vs_ceiling_a']} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
