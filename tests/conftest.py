"""Fixtures in the style of Flask's tutorial: app, client, auth; a clean database per test.

The database is a real SQLite file, or PostgreSQL when DATABASE_URL is set; the schema is
made once per run and every table is emptied after each test. E-mail goes to a real SMTP
server (aiosmtpd) on loopback.
"""

import contextvars
import os
import socket
import threading
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import delete

from config import TestingConfig
from forum_app import create_app
from forum_app.extensions import db

from . import factories


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A SQLite file per test process, or with DATABASE_URL (PostgreSQL) a database per
    pytest-xdist worker, made fresh on that server."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'forum_app_test.sqlite'}"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    return fresh_postgres_database(url, worker)


def fresh_postgres_database(url: str, suffix: str) -> str:
    """A new, empty database `<name of url's>_<suffix>` on the same PostgreSQL server."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{suffix}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


class _Inbox:
    """Collects the messages the SMTP server receives."""

    def __init__(self):
        self.messages = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def clear(self):
        with self._lock:
            self.messages.clear()

    def to(self, address: str):
        with self._lock:
            return [m for m in self.messages if address in str(m["To"])]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    controller.inbox = inbox
    yield controller
    controller.stop()


@pytest.fixture
def mail_inbox(smtp_server):
    smtp_server.inbox.clear()
    return smtp_server.inbox


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, as in a real server, even while the test holds
    one open to look at the database; the test's session then sees what the request wrote."""

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(self._open_and_read, *args, **kwargs)
        if has_app_context():
            db.session.commit()  # end the test's read snapshot; see what the request wrote
        return response

    def _open_and_read(self, *args, **kwargs):
        """The answer with its body read in the request's own context (a streamed body is
        written as it is read); not closed, so what runs after the answer still waits."""
        response = super().open(*args, **kwargs)
        response.get_data()
        return response


def make_test_app(database_url: str, smtp_port: int | None = None, **overrides):
    settings = {"SQLALCHEMY_DATABASE_URI": database_url}
    if smtp_port:
        settings |= {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_DELIVERY": "inline"}
    app = create_app(TestingConfig, **(settings | overrides))
    app.test_client_class = IsolatedClient
    return app


@pytest.fixture(scope="session")
def _schema(database_url):
    app = make_test_app(database_url)
    with app.app_context():
        db.drop_all()
        db.create_all()
    return database_url


def _empty_tables(app):
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(delete(table))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app_factory(_schema, smtp_server):
    """Builds apps on the test database; every table is emptied after the test."""
    made = []

    def build(**overrides):
        app = make_test_app(_schema, smtp_server.port, **overrides)
        made.append(app)
        return app

    yield build
    if made:
        same_database = [a for a in made if a.config["SQLALCHEMY_DATABASE_URI"] == _schema]
        _empty_tables(same_database[0] if same_database else make_test_app(_schema))


@pytest.fixture
def app(app_factory):
    app = app_factory()
    with app.app_context():
        factories.seed_reference()
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email="citizen@example.mn", password=factories.PASSWORD):
        return self._client.post("/account/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/account/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


class GunicornServer:
    """The app served as in production: gunicorn with several worker processes, on loopback,
    against the test database."""

    def __init__(self, database_url: str, workers: int = 4):
        import subprocess
        import sys
        from pathlib import Path

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
        env |= {"DATABASE_URL": database_url, "FORUM_ENV": "testing",
                "RATELIMIT_ENABLED": "false", "SECRET_KEY": TestingConfig.SECRET_KEY}
        root = Path(__file__).resolve().parents[1]
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "--workers", str(workers),
             "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning",
             "--timeout", "60", "wsgi:app"],
            cwd=root, env=env)

    def wait_ready(self, timeout: float = 90.0):  # four workers booting on a busy machine
        import time
        import urllib.request

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited early")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not become ready")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except Exception:  # noqa: BLE001 - make sure it is gone
            self.process.kill()


@pytest.fixture
def gunicorn_server(app):
    server = GunicornServer(app.config["SQLALCHEMY_DATABASE_URI"]).wait_ready()
    yield server
    server.stop()


@pytest.fixture
def clock(monkeypatch):
    """A controllable "now" for the seat holds (tests/registration/support.py, Clock)."""
    from tests.registration.support import Clock
    return Clock(monkeypatch)
