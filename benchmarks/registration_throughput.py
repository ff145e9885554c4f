"""Guest-registration throughput and latency for one capacity-limited event, served as in
production (gunicorn, several workers, SQLite in WAL mode), beside the ceiling: a bare Flask
endpoint doing one INSERT under the same server settings, in the same run.

    .venv/bin/python benchmarks/registration_throughput.py [--workers 4] [--clients 16]
        [--requests 50] [--capacity 200]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.loadgen import run_load  # noqa: E402


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(app_spec: str, env: dict, workers: int, root: Path = ROOT,
                   extra: tuple[str, ...] = ()) -> tuple[subprocess.Popen, int]:
    """gunicorn serving `app_spec` from `root` (this checkout, or another to compare), once it
    answers. The app is imported before the workers fork (--preload), so every worker is
    ready when the first is, however slowly a loaded machine imports it. `extra`: more of
    gunicorn's options (e.g. --worker-class gthread --threads 4)."""
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "--workers", str(workers),
         "--preload", "--bind", f"127.0.0.1:{port}", "--log-level", "warning", *extra,
         app_spec],
        cwd=root, env={**os.environ, **env})
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310
            break
        except urllib.error.HTTPError:
            break  # the bare app has no /healthz: a 404 means it is up
        except OSError:
            time.sleep(0.2)
    else:
        process.terminate()
        raise RuntimeError(f"gunicorn serving {app_spec} from {root} did not answer")
    return process, port


def prepare_forum_db(path: Path, capacity: int) -> int:
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    from forum_app import create_app
    from forum_app.events.models import Event
    from forum_app.extensions import db
    from forum_app.i18n import utcnow

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with app.app_context():
        db.create_all()
        start = utcnow() + timedelta(days=10)
        event = Event(slug="bench", kind="city_forum", state="published",
                      title_mn="Хэмжилт", title_en="Benchmark", starts_at=start,
                      ends_at=start + timedelta(hours=2), capacity=capacity)
        db.session.add(event)
        db.session.commit()
        return event.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=50, help="per client")
    parser.add_argument("--capacity", type=int, default=200)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        forum_db = Path(tmp) / "forum.sqlite"
        event_id = prepare_forum_db(forum_db, args.capacity)
        env = {"FORUM_ENV": "testing", "DATABASE_URL": f"sqlite:///{forum_db}",
               "RATELIMIT_ENABLED": "false", "SECRET_KEY": "benchmark-secret-key-0123456789abcdef",
               "FORUM_INSTANCE_PATH": tmp}

        def person(n):
            return {"name": f"Оролцогч {n}", "email": f"bench{n}@example.mn", "consent": True}

        results = {}
        server, port = start_gunicorn("wsgi:app", env, args.workers)
        try:
            results["registration"] = run_load(
                port, f"/api/v1/events/{event_id}/registrations", person, args.clients,
                args.requests)
        finally:
            server.terminate()
            server.wait()

        bare_env = {"BARE_DB": str(Path(tmp) / "bare.sqlite")}
        server, port = start_gunicorn("benchmarks.bare_app:app", bare_env, args.workers)
        try:
            results["bare_insert"] = run_load(port, "/insert", person, args.clients,
                                              args.requests)
        finally:
            server.terminate()
            server.wait()

    results["ratio"] = round(results["registration"]["throughput_rps"]
                             / results["bare_insert"]["throughput_rps"], 3)
    results["settings"] = vars(args)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
