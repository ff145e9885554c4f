"""The version of what the public pages show: one row, one number, raised in the same
transaction as any write that may change a public page, so no service can forget to.

Every INSERT, UPDATE or DELETE the app sends (ORM flush, bulk statement or plain SQL) marks
the transaction; just before it commits, the number goes up by one. A table that no public
page reads is named in UNSEEN_TABLES and does not count. The page cache (core/page_cache.py)
reads the number once per request: a page stored under an older number is never served again,
in any worker, from the commit on.
"""

import contextlib
import os
import re
import threading
from contextvars import ContextVar

from sqlalchemy import DDL, BigInteger, event, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..extensions import db

VERSION_TABLE = "page_versions"
# Rows no anonymous public page shows: sign-in sessions, mail and notices to one person,
# door devices, and the version row itself.
UNSEEN_TABLES = frozenset({VERSION_TABLE, "login_sessions", "outbox_messages", "notifications",
                           "notification_preferences", "devices"})
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)

# Whether the transaction now open in this context has written a row a public page may show.
_public_write: ContextVar[bool] = ContextVar("public_write", default=False)


class PageVersion(db.Model):
    __tablename__ = VERSION_TABLE

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


# db.create_all() (tests, a fresh SQLite file) gets the one row as the migration does.
event.listen(PageVersion.__table__, "after_create",
             DDL("INSERT INTO page_versions (id, version) VALUES (1, 0)"))


# One statement for SQLite and PostgreSQL; it puts the row back if it was ever deleted.
RAISE = text("INSERT INTO page_versions (id, version) VALUES (1, 1) "
             "ON CONFLICT (id) DO UPDATE SET version = page_versions.version + 1")


READ = "SELECT version FROM page_versions WHERE id = 1"
_reader = threading.local()  # per thread of a worker: its connection, pid and database


def current_version() -> int | None:
    """The number now committed; None when the row is missing or the database is away (then
    nothing is cached). Read on a connection of its own, kept out of the pool and in
    autocommit, so a page served from the cache costs one indexed SELECT and no ORM session;
    being read before the page's own queries, a page kept under a number is never older."""
    engine = db.engine
    if engine.url.get_backend_name() == "sqlite" and engine.url.database in (None, "",
                                                                             ":memory:"):
        return db.session.scalar(select(PageVersion.version).where(PageVersion.id == 1))
    try:
        cursor = _reader_connection(engine).cursor()
        cursor.execute(READ)
        row = cursor.fetchone()
        cursor.close()
    except engine.dialect.loaded_dbapi.Error:
        _forget_reader()  # the next request connects again
        return None
    return row[0] if row else None


def _reader_connection(engine):
    if getattr(_reader, "key", None) != (os.getpid(), engine.url):
        _forget_reader()
        connection = engine.raw_connection()
        connection.detach()  # ours alone: never handed to a request, never reset by the pool
        if engine.url.get_backend_name() != "sqlite":  # SQLite's already is (database.py)
            connection.dbapi_connection.autocommit = True
        _reader.connection, _reader.key = connection, (os.getpid(), engine.url)
    return _reader.connection


def _forget_reader() -> None:
    connection, key = getattr(_reader, "connection", None), getattr(_reader, "key", None)
    _reader.connection = _reader.key = None
    if connection is not None and key[0] == os.getpid():  # never one a parent process opened
        with contextlib.suppress(Exception):
            connection.close()


@event.listens_for(Engine, "before_cursor_execute")
def _note_write(conn, cursor, statement, parameters, context, executemany):
    match = WRITE.match(statement)
    if match and match.group(1).lower() not in UNSEEN_TABLES:
        _public_write.set(True)


@event.listens_for(Session, "before_commit")
def _raise_version(session):
    session.flush()  # what is still pending is written now, so it is noticed
    if _public_write.get():
        # Last statement before COMMIT: on PostgreSQL the row stays locked only for the commit.
        session.connection().execute(RAISE)  # plain SQL: no ORM execution around it
        _public_write.set(False)


@event.listens_for(Engine, "rollback")
def _forget_write(conn):
    _public_write.set(False)
