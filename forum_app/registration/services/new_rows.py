"""A new registration's rows written by plain INSERT statements, their values computed once
in Python: the hot path of a rush (registering.register). No ORM object is flushed; the
registration and its ticket are handed back as objects the session holds as loaded, so the
answer reads no row again."""

from functools import cache

from sqlalchemy import insert
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from ...events.models import Event
from ...extensions import db
from ..models import Answer, Registration, RegistrationSearchTerm, Ticket, terms_of
from ..tickets import new_ticket_code

INSERT_REGISTRATION = insert(Registration.__table__)
INSERT_TERMS = insert(RegistrationSearchTerm.__table__)
INSERT_ANSWERS = insert(Answer.__table__)
INSERT_TICKET = insert(Ticket.__table__)


def insert_registration(values: dict, answers: dict) -> Registration:
    """The registration (`values`: every column but id), its answers (question id -> value)
    and its search terms. Returns it as an object outside the session (see `keep`). Raises
    IntegrityError when the person is registered already (the partial unique index)."""
    connection = db.session.connection()
    registration_id = connection.execute(INSERT_REGISTRATION, values).inserted_primary_key[0]
    event_id = values["event_id"]
    terms = sorted(terms_of(values))
    if terms:
        connection.execute(INSERT_TERMS, [
            {"registration_id": registration_id, "term": term, "event_id": event_id}
            for term in terms])
    if answers:
        connection.execute(INSERT_ANSWERS, [
            {"registration_id": registration_id, "question_id": question_id, "value": value}
            for question_id, value in answers.items()])
    registration = _as_read(Registration, {"id": registration_id, **values})
    set_committed_value(registration, "ticket", None)
    return registration


def insert_ticket(registration: Registration) -> Ticket:
    """The ticket of a registration insert_registration wrote, with a fresh code."""
    values = {"registration_id": registration.id, "code": new_ticket_code(),
              "created_at": registration.created_at, "revoked_at": None}
    ticket_id = db.session.connection().execute(INSERT_TICKET, values).inserted_primary_key[0]
    ticket = _as_read(Ticket, {"id": ticket_id, **values})
    set_committed_value(ticket, "registration", registration)
    set_committed_value(registration, "ticket", ticket)
    return ticket


def keep(registration: Registration, event: Event) -> None:
    """Once its rows are sure to be committed: the session holds the registration (with its
    event and ticket) as if it had read it, so reading it after the commit costs nothing."""
    set_committed_value(registration, "event", event)
    if registration.ticket is not None:
        make_transient_to_detached(registration.ticket)
    make_transient_to_detached(registration)
    db.session.add(registration)


def _as_read(model, row: dict):
    """An object of `model` holding `row` (its columns by name) as a query's loader makes one,
    without __init__'s attribute events; outside the session until keep()."""
    names = _attribute_names(model)
    instance = model.__mapper__.class_manager.new_instance()
    instance.__dict__.update({names[column]: value for column, value in row.items()})
    return instance


@cache
def _attribute_names(model) -> dict[str, str]:
    """Column name -> attribute name (`name` is Registration.stored_name)."""
    return {prop.columns[0].key: prop.key for prop in model.__mapper__.column_attrs}
