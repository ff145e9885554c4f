"""Writers to a SQLite file wait their turn in the kernel (database.QueuedConnection), not in
SQLite's busy back-off, which sleeps up to 100 ms at a time while the lock stands free: at a
registration rush that was what made a request wait a second (issue 14). Here SQLite's own
busy timeout is 0, so any writer that met the lock taken would fail at once; none does."""

import fcntl
import os
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from forum_app.database import begin_write
from forum_app.extensions import db

WRITERS, ROUNDS = 6, 15


@pytest.fixture
def counter(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        pytest.skip("the writers' queue is for a SQLite file")
    db.session.execute(text("CREATE TABLE IF NOT EXISTS queue_counter (n INTEGER)"))
    db.session.execute(text("INSERT INTO queue_counter VALUES (0)"))
    db.session.commit()
    yield
    db.session.rollback()
    db.session.execute(text("DROP TABLE queue_counter"))
    db.session.commit()  # the engine is disposed after the test: no pragma outlives it


def _impatient() -> None:
    """This session's connection would rather fail than wait in SQLite's busy handler."""
    db.session.connection().exec_driver_sql("PRAGMA busy_timeout=0")
    db.session.commit()


def _count() -> int:
    db.session.commit()
    return db.session.scalar(text("SELECT n FROM queue_counter"))


def _queue_is_taken() -> bool:
    fd = os.open(db.engine.url.database + "-writers", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing also gives back a lock this probe took
    return False


def test_writers_at_once_all_write_without_meeting_the_lock(app, counter):
    failures = []

    def writer():
        with app.app_context():
            _impatient()
            for _ in range(ROUNDS):
                try:
                    begin_write()  # the next transaction takes the write lock
                    n = db.session.scalar(text("SELECT n FROM queue_counter"))
                    db.session.execute(text("UPDATE queue_counter SET n = :n"), {"n": n + 1})
                    db.session.commit()
                except OperationalError as error:  # "database is locked"
                    db.session.rollback()
                    failures.append(str(error))

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert _count() == WRITERS * ROUNDS  # and no update was lost


@pytest.mark.parametrize("end", ["commit", "rollback"])
def test_the_queue_is_held_from_begin_to_the_end_of_the_transaction(app, counter, end):
    _impatient()
    assert not _queue_is_taken()
    begin_write()
    db.session.execute(text("UPDATE queue_counter SET n = 41"))
    assert _queue_is_taken()
    getattr(db.session, end)()
    assert not _queue_is_taken()
    assert _count() == (41 if end == "commit" else 0)


def test_a_second_writer_of_the_same_thread_fails_instead_of_waiting_for_ever(app, counter):
    with db.engine.connect() as first:
        _impatient()  # on the session's connection, the other one
        begin_write()
        with first.begin():  # holds the queue and SQLite's write lock
            assert _queue_is_taken()
            begin_write()
            with pytest.raises(OperationalError, match="locked"):
                db.session.execute(text("SELECT 1"))
            db.session.rollback()
    assert not _queue_is_taken()
    assert _count() == 0
