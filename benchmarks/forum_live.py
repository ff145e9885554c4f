"""The forum's live figures, measured as served in production (gunicorn, several workers,
SQLite in WAL mode):

1. vote-to-projector: headless Chromium shows the projector view (1920×1080); a checked-in
   ticket votes through POST /api/v1/agenda-items/<id>/votes; the time until the projector
   shows the new count (the page polls its JSON every 2 s with If-None-Match, so the expected
   figure is about half a poll interval plus one request). One vote at a time, distinct tickets.
2. the minutes PDF: generation time of each seeded forum's minutes (`flask seed-demo`), in
   process, several runs each.

    .venv/bin/python benchmarks/forum_live.py [--votes 10] [--workers 4] [--runs 5]

Prints JSON. Needs /usr/bin/chromium (or CHROMIUM_PATH) and Playwright. Not a test.
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.checkin_latency import CHROMIUM, CHROMIUM_ARGS, ORGANISER, prepare  # noqa: E402
from benchmarks.registration_throughput import start_gunicorn  # noqa: E402

# The redraw replaces the list, so the count is looked up afresh each time.
FIRST_COUNT = """(n) => {
  const count = document.querySelector('[data-part=options] li strong');
  return count !== null && count.textContent === String(n);
}"""


def _app(path: Path):
    from forum_app import create_app

    return create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")


def prepare_vote(path: Path, voters: int) -> dict:
    """The door benchmark's event (all of today, `voters` confirmed tickets), every ticket
    checked in, and an item in its voting stage with two options, all through the services."""
    from forum_app.accounts.models import User
    from forum_app.checkin.services import check_in
    from forum_app.deliberation import services
    from forum_app.events.models import Event
    from forum_app.extensions import db

    door = prepare(path, voters)
    app = _app(path)
    with app.app_context():
        event = db.session.get(Event, door["event_id"])
        organiser = db.session.scalar(db.select(User).where(User.email == ORGANISER))
        item = services.create_agenda_item(organiser, event, {"title_mn": "Хэмжих асуудал"})
        for stage in ("discussion", "options"):
            services.move_stage(organiser, item, stage)
        for title in ("Нэгдүгээр хувилбар", "Хоёрдугаар хувилбар"):
            services.add_option(organiser, item, {"title_mn": title})
        services.move_stage(organiser, item, "voting")
        for n, code in enumerate(door["codes"]):
            check_in(code, event=event, device=None, staff=organiser, nonce=f"bench-{n}")
        return {"slug": event.slug, "item_id": item.id, "option_id": item.options[0].id,
                "codes": door["codes"]}


def vote_to_screen(port: int, setup: dict) -> list[float]:
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    seconds = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080}, base_url=base)
        page.goto(f"/events/{setup['slug']}/forum/screen")
        for n, code in enumerate(setup["codes"], 1):
            # Votes land at any moment of the 2 s poll cycle.
            page.wait_for_timeout(random.uniform(200, 2200))  # noqa: S311 - not a secret
            request = urllib.request.Request(  # noqa: S310 - loopback
                f"{base}/api/v1/agenda-items/{setup['item_id']}/votes", method="POST",
                data=json.dumps({"ticket": code, "option_id": setup["option_id"]}).encode(),
                headers={"Content-Type": "application/json"})
            started = time.perf_counter()
            urllib.request.urlopen(request, timeout=10).read()  # noqa: S310 - loopback
            page.wait_for_function(FIRST_COUNT, arg=n, polling=20, timeout=10_000)
            seconds.append(time.perf_counter() - started)
        browser.close()
    return seconds


def minutes_times(path: Path, runs: int) -> dict:
    """Seconds to build each seeded forum's minutes (median of `runs`), and its size."""
    from sqlalchemy import select

    from forum_app.deliberation.minutes import build_minutes_pdf
    from forum_app.deliberation.models import AgendaItem
    from forum_app.events.models import Event
    from forum_app.extensions import db

    app = _app(path)
    with app.app_context():
        db.create_all()
        assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
        events = db.session.scalars(select(Event).where(
            Event.id.in_(select(AgendaItem.event_id)))).all()
        figures = {}
        with app.test_request_context():
            for event in events:
                times = []
                for _ in range(runs):
                    started = time.perf_counter()
                    pdf = build_minutes_pdf(event)
                    times.append(time.perf_counter() - started)
                figures[event.slug] = {"median_ms": round(statistics.median(times) * 1000),
                                       "max_ms": round(max(times) * 1000),
                                       "bytes": len(pdf)}
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--votes", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        live_db = Path(tmp) / "live.sqlite"
        setup = prepare_vote(live_db, args.votes)
        env = {"FORUM_ENV": "testing", "DATABASE_URL": f"sqlite:///{live_db}",
               "RATELIMIT_ENABLED": "false", "FORUM_INSTANCE_PATH": tmp,
               "SECRET_KEY": "benchmark-secret-key-0123456789abcdef"}
        server, port = start_gunicorn("wsgi:app", env, args.workers)
        try:
            seconds = vote_to_screen(port, setup)
        finally:
            server.terminate()
            server.wait()
        results["vote_to_projector_ms"] = {
            "median": round(statistics.median(seconds) * 1000),
            "p90": round(sorted(seconds)[int(len(seconds) * 0.9) - 1] * 1000),
            "max": round(max(seconds) * 1000), "votes": len(seconds)}
        os.environ.pop("DATABASE_URL", None)
        results["minutes_pdf"] = minutes_times(Path(tmp) / "demo.sqlite", args.runs)
    results["settings"] = vars(args)
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
