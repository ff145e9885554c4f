"""Where the CPU of one signed-in page goes (issue 14): the three pages of wrk_rounds.py's
signed_in round (a citizen's registrations, an issue page seen by that citizen, the
organiser's events), each fetched REQUESTS times through the Flask test client signed in
through the real form, in the production configuration (FORUM_ENV=production, SQLite WAL or
DATABASE_URL), under cProfile, beside a plain loop of the same requests.

Per page: CPU (process_time) and wall time per request, Python calls (cProfile's count), SQL
statements per request (and the distinct statement shapes, to spot N+1 loads), the answer's
size (Brotli, as a browser asks for it), whether the session cookie is sent again; then own
time by group and the heaviest functions, as profile_write_path.py shows them (its helpers).

    .venv/bin/python benchmarks/profile_pages.py [--requests 300] [--top 40]
        [--only my_registrations,issue,organiser_events] [--comments 0] [--dump /tmp/prof]

Not a test.
"""

import argparse
import cProfile
import json
import os
import pstats
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.profile_write_path import WARMUP, breakdown, show, timed  # noqa: E402
from benchmarks.write_path import _signed_in, production_app, seed  # noqa: E402

BROWSER = {"Accept-Encoding": "gzip, deflate, br", "Accept-Language": "mn"}


def seed_pages(app, comments: int) -> dict:
    """write_path.seed's organiser and events, a citizen registered for the rush event (as
    wrk_rounds.prepare_signed_in does) and an issue by someone else (with `comments`
    comments by others)."""
    from benchmarks.wrk_rounds import prepare_signed_in
    from forum_app.events.models import Event
    from forum_app.extensions import db
    from forum_app.issues.demo import seed_categories
    from tests import factories

    data = seed(app, 0)
    with app.test_request_context():
        seed_categories()
        signed_in = prepare_signed_in(factories, db.session.get(Event, data["rush_id"]))
        issue = factories.issue(title="Гудамжны гэрэлтүүлэг")
        if comments:
            from forum_app.issues.services import add_comment

            for n in range(comments):
                add_comment(factories.user(), issue, f"Санал {n}: гэрэл хэрэгтэй байна.")
        return data | signed_in | {"issue_id": issue.id}


PAGES = {"my_registrations": ("citizen", "/account/registrations"),
         "issue": ("citizen", "/issues/{issue_id}"),
         "organiser_events": ("organiser", "/events/manage")}


def senders(app, data: dict, wanted: list[str]) -> dict:
    """name -> (a function(n) that fetches that page and returns its status, 200), and the
    last answer of each page in `last` (for its size and cookies)."""
    clients = {"citizen": _signed_in(app, data["citizen"], data["password"]),
               "organiser": _signed_in(app)}
    last = {}

    def fetch(name, who, path):
        def send(_n):
            answer = clients[who].get(path, headers=BROWSER)
            last[name] = answer
            return answer.status_code
        return send

    return {name: (fetch(name, who, path.format(**data)), 200)
            for name, (who, path) in PAGES.items() if name in wanted}, last


def statements(app, send) -> list[str]:
    from tests.support import counted_transactions

    with app.app_context(), counted_transactions() as transactions:
        send(0)
    return [s for t in transactions for s in t["statements"]]


def run(options) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(tmp) / 'forum.sqlite'}"
        app = production_app(url, tmp)
        data = seed_pages(app, options.comments)
        wanted = options.only.split(",") if options.only else list(PAGES)
        sends, last = senders(app, data, wanted)
        results = {"database": url.split(":", 1)[0], "requests": options.requests,
                   "rate_limits": False}
        for name, (send, expected) in sends.items():
            for n in range(WARMUP):
                if send(n) != expected:
                    raise SystemExit(f"{name}: the warm-up request answered {send(n)}")
            sql = statements(app, send)
            measured = timed(send, expected, options.requests, 0)
            profiler = cProfile.Profile()
            profiled = timed(send, expected, options.requests, 0, profiler)
            measured["profiled_cpu_ms"] = profiled["cpu_ms"]
            stats = pstats.Stats(profiler)
            if options.dump:
                stats.dump_stats(f"{options.dump}-{name}.prof")
            answer = last[name]
            measured |= {
                "statements": len(sql), "distinct_statements": len(set(sql)),
                "bytes_sent": len(answer.get_data()),
                "encoding": answer.headers.get("Content-Encoding", "identity"),
                "session_cookie_sent": any(h.startswith("session=") for h in
                                           answer.headers.getlist("Set-Cookie"))}
            if options.sql:
                measured["sql"] = sql
            results[name] = measured | breakdown(stats, options.requests, options.top)
        return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--only", default="", help=",".join(PAGES))
    parser.add_argument("--comments", type=int, default=0, help="comments on the issue")
    parser.add_argument("--sql", action="store_true", help="list each page's statements")
    parser.add_argument("--dump", default="", help="write PREFIX-<page>.prof (pstats)")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    results = run(options)
    if options.json:
        print(json.dumps(results, indent=1, ensure_ascii=False))
        return
    print(show(results))
    for name in PAGES:
        if name in results:
            figures = results[name]
            print(f"{name}: {figures['statements']} statements "
                  f"({figures['distinct_statements']} distinct), {figures['bytes_sent']} bytes "
                  f"{figures['encoding']}, session cookie sent: "
                  f"{figures['session_cookie_sent']}")
            for statement in figures.get("sql", []):
                print("   ", statement[:160].replace("\n", " "))


if __name__ == "__main__":
    main()
