"""Engine behaviour that the correctness rules depend on.

SQLite: WAL, a busy timeout, foreign keys, Unicode-aware lower()/upper(), and explicit
transaction control so that a writing request starts with BEGIN IMMEDIATE. A deferred
transaction that reads first and writes later fails at once (SQLITE_BUSY) when another
writer committed in between; an immediate one waits its turn instead.

The hot write paths (registering, scanning a ticket: `@reads_first` views) hold SQLite's one
write lock only while they write: they read in deferred transactions, which take no lock, and
their service calls begin_write() just before its first write.

Writers queue for that lock (QueuedConnection): SQLite's own busy handler, when the lock is
taken, sleeps 1, 2, 5, 10, 15, 20, 25, ... 100 ms before trying again, so under a rush the
lock stood free while workers slept, and a request that lost a few rounds waited 0.5-1 s.
Before BEGIN IMMEDIATE a connection now takes an exclusive flock() on a file beside the
database (`<file>-writers`), and gives it back right after its COMMIT or ROLLBACK: the kernel
wakes the next writer the moment the lock is free, in whichever worker process or thread.
Other writers (a deferred transaction that writes, another program) still meet the busy
timeout as before.

The wait in that queue is bounded as SQLite's own is (WRITERS_WAIT_SECONDS, the busy timeout):
a free queue is taken at once; a taken one is waited for by a helper thread, in the kernel as
before, while the connection waits for that thread at most the bound. Past it the request is
answered 503 with Retry-After ("the service is busy", errors.py), having written nothing; the
helper gives the lock back as soon as it gets it.
"""

import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from flask import Flask, request
from sqlalchemy import and_, event, false, func, literal, or_, select, tuple_, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from werkzeug.exceptions import ServiceUnavailable
from werkzeug.routing import IntegerConverter

from .extensions import db

# Every transaction of a writing request, and the one next transaction after begin_write().
_writing_request: ContextVar[bool] = ContextVar("sqlite_writing_request", default=False)
_next_immediate: ContextVar[bool] = ContextVar("sqlite_next_immediate", default=False)
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MAX_ID = 2**31 - 1  # the largest INTEGER primary key PostgreSQL holds (SQLite holds more)


def _up_to(limit: str) -> str:
    """A regular expression of the decimal numbers from 1 to `limit` (no sign, leading zeros
    allowed): the shorter numbers, then those of its length that first fall below it at some
    digit, then the limit itself."""
    size = len(limit)
    shorter = [rf"[1-9]\d{{0,{size - 2}}}"] if size > 1 else []
    below = [rf"{limit[:n]}[{'1' if n == 0 else '0'}-{int(limit[n]) - 1}]\d{{{size - n - 1}}}"
             for n in range(size) if int(limit[n]) > (1 if n == 0 else 0)]
    return "0*(?:" + "|".join([*shorter, *below, limit]) + ")"


class IdConverter(IntegerConverter):
    """`<int:...>` in every URL: a number no id can be (0, or past what an id column holds)
    matches no route (404) instead of reaching a view or overflowing in the database driver.
    The range is in the pattern, not only checked after it: Werkzeug checks a value after
    choosing the rule, and a path whose rule for another method was seen on the way would
    otherwise answer 405 instead of 404."""

    regex = _up_to(str(MAX_ID))

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def id_from_text(value) -> int | None:
    """An id sent as text (a form field, a CLI argument): the number when a row could have it,
    else None."""
    text = value.strip() if isinstance(value, str) else ""
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID))):
        return None
    return int(text) if 0 < int(text) <= MAX_ID else None


MAX_PAGE = 100_000  # far past any list here, and an offset every database accepts


def page_number(value=None) -> int:
    """The page asked for (?page= when not given), kept between 1 and MAX_PAGE."""
    if value is None:
        value = request.args.get("page", 1, type=int)
    return min(max(value or 1, 1), MAX_PAGE)


# Rows on one page, for every list of the site: one home, so lists of a kind stay alike.
PAGE_SIZE = 20          # lists people read: issues, notices, exhibitors, applications
TABLE_PAGE_SIZE = 50    # tables staff scan: users, the outbox, attendees
CARD_PAGE_SIZE = 12     # the public event cards (rows of three or four)
MANAGE_PAGE_SIZE = 30   # an organiser's own events
API_PAGE_SIZE = 100     # JSON API pages


def paginate(query, per_page: int = PAGE_SIZE, page: int | None = None):
    """db.paginate with a bounded page number and a fixed page size: a page past the end is
    empty, never an error, and ?per_page= cannot make a page bigger."""
    return db.paginate(query, page=page_number(page), per_page=per_page,
                       max_per_page=per_page, error_out=False)


@dataclass
class KeysetPage:
    """One page of a list paged by key: its rows, the key to continue after (None on the last
    page) and the key to go back before (None on the first)."""

    items: list
    total: int
    next_after: int | None
    previous_before: int | None


@dataclass(frozen=True)
class OrderKey:
    """One column (or SQL expression) of a list's order, for paging by key. NULLs of a
    `nullable` key come last in either direction, on SQLite as on PostgreSQL (whose defaults
    differ). `kind` is the Python type of its values (read from the column when not given)."""

    column: Any
    descending: bool = False
    nullable: bool = False
    kind: type | None = None

    @property
    def ordering(self):
        clause = self.column.desc() if self.descending else self.column.asc()
        return clause.nulls_last() if self.nullable else clause

    @property
    def value_type(self) -> type:
        return self.kind or self.column.type.python_type

    def bound(self, value):
        """`value` as a parameter of the column's own type (so SQLite compares a time in
        the text form it stores)."""
        return literal(value, self.column.type)

    def beyond(self, value):
        """Rows after `value` in this column alone; None when nothing can be (after NULL)."""
        if value is None:
            return None
        further = self.column < self.bound(value) if self.descending \
            else self.column > self.bound(value)
        return or_(further, self.column.is_(None)) if self.nullable else further

    def same(self, value):
        return self.column.is_(None) if value is None else self.column == self.bound(value)


def after_position(order: Sequence[OrderKey], values: Sequence):
    """The rows that come after the row whose keys are `values`, in `order` (its last key
    unique, such as the id): for keys a, b, c, either a is beyond, or a is the same and b is
    beyond, or a and b are the same and c is beyond. Without NULLs and in one direction it is
    the row value comparison (a, b, c) > (x, y, z), which an index on (a, b, c) answers."""
    if len(order) > 1 and len({key.descending for key in order}) == 1 and not any(
            key.nullable for key in order):
        columns = tuple_(*(key.column for key in order))
        bounds = tuple_(*(key.bound(value) for key, value in zip(order, values, strict=True)))
        return columns < bounds if order[0].descending else columns > bounds
    alternatives = []
    for index, (key, value) in enumerate(zip(order, values, strict=True)):
        beyond = key.beyond(value)
        if beyond is not None:
            alternatives.append(and_(*(earlier.same(known) for earlier, known in
                                       zip(order[:index], values[:index], strict=True)),
                                     beyond))
    return or_(*alternatives) if alternatives else false()


def seek(query, order: Sequence[OrderKey], *, after: Sequence | None = None,
         per_page: int = API_PAGE_SIZE) -> tuple[list, tuple | None]:
    """One page of `query` (a select of one entity) in `order`, just after the position
    `after` (the order keys of the last row already seen), or the first page: however deep,
    the database reads one page of the index. (rows, the position of the page's last row when
    more rows follow, else None). No total: counting a long list costs as much as reading it."""
    bounded = query if after is None else query.where(after_position(order, after))
    found = db.session.execute(
        bounded.add_columns(*(key.column for key in order)).order_by(None)
        .order_by(*(key.ordering for key in order)).limit(per_page + 1)).all()
    more, found = len(found) > per_page, found[:per_page]
    return [row[0] for row in found], (tuple(found[-1][1:]) if more else None)


def keyset_page(query, key, *, after: int | None = None, before: int | None = None,
                per_page: int = TABLE_PAGE_SIZE) -> KeysetPage:
    """The page of `query` (rows in ascending `key`, a unique integer column) just after the
    key `after`, or just before `before`, or the first: however deep, the database reads one
    page of the index, not every row ahead of it as an offset does. `total` counts them all."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    backwards = before is not None
    bounded = query.where(after_position([OrderKey(key, descending=backwards)],
                                         [before if backwards else after])) \
        if backwards or after is not None else query
    rows = db.session.scalars(bounded.order_by(None).order_by(key.desc() if backwards else key)
                              .limit(per_page + 1)).all()
    more, rows = len(rows) > per_page, rows[:per_page]
    if backwards:
        rows.reverse()
    keys = [getattr(row, key.key) for row in rows]
    return KeysetPage(
        items=rows, total=total,
        next_after=keys[-1] if rows and (more or backwards) else None,
        previous_before=keys[0] if rows and (more if backwards else after is not None)
        else None)


def contains_folded(columns, text: str):
    """Any of `columns` contains `text` (already lower case), whatever the case, Cyrillic too:
    one rule for every search box. SQLite's own LIKE folds ASCII case, so a query of ASCII
    characters (a phone number, an e-mail) is matched there without calling the Unicode
    lower() below on every row; others, and PostgreSQL, compare lower(column)."""
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    if sqlite and text.isascii():
        return or_(*(column.contains(text, autoescape=True) for column in columns))
    return or_(*(func.lower(column).contains(text, autoescape=True) for column in columns))


def fold(text) -> str:
    """Text as every search compares it: lower case in every alphabet (Cyrillic too). The one
    folding rule: typed queries, stored search keys (core.text.search_terms) and SQLite's
    lower() all use it."""
    return text.lower() if isinstance(text, str) else ""


def prefix_end(prefix: str) -> str:
    """A text after every text that starts with `prefix` and before any other greater one
    (code-point order, as SQLite's BINARY and PostgreSQL's "C" collation compare)."""
    return prefix + "\U0010ffff"


def starts_with(column, prefix: str):
    """`column` starts with `prefix`, as a range an ordinary index answers on both databases
    (LIKE 'x%' uses one only under conditions that differ between them)."""
    return and_(column >= prefix, column < prefix_end(prefix))


def _fold(method):
    return lambda value: method(value) if isinstance(value, str) else value


def _is_sqlite(dbapi_connection) -> bool:
    return isinstance(dbapi_connection, sqlite3.Connection)


_queued_here = threading.local()  # whether this thread holds the writers' queue already
BUSY_TIMEOUT_MS = 15_000
WRITERS_WAIT_SECONDS = BUSY_TIMEOUT_MS / 1000  # the longest wait in the writers' queue
RETRY_AFTER_SECONDS = 5
MAX_QUEUE_HELPERS = 64  # helper threads of this process still waiting (given up on or not)


class WritersBusy(ServiceUnavailable):
    """The writers' queue was not free within WRITERS_WAIT_SECONDS: 503 with Retry-After
    (errors.py says "the service is busy" in the user's language)."""

    def __init__(self):
        super().__init__(retry_after=RETRY_AFTER_SECONDS)


class _QueueHelper:
    """A thread that waits in the writers' queue for a connection, on a file descriptor of its
    own (a lock of its own). The connection waits for it a bounded time; when it has given up,
    the helper unlocks and closes as soon as it gets its turn."""

    waiting = 0  # helpers of this process not yet through the queue
    _count_lock = threading.Lock()

    def __init__(self, path: str):
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        self._decided = threading.Lock()
        self._through = threading.Event()
        self._given_up = self._failed = False
        with _QueueHelper._count_lock:
            _QueueHelper.waiting += 1
        threading.Thread(target=self._wait, name="sqlite-writers-queue", daemon=True).start()

    def _wait(self) -> None:
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except OSError:
            self._failed = True
        with _QueueHelper._count_lock:
            _QueueHelper.waiting -= 1
        with self._decided:
            self._through.set()
            if self._given_up or self._failed:
                os.close(self.fd)  # closing unlocks

    def turn(self, seconds: float) -> bool:
        """Whether the lock is ours within `seconds`; if not, the helper lets it go."""
        if self._through.wait(seconds):
            return not self._failed
        with self._decided:
            if self._through.is_set():
                return not self._failed
            self._given_up = True
            return False


class QueuedConnection(sqlite3.Connection):
    """A SQLite connection that waits its turn to write in the kernel, not in sleeps (see the
    module's docstring). The queue is a file beside the database; an in-memory database has
    none and writes as before."""

    _queue_path: str | None = None
    _queue_fd: int | None = None
    _queue_pid: int | None = None
    _helper_fd: int | None = None  # the descriptor that holds the lock, when a helper took it
    _holding = False
    wait_seconds = WRITERS_WAIT_SECONDS

    def find_queue(self) -> None:
        files = [row[2] for row in self.execute("PRAGMA database_list") if row[1] == "main"]
        self._queue_path = f"{files[0]}-writers" if files and files[0] else None

    def enter_queue(self) -> None:
        """Wait until no other queued connection writes (before BEGIN IMMEDIATE), at most
        `wait_seconds` (else WritersBusy). A second connection of the same thread does not
        wait for the first (it would wait for ever): it meets SQLite's busy timeout instead,
        as without the queue."""
        if self._queue_path is None or self._holding or getattr(_queued_here, "on", False):
            return
        if self._queue_pid != os.getpid():  # opened in a parent process: not ours to share
            self._queue_fd = os.open(self._queue_path, os.O_RDWR | os.O_CREAT, 0o600)
            self._queue_pid = os.getpid()
        try:
            fcntl.flock(self._queue_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._helper_fd = None
        except BlockingIOError:
            self._helper_fd = self._wait_turn()
        self._holding = _queued_here.on = True

    def _wait_turn(self) -> int:
        """The queue is taken: a helper waits in it, for at most `wait_seconds`."""
        if _QueueHelper.waiting >= MAX_QUEUE_HELPERS:
            raise WritersBusy()
        helper = _QueueHelper(self._queue_path)
        if not helper.turn(self.wait_seconds):
            raise WritersBusy()
        return helper.fd

    def leave_queue(self) -> None:
        if self._holding:
            self._holding = _queued_here.on = False
            if self._helper_fd is None:
                fcntl.flock(self._queue_fd, fcntl.LOCK_UN)
            else:
                os.close(self._helper_fd)  # closing unlocks
                self._helper_fd = None

    def commit(self):
        try:
            super().commit()
        finally:
            self.leave_queue()

    def rollback(self):
        try:
            super().rollback()
        finally:
            self.leave_queue()

    def close(self):
        try:
            super().close()
        finally:
            self.leave_queue()
            if self._queue_fd is not None and self._queue_pid == os.getpid():
                os.close(self._queue_fd)
            self._queue_fd = None


@event.listens_for(Engine, "connect")
def _on_connect(dbapi_connection, connection_record):
    if not _is_sqlite(dbapi_connection):
        return
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    if isinstance(dbapi_connection, QueuedConnection):
        dbapi_connection.find_queue()
    # SQLite's own lower()/upper() only fold ASCII; names here are Cyrillic.
    dbapi_connection.create_function("lower", 1, _fold(fold), deterministic=True)
    dbapi_connection.create_function("upper", 1, _fold(str.upper), deterministic=True)


@event.listens_for(Engine, "begin")
def _on_begin(connection):
    if connection.dialect.name == "sqlite":
        immediate = _writing_request.get() or _next_immediate.get()
        _next_immediate.set(False)
        if not immediate:
            connection.exec_driver_sql("BEGIN")
            return
        dbapi_connection = connection.connection.dbapi_connection
        queued = isinstance(dbapi_connection, QueuedConnection)
        if queued:
            dbapi_connection.enter_queue()
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            if queued:
                dbapi_connection.leave_queue()
            raise


def commit_keeping_loaded() -> None:
    """Commit without expiring the objects the session holds, so that reading them afterwards
    costs no new transaction: for a caller whose objects are what it has just written or rows
    it re-checks in SQL (conditional UPDATEs, unique indexes) inside the write transaction."""
    session = db.session()
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def begin_write(*, keep_loaded: bool = False) -> None:
    """Start a fresh transaction that holds the write lock from its first statement (SQLite);
    on PostgreSQL the rows are locked by the conditional UPDATEs the caller runs.
    `keep_loaded`: what was read before stays loaded (not read again inside the lock), for
    callers that judge nothing by it that their SQL does not check again."""
    if keep_loaded:
        commit_keeping_loaded()
    else:
        db.session.commit()
    _next_immediate.set(True)


def revoke_once(model, row_id: int, now):
    """In a fresh write transaction: set the row's `revoked_at` unless it is set already (two
    clicks, two tabs: one wins). Returns the row, read again, or None (rolled back) when it
    was revoked before. The caller records what happened and commits."""
    begin_write()
    changed = db.session.execute(
        update(model).where(model.id == row_id, model.revoked_at.is_(None))
        .values(revoked_at=now).execution_options(synchronize_session=False))
    if changed.rowcount != 1:
        db.session.rollback()
        return None
    row = db.session.get(model, row_id)
    db.session.refresh(row)
    return row


def reads_first(view):
    """Marks a POST view whose service reads first in deferred transactions and takes the
    write lock itself with begin_write() just before it writes (and writes nothing before).
    Put it next to the function, below the route and the limits."""
    view.reads_first = True
    return view


REST_BEFORE_PING = 10.0  # seconds a pooled PostgreSQL connection rests before it is checked


def engine_options(app: Flask) -> None:
    """pool_pre_ping sends a SELECT 1 each time a connection leaves the pool, to notice a
    server that dropped it; a SQLite file has no server, so there it only costs time. SQLite
    connections are QueuedConnections (writers wait their turn in the kernel, at most
    SQLITE_WRITERS_WAIT_SECONDS when the configuration sets it). PostgreSQL (psycopg): the
    check only after a rest in the pool (ping_after_rest)."""
    options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        factory = QueuedConnection
        wait = app.config.get("SQLITE_WRITERS_WAIT_SECONDS")
        if wait is not None and wait != QueuedConnection.wait_seconds:
            factory = type("QueuedConnection", (QueuedConnection,), {"wait_seconds": wait})
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **options, "pool_pre_ping": False,
            "connect_args": {**options.get("connect_args", {}), "factory": factory}}
    elif _psycopg(app):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, "pool_pre_ping": False}


def _psycopg(app: Flask) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0] == "postgresql+psycopg"


def ping_after_rest(app: Flask) -> None:
    """PostgreSQL: pool_pre_ping's check (a round trip) only for a connection that rested in
    the pool more than REST_BEFORE_PING seconds, when a restarted server or an idle timeout
    may have dropped it; not at each checkout, which in a rush is twice a request (a POST's
    read and write transactions each take the connection). A failed check discards the
    connection and the pool opens a new one, as with pool_pre_ping. Call after db.init_app."""
    if not _psycopg(app):
        return
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "checkin")
    def rested_from(_dbapi_connection, record):
        record.info["rested_from"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def checked_after_rest(dbapi_connection, record, _proxy):
        since = record.info.pop("rested_from", None)
        if since is None or time.monotonic() - since < REST_BEFORE_PING:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError from error


def register_request_transactions(app: Flask) -> None:
    @app.before_request
    def writes_begin_immediate():
        view = app.view_functions.get(request.endpoint)
        _writing_request.set(request.method in WRITE_METHODS
                             and not getattr(view, "reads_first", False))

    @app.teardown_request
    def reset_transaction_mode(error=None):
        _writing_request.set(False)
        _next_immediate.set(False)
