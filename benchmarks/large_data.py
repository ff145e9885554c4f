"""The pages that grow with the data, on a database built by `flask seed-scale` (100,000
registrations, 20,000 issues, 200,000 check-ins): the reports dashboard (periods, kinds,
"waiting for me", the exports), the outcomes index (first, next and a deep page), the issue
list (first and deep pages, filters, search), the big event's attendee list (first and deep
pages, search), door search and live figures (page, JSON, the scanners' API), and every
export (the big event's attendee CSV and XLSX, the dashboard's tables and PDF, the open data
files: time to the first byte, in all, and the most memory one download holds at once).
Goals (issues 11 and 14): p95 < 200 ms per page, < 50 ms for door search and live figures,
first byte of an export < 1 s.

Then (SQLite; --rates, on by default there) registration and redeem under wrk (wrk_rounds.py's
runner and Lua scripts), on a copy of the large database (for its big event: registration
opened, a device, 20,000 tickets not yet admitted) and on wrk_rounds' own small one, in the
same run: goal, within 10 % of each other.

With no database holding the scale data (none given, or the one given is empty), it builds it
first with `flask db upgrade` and `seed-scale` at the issue's size (demo data included), and
says how long that took: in the PostgreSQL database of DATABASE_URL (emptied first; 2-3
minutes), else in a temporary SQLite file; `--skip-without-data` skips instead, with a
message, and `--keep` keeps the file for the next run.

Served in process by the Flask test client (one thread, FORUM_ENV=production, so no network
and no server in the figures), signed in as the demo official or organiser where the page
needs it. The ceiling, measured in the same run the same way: a bare Flask endpoint answering
`{}`. Each page is asked for WARMUP times, then ROUNDS times; median and p95 in ms.

    .venv/bin/python benchmarks/large_data.py          # builds a temporary one when needed
    FORUM_INSTANCE_PATH=/path/with/forum_app.sqlite .venv/bin/python benchmarks/large_data.py
    DATABASE_URL=postgresql+psycopg://... .venv/bin/python benchmarks/large_data.py
    ... large_data.py --no-rates        # the pages only

Prints a Markdown table and writes it, with JSON, under benchmarks/results/. Not a test.
"""

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.wrk_rounds import RESULTS, write_report  # noqa: E402

BIG = "dcf-scale-plenary"
GOAL_MS = 200
GOALS_MS = {"door": 50, "figures": 50, "exports": 1000}  # exports: the first byte
RATE_GOAL = 0.10  # registration and redeem at this size within 10 % of the small database's
SIZE = {"--registrations": "100000", "--issues": "20000", "--checkins": "200000"}  # issue 11
DEEP_ATTENDEE = 74_950  # rows before the attendee list's page 1500, reached by key
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _default_database() -> str:
    folder = Path(os.environ.get("FORUM_INSTANCE_PATH", ROOT / "instance"))
    return f"sqlite:///{folder.resolve() / 'forum_app.sqlite'}"


def _has_scale_data(url: str) -> bool:
    """Whether `url` names a database that holds the big event of seed-scale."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError

    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        return False  # connecting would create an empty file
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT 1 FROM events WHERE slug = :slug"),
                                      {"slug": BIG}).first() is not None
    except SQLAlchemyError:
        return False
    finally:
        engine.dispose()


def _build_database(url: str) -> float:
    """The demo and the scale data in the database of `url` (a PostgreSQL one is emptied
    first: every table dropped); returns (and prints) how many seconds that took."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"FORUM_ENV", "DATABASE_URL"}} | {"DATABASE_URL": url}
    size = [part for pair in SIZE.items() for part in pair]
    print(f"no scale data: building {url} ({' '.join(size)}) ...", flush=True)
    started = time.perf_counter()
    if url.startswith("postgresql"):
        _empty_postgresql(url)
    for command in (["db", "upgrade"], ["seed-scale", *size]):
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *command],
                              cwd=ROOT, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"building the scale data failed:\n{done.stdout}{done.stderr}")
    seconds = time.perf_counter() - started
    print(f"built in {seconds:.0f} s", flush=True)
    return seconds


def _empty_postgresql(url: str) -> None:
    """Drop every table of the database's public schema (wrk_rounds leaves its own there)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def _production_env() -> None:
    os.environ.setdefault("FORUM_ENV", "production")
    os.environ.setdefault("SECRET_KEY", "large-data-benchmark-" + "k" * 32)
    # The test client asks for localhost; the app answers only the host of its public address
    # (`make bench` exports the development server's).
    os.environ["PUBLIC_BASE_URL"] = "http://localhost"
    os.environ.setdefault("SESSION_COOKIE_SECURE", "0")  # the test client speaks http
    os.environ.setdefault("RATELIMIT_ENABLED", "0")
    # What a page costs to build at this size; the visitors' page cache is public_pages.py's.
    os.environ.setdefault("PAGE_CACHE_SECONDS", "0")
    os.environ.setdefault("MAIL_DELIVERY", "worker")
    os.environ.setdefault("DATABASE_URL", _default_database())


def _signed_in(app, email: str):
    from forum_app.accounts.demo import DEMO_PASSWORD

    client = app.test_client()
    page = client.get("/account/login").get_data(as_text=True)
    token = CSRF.search(page)
    answer = client.post("/account/login", data={
        "email": email, "password": DEMO_PASSWORD, "csrf_token": token.group(1) if token else ""})
    if answer.status_code != 302:
        raise SystemExit(f"could not sign in as {email}: {answer.status_code}")
    return client


def _time(client, url: str, rounds: int, warmup: int) -> dict:
    timings, status = [], None
    for n in range(warmup + rounds):
        started = time.perf_counter()
        response = client.get(url)
        response.get_data()
        elapsed = (time.perf_counter() - started) * 1000
        status = response.status_code
        if status >= 400:
            raise SystemExit(f"{url}: {status}")
        if n >= warmup:
            timings.append(elapsed)
    timings.sort()
    return {"median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(timings[max(0, round(len(timings) * 0.95) - 1)], 1),
            "status": status}


def _download(client, url: str, whole: bool = True) -> tuple[float, int, int]:
    """(seconds to the first byte, bytes, status) of one download, read as it comes (only
    its first bytes unless `whole`)."""
    started = time.perf_counter()
    response = client.get(url, buffered=False)
    chunks = iter(response.response)
    size = len(next(chunks, b""))
    arrived = time.perf_counter()
    if whole:
        size += sum(len(chunk) for chunk in chunks)
    response.close()
    if response.status_code >= 400:
        raise SystemExit(f"{url}: {response.status_code}")
    return arrived - started, size, response.status_code


def _peak_memory_mb(client, url: str) -> float:
    """The most memory Python held at once for one more download of `url`, over what it
    held before (tracemalloc; its own round, since tracing slows everything down)."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        _download(client, url)
        return round((tracemalloc.get_traced_memory()[1] - before) / 2**20, 1)
    finally:
        tracemalloc.stop()


def _time_export(client, url: str, rounds: int, warmup: int) -> dict:
    """An export: the time to its first byte (what the organiser waits for before the download
    starts) as median and p95, and in all; and the memory one download takes at its peak. A
    warm-up round stops after the first bytes."""
    first, total, status, size = [], [], None, 0
    for n in range(warmup + rounds):
        started = time.perf_counter()
        arrived, size, status = _download(client, url, whole=n >= warmup)
        if n >= warmup:
            first.append(arrived * 1000)
            total.append((time.perf_counter() - started) * 1000)
    first.sort()
    return {"median_ms": round(statistics.median(first), 1),
            "p95_ms": round(first[max(0, round(len(first) * 0.95) - 1)], 1),
            "total_ms": round(statistics.median(total)), "bytes": size, "status": status,
            "peak_memory_mb": _peak_memory_mb(client, url)}


def _device_client(app):
    """A scanner of the big event (a device made for this run), for the figures API."""
    from sqlalchemy import select

    from forum_app.checkin.devices import create_device
    from forum_app.events.models import Event
    from forum_app.extensions import db

    with app.app_context():
        _device, token = create_device(None, db.session.scalar(
            select(Event).where(Event.slug == BIG)), "Large-data benchmark")
        db.session.commit()
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


def _ceiling(rounds: int, warmup: int) -> dict:
    from flask import Flask

    bare = Flask("ceiling")
    bare.add_url_rule("/", "empty", lambda: {})
    return _time(bare.test_client(), "/", rounds, warmup)


def _deep_cursor(client, url: str, pages: int) -> str:
    """The outcomes page `pages` pages in, following each page's "next" link."""
    link = url
    for _ in range(pages):
        found = re.search(r'href="(/forum/outcomes\?[^"]*cursor=[^"]+)"',
                          client.get(link).get_data(as_text=True))
        if not found:
            break
        link = found.group(1).replace("&amp;", "&")
    return link


def pages(app, ids: dict) -> list[tuple[str, str, str]]:
    """(group, who, url) of every page and every export measured."""
    outcomes_deep = _deep_cursor(app.test_client(), "/forum/outcomes", 20)
    year = f"from={ids['year']}-01-01&to={ids['year']}-12-31"
    return [
        ("dashboard", "official", "/reports/"),
        ("dashboard", "official", "/reports/?from=2023-01-01&to=2026-12-31"),
        ("dashboard", "official", f"/reports/?{year}&kind=city_forum"),
        ("dashboard", "visitor", f"/reports/?{year}"),
        ("dashboard", "official", "/reports/waiting"),
        ("dashboard", "organiser", "/reports/waiting"),
        ("outcomes", "visitor", "/forum/outcomes"),
        ("outcomes", "visitor", _deep_cursor(app.test_client(), "/forum/outcomes", 1)),
        ("outcomes", "visitor", outcomes_deep),
        ("outcomes", "visitor", f"/forum/outcomes?department={ids['department']}&overdue=1"),
        ("outcomes", "visitor", "/forum/outcomes?sdg=11&stage=in_progress"),
        ("issues", "visitor", "/issues/"),
        ("issues", "visitor", "/issues/?page=2"),
        ("issues", "visitor", "/issues/?page=900"),
        ("issues", "visitor", "/issues/?sort=supported&page=500"),
        ("issues", "visitor", f"/issues/?status=answered&district_id={ids['district']}"),
        ("issues", "visitor", "/issues/?sdg=6&sort=updated&page=50"),
        ("issues", "visitor", "/issues/?q=гэрэлтүүлэг"),
        ("attendees", "organiser", f"/manage/events/{BIG}/attendees"),
        ("attendees", "organiser", f"/manage/events/{BIG}/attendees?after={ids['second']}"),
        ("attendees", "organiser", f"/manage/events/{BIG}/attendees?after={ids['deep']}"),
        ("attendees", "organiser",
         f"/manage/events/{BIG}/attendees?state=cancelled&after={ids['cancelled']}"),
        ("attendees", "organiser", f"/manage/events/{BIG}/attendees?q=Сарнай"),
        ("attendees", "organiser", f"/manage/events/{BIG}/attendees?q=99123"),
        ("door", "organiser", f"/manage/events/{BIG}/checkin/search?q=Сарнай"),
        ("door", "organiser", f"/manage/events/{BIG}/checkin/search?q=99123"),
        ("door", "organiser", f"/manage/events/{BIG}/checkin/search?q=DF1-ABCD"),
        ("figures", "organiser", f"/manage/events/{BIG}/checkin/figures"),
        ("figures", "organiser", f"/manage/events/{BIG}/checkin/figures.json"),
        ("figures", "device", "/api/v1/checkin/figures"),
        ("exports", "organiser", f"/manage/events/{BIG}/attendees.csv"),
        ("exports", "organiser", f"/manage/events/{BIG}/attendees.xlsx"),
        ("exports", "official", f"/reports/stakeholders.csv?{year}"),
        ("exports", "official", "/reports/issue-status.xlsx?from=2023-01-01&to=2026-12-31"),
        ("exports", "official", f"/reports/actions.csv?{year}"),
        ("exports", "official", f"/reports/report.pdf?{year}"),
        *(("exports", "visitor", f"/open-data/{name}") for name in (
            "issues.json", "issues.csv", "actions.csv", "datapackage.json")),
    ]


def _key_after(event, rows: int, state: str | None = None) -> int:
    """The attendee list's key after its first `rows` rows (of `state`): a deep page by key."""
    from sqlalchemy import select

    from forum_app.extensions import db
    from forum_app.registration.models import Registration

    query = select(Registration.id).where(Registration.event_id == event.id)
    if state:
        query = query.where(Registration.state == state)
    return db.session.scalar(query.order_by(Registration.id).offset(rows - 1).limit(1))


def _ids(app) -> dict:
    from sqlalchemy import func, select

    from forum_app.core.models import Department, District
    from forum_app.database import TABLE_PAGE_SIZE
    from forum_app.events.models import Event
    from forum_app.extensions import db
    from forum_app.issues.models import Issue
    from forum_app.registration.models import Registration

    with app.app_context():
        big = db.session.scalar(select(Event).where(Event.slug == BIG))
        if big is None:
            raise SystemExit("no scale data: run `flask --app wsgi seed-scale` first")
        return {
            "year": (big.starts_at.year),
            "department": db.session.scalar(select(Department.slug).where(
                Department.slug == "city-services")) or "",
            "district": db.session.scalar(select(District.id).order_by(District.id)),
            "second": _key_after(big, TABLE_PAGE_SIZE),
            "deep": _key_after(big, DEEP_ATTENDEE),  # page 1500
            "cancelled": _key_after(big, 49 * TABLE_PAGE_SIZE, state="cancelled"),  # page 50
            "sizes": {"registrations": db.session.scalar(select(func.count(Registration.id))),
                      "big_event": db.session.scalar(select(func.count(Registration.id)).where(
                          Registration.event_id == big.id)),
                      "issues": db.session.scalar(select(func.count(Issue.id)))}}


# --- registration and redeem at this size, beside a small database -------------------------

def rates(large_url: str, options) -> list[dict]:
    """wrk_rounds' registration and redeem rounds on its own small database, then on a copy of
    the large one (SQLite), each under a fresh gunicorn, in this run."""
    from types import SimpleNamespace

    from benchmarks import wrk_rounds

    settings = SimpleNamespace(seconds=options.rate_seconds, warmup=2, threads=2,
                               connections=16, workers=4)
    saved, rows = os.environ.get("DATABASE_URL"), []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for size, url in (("demo", f"sqlite:///{Path(tmp) / 'small.sqlite'}"),
                              ("large", f"sqlite:///{Path(tmp) / 'large.sqlite'}")):
                data = (wrk_rounds.prepare(url) if size == "demo"
                        else _open_big_event(large_url, url, wrk_rounds.TICKETS))
                server, port = wrk_rounds.start_gunicorn(
                    "wsgi:app", wrk_rounds.production_env(url, tmp), settings.workers)
                try:
                    rows += wrk_rounds.run_rounds(port, wrk_rounds.write_rounds(
                        data, size, Path(tmp) / f"codes-{size}.txt", settings),
                        size, "this", settings)
                finally:
                    server.terminate()
                    server.wait()
    finally:
        os.environ["DATABASE_URL"] = saved or ""
    return rows


def _open_big_event(source: str, copy: str, tickets: int) -> dict:
    """A copy of the large database in which its big event takes registrations (in ten days,
    no capacity), has a device, and `tickets` of its tickets are not yet admitted."""
    import sqlite3
    from datetime import timedelta

    from sqlalchemy import exists, select

    from forum_app import create_app
    from forum_app.checkin.devices import create_device
    from forum_app.checkin.models import CheckIn
    from forum_app.events.models import Event
    from forum_app.extensions import db
    from forum_app.i18n import utcnow
    from forum_app.registration.models import Registration, Ticket

    with sqlite3.connect(source.removeprefix("sqlite:///")) as old, \
            sqlite3.connect(copy.removeprefix("sqlite:///")) as new:
        old.backup(new)
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=copy)
    with app.app_context():
        big = db.session.scalar(select(Event).where(Event.slug == BIG))
        big.starts_at = utcnow() + timedelta(days=10)
        big.ends_at = big.starts_at + timedelta(hours=3)
        big.registration_opens_at = big.registration_closes_at = big.capacity = None
        _device, token = create_device(None, big, "Large-data benchmark")
        codes = db.session.scalars(
            select(Ticket.code).join(Registration, Ticket.registration_id == Registration.id)
            .where(Registration.event_id == big.id, Registration.state == "confirmed",
                   Ticket.revoked_at.is_(None),
                   ~exists().where(CheckIn.ticket_id == Ticket.id))
            .limit(tickets)).all()
        data = {"rush_id": big.id, "token": token, "codes": codes}
        db.session.commit()
    return data


def _rates_table(rows: list[dict]) -> str:
    by = {(row["round"], row["database"]): row for row in rows}
    lines = ["", "Registration and redeem under wrk (gunicorn 4 sync workers, wrk -t2 -c16), "
             "on wrk_rounds' small database and on a copy of this one, in the same run:", "",
             "| round | small database /s (p99 ms) | large /s (p99 ms) | large vs small | "
             "within 10 % |", "|---|---|---|---|---|"]
    for name in dict.fromkeys(row["round"] for row in rows):
        small, large = by.get((name, "demo")), by.get((name, "large"))
        if not (small and large):
            continue
        ratio = large["per_s"] / small["per_s"] if small["per_s"] else 0
        lines.append(f"| {name} | {small['per_s']} ({small['p99_ms']}) | {large['per_s']} "
                     f"({large['p99_ms']}) | {ratio:.2f} | "
                     f"{'yes' if ratio >= 1 - RATE_GOAL else '**no**'} |")
    return "\n".join(lines) + "\n"


def _table(rows: list[dict], ceiling: dict, meta: dict) -> str:
    lines = [f"Large data ({meta['database']}; {meta['sizes']}); {meta['when']}; "
             f"load average before: {meta['load']}; in-process Flask test client, "
             f"FORUM_ENV=production, {meta['rounds']} rounds after {meta['warmup']} warm-up"
             + (f"; database built here in {meta['built_here_s']} s"
                if meta.get("built_here_s") is not None else ""),
             "", "Exports: median and p95 of the time to the first byte; the whole file's time "
             "(median), size, and the most memory Python held at once for one download "
             "(tracemalloc, a round of its own) in the last column.", "",
             "| page | as | median ms | p95 ms | goal: p95 under | met | median vs ceiling |",
             "|---|---|---|---|---|---|---|",
             f"| ceiling: bare Flask `{{}}` | - | {ceiling['median_ms']} | {ceiling['p95_ms']} "
             f"| - | - | 1 |"]
    for row in rows:
        ratio = round(row["median_ms"] / ceiling["median_ms"]) if ceiling["median_ms"] else "-"
        url = row["url"] if len(row["url"]) < 90 else row["url"][:87] + "..."
        goal = GOALS_MS.get(row["group"], GOAL_MS)
        last = (f"all {row['total_ms']} ms, {row['bytes'] / 1e6:.1f} MB, memory peak "
                f"{row['peak_memory_mb']} MB" if "total_ms" in row else f"{ratio}x")
        lines.append(f"| `{url}` | {row['who']} | {row['median_ms']} | {row['p95_ms']} | "
                     f"{goal} ms | {'yes' if row['p95_ms'] < goal else '**no**'} | {last} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--only", default="",
                        help="measure only URLs containing this (or one of these, comma-separated)")
    parser.add_argument("--rates", action=argparse.BooleanOptionalAction, default=True,
                        help="registration and redeem under wrk on a copy (SQLite only)")
    parser.add_argument("--rate-seconds", type=int, default=5)
    parser.add_argument("--export-rounds", type=int, default=5,
                        help="rounds of each export (each one downloads the whole file)")
    parser.add_argument("--skip-without-data", action="store_true",
                        help="skip (exit 0) instead of building a database with the scale data")
    parser.add_argument("--keep", metavar="FOLDER",
                        help="build the database (when needed) in FOLDER and keep it there")
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or _default_database()
    if _has_scale_data(url):
        return measure(options, built_s=None)
    if options.skip_without_data:
        print(f"skipped: {url} holds no scale data (run `flask --app wsgi seed-scale`, or "
              "leave out --skip-without-data to build a temporary database)")
        return 0
    if url.startswith("postgresql"):
        return measure(options, _build_database(url))
    folder = Path(options.keep or tempfile.mkdtemp(prefix="forum-large-data-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        own = f"sqlite:///{folder / 'forum_app.sqlite'}"
        built_s = None if _has_scale_data(own) else _build_database(own)
        os.environ["DATABASE_URL"] = own
        return measure(options, built_s)
    finally:
        if not options.keep:
            shutil.rmtree(folder, ignore_errors=True)


def measure(options, built_s: float | None) -> int:
    _production_env()
    from forum_app import create_app

    app = create_app()
    ids = _ids(app)
    clients = {"visitor": app.test_client(),
               "official": _signed_in(app, "official@demo.forum.mn"),
               "organiser": _signed_in(app, "organiser@demo.forum.mn"),
               "device": _device_client(app)}
    load = os.getloadavg()
    rows = []
    for group, who, url in pages(app, ids):
        if options.only and not any(part in url for part in options.only.split(",")):
            continue
        if group == "exports":  # 80,000 rows each time: a few rounds (the XLSX, one)
            rounds = 1 if url.endswith(".xlsx") else options.export_rounds
            measured = _time_export(clients[who], url, rounds, min(options.warmup, 1))
        else:
            measured = _time(clients[who], url, options.rounds, options.warmup)
        rows.append({"group": group, "who": who, "url": url, **measured})
        total = f"  (all {measured['total_ms']} ms)" if "total_ms" in measured else ""
        print(f"{measured['median_ms']:8.1f} {measured['p95_ms']:8.1f}  {who:9} {url}{total}",
              flush=True)
    ceiling = _ceiling(options.rounds * 10, options.warmup)
    database = os.environ["DATABASE_URL"].split(":", 1)[0]
    meta = {"database": database, "sizes": ids["sizes"], "rounds": options.rounds,
            "warmup": options.warmup, "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "load": " ".join(f"{n:.2f}" for n in load), "machine": platform.platform(),
            "built_here_s": round(built_s) if built_s is not None else None,
            "cpus": os.cpu_count()}
    table = _table(rows, ceiling, meta)
    rate_rows = []
    if options.rates and database == "sqlite":
        rate_rows = rates(os.environ["DATABASE_URL"], options)
        table += _rates_table(rate_rows)
    print(table)
    name = "large_data_" + ("postgresql" if "postgresql" in database else "sqlite")
    write_report(name, {"meta": meta, "ceiling": ceiling, "pages": rows, "rates": rate_rows})
    (RESULTS / f"{name}.md").write_text(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
