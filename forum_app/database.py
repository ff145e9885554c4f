"""Engine behaviour that the correctness rules depend on.

SQLite: WAL, a busy timeout, foreign keys, Unicode-aware lower()/upper(), and explicit
transaction control so that a writing request starts with BEGIN IMMEDIATE. A deferred
transaction that reads first and writes later fails at once (SQLITE_BUSY) when another
writer committed in between; an immediate one waits its turn instead.

The hot write paths (registering, scanning a ticket: `@reads_first` views) hold SQLite's one
write lock only while they write: they read in deferred transactions, which take no lock, and
their service calls begin_write() just before its first write.
"""

from contextvars import ContextVar
from dataclasses import dataclass

from flask import Flask, request
from sqlalchemy import and_, event, func, or_, select, update
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter

from .extensions import db

# Every transaction of a writing request, and the one next transaction after begin_write().
_writing_request: ContextVar[bool] = ContextVar("sqlite_writing_request", default=False)
_next_immediate: ContextVar[bool] = ContextVar("sqlite_next_immediate", default=False)
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MAX_ID = 2**31 - 1  # the largest INTEGER primary key PostgreSQL holds (SQLite holds more)


class IdConverter(IntegerConverter):
    """`<int:...>` in every URL: a number no id can be (0, or past what an id column holds)
    matches no route (404) instead of reaching a view or overflowing in the database driver."""

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


def keyset_page(query, key, *, after: int | None = None, before: int | None = None,
                per_page: int = TABLE_PAGE_SIZE) -> KeysetPage:
    """The page of `query` (rows in ascending `key`, a unique integer column) just after the
    key `after`, or just before `before`, or the first: however deep, the database reads one
    page of the index, not every row ahead of it as an offset does. `total` counts them all."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    backwards = before is not None
    bounded = query.where(key < before) if backwards else \
        query.where(key > after) if after is not None else query
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
    return type(dbapi_connection).__module__.startswith("sqlite3")


@event.listens_for(Engine, "connect")
def _on_connect(dbapi_connection, connection_record):
    if not _is_sqlite(dbapi_connection):
        return
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # SQLite's own lower()/upper() only fold ASCII; names here are Cyrillic.
    dbapi_connection.create_function("lower", 1, _fold(fold), deterministic=True)
    dbapi_connection.create_function("upper", 1, _fold(str.upper), deterministic=True)


@event.listens_for(Engine, "begin")
def _on_begin(connection):
    if connection.dialect.name == "sqlite":
        immediate = _writing_request.get() or _next_immediate.get()
        _next_immediate.set(False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


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


def engine_options(app: Flask) -> None:
    """pool_pre_ping sends a SELECT 1 each time a connection leaves the pool, to notice a
    server that dropped it; a SQLite file has no server, so there it only costs time."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}), "pool_pre_ping": False}


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
