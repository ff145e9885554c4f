"""What one request on a write path costs the database: SQL statements and transactions per
guest registration (API and web form), per check-in redeem (API, web scanner) and per offline
sync of one scan, in the production configuration (FORUM_ENV=production), counted with
tests.support.counted_transactions on the Flask test client (one thread, no server).

A write transaction is one that takes SQLite's write lock (BEGIN IMMEDIATE) or, on
PostgreSQL, one that runs an INSERT, UPDATE or DELETE. Pings are pool_pre_ping's hidden
SELECT 1, one per connection checked out of the pool (the driver runs it unseen by the
statement listener), counted beside the statements. On PostgreSQL, round trips to the server
too: statements, pings, and each transaction's BEGIN and COMMIT.

    .venv/bin/python benchmarks/write_path.py                 # SQLite, a throw-away file
    DATABASE_URL=postgresql+psycopg://... .venv/bin/python benchmarks/write_path.py

Prints JSON (the figures of the REPEAT-th request of each kind) and writes it to
benchmarks/results/write_path_<database>.json; with --show, only prints it, with the statements
of that request. Not a test; tests/registration/test_write_path.py holds the line.
"""

import argparse
import json
import os
import re
import sys
import tempfile
from datetime import timedelta
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.checkin_latency import ORGANISER, PASSWORD, seed_door_event  # noqa: E402
from benchmarks.wrk_rounds import machine, write_report  # noqa: E402

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
REPEAT = 3  # the figures of the third request of each kind: caches warm, nothing first-time


def production_app(database_url: str, instance: str, limits: bool = False):
    """The production configuration on `database_url`, with a fresh schema (and the rate
    limits on, in memory, with `limits`)."""
    os.environ.update({"FORUM_ENV": "production", "DATABASE_URL": database_url,
                       "SECRET_KEY": "write-path-benchmark-" + "k" * 32,
                       "PUBLIC_BASE_URL": "http://localhost", "SESSION_COOKIE_SECURE": "0",
                       "RATELIMIT_ENABLED": "1" if limits else "0", "MAIL_DELIVERY": "worker",
                       "FORUM_INSTANCE_PATH": instance})
    from forum_app import create_app
    from forum_app.extensions import db

    app = create_app("production")
    app.config.update(SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False)
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


def seed(app, tickets: int) -> dict:
    """Today's door event of checkin_latency.py (`tickets` confirmed tickets and a device
    token, with room for registrations), and a rush event ten days ahead."""
    from forum_app.events.models import Event
    from forum_app.extensions import db

    with app.test_request_context():
        data = seed_door_event(tickets, slug="write-path", capacity=100_000)
        start = data.pop("start")
        rush = Event(slug="write-path-rush", kind="city_forum", state="published",
                     title_mn="Бүртгэлийн оргил", title_en="Registration rush",
                     starts_at=start + timedelta(days=10), capacity=100_000,
                     ends_at=start + timedelta(days=10, hours=2),
                     created_by_id=data["organiser_id"])
        db.session.add(rush)
        db.session.commit()
        return data | {"rush_id": rush.id, "rush_slug": rush.slug}


def _csrf(client, path: str) -> str:
    found = CSRF.search(client.get(path).get_data(as_text=True))
    return found.group(1) if found else ""


def _signed_in(app, email: str = ORGANISER, password: str = PASSWORD):
    """A test client signed in through the form (profile_pages.py signs in a citizen too)."""
    client = app.test_client()
    answer = client.post("/account/login", data={
        "email": email, "password": password, "csrf_token": _csrf(client, "/account/login")})
    if answer.status_code != 302:
        raise SystemExit(f"{email} could not sign in: {answer.status_code}")
    return client


def requests(app, data: dict) -> dict:
    """name -> a function(n) that sends the n-th request of that kind and returns its status."""
    api, web, staff = app.test_client(), app.test_client(), _signed_in(app)
    auth = {"Authorization": f"Bearer {data['token']}"}
    codes = iter(data["codes"])
    register_path = f"/events/{data['rush_slug']}/register"
    scan_path = f"/manage/events/{data['slug']}/scan"

    def api_registration(n):
        return api.post(f"/api/v1/events/{data['rush_id']}/registrations", json={
            "name": f"Зочин {n}", "email": f"api{n}@example.mn", "consent": True}).status_code

    def web_registration(n):
        token = _csrf(web, register_path)  # the page is drawn before; only the POST counts
        return lambda: web.post(register_path, data={
            "name": f"Зочин {n}", "email": f"web{n}@example.mn", "consent": "y",
            "language": "mn", "stakeholder_kind": "citizen",
            "csrf_token": token}).status_code

    def api_redeem(n):
        return api.post("/api/v1/checkin", headers=auth, json={
            "code": next(codes), "nonce": f"api-{n}", "gate": "Гол хаалга"}).status_code

    def web_redeem(n):
        token = _csrf(staff, f"/manage/events/{data['slug']}/scanner")
        return lambda: staff.post(scan_path, data={
            "code": next(codes), "nonce": f"web-{n}", "csrf_token": token}).status_code

    def sync_one(n):
        return api.post("/api/v1/checkin/sync", headers=auth, json={"scans": [{
            "code": next(codes), "nonce": f"sync-{n}", "local_result": "admitted",
            "scanned_at": "2000-01-01T00:00:00"}]}).status_code

    return {"registration_api": api_registration, "registration_web": (web_registration,),
            "redeem_api": api_redeem, "redeem_web": (web_redeem,), "sync_one_scan": sync_one}


def measure(app, send, prepared: bool, show: bool) -> dict:
    from sqlalchemy import event

    from forum_app.extensions import db
    from tests.support import counted_transactions

    figures = {}
    for n in range(REPEAT):
        go = send(n) if prepared else partial(send, n)  # a form's page is drawn first
        checkouts = []

        def checkout(*_args, checkouts=checkouts):
            checkouts.append(1)

        with app.app_context():
            pool = db.engine.pool
            event.listen(pool, "checkout", checkout)
            try:
                with counted_transactions() as transactions:
                    status = go()
            finally:
                event.remove(pool, "checkout", checkout)
            pinging = bool(getattr(pool, "_pre_ping", False))
        figures = summary(transactions) | {"status": status,
                                           "pings": len(checkouts) if pinging else 0}
        if show:
            figures["transactions"] = transactions
    return figures


def summary(transactions: list[dict]) -> dict:
    real = [t for t in transactions if t["begin"] is not None]
    return {
        "statements": sum(len(t["statements"]) for t in transactions),
        "transactions": len(real),
        "write_transactions": sum(1 for t in real
                                  if t["begin"] == "BEGIN IMMEDIATE" or t["writes"]),
        "begin_immediate": sum(1 for t in real if t["begin"] == "BEGIN IMMEDIATE"),
    }


def run(database_url: str | None, tickets: int, show: bool) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'forum.sqlite'}"
        app = production_app(url, tmp)
        data = seed(app, tickets)
        results = {}
        for name, send in requests(app, data).items():
            prepared = isinstance(send, tuple)
            results[name] = measure(app, send[0] if prepared else send, prepared, show)
            if url.startswith("postgresql"):
                results[name]["round_trips"] = round_trips(results[name])
        return {"database": url.split(":", 1)[0], "figures": results}


def round_trips(figures: dict) -> int:
    """PostgreSQL: each statement (an executemany too: psycopg pipelines it), and the BEGIN
    psycopg sends before a transaction's first statement and its COMMIT, and each ping."""
    return figures["statements"] + 2 * figures["transactions"] + figures["pings"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show", action="store_true", help="list each transaction's SQL")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    results = run(url, 3 * REPEAT, args.show)
    if args.show:
        print(json.dumps(results, indent=2, ensure_ascii=False))
        return
    database = "postgresql" if (url or "").startswith("postgresql") else "sqlite"
    print(write_report(f"write_path_{database}", {"meta": machine(url or "")} | results))


if __name__ == "__main__":
    main()
