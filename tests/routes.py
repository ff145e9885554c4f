"""Every route of the app with its URL filled in from the demo data (`flask seed-demo`), for
the tests that walk them all. Variants 0 and 1 name real objects: today's forum and an upcoming
one with their own questions, registrations, sessions, check-ins and devices, an exhibition
open for applications and a past one with their exhibitors. Variant 2 names nothing that could
exist: ids past any integer column, 300-character slugs."""

from sqlalchemy import select
from werkzeug.routing import AnyConverter, IntegerConverter

from forum_app.accounts.models import ApiToken, User
from forum_app.checkin.models import CheckIn, Device
from forum_app.core.models import Department
from forum_app.core.privacy import NOTICE_VERSIONS
from forum_app.deliberation.models import (
    AgendaItem,
    Contribution,
    LiveQuestion,
    SolutionOption,
)
from forum_app.events.models import Event, EventSession, Question
from forum_app.exhibitions.models import Exhibitor
from forum_app.extensions import db
from forum_app.issues.models import Comment, Issue, IssuePhoto
from forum_app.notifications.models import OutboxMessage
from forum_app.registration.models import Registration
from forum_app.registration.services import confirm_code, manage_token

HUGE_ID = 2**63 + 7  # beyond int4 and int8 alike
LONG_TEXT = "ё" * 300
VARIANTS = range(3)
REAL = (0, 1)
EVENTS = ("dcf-clean-water-today", "dcf-heating-air-quality")
EXHIBITIONS = ("made-in-darkhan-next", "made-in-darkhan-2023")
FEEDBACK_EVENT = "dcf-zero-waste-darkhan-2023"


def _first(query) -> int:
    return db.session.scalar(query.order_by(query.selected_columns[0]).limit(1)) or 1


def _real_values(event_slug: str, exhibition_slug: str, target_type: str) -> dict:
    event = db.session.scalar(select(Event).where(Event.slug == event_slug))
    exhibition = db.session.scalar(select(Event).where(Event.slug == exhibition_slug))
    registration = db.session.scalars(select(Registration).where(
        Registration.event_id == event.id).order_by(Registration.id)).first()
    photo = db.session.scalars(select(IssuePhoto).order_by(IssuePhoto.id)).first()
    return {
        "slug": event.slug,
        "event_slug": exhibition.slug,
        "event_id": event.id,
        "question_id": _first(select(Question.id).where(Question.event_id == event.id)),
        "registration_id": registration.id if registration else 1,
        "session_id": _first(select(EventSession.id).where(EventSession.event_id == event.id)),
        "checkin_id": _first(select(CheckIn.id).where(CheckIn.event_id == event.id)),
        "device_id": _first(select(Device.id).where(Device.event_id == event.id)),
        "exhibitor_id": _first(select(Exhibitor.id).where(Exhibitor.event_id == exhibition.id)),
        "issue_id": photo.issue_id if photo else _first(select(Issue.id)),
        "filename": photo.filename if photo else "photo.jpg",
        "token": manage_token(registration) if registration else "x",
        "code": confirm_code(registration) if registration else "x",  # the mailed link's
        "kind": "departments",
        "feedback_slug": FEEDBACK_EVENT,  # the event whose survey the demo answered
        "obj_id": _first(select(Department.id)),
        "user_id": _first(select(User.id)),
        "token_id": _first(select(ApiToken.id)),  # a personal API token (none in the demo)
        "message_id": _first(select(OutboxMessage.id)),
        # moderation's <any(comment, issue):target_type>: comment in variant 0, issue in 1
        "target_id": _first(select(Comment.id if target_type == "comment" else Issue.id)),
        # a comment to edit, delete or read the versions of (the demo's first)
        "comment_id": _first(select(Comment.id)),
        # the forum record: a question from the room of this event's agenda item
        "contribution_id": _first(select(Contribution.id).join(
            AgendaItem, AgendaItem.id == Contribution.agenda_item_id)
            .where(AgendaItem.event_id == event.id)),
        "live_question_id": _first(select(LiveQuestion.id).join(
            AgendaItem, AgendaItem.id == LiveQuestion.agenda_item_id)
            .where(AgendaItem.event_id == event.id)),
        "option_id": _first(select(SolutionOption.id).join(
            AgendaItem, AgendaItem.id == SolutionOption.agenda_item_id)
            .where(AgendaItem.event_id == event.id)),
        # the forum record: today's forum has an item in its voting stage
        "item_id": _first(select(AgendaItem.id).where(AgendaItem.event_id == event.id)),
        # the privacy notice: the first version in variant 0, the current one in 1
        "version": NOTICE_VERSIONS[min(EVENTS.index(event_slug), len(NOTICE_VERSIONS) - 1)]
        .version,
    }


def _values(rule, real: dict, variant: int) -> dict:
    values = {}
    for argument, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            values[argument] = sorted(converter.items)[variant % len(converter.items)]
        elif variant == 2:
            values[argument] = HUGE_ID if isinstance(converter, IntegerConverter) else LONG_TEXT
        elif argument == "slug" and rule.rule.startswith("/feedback/"):
            values[argument] = real["feedback_slug"]
        elif argument == "filename" and rule.rule.startswith("/open-data/"):
            values[argument] = "issues.csv" if variant == 0 else "datapackage.json"
        elif argument == "slug" and rule.rule.startswith("/reports/"):
            values[argument] = "summary" if variant == 0 else "gender"  # a figure table
        else:
            values[argument] = real.get(argument, 1 if isinstance(converter, IntegerConverter)
                                        else "unknown")
    return values


def route_urls(app, skipped=("static",)) -> list[tuple[object, int, str]]:
    """(rule, variant, url) for every rule but `skipped` endpoints, in path order. Needs an
    app context on the demo data."""
    real = [_real_values(event, exhibition, target)
            for event, exhibition, target in zip(EVENTS, EXHIBITIONS, ("comment", "issue"),
                                                 strict=True)]
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in skipped:
            continue
        for variant in VARIANTS:
            values = _values(rule, real[variant] if variant in REAL else {}, variant)
            urls.append((rule, variant, adapter.build(rule.endpoint, values)))
    return urls
