"""What every use case of the forum record needs: who may do what, clean values, who a
participant is (a checked-in ticket or a signed-in user), and the history entry."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...accounts.models import Role, User
from ...checkin.models import CheckInResult
from ...checkin.services.figures import checked_in_ticket_ids
from ...checkin.services.scan import ticket_standing
from ...core.models import Department
from ...core.reference import StakeholderKind
from ...database import MAX_ID
from ...errors import DomainError
from ...events.checks import clean_text
from ...events.models import Event
from ...events.services import can_manage
from ...extensions import db
from ...i18n import utcnow
from ...registration.models import Registration, RegistrationState, Ticket
from ...registration.tickets import looks_like_code, normalise_code
from ...security import UNSTORABLE
from ..models import AgendaItem, SolutionOption

MAX_MONEY = 10**15  # tugriks; far past any budget here, and within BIGINT
REASON_MAX = 2000


# --- who may do what -------------------------------------------------------------------------

def can_facilitate(user, event: Event) -> bool:
    """The event's organisers (and admins) run its sessions and keep its record."""
    return can_manage(user, event)


def require_facilitator(actor, event: Event) -> None:
    if not can_facilitate(actor, event):
        raise DomainError(_l("Only the organisers of this forum can change its record."),
                          "forbidden")


def is_official_of(user, department_id: int | None) -> bool:
    """An official of that department, or an admin."""
    if not (user and getattr(user, "is_authenticated", False)):
        return False
    if Role.ADMIN.value in user.roles:
        return True
    return user.has_role(Role.OFFICIAL.value) and user.department_id == department_id


# --- values ----------------------------------------------------------------------------------

def text(values: dict, field: str, limit: int) -> str | None:
    """Stripped text of `field` or None; too long, not text or unstorable: DomainError."""
    value = values.get(field)
    if value is not None and not isinstance(value, str):
        raise DomainError(_l("Must be text."), "invalid", field)
    value = clean_text(value, field, limit)
    if value and UNSTORABLE.search(value):
        raise DomainError(_l("Must not contain invisible control characters."), "invalid", field)
    return value


def bilingual(values: dict, field: str, limit: int, required=None) -> dict:
    """`<field>_mn` and `<field>_en`; `required` (a message) when one of them must be given."""
    pair = {f"{field}_{lang}": text(values, f"{field}_{lang}", limit) for lang in ("mn", "en")}
    if required is not None and not any(pair.values()):
        raise DomainError(required, f"{field}_required", f"{field}_mn")
    return pair


def reason_text(reason, required: bool = True) -> str | None:
    reason = text({"reason": reason}, "reason", REASON_MAX)
    if required and not reason:
        raise DomainError(_l("Please give the reason; it is kept in the public history."),
                          "reason_required", "reason")
    return reason


def stakeholder(value, field: str = "stakeholder_kind") -> str | None:
    if value in (None, ""):
        return None
    if value not in {kind.value for kind in StakeholderKind}:
        raise DomainError(_l("Please choose a stakeholder group from the list."),
                          "bad_stakeholder_kind", field)
    return value


def whole_number(value, field: str, *, low: int = 0, high: int = MAX_MONEY,
                 optional: bool = True) -> int | None:
    if value in (None, "") and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise DomainError(_l("Please give a whole number from %(low)d to %(high)d.",
                             low=low, high=high), "bad_number", field)
    return value


def a_date(value, field: str, optional: bool = True) -> date | None:
    if value in (None, "") and optional:
        return None
    if not isinstance(value, date) or isinstance(value, datetime):
        raise DomainError(_l("Please give a date."), "bad_date", field)
    return value


def department_of(value, field: str = "department_id", optional: bool = True):
    if value in (None, "") and optional:
        return None
    found = db.session.get(Department, value) if isinstance(value, int) \
        and not isinstance(value, bool) and 0 < value <= MAX_ID else None
    if found is None:
        raise DomainError(_l("Please choose a department from the list."), "bad_department",
                          field)
    return found


def option_of(item: AgendaItem, option_id, field: str = "option_id") -> SolutionOption:
    """An option of this item that has not been withdrawn."""
    valid = isinstance(option_id, int) and not isinstance(option_id, bool) \
        and 0 < option_id <= MAX_ID
    option = db.session.get(SolutionOption, option_id) if valid else None
    if option is None or option.agenda_item_id != item.id or option.withdrawn_at is not None:
        raise DomainError(_l("There is no such option for this agenda item."), "unknown_option",
                          field)
    return option


# --- participants ----------------------------------------------------------------------------

@dataclass
class Participant:
    """Someone in the room: a registration (their ticket) and/or a signed-in user."""

    registration: Registration | None = None
    user: User | None = None

    @property
    def key(self) -> str:
        """One person, one key: the registration when there is one, else the account."""
        if self.registration is not None:
            return f"registration:{self.registration.id}"
        return f"user:{self.user.id}"

    @property
    def name(self) -> str | None:
        if self.registration is not None:
            return self.registration.name
        return self.user.name if self.user is not None else None


def ticket_of(code) -> Ticket:
    code = normalise_code(code if isinstance(code, str) else "")
    ticket = db.session.scalar(select(Ticket).where(Ticket.code == code)) \
        if looks_like_code(code) else None
    if ticket is None:
        raise DomainError(_l("There is no ticket with this code."), "unknown_ticket", "ticket")
    return ticket


def is_admitted(ticket: Ticket, event: Event, now: datetime | None = None) -> bool:
    """The ticket is valid for `event` and checked in to it now (the door's own rules)."""
    registration = ticket.registration
    return (registration.event_id == event.id
            and ticket_standing(ticket, registration) == CheckInResult.ADMITTED
            and ticket.id in checked_in_ticket_ids(event, [ticket.id], now or utcnow()))


def admitted_registration(event: Event, code, now: datetime | None = None) -> Registration:
    """The registration behind a ticket checked in to `event`, else DomainError."""
    ticket = ticket_of(code)
    if not is_admitted(ticket, event, now):
        raise DomainError(_l("This ticket has not been checked in to this forum. Please "
                             "check in at the door first."), "not_checked_in", "ticket")
    return ticket.registration


def registration_of_user(event: Event, user) -> Registration | None:
    if not (user and getattr(user, "is_authenticated", False)):
        return None
    return db.session.scalar(select(Registration).where(
        Registration.event_id == event.id, Registration.user_id == user.id,
        Registration.state == RegistrationState.CONFIRMED.value))


def participant(event: Event, *, user=None, ticket=None, now: datetime | None = None,
                must_be_admitted: bool = True) -> Participant:
    """Who is acting in the room: a ticket checked in to `event` (its code), else the signed-in
    user, through their own registration when its ticket is checked in. A signed-in user who
    is not checked in takes part only when `must_be_admitted` is False (asking a question)."""
    signed_in = user if getattr(user, "is_authenticated", False) else None
    if ticket:
        return Participant(admitted_registration(event, ticket, now), signed_in)
    registration = registration_of_user(event, signed_in)
    if registration is not None and registration.ticket is not None \
            and is_admitted(registration.ticket, event, now):
        return Participant(registration, signed_in)
    if signed_in is not None and not must_be_admitted:
        return Participant(None, signed_in)
    raise DomainError(_l("Please check in at the door, or scan your ticket, to take part."),
                      "not_checked_in", "ticket")


def participant_or_none(event: Event, *, user=None, tickets=()) -> Participant | None:
    """The first of `tickets` (then the signed-in user) that takes part in the room, as
    `participant` with `must_be_admitted` False; None when none does (a page, not a refusal)."""
    for ticket in tickets:
        try:
            return participant(event, user=user, ticket=ticket, must_be_admitted=False)
        except DomainError:
            continue
    return None
