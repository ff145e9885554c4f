"""Helpers every test package shares."""

import html
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
