"""The rush, the door and the public pages under wrk, beside the machine's ceilings measured in
the same run (issue 14). Every server is gunicorn with FORUM_ENV=production; wrk's Lua scripts
(benchmarks/lua/) make each request body unique, so the client costs the server little.

  ceiling A   bare Flask answering `{}`                      (benchmarks/bare_app.py)
  ceiling B   bare Flask, one INSERT in its own transaction   (SQLite WAL)
  rounds      guest registration for one capacity-limited event; check-in redeem of distinct
              tickets from all connections (one device); the public pages (home, events list,
              an event page, issues list, an issue page), for first visits and for a
              returning visitor (the session cookie of a first visit); pages signed in (a
              citizen's registrations and an issue page, the organiser's events), each with
              the session cookie of a real sign-in. On PostgreSQL too when DATABASE_URL is set
              (that database is emptied and filled for the run).

    .venv/bin/python benchmarks/wrk_rounds.py [--seconds 5] [--connections 16] [--threads 2]
        [--workers 4] [--worker-class sync|gthread] [--worker-threads 4]
        [--only registration,redeem,pages,returning,signed_in]

Writes benchmarks/results/wrk_rounds.{json,md} (rows with their ratio to the ceilings, the
machine, its load) and prints the table. Absolute figures move with the machine's load; the
ratios to the ceilings of the same run are what to compare. Not a test.
"""

import argparse
import html
import http.client
import json
import os
import platform
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.registration_throughput import start_gunicorn  # noqa: E402

LUA = ROOT / "benchmarks" / "lua"
RESULTS = ROOT / "benchmarks" / "results"
SECRET = "wrk-rounds-benchmark-" + "s" * 32
TICKETS = 20_000  # distinct tickets for the redeem round (more than it can scan)
PAGES = [("home page", "/"), ("events list", "/events/"), ("event page", "/events/{slug}"),
         ("issues list", "/issues/"), ("issue page", "/issues/{issue_id}")]


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is missing: apt-get install wrk (the set-up installs it)")
    return found


def run_wrk(port: int, path: str, script: str, args: list[str], options,
            before_round=None) -> dict:
    """One round, after a warm-up of the same requests (each worker's first requests load
    templates and catalogues): wrk's summary (requests per second, latency percentiles in
    ms, errors). `before_round`: called between the warm-up and the round."""
    output = ""
    for phase, seconds in enumerate((options.warmup, options.seconds)):
        if phase and before_round:
            before_round()
        command = [wrk_binary(), f"-t{options.threads}", f"-c{options.connections}",
                   f"-d{seconds}s", "--timeout", "10s", "-s", str(LUA / script),
                   f"http://127.0.0.1:{port}{path}", "--", *args, str(phase)]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    found = re.search(r"^BENCH (\{.*\})$", output, re.MULTILINE)
    if not found:
        raise RuntimeError(f"wrk said:\n{output}")
    raw = json.loads(found.group(1))
    seconds = raw["duration_us"] / 1e6
    errors = sum(raw[k] for k in ("connect", "read", "write", "timeout"))
    return {"per_s": round(raw["requests"] / seconds, 1), "requests": raw["requests"],
            "p50_ms": round(raw["p50_us"] / 1000, 1), "p99_ms": round(raw["p99_us"] / 1000, 1),
            "max_ms": round(raw["max_us"] / 1000, 1), "non_2xx_3xx": raw["status"],
            "socket_errors": errors}


# --- the data --------------------------------------------------------------------------------

def prepare(database_url: str, tickets: int = TICKETS) -> dict:
    """An empty schema on `database_url`, then: an organiser, the rush event (registration
    open, capacity far above what a round registers), today's door event with `tickets`
    registrations (most confirmed, with a ticket; in bulk, as the large-data command writes
    them) and a device, a few more events and issues for the public pages."""
    os.environ["DATABASE_URL"] = database_url
    from forum_app import create_app
    from forum_app.checkin.devices import create_device
    from forum_app.extensions import db
    from forum_app.registration.models import Registration, Ticket
    from forum_app.scale.bulk import move_sequences
    from forum_app.scale.people import People
    from forum_app.scale.registrations import add_registrations
    from tests import factories

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    with app.test_request_context():
        db.drop_all()
        db.create_all()
        factories.seed_reference()
        organiser = factories.user("bench-organiser@example.mn", roles=["organiser"])
        rush = factories.event(organiser, capacity=1_000_000, days_ahead=10,
                               title_mn="Дархан хотын форум: бүртгэлийн оргил",
                               title_en="Darkhan City Forum: the registration rush")
        for n in range(8):
            factories.event(organiser, days_ahead=12 + n)
        today = datetime.now(UTC).replace(tzinfo=None)
        door = factories.event(organiser, capacity=None, title_mn="Хаалга",
                               starts_at=today - timedelta(hours=12),
                               ends_at=today + timedelta(hours=12))
        made = add_registrations(
            tickets, SimpleNamespace(id=door.id, capacity=None, starts_at=door.starts_at), [],
            People(random.Random(14), {}), [], random.Random(14))  # noqa: S311  # nosec B311
        move_sequences(Registration.__table__, Ticket.__table__)
        db.session.commit()
        _device, token = create_device(organiser, door, "Хэмжилтийн төхөөрөмж")
        issues = [factories.issue(title=f"Гудамжны гэрэлтүүлэг {n}") for n in range(12)]
        signed_in = prepare_signed_in(factories, rush)
        return {"rush_id": rush.id, "slug": rush.slug, "token": token, "door_id": door.id,
                "codes": [code for _id, _event, code in made], "issue_id": issues[0].id,
                **signed_in}


def prepare_signed_in(factories, rush) -> dict:
    """A citizen registered for the rush event (the signed-in rounds sign in as them, and as
    the organiser of prepare())."""
    from forum_app.registration.services import RegistrationInput, register

    citizen = factories.user("bench-citizen@example.mn", name="Батын Сараа")
    register(rush, RegistrationInput(consent=True), user=citizen)
    return {"citizen": citizen.email, "organiser": "bench-organiser@example.mn",
            "password": factories.PASSWORD}


def production_env(database_url: str, instance: str) -> dict:
    return {"FORUM_ENV": "production", "DATABASE_URL": database_url, "SECRET_KEY": SECRET,
            "PUBLIC_BASE_URL": "http://127.0.0.1", "RATELIMIT_ENABLED": "false",
            "MAIL_SERVER": "", "MAIL_DELIVERY": "worker", "FORUM_INSTANCE_PATH": instance}


# --- the rounds ------------------------------------------------------------------------------

def write_report(name: str, report: dict) -> str:
    """`report` as benchmarks/results/<name>.json (the one way results are written); the
    JSON text is returned for printing."""
    text = json.dumps(report, indent=1, ensure_ascii=False)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(text)
    return text


def server_options(options) -> tuple[str, ...]:
    """gunicorn's worker class (and threads per worker for gthread), the same for the
    ceilings and the rounds."""
    if options.worker_class == "sync":
        return ()
    return ("--worker-class", options.worker_class, "--threads", str(options.worker_threads))


def ceilings(tmp: str, options) -> dict:
    env = {"BARE_DB": str(Path(tmp) / "bare.sqlite")}
    server, port = start_gunicorn("benchmarks.bare_app:app", env, options.workers,
                                  extra=server_options(options))
    try:
        return {"A": run_wrk(port, "/", "get.lua", [], options),
                "B": run_wrk(port, "/insert", "insert.lua", [], options)}
    finally:
        server.terminate()
        server.wait()


def forum_rounds(database: str, database_url: str, tmp: str, options,
                 code: str = "this") -> list[dict]:
    """The rounds on one database, served by this checkout (or by options.compare's, as
    `code` "before"), on data made afresh."""
    data = prepare(database_url)
    wanted = set(options.only.split(",")) if options.only else None
    root = Path(options.compare) if code == "before" else ROOT
    server, port = start_gunicorn("wsgi:app", production_env(database_url, tmp),
                                  options.workers, root, server_options(options))
    try:
        rounds = write_rounds(data, database, Path(tmp) / f"codes-{database}.txt", options)
        rounds += [(name, "pages", "A", path.format(**data), "get.lua", [])
                   for name, path in PAGES]
        if not wanted or wanted & {"returning", "signed_in"}:
            rounds += cookie_rounds(port, data)
        return run_rounds(port, rounds, database, code, options, wanted)
    finally:
        server.terminate()
        server.wait()


def write_rounds(data: dict, database: str, codes: Path, options) -> list[tuple]:
    """Guest registration for data["rush_id"] and redeem of data["codes"] with data["token"]
    (the codes go to the file `codes`, read by redeem.lua)."""
    codes.write_text("\n".join(data["codes"]) + "\n")
    path = f"/api/v1/events/{data['rush_id']}/registrations"
    return [("guest registration", "registration", "B", path, "register.lua",
             [path, database]),
            ("check-in redeem, distinct tickets", "redeem", "B", "/api/v1/checkin",
             "redeem.lua", [data["token"], str(codes), str(options.threads)])]


def run_rounds(port: int, rounds: list[tuple], database: str, code: str, options,
               wanted: set | None = None) -> list[dict]:
    """Each (name, kind, ceiling, path, script, args) round against the server on `port`."""
    rows = []
    for name, kind, ceiling, path, script, args in rounds:
        if wanted and kind not in wanted:
            continue
        measured = run_wrk(port, path, script, args, options)
        rows.append({"round": name, "database": database, "path": path, "code": code,
                     "ceiling": ceiling, **measured})
        print(f"{code:6} {database:10} {name:36} {measured['per_s']:8.1f}/s "
              f"p99 {measured['p99_ms']:7.1f} ms", flush=True)
    return rows


# The same pages for a returning visitor (the session cookie of their first visit: their CSRF
# secret), and pages signed in, as who (see prepare_signed_in).
RETURNING = [("home page, returning visitor", "/"),
             ("event page, returning visitor", "/events/{slug}")]
SIGNED_IN = [("my registrations, signed in", "citizen", "/account/registrations"),
             ("issue page, signed in", "citizen", "/issues/{issue_id}"),
             ("organiser's events, signed in", "organiser", "/events/manage")]


def cookie_rounds(port: int, data: dict) -> list[tuple]:
    """Rounds of cookie.lua: each with the session cookie a real visit or sign-in got."""
    base = f"http://127.0.0.1:{port}"
    rounds = [(name, "returning", "A", path.format(**data), "cookie.lua",
               [visitor_cookie(base + path.format(**data))]) for name, path in RETURNING]
    cookies = {who: sign_in(base, data[who], data["password"])
               for who in {who for _name, who, _path in SIGNED_IN}}
    rounds += [(name, "signed_in", "A", path.format(**data), "cookie.lua", [cookies[who]])
               for name, who, path in SIGNED_IN]
    return rounds


def visitor_cookie(url: str) -> str:
    """The session cookie a first visit of `url` gets (it holds the visitor's CSRF secret)."""
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - loopback
        assert response.status == 200, url
        return response.headers["Set-Cookie"].split(";", 1)[0]


def sign_in(base: str, email: str, password: str) -> str:
    """The session cookie of a real sign-in through the form (its CSRF token included). By
    hand, not a cookie jar: production cookies are Secure, and this is plain HTTP."""
    host = urllib.parse.urlsplit(base).netloc
    connection = http.client.HTTPConnection(host, timeout=60)
    connection.request("GET", "/account/login")
    page = connection.getresponse()
    cookie = page.getheader("Set-Cookie").split(";", 1)[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.read().decode()).group(1)
    form = urllib.parse.urlencode({"csrf_token": html.unescape(token), "email": email,
                                   "password": password})
    connection.request("POST", "/account/login", body=form, headers={
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    answer = connection.getresponse()
    answer.read()
    assert answer.status == 302, f"{email} could not sign in ({answer.status})"
    return answer.getheader("Set-Cookie").split(";", 1)[0]


# --- the report ------------------------------------------------------------------------------

def machine(database_url: str = "") -> dict:
    """The machine and the software measured: cores, CPU, system, Python, SQLite and (with a
    PostgreSQL `database_url`) the server's version, and the load now."""
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    model = next((line.split(":", 1)[1].strip() for line in
                  Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    return {"when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "cpus": os.cpu_count(),
            "cpu": model, "platform": platform.platform(), "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, **postgresql_version(database_url),
            "uptime_before": uptime}


def postgresql_version(database_url: str) -> dict:
    if not database_url.startswith("postgresql"):
        return {}
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return {"postgresql": connection.execute(text("SHOW server_version")).scalar(),
                    "postgresql_commit": connection.execute(text(
                        "SELECT current_setting('fsync') || ' fsync, synchronous_commit '"
                        " || current_setting('synchronous_commit')")).scalar()}
    finally:
        engine.dispose()


LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
PG_GOAL = 0.7  # issue 14: PostgreSQL within 30 % of SQLite for registration and redeem


def table(report: dict) -> str:
    """One table for the run: a row per round, a column group per code and database (rate,
    p99, ratio to the ceiling of this run), then PostgreSQL / SQLite for each code that ran
    on both."""
    meta, ceiling = report["meta"], report["ceilings"]
    threads = "" if meta.get("worker_class", "sync") == "sync" else \
        f" × {meta['worker_threads']} threads"
    versions = f"Python {meta.get('python')}, SQLite {meta.get('sqlite')}" + (
        f", PostgreSQL {meta['postgresql']} ({meta['postgresql_commit']})"
        if meta.get("postgresql") else "")
    groups = list(dict.fromkeys((row["code"], row["database"]) for row in report["rounds"]))
    both = [code for code in dict.fromkeys(code for code, _db in groups)
            if (code, "sqlite") in groups and (code, "postgresql") in groups]
    heads = [f"{LABELS.get(database, database)}{_code(code)} {what}" for code, database
             in groups for what in ("per s", "p99 ms", "vs ceiling")]
    heads += [f"PostgreSQL / SQLite{_code(code)}" for code in both]
    lines = [f"wrk rounds, {meta['when']}; {meta['cpus']} × {meta['cpu']}; "
             f"{meta['platform']}; {versions}; gunicorn {meta['workers']} "
             f"{meta.get('worker_class', 'sync')} workers{threads}, "
             f"FORUM_ENV=production; wrk -t{meta['threads']} -c{meta['connections']} "
             f"-d{meta['seconds']}s after {meta['warmup']} s of warm-up"
             + (f"; {meta['seconds_in_all']} s in all" if "seconds_in_all" in meta else ""),
             "", f"Load before: `{meta['uptime_before']}`",
             f"Load after: `{meta['uptime_after']}`", "",
             f"Ceilings of this run: A (bare Flask answering `{{}}`) {_rate(ceiling['A'])}/s, "
             f"p99 {ceiling['A']['p99_ms']} ms; B (bare Flask, one INSERT in its own "
             f"transaction, SQLite WAL) {_rate(ceiling['B'])}/s, p99 {ceiling['B']['p99_ms']} "
             f"ms. Goal for PostgreSQL / SQLite on registration and redeem: ≥ {PG_GOAL}.", "",
             "| round | " + " | ".join(heads) + " |", "|---" * (len(heads) + 1) + "|"]
    by = {(row["round"], row["code"], row["database"]): row for row in report["rounds"]}
    for name in dict.fromkeys(row["round"] for row in report["rounds"]):
        first = next(row for row in report["rounds"] if row["round"] == name)
        cells = []
        for code, database in groups:
            row = by.get((name, code, database))
            base = row and ceiling[row["ceiling"]]["per_s"]
            cells += ([_rate(row), str(row["p99_ms"]),
                       f"{row['per_s'] / base:.2f} × {row['ceiling']}" if base else "-"]
                      if row else ["-", "-", "-"])
        for code in both:
            sqlite, postgresql = by.get((name, code, "sqlite")), by.get((name, code, "postgresql"))
            ratio = postgresql["per_s"] / sqlite["per_s"] if sqlite and postgresql and \
                sqlite["per_s"] else None
            goal = first["ceiling"] == "B" and ratio is not None
            cells.append("-" if ratio is None else f"{ratio:.2f}" + (
                "" if not goal else " (met)" if ratio >= PG_GOAL else " (**not met**)"))
        lines.append(f"| {name} (`{first['path']}`) | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _code(code: str) -> str:
    return "" if code == "this" else f" ({code})"


def _rate(row: dict) -> str:
    """Requests per second, with the errors (answers outside 2xx/3xx, socket errors) if any."""
    errors = row["non_2xx_3xx"] + row["socket_errors"]
    return f"{row['per_s']}" + (f" ({errors} errors)" if errors else "")


def failures(report: dict) -> list[str]:
    """The rounds whose figures are not of what they claim to measure: answers outside
    2xx/3xx (refused or failed requests), or no request answered at all."""
    rows = [(f"ceiling {name}", row) for name, row in report["ceilings"].items()]
    rows += [(f"{row['round']} ({row['code']}, {row['database']})", row)
             for row in report["rounds"]]
    return [f"{name}: {row['non_2xx_3xx']} answers outside 2xx/3xx, {row['requests']} requests"
            for name, row in rows if row["non_2xx_3xx"] or not row["requests"]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2, help="seconds before each round")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    # The production server's settings (Makefile, run-prod; chosen with worker_sweep.py).
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--worker-threads", type=int, default=4, help="per gthread worker")
    parser.add_argument("--only", default="", help="registration,redeem,pages,returning,signed_in")
    parser.add_argument("--compare", default="", help="another checkout (e.g. the code before "
                        "a change, with its translations compiled): its rows too, as 'before'")
    options = parser.parse_args()
    started = time.monotonic()
    postgres = os.environ.get("DATABASE_URL", "")
    meta = machine(postgres) | {key: getattr(options, key)
                        for key in ("seconds", "warmup", "connections", "threads", "workers",
                                    "worker_class", "worker_threads")}
    with tempfile.TemporaryDirectory() as tmp:
        report = {"meta": meta, "ceilings": ceilings(tmp, options), "rounds": []}
        print(f"ceilings: A {report['ceilings']['A']['per_s']}/s, "
              f"B {report['ceilings']['B']['per_s']}/s", flush=True)
        codes = ["before", "this"] if options.compare else ["this"]
        for code in codes:
            report["rounds"] += forum_rounds(
                "sqlite", f"sqlite:///{Path(tmp) / f'forum-{code}.sqlite'}", tmp, options, code)
            if postgres.startswith("postgresql"):
                report["rounds"] += forum_rounds("postgresql", postgres, tmp, options, code)
    meta["uptime_after"] = subprocess.run(["uptime"], capture_output=True,
                                          text=True).stdout.strip()
    meta["seconds_in_all"] = round(time.monotonic() - started)
    write_report("wrk_rounds", report)
    markdown = table(report)
    (RESULTS / "wrk_rounds.md").write_text(markdown)
    print(markdown)
    failed = failures(report)
    if failed:
        print("wrk rounds failed:\n  " + "\n  ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
