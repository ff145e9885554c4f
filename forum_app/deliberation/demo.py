"""Demo forum record for `flask seed-demo`: the journeys of demo_journeys.py recorded through
the real services (check-ins at the door, secret votes, decisions, actions, progress), and
today's forum with an item open for voting. Idempotent: an item is matched by its event and
Mongolian title, and a journey already there is left alone."""

from collections.abc import Callable
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
from ..i18n import local_date, local_to_utc, recorded_at, utcnow
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
Clock = Callable[[float], datetime]
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


def _new_item(spec: dict, organiser: User, admin: User,
              ahead: timedelta = timedelta(days=7)) -> tuple[Event, AgendaItem] | None:
    """The item is put on the agenda, with the issues it takes up, `ahead` of the forum (a
    week; today's forum took up the latest answered issue the day before)."""
    event = db.session.scalar(select(Event).where(Event.slug == spec["event"]))
    if event is None or db.session.scalar(select(AgendaItem.id).where(
            AgendaItem.event_id == event.id, AgendaItem.title_mn == spec["title_mn"])):
        return None
    with recorded_at(min(event.starts_at - ahead, utcnow())):
        if not can_manage(organiser, event):
            add_staff(admin, event, organiser.email)
        item = services.create_agenda_item(organiser, event, {key: spec.get(key) for key in (
            "title_mn", "title_en", "problem_mn", "problem_en", "evidence_mn", "evidence_en",
            "presenter", "presenter_kind")})
        for title in spec.get("issues", ()):
            issue = db.session.scalar(select(Issue).where(Issue.title == title))
            if issue is not None and issue.status not in (
                    IssueStatus.MERGED, IssueStatus.DECLINED, IssueStatus.RESOLVED):
                services.link_issue(organiser, item, issue)
    return event, item


def _discuss(spec: dict, organiser: User, item: AgendaItem, at: Clock) -> None:
    with recorded_at(at(10)):
        services.move_stage(organiser, item, "discussion", now=at(10))
    for n, (speaker, kind, what, body, language) in enumerate(spec["contributions"]):
        with recorded_at(at(12 + 4 * n)):
            services.add_contribution(organiser, item, {
                "speaker_name": speaker, "stakeholder_kind": kind, "kind": what, "body": body,
                "language": language})
    if spec["options"]:
        with recorded_at(at(40)):
            services.move_stage(organiser, item, "options", now=at(40))
    for position, option in enumerate(spec["options"]):
        department = _department(option["department"])
        with recorded_at(at(42 + 4 * position)):
            services.add_option(organiser, item, {key: option.get(key)
                                                  for key in OPTION_FIELDS} | {
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
        with recorded_at(moment):
            check_in(registration.ticket.code, event=event, device=None, staff=organiser,
                     nonce=f"demo-forum-{registration.ticket.id}", gate="Их танхим",
                     now=moment)
        codes.append(registration.ticket.code)
    return codes


def _vote(spec: dict, organiser: User, item: AgendaItem, at: Clock,
          codes: list[str]) -> None:
    with recorded_at(at(70)):
        services.move_stage(organiser, item, "voting", now=at(70))
    ballots = [n for n, count in enumerate(spec["votes"]) for _ in range(count)]
    for code, option in zip(codes, ballots, strict=False):
        with recorded_at(at(80)):
            services.cast_vote(item, code, item.options[option].id, now=at(80))
    for option, kind, count in spec.get("tallies", ()):
        with recorded_at(at(85)):
            services.record_hand_tally(organiser, item, item.options[option].id, kind, count)


def _decide(spec: dict, organiser: User, item: AgendaItem, at: Clock, today: date) -> None:
    decision_spec = spec["decision"]
    with recorded_at(at(150)):
        decision = services.record_decision(organiser, item, {
            key: decision_spec.get(key) for key in (
                "method", "text_mn", "text_en", "rationale_mn", "rationale_en", "dissent_mn",
                "dissent_en", "decided_by", "review_on")} | {
            "option_ids": [item.options[n].id for n in decision_spec["options"]]},
            reason=decision_spec.get("skip_reason"), now=at(150))
    for n, action_spec in enumerate(spec["actions"]):
        official = _official(action_spec["department"])
        due = action_spec["due"]
        with recorded_at(at(155 + 5 * n)):
            action = services.add_action(organiser, decision, {
                "title_mn": action_spec["title_mn"], "title_en": action_spec["title_en"],
                "department_id": _department(action_spec["department"]).id,
                "lead_official_id": official.id if official else None,
                "due_on": due if isinstance(due, date) else today + timedelta(days=due),
                "budget": action_spec.get("budget"),
                "indicator_mn": action_spec.get("indicator_mn"),
                "indicator_en": action_spec.get("indicator_en")})
        for day, status, percent, note_mn, note_en in action_spec["progress"]:
            with recorded_at(_at(day, 12)):
                services.post_progress(official, action, status, percent, note_mn, note_en,
                                       now=_at(day, 12))
    if spec.get("done_on"):
        with recorded_at(_at(spec["done_on"], 12)):
            services.move_stage(organiser, item, "done", now=_at(spec["done_on"], 12))


def _minutes_from(start: datetime, scale: float = 1.0) -> Clock:
    """The item's clock: minutes after `start` (times `scale`) as a stored time."""
    return lambda minutes: start + timedelta(minutes=minutes * scale)


def _journey(spec: dict, organiser: User, admin: User, today: date) -> int:
    made = _new_item(spec, organiser, admin)
    if made is None:
        return 0
    event, item = made
    day, hour = spec["at"]
    at = _minutes_from(_at(day, hour))
    _discuss(spec, organiser, item, at)
    codes = _admit(event, organiser, spec["present"], max(at(-20), event.starts_at))
    if spec.get("votes"):
        _vote(spec, organiser, item, at, codes)
    _decide(spec, organiser, item, at, today)
    return 1


def _today(spec: dict, organiser: User, admin: User) -> int:
    """Today's forum: an item in its voting stage, with a few votes and questions from people
    checked in at the door (the demo citizen's ticket is left to vote with). Its last hour
    and a half, or what has passed of the forum if it opened later, leads to now."""
    made = _new_item(spec, organiser, admin, ahead=timedelta(days=1))
    if made is None:
        return 0
    event, item = made
    now = utcnow()
    begun = max(event.starts_at, now - timedelta(minutes=90))
    at = _minutes_from(begun, (now - begun) / timedelta(minutes=90))
    _discuss(spec, organiser, item, at)
    citizen = find_user_by_email(CITIZEN)
    present = [r.ticket.code for r in db.session.scalars(select(Registration).where(
        Registration.event_id == event.id).order_by(Registration.id))
        if r.ticket is not None and (citizen is None or r.user_id != citizen.id)
        and services.is_admitted(r.ticket, event, now)]
    if len(present) >= sum(spec["votes"]) + 1:
        _vote(spec, organiser, item, at, present[1:])
        for body, anonymous, state, upvotes in spec["questions"]:
            question = services.ask_question(item, body, ticket=present[0],
                                             anonymous=anonymous)
            if state != "pending":
                services.moderate_question(organiser, question, state)
                for code in present[1:1 + upvotes]:
                    services.upvote_question(question, ticket=code)
    else:
        with recorded_at(at(70)):
            services.move_stage(organiser, item, "voting", now=at(70))
    return 1
def seed_deliberation(today: date | None = None) -> int:
    """Returns how many agenda items were recorded now (0 on a second run)."""
    organiser, admin = find_user_by_email(ORGANISER), find_user_by_email(ADMIN)
    if organiser is None or admin is None:
        return 0
    today = today or local_date(utcnow())
    made = sum(_journey(spec, organiser, admin, today) for spec in JOURNEYS)
    return made + _today(TODAY, organiser, admin)
