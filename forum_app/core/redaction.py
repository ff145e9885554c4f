"""Erasing the traces of a person (name, e-mail, phone) from stored texts and JSON values.

JSON columns are written with ASCII escapes, so a Cyrillic name is looked for both as typed
and as escaped (json.dumps) text; the rows found are rewritten in Python."""

import json

from sqlalchemy import String, cast, or_, select, update
from sqlalchemy.ext.hybrid import hybrid_property

from ..extensions import db
from .reference import FORMER_PARTICIPANT

ERASED = "[erased]"
MIN_TRACE = 3  # shorter texts (initials) would erase parts of unrelated words
MAX_TERMS = 200  # LIKE terms in one query (SQLite refuses expressions deeper than 1000)


class ErasableName:
    """For a model with `stored_name` and `erased_at`: its `name` reads "former participant"
    once the person is erased; queries and assignments go to the stored column."""

    @hybrid_property
    def name(self) -> str:
        return shown_name(self.stored_name, self.erased_at)

    @name.inplace.setter
    def _name_setter(self, value: str) -> None:
        self.stored_name = value

    @name.inplace.expression
    @classmethod
    def _name_expression(cls):
        return cls.stored_name


def shown_name(stored_name: str | None, erased_at) -> str | None:
    """An ErasableName's `name` from its two columns (for rows read without the model)."""
    return str(FORMER_PARTICIPANT) if erased_at else stored_name


def traces_of(*values) -> set[str]:
    """The identifying texts among `values` (None and blanks dropped), for redact()."""
    return {text.strip() for text in values
            if isinstance(text, str) and len(text.strip()) >= MIN_TRACE}


def redact(value, traces: set[str]):
    """`value` (text, or a JSON value of lists and dicts) with every trace replaced."""
    if isinstance(value, str):
        for trace in sorted(traces, key=len, reverse=True):
            value = value.replace(trace, ERASED)
        return value
    if isinstance(value, list):
        return [redact(item, traces) for item in value]
    if isinstance(value, dict):
        return {key: redact(item, traces) for key, item in value.items()}
    return value


def _patterns(traces: set[str]) -> set[str]:
    return traces | {json.dumps(trace)[1:-1] for trace in traces}


def redact_rows(model, columns: list[str], traces: set[str], *where) -> int:
    """Rewrites every row of `model` (restricted by `where`) whose `columns` mention a trace;
    returns how many rows changed. Does not commit. Writes with an UPDATE statement, so the
    append-only audit trail can be redacted too: the law's right to erasure is the one
    exception to "never edited"."""
    patterns = sorted(_patterns(traces))
    step = max(1, MAX_TERMS // len(columns))  # SQLite caps the depth of an expression
    changed = 0
    for start in range(0, len(patterns), step):
        mentions = [cast(getattr(model, column), String).contains(pattern, autoescape=True)
                    for column in columns for pattern in patterns[start:start + step]]
        for row in db.session.scalars(select(model).where(or_(*mentions), *where)).all():
            values = {column: redact(getattr(row, column), traces) for column in columns}
            values = {column: value for column, value in values.items()
                      if value != getattr(row, column)}
            if values:
                db.session.execute(update(model).where(model.id == row.id).values(**values))
                db.session.expire(row)
                changed += 1
    return changed
