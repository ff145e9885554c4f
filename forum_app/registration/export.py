"""The attendee list as a spreadsheet: one builder of rows, written as CSV or XLSX.

Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return) as a
formula, so a registrant named "=HYPERLINK(...)" could attack the organiser who opens the file:
such values get a leading apostrophe, and XLSX cells are typed as plain strings.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime

from flask_babel import gettext as _

from ..core.reference import LANGUAGE_LABELS, STAKEHOLDER_LABELS
from ..events.models import Event, Question, QuestionKind
from ..i18n import current_language, localized, option_text, utc_to_local
from . import xlsx
from .models import GENDERS, Registration

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def option_label(question: Question, index, language: str) -> str:
    options = question.options or []
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(options):
        return option_text(options[index], language)
    return str(index)


def answer_text(question: Question, value, language: str | None = None) -> str:
    """An answer as the organiser reads it: option labels in their language, Yes/No."""
    language = language or current_language()
    if value is None or value == "" or value == []:
        return ""
    if question.kind == QuestionKind.YES_NO:
        return _("Yes") if value is True else _("No")
    if question.kind == QuestionKind.SINGLE:
        return option_label(question, value, language)
    if question.kind == QuestionKind.MULTIPLE and isinstance(value, list):
        return "; ".join(option_label(question, index, language) for index in value)
    return str(value)


def answers_by_question(registration: Registration, questions: list[Question]) -> dict[int, str]:
    by_id = {question.id: question for question in questions}
    return {answer.question_id: answer_text(by_id[answer.question_id], answer.value)
            for answer in registration.answers if answer.question_id in by_id}


def _local(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return utc_to_local(moment).strftime("%Y-%m-%d %H:%M")


def header(event: Event) -> list[str]:
    return [_("Registration number"), _("Name"), _("E-mail"), _("Phone"), _("Language"),
            _("Takes part as"), _("Organisation"), _("District"), _("Gender"), _("Age"),
            _("Accessibility needs"), _("State"), _("Place on the waiting list"),
            _("Ticket code"), _("Registered through"),
            _("Registered at (Ulaanbaatar time)"), _("Confirmed at (Ulaanbaatar time)"),
            _("Cancelled at (Ulaanbaatar time)"), _("Reason for the decision"),
            _("Privacy notice version"), _("Consent given at (Ulaanbaatar time)"),
            *(localized(question, "label") for question in event.questions)]


def attendee_rows(event: Event, registrations: Iterable[Registration],
                  positions: dict[int, int]) -> list[list]:
    """The header and one row per registration, in the organiser's language."""
    return list(each_attendee_row(event, registrations, positions))


def each_attendee_row(event: Event, registrations: Iterable[Registration],
                      positions: dict[int, int]) -> Iterator[list]:
    """attendee_rows one at a time, as `registrations` come (a stream read in chunks)."""
    questions = list(event.questions)
    yield header(event)
    for registration in registrations:
        ticket = registration.ticket
        answers = answers_by_question(registration, questions)
        yield [
            registration.id, registration.name, registration.email or "",
            registration.phone or "", LANGUAGE_LABELS.get(registration.language, ""),
            str(STAKEHOLDER_LABELS.get(registration.stakeholder_kind,
                                       registration.stakeholder_kind)),
            registration.organisation or "",
            localized(registration.district, "name") if registration.district else "",
            str(GENDERS.get(registration.gender, registration.gender or "")),
            registration.age_band or "", registration.accessibility_needs or "",
            str(registration.state_label), positions.get(registration.id, ""),
            ticket.code if ticket is not None and ticket.revoked_at is None else "",
            registration.source, _local(registration.created_at),
            _local(registration.confirmed_at), _local(registration.cancelled_at),
            registration.decision_reason or "", registration.consent_version,
            _local(registration.consent_at),
            *(answers.get(question.id, "") for question in questions)]


def neutralise(value):
    """A text cell that a spreadsheet would run as a formula is made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(rows: Iterable[list]) -> bytes:
    return b"".join(csv_chunks(rows))


def csv_chunks(rows: Iterable[list], rows_per_chunk: int = 500) -> Iterator[bytes]:
    """The CSV as it is written: the header at once, then `rows_per_chunk` rows at a time;
    UTF-8 with a byte-order mark first, so that Excel shows Cyrillic correctly."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    for number, row in enumerate(rows, start=1):
        writer.writerow([neutralise(value) for value in row])
        if number == 1 or number % rows_per_chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def to_xlsx(rows: Iterable[list], title: str) -> bytes:
    return b"".join(xlsx_chunks(rows, title))


def xlsx_chunks(rows: Iterable[list], title: str) -> Iterator[bytes]:
    """The XLSX as it is written (xlsx.py), text that a spreadsheet would run made plain."""
    return xlsx.xlsx_chunks(([neutralise(value) for value in row] for row in rows), title)
