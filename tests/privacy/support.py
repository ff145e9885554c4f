"""The decisive search: every text column of every table, for a person's name, e-mail and
phone; and a person who has done everything the platform offers, through the real services."""

import json
from datetime import timedelta

from sqlalchemy import JSON, String, select

from forum_app.checkin.services import check_in
from forum_app.deliberation import services as forum
from forum_app.extensions import db
from forum_app.issues import lifecycle
from forum_app.issues.services import add_comment, follow_issue, support_issue
from forum_app.moderation.services import flag_content
from forum_app.reports.figures import figures_for
from forum_app.reports.periods import Period
from tests import factories
from tests.checkin.support import nonce, today
from tests.deliberation.support import event_on, item_at
from tests.registration.support import add_question, register_confirmed

NAME, EMAIL, PHONE = "Цэцэгмаа Должинсүрэн", "tsetsegmaa.dolj@example.mn", "99887766"


def text_columns():
    """(table, [columns]) of every table with a string, text or JSON column."""
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | JSON)]
        if columns:
            yield table, columns


def mentions(*needles: str) -> set[tuple[str, str, str]]:
    """Every (table, column, needle) where a stored value contains a needle (JSON decoded,
    case folded)."""
    found = set()
    for table, columns in text_columns():
        for row in db.session.execute(select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if value is None:
                    continue
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                found |= {(table.name, column.name, n) for n in needles
                          if n.lower() in text.lower()}
    return found


def figures(around: timedelta = timedelta(0)):
    """The dashboard's attendance figures of the days around today (+ `around`)."""
    day = today() + around
    period = Period(day - timedelta(days=1), day + timedelta(days=1))
    result = figures_for(period, today())
    return (result.events_held, result.registrations, result.checked_in,
            json.dumps(result.people, sort_keys=True, default=str))


def forum_day():
    """An organiser, a forum running today with a text question and an item open to vote,
    and an official of the environment department."""
    organiser = factories.user(roles=["organiser"], name="Оюунчимэг Ганбаатар")
    event = event_on(organiser, whole_day=True)
    question = add_question(event, "text", "Та ямар санал хэлэх вэ?")
    item = item_at(organiser, event, "voting")
    official = factories.user(roles=["official"], department_slug="environment",
                              name="Албан Тушаалтан")
    return organiser, event, question, item, official


def does_everything(person, registration_input, *, organiser, event, question, item, official):
    """`person` (an account or None: a guest) registers with answers, is checked in, votes,
    asks a question in the room; with an account also raises an issue, comments, supports,
    follows, flags, and is notified when an official moves the issue."""
    data = registration_input(name=NAME, email=EMAIL, phone=PHONE, consent=True,
                              organisation="Дархан Эко ТББ", gender="female",
                              age_band="25-34", district_id=factories.district().id,
                              accessibility_needs=f"Тэргэнцэр, {NAME} утас {PHONE}",
                              answers={question.id: f"{NAME}: хогийн асуудал"})
    registration, token = register_confirmed(event, data, user=person,
                                   now=event.starts_at - timedelta(days=1))
    assert check_in(registration.ticket.code, event=event, device=None, staff=organiser,
                    nonce=nonce()).admitted
    forum.cast_vote(item, registration.ticket.code, item.options[0].id)
    forum.ask_question(item, "Хэзээ эхлэх вэ?", ticket=registration.ticket.code)
    if person is None:
        return registration, token, None
    issue = factories.issue(person, title="Гэрэлтүүлэг алга", description="Гудамж харанхуй.")
    add_comment(person, issue, "Өчигдөр ч мөн адил байлаа.")
    other = factories.issue(title="Зам эвдэрсэн")
    support_issue(person, other)
    follow_issue(person, other)
    flag_content(person, "issue", other.id, "spam", note="Давхардсан")
    lifecycle.move_issue(organiser, issue, "under_review", "Хэлэлцэхээр авлаа.")
    return registration, token, issue
