"""Bulk writing for the large-data command: rows go in as executemany batches with ids chosen
here (so children can point at their parents without reading them back), a few transactions in
all; PostgreSQL's id sequences are moved past the new rows afterwards."""

from collections.abc import Iterable

from sqlalchemy import Table, func, select, text

from ..extensions import db

BATCH = 5000


def next_id(table: Table) -> int:
    """The first free id of `table`."""
    return (db.session.scalar(select(func.max(table.c.id))) or 0) + 1


def insert_rows(table: Table, rows: Iterable[dict]) -> int:
    """Insert `rows` (dicts with the same keys) in batches; returns how many. No commit."""
    batch, count = [], 0
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            db.session.execute(table.insert(), batch)
            count, batch = count + len(batch), []
    if batch:
        db.session.execute(table.insert(), batch)
        count += len(batch)
    return count


def move_sequences(*tables: Table) -> None:
    """After rows were inserted with explicit ids, PostgreSQL's serial sequences must start
    past them, or the next ordinary insert collides. SQLite needs nothing."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        highest = select(func.coalesce(func.max(table.c.id), 1)).scalar_subquery()
        db.session.execute(select(func.setval(
            func.pg_get_serial_sequence(table.name, "id"), highest)))


def refresh_statistics() -> None:
    """PostgreSQL plans from table statistics, and reads an index alone only where its
    visibility map says so; autovacuum refreshes both only later, so after a bulk load do it
    now. (SQLite keeps no statistics unless asked to.)"""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
