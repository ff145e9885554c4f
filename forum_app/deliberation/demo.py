"""Demo forum record for `flask seed-demo`: the journeys of demo_journeys.py recorded through
the real services (check-ins at the door, secret votes, decisions, actions, progress), and
today's forum with an item open for voting. Idempotent: an item is matched by its event and
Mongolian title, and a journey already there is left alone."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from ..accounts.demo import DEMO_PASSWORD
from ..accounts.models import Role, User
from ..accounts.services import find_user_by_email, register_user
from ..checkin.services import check_in
from ..core.models import Department
from ..events.models import Event
from ..events.services import add_staff, can_manage
from ..extensions import db
from ..i18n import local_date, local_to_utc, utcnow
from ..issues.models import Issue, IssueStatus
from ..registration.models import Registration, RegistrationState
from . import services
from .demo_journeys import JOURNEYS, TODAY
from .models import AgendaItem

ORGANISER = "organiser@demo.forum.mn"
ADMIN = "admin@demo.forum.mn"
CITIZEN = "citizen@demo.forum.mn"
OFFICIALS = {  # department slug -> (e-mail, name); environment has the demo official already
    "environment": ("official@demo.forum.mn", None),
    "city-services": ("city-services.official@demo.forum.mn", "Нарангэрэл Хот тохижилт"),
    "education": ("education.official@demo.forum.mn", "Ариунаа Боловсрол"),
    "urban-development": ("urban.official@demo.forum.mn", "Батжаргал Хот байгуулалт"),
    "water": ("water.official@demo.forum.mn", "Энхбаяр Ус суваг"),
}
OPTION_FIELDS = ("title_mn", "title_en", "description_mn", "description_en", "proposer",
                 "proposer_kind", "pros_mn", "pros_en", "cons_mn", "cons_en", "feasibility_mn",
                 "feasibility_en")


def _official(slug: str) -> User | None:
    email, name = OFFICIALS[slug]
    user = find_user_by_email(email)
    if user is None and name:
        user = register_user(email=email, password=DEMO_PASSWORD, name=name,
                             roles=(Role.OFFICIAL,), stakeholder_kind="government",
                             verified=True, send_verification=False)
        user.department = db.session.scalar(select(Department).where(Department.slug == slug))
        db.session.commit()
    return user


def _department(slug: str) -> Department:
    return db.session.scalar(select(Department).where(Department.slug == slug))


def _at(day: date, hour: int, minutes: int = 0) -> datetime:
    return local_to_utc(datetime.combine(day, time(hour))) + timedelta(minutes=minutes)


def _new_item(spec: dict, organiser: User, admin: User) -> tuple[Event, AgendaItem] | None:
    event = db.session.scalar(select(Event).where(Event.slug == spec["event"]))
    if event is None or db.session.scalar(select(AgendaItem.id).where(
            AgendaItem.event_id == event.id, AgendaItem.title_mn == spec["title_mn"])):
        return None
    if not can_manage(organiser, event):
        add_staff(admin, event, organiser.email)
    item = services.create_agenda_item(organiser, event, {key: spec.get(key) for key in (
        "title_mn", "title_en", "problem_mn", "problem_en", "evidence_mn", "evidence_en",
        "presenter", "presenter_kind")})
    for title in spec.get("issues", ()):
        issue = db.session.scalar(select(Issue).where(Issue.title == title))
        if issue is not None and issue.status not in (IssueStatus.MERGED, IssueStatus.DECLINED,
                                                      IssueStatus.RESOLVED):
            services.link_issue(organiser, item, issue)
    return event, item


def _discuss(spec: dict, organiser: User, item: AgendaItem, start: datetime) -> None:
    services.move_stage(organiser, item, "discussion", now=start + timedelta(minutes=10))
    for speaker, kind, what, body, language in spec["contributions"]:
        services.add_contribution(organiser, item, {
            "speaker_name": speaker, "stakeholder_kind": kind, "kind": what, "body": body,
            "language": language})
    if spec["options"]:
        services.move_stage(organiser, item, "options", now=start + timedelta(minutes=40))
    for position, option in enumerate(spec["options"]):
        department = _department(option["department"])
        services.add_option(organiser, item, {key: option.get(key) for key in OPTION_FIELDS} | {
            "cost_estimate": option.get("cost"), "position": position,
            "department_id": department.id if department else None})


def _admit(event: Event, organiser: User, count: int, moment: datetime) -> list[str]:
    """Tickets of the first `count` confirmed registrations, checked in at `moment`."""
    registrations = db.session.scalars(select(Registration).where(
        Registration.event_id == event.id,
        Registration.state == RegistrationState.CONFIRMED.value)
        .order_by(Registration.id).limit(count)).all()
    codes = []
    for registration in registrations:
        if registration.ticket is None:
            continue
        check_in(registration.ticket.code, event=event, device=None, staff=organiser,
                 nonce=f"demo-forum-{registration.ticket.id}", gate="Их танхим", now=moment)
        codes.append(registration.ticket.code)
    return codes


def _vote(spec: dict, organiser: User, event: Event, item: AgendaItem, start: datetime,
          codes: list[str]) -> None:
    services.move_stage(organiser, item, "voting", now=start + timedelta(minutes=70))
    ballots = [n for n, count in enumerate(spec["votes"]) for _ in range(count)]
    for code, option in zip(codes, ballots, strict=False):
        services.cast_vote(item, code, item.options[option].id,
                           now=start + timedelta(minutes=80))
    for option, kind, count in spec.get("tallies", ()):
        services.record_hand_tally(organiser, item, item.options[option].id, kind, count)


def _decide(spec: dict, organiser: User, item: AgendaItem, start: datetime,
            today: date) -> None:
    decision_spec = spec["decision"]
    decision = services.record_decision(organiser, item, {
        key: decision_spec.get(key) for key in ("method", "text_mn", "text_en", "rationale_mn",
                                                "rationale_en", "dissent_mn", "dissent_en",
                                                "decided_by", "review_on")} | {
        "option_ids": [item.options[n].id for n in decision_spec["options"]]},
        reason=decision_spec.get("skip_reason"), now=start + timedelta(minutes=150))
    for action_spec in spec["actions"]:
        official = _official(action_spec["department"])
        due = action_spec["due"]
        action = services.add_action(organiser, decision, {
            "title_mn": action_spec["title_mn"], "title_en": action_spec["title_en"],
            "department_id": _department(action_spec["department"]).id,
            "lead_official_id": official.id if official else None,
            "due_on": due if isinstance(due, date) else today + timedelta(days=due),
            "budget": action_spec.get("budget"),
            "indicator_mn": action_spec.get("indicator_mn"),
            "indicator_en": action_spec.get("indicator_en")})
        for day, status, percent, note_mn, note_en in action_spec["progress"]:
            services.post_progress(official, action, status, percent, note_mn, note_en,
                                   now=_at(day, 12))
    if spec.get("done_on"):
        services.move_stage(organiser, item, "done", now=_at(spec["done_on"], 12))


def _journey(spec: dict, organiser: User, admin: User, today: date) -> int:
    made = _new_item(spec, organiser, admin)
    if made is None:
        return 0
    event, item = made
    day, hour = spec["at"]
    start = _at(day, hour)
    _discuss(spec, organiser, item, start)
    codes = _admit(event, organiser, spec["present"], start - timedelta(minutes=20))
    if spec.get("votes"):
        _vote(spec, organiser, event, item, start, codes)
    _decide(spec, organiser, item, start, today)
    return 1


def _today(spec: dict, organiser: User, admin: User) -> int:
    """Today's forum: an item in its voting stage, with a few votes and questions from people
    checked in at the door (the demo citizen's ticket is left to vote with)."""
    made = _new_item(spec, organiser, admin)
    if made is None:
        return 0
    event, item = made
    now = utcnow()
    _discuss(spec, organiser, item, now - timedelta(minutes=90))
    citizen = find_user_by_email(CITIZEN)
    present = [r.ticket.code for r in db.session.scalars(select(Registration).where(
        Registration.event_id == event.id).order_by(Registration.id))
        if r.ticket is not None and (citizen is None or r.user_id != citizen.id)
        and services.is_admitted(r.ticket, event, now)]
    if len(present) >= sum(spec["votes"]) + 1:
        _vote(spec, organiser, event, item, now - timedelta(minutes=90), present[1:])
        for body, anonymous, state, upvotes in spec["questions"]:
            question = services.ask_question(item, body, ticket=present[0],
                                             anonymous=anonymous)
            if state != "pending":
                services.moderate_question(organiser, question, state)
                for code in present[1:1 + upvotes]:
                    services.upvote_question(question, ticket=code)
    else:
        services.move_stage(organiser, item, "voting")
    return 1


def seed_deliberation(today: date | None = None) -> int:
    """Returns how many agenda items were recorded now (0 on a second run)."""
    organiser, admin = find_user_by_email(ORGANISER), find_user_by_email(ADMIN)
    if organiser is None or admin is None:
        return 0
    today = today or local_date(utcnow())
    made = sum(_journey(spec, organiser, admin, today) for spec in JOURNEYS)
    return made + _today(TODAY, organiser, admin)
