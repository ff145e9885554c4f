"""Helpers every test package shares."""

import html
import subprocess
import sys
from contextlib import contextmanager

from flask_babel import force_locale, gettext
from sqlalchemy import event

from forum_app.extensions import db


def mn(message: str, **values) -> str:
    """`message` as a Mongolian reader sees it (the catalogue's text, or the msgid while the
    catalogue lacks it), so the assertions hold before and after the translation is merged."""
    with force_locale("mn"):
        return gettext(message, **values)


def text_of(response) -> str:
    """A response's page with the HTML entities read back into text."""
    return html.unescape(response.get_data(as_text=True))


@contextmanager
def counted_queries():
    """The SQL statements run inside the block (BEGIN and hidden pings included), as a list
    filled as they run: the one counter of every "queries do not grow with the data" test."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


@contextmanager
def sqlite_query_plans(matches):
    """SQLite's EXPLAIN QUERY PLAN of each statement run inside the block for which
    `matches(statement)` holds: a string of the plans' details, filled as they run (the
    one place that asks SQLite how it reads; the tests that use it skip on PostgreSQL)."""
    plans: list[str] = []

    def explain(conn, cursor, statement, parameters, context, executemany):
        if matches(statement):
            plans.extend(str(row[-1]) for row in cursor.connection.execute(
                f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall())

    event.listen(db.engine, "before_cursor_execute", explain)
    try:
        yield plans
    finally:
        event.remove(db.engine, "before_cursor_execute", explain)


WRITES = ("INSERT", "UPDATE", "DELETE")


@contextmanager
def counted_transactions():
    """Like counted_queries, grouped by transaction: a list of {"begin", "statements",
    "writes"} filled as they run. "begin" is the BEGIN statement SQLite was sent ("BEGIN" or
    "BEGIN IMMEDIATE"; "" on PostgreSQL, whose driver begins by itself); "writes" counts the
    INSERT, UPDATE and DELETE statements. A statement outside any transaction (a pool's ping)
    makes a transaction of its own whose begin is None."""
    transactions: list[dict] = []
    current: dict = {"open": None}

    def start(begin):
        current["open"] = {"begin": begin, "statements": [], "writes": 0}
        transactions.append(current["open"])

    def begin(conn):
        if current["open"] is None:
            start("")

    def end(conn):
        current["open"] = None

    def count(conn, cursor, statement, parameters, context, executemany):
        text = statement.strip()
        if text.upper().startswith("BEGIN"):
            if current["open"] is None or current["open"]["statements"]:
                start(text)
            current["open"]["begin"] = text
            return
        if current["open"] is None:
            transactions.append({"begin": None, "statements": [text], "writes": 0})
            return
        current["open"]["statements"].append(text)
        current["open"]["writes"] += text.upper().startswith(WRITES)

    engine = db.engine
    listeners = [("begin", begin), ("commit", end), ("rollback", end),
                 ("before_cursor_execute", count)]
    for name, function in listeners:
        event.listen(engine, name, function)
    try:
        yield transactions
    finally:
        for name, function in listeners:
            event.remove(engine, name, function)


HOLD_FLOCK = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.read()  # until the test closes our input
"""


class LockHolder:
    """A real second process (another worker, as far as the app can tell) holding an exclusive
    flock() on `path` until release(); `takes_lock(path)` asks whether a new one would get it,
    waiting in the kernel as long as it must (a lock nobody gives back fails the test, after
    a minute, instead of hanging it)."""

    def __init__(self, path):
        self.process = subprocess.Popen([sys.executable, "-c", HOLD_FLOCK, str(path)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "held"

    def release(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=30)

    @staticmethod
    def takes_lock(path) -> bool:
        done = subprocess.run([sys.executable, "-c", HOLD_FLOCK, str(path)], input="",
                              capture_output=True, text=True, timeout=60, check=False)
        return done.stdout.strip() == "held"
