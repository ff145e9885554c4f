"""The scanner's offline pack for a big event: its size (JSON and gzip, as sent) and the time
to build it and to read its version (what every phone asks each minute), in process, on SQLite
(or DATABASE_URL). Goal (issue 14): 100,000 tickets in at most 2 MB, built in under 1 s.

    .venv/bin/python benchmarks/offline_pack.py [--registrations 100000] [--rounds 3]

Prints JSON and writes benchmarks/results/offline_pack.json. Not a test.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.wrk_rounds import machine, prepare, write_report  # noqa: E402


def timed(function, rounds: int) -> tuple[float, object]:
    """The median time of `rounds` calls in ms, and the last call's answer."""
    times, answer = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        answer = function()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1), answer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--registrations", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(tmp) / 'pack.sqlite'}"
        data = prepare(url, tickets=options.registrations)
        from forum_app import create_app
        from forum_app.checkin import offline
        from forum_app.events.models import Event
        from forum_app.extensions import db

        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
        with app.test_request_context():
            event = db.session.get(Event, data["door_id"])
            version_ms, version = timed(lambda: offline.pack_version(event), options.rounds * 10)

            def build():
                offline._packs.clear()  # noqa: SLF001 - each round builds afresh
                return offline.packed(event, version)

            build_ms, pack = timed(build, options.rounds)
    report = {"meta": machine(), "database": url.split(":", 1)[0],
              "registrations": options.registrations, "tickets": len(data["codes"]),
              "version_check_ms": version_ms, "build_ms_json_and_gzip": build_ms,
              "json_bytes": len(pack.json), "gzip_bytes": len(pack.gzip),
              "goal": "gzip <= 2,000,000 bytes, built in < 1000 ms"}
    print(write_report("offline_pack", report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
