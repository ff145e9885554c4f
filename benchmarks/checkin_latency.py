"""Check-in at the door, measured as served in production (gunicorn, several workers, SQLite
in WAL mode):

1. camera-to-result latency: headless Chromium with a fake camera that plays a .y4m whose first
   frames are blank and the rest show a real ticket's QR. The moment the QR is on screen is the
   first video frame with dark pixels (seen by requestVideoFrameCallback); the scanner page
   emits "scanner:decoded" (jsQR read the code) and "scanner:result" (the answer is on screen)
   with performance.now() times. One fresh browser per ticket, distinct tickets.
2. the redeem endpoint's throughput: POST /api/v1/checkin with a device token, distinct codes
   and nonces, C clients in a closed loop (benchmarks/loadgen.py); then every client on ONE
   ticket at once, which must give exactly one "admitted".

    .venv/bin/python benchmarks/checkin_latency.py [--scans 10] [--workers 4] [--clients 16]
        [--requests 25]

Prints JSON. Needs /usr/bin/chromium (or CHROMIUM_PATH), Playwright and static/vendor/jsQR.js
(`make setup`). Not part of the test suite.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.loadgen import run_load  # noqa: E402
from benchmarks.registration_throughput import start_gunicorn  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]
ORGANISER = "bench-organiser@example.mn"
PASSWORD = "bench-password-0123456789"  # noqa: S105
BLANK_FRAMES, QR_FRAMES, FPS = 20, 30, 10

# Watches the camera's frames: the first one with dark pixels is when the QR is on screen.
WATCH = """() => {
  const bench = window.__bench = {shown: null, decoded: null, result: null, outcome: null};
  document.addEventListener('scanner:decoded', e => {
    if (bench.shown !== null && bench.decoded === null) bench.decoded = e.detail.at; });
  document.addEventListener('scanner:result', e => {
    if (bench.decoded !== null && bench.result === null) {
      bench.result = e.detail.at; bench.outcome = e.detail.result; } });
  const video = document.getElementById('scanner-video');
  const canvas = document.createElement('canvas');
  canvas.width = 32; canvas.height = 24;
  const context = canvas.getContext('2d', {willReadFrequently: true});
  const look = (now) => {
    context.drawImage(video, 0, 0, 32, 24);
    const pixels = context.getImageData(0, 0, 32, 24).data;
    let dark = false;
    for (let i = 0; i < pixels.length; i += 4) { if (pixels[i] < 100) { dark = true; break; } }
    if (dark) { bench.shown = now; } else { video.requestVideoFrameCallback(look); }
  };
  video.requestVideoFrameCallback(look);
}"""


def local_midnight_utc(day) -> datetime:
    from zoneinfo import ZoneInfo

    moment = datetime.combine(day, time(0), tzinfo=ZoneInfo("Asia/Ulaanbaatar"))
    return moment.astimezone(UTC).replace(tzinfo=None)


def prepare(path: Path, tickets: int) -> dict:
    """A database with today's door event (seed_door_event) on a fresh SQLite file."""
    from forum_app import create_app
    from forum_app.extensions import db

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with app.app_context():
        db.create_all()
        return seed_door_event(tickets)


def seed_door_event(tickets: int, slug: str = "bench-door", capacity: int | None = None) -> dict:
    """In an app context: the reference data, an organiser, an event running all of today
    (local), `tickets` confirmed registrations made through the real service, and a device
    token (write_path.py builds on it too)."""
    from forum_app.accounts.services import register_user
    from forum_app.checkin.devices import create_device
    from forum_app.checkin.entry import local_date
    from forum_app.core.demo import seed_reference
    from forum_app.events.models import Event
    from forum_app.extensions import db
    from forum_app.i18n import utcnow
    from forum_app.registration.services import (
        RegistrationInput,
        confirm_code,
        confirm_registration,
        register,
    )

    seed_reference()
    organiser = register_user(email=ORGANISER, password=PASSWORD, name="Хэмжигч",
                              roles=("organiser",), verified=True, language="mn")
    start = local_midnight_utc(local_date(utcnow()))
    event = Event(slug=slug, kind="city_forum", state="published",
                  title_mn="Хэмжилт", title_en="Benchmark", starts_at=start,
                  ends_at=start + timedelta(hours=23, minutes=59), capacity=capacity,
                  created_by_id=organiser.id)
    db.session.add(event)
    db.session.commit()
    codes = []
    before = start - timedelta(days=1)
    for n in range(tickets):
        data = RegistrationInput(name=f"Оролцогч {n}", email=f"door{n}@example.mn",
                                 consent=True)
        registration, _token = register(event, data, now=before)
        # A guest's seat is held until the mailed link confirms it: each one did.
        codes.append(confirm_registration(registration, confirm_code(registration),
                                          now=before).registration.ticket.code)
    _device, token = create_device(organiser, event, "Хэмжилтийн төхөөрөмж")
    return {"event_id": event.id, "slug": event.slug, "codes": codes, "token": token,
            "organiser_id": organiser.id, "start": start}


def admissions(path: Path) -> int:
    import sqlite3

    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT count(*) FROM checkins WHERE result = 'admitted' AND annulled_at IS NULL"
        ).fetchone()[0]


def scan_with_camera(playwright, base_url: str, slug: str, code: str, video: Path) -> dict:
    from tests.browser.fake_camera import blank_frame, ticket_frame, write_y4m

    write_y4m(video, [blank_frame()] * BLANK_FRAMES + [ticket_frame(code)] * QR_FRAMES, FPS)
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True,
        args=CHROMIUM_ARGS + ["--use-fake-device-for-media-stream",
                              "--use-fake-ui-for-media-stream",
                              f"--use-file-for-fake-video-capture={video}"])
    try:
        context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                      has_touch=True, base_url=base_url, locale="mn-MN",
                                      permissions=["camera"])
        page = context.new_page()
        page.goto("/account/login")
        page.fill("input[name=email]", ORGANISER)
        page.fill("input[name=password]", PASSWORD)
        page.locator("form:has(input[name=password]) [type=submit]").click()
        page.wait_for_url(base_url + "/")
        page.goto(f"/manage/events/{slug}/checkin")
        page.locator("form[action$='/checkin/open'] [type=submit]").click()
        page.wait_for_url("**/scanner?**")
        page.wait_for_function("() => location.hash === '' && "
                               "!document.getElementById('scanner-status').hidden")
        page.evaluate(WATCH)
        page.click("#scanner-camera-toggle")
        page.wait_for_function("() => window.__bench.result !== null", timeout=30_000)
        bench = page.evaluate("window.__bench")
    finally:
        browser.close()
    return {"decoded_ms": bench["decoded"] - bench["shown"],
            "result_ms": bench["result"] - bench["shown"], "result": bench["outcome"]}


def summary(values: list[float]) -> dict:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median": round(statistics.median(ordered), 1), "p95": round(p95, 1),
            "min": round(ordered[0], 1), "max": round(ordered[-1], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scans", type=int, default=10, help="camera scans, one per ticket")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=25, help="per client")
    args = parser.parse_args()
    if not (ROOT / "static" / "vendor" / "jsQR.js").exists():
        sys.exit("static/vendor/jsQR.js is missing: run `make setup` first")

    from playwright.sync_api import sync_playwright

    redeems = args.clients * args.requests
    results: dict = {"settings": vars(args)}
    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "forum.sqlite"
        data = prepare(database, args.scans + redeems + 1)
        camera_codes = data["codes"][:args.scans]
        load_codes = data["codes"][args.scans:args.scans + redeems]
        contested = data["codes"][-1]
        env = {"FORUM_ENV": "testing", "DATABASE_URL": f"sqlite:///{database}",
               "RATELIMIT_ENABLED": "false", "FORUM_INSTANCE_PATH": tmp,
               "SECRET_KEY": "benchmark-secret-key-0123456789abcdef"}
        server, port = start_gunicorn("wsgi:app", env, args.workers)
        try:
            base_url = f"http://127.0.0.1:{port}"
            scans = []
            with sync_playwright() as playwright:
                for code in camera_codes:
                    scans.append(scan_with_camera(playwright, base_url, data["slug"], code,
                                                  Path(tmp) / "camera.y4m"))
            results["camera_to_screen"] = {
                "scans": len(scans),
                "results": sorted({scan["result"] for scan in scans}),
                "qr_shown_to_decoded_ms": summary([scan["decoded_ms"] for scan in scans]),
                "qr_shown_to_result_on_screen_ms": summary([scan["result_ms"] for scan in scans]),
            }

            before = admissions(database)
            auth = {"Authorization": f"Bearer {data['token']}"}
            results["redeem_distinct_tickets"] = run_load(
                port, "/api/v1/checkin", lambda n: {"code": load_codes[n],
                                                    "nonce": f"load-{n}",
                                                    "gate": "Гол хаалга"},
                args.clients, args.requests, headers=auth)
            results["redeem_distinct_tickets"]["admitted"] = admissions(database) - before

            before = admissions(database)
            results["redeem_one_ticket_at_once"] = run_load(
                port, "/api/v1/checkin", lambda n: {"code": contested, "nonce": f"same-{n}",
                                                    "gate": "Гол хаалга"},
                args.clients, 1, headers=auth)
            results["redeem_one_ticket_at_once"]["admitted"] = admissions(database) - before
        finally:
            server.terminate()
            server.wait()
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
