"""The secret ballot and the hand tallies of the room.

Who may vote: a ticket checked in to the item's event (the door's own standing, see
common.is_admitted), once per agenda item, and only while the item is in its voting stage.

Once: the receipt (agenda item, registration) is UNIQUE. Every vote inserts its receipt
first; of twenty presses at once the database keeps one and the others get "already_voted"
(SQLite: BEGIN IMMEDIATE serialises the writers; PostgreSQL: the unique index).

Secret: the ballot row has the option only (no voter, no time, a random key; see models).
No history entry is written for a vote, since a timed entry would pair a voter with a count.

Changing a vote (only when the facilitator allowed it before voting opened, and only while
voting is open): the voter gets a random change key with their first vote; the server keeps
only a hash of the key and their registration id, on the ballot. Sending the key back with the
same ticket takes that ballot back (-1, insert-only) and casts the new one (+1, with a new
key). Without the key nobody, the server included, can tell which ballot was theirs (the key
is 192 random bits and never stored); a key is useless with another ticket; a lost key means
the vote stays as cast.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...audit.services import record_event
from ...core.tokens import hash_token
from ...database import begin_write
from ...errors import DomainError
from ...extensions import db
from ...i18n import utcnow
from ...registration.models import Registration
from ..models import AgendaItem, Ballot, BallotReceipt, HandTally, Stage, VoteChannel
from .common import (
    admitted_registration,
    option_of,
    require_facilitator,
    stakeholder,
    text,
    whole_number,
)

MAX_CHANGE_KEY = 100
MAX_TALLY = 100_000


@dataclass
class VoteResult:
    accepted: bool
    changed: bool = False
    change_key: str | None = None  # only when the item lets voters change their vote


def _check_open(item: AgendaItem) -> None:
    # Read afresh inside the write transaction; FOR SHARE on PostgreSQL, so a stage move
    # waits for the votes being written and no vote lands after voting closed.
    stage = db.session.scalar(select(AgendaItem.stage).where(AgendaItem.id == item.id)
                              .with_for_update(read=True))
    if stage != Stage.VOTING:
        raise DomainError(_l("Voting on this item is not open."), "voting_closed")


def _key_hash(change_key: str, registration: Registration) -> str:
    """Bound to the voter's registration too: a key is no use with another ticket."""
    return hash_token(f"{change_key}:{registration.id}")


def _new_ballot(item: AgendaItem, option_id: int, registration: Registration) -> str | None:
    change_key = secrets.token_urlsafe(24) if item.allow_vote_change else None
    db.session.add(Ballot(agenda_item_id=item.id, option_id=option_id, weight=1,
                          change_key_hash=_key_hash(change_key, registration)
                          if change_key else None))
    return change_key


def _change(item: AgendaItem, option_id: int, change_key,
            registration: Registration) -> VoteResult:
    if not item.allow_vote_change:
        raise DomainError(_l("You have already voted on this item."), "already_voted")
    if not isinstance(change_key, str) or not 0 < len(change_key) <= MAX_CHANGE_KEY:
        raise DomainError(_l("This vote cannot be changed without the key you were given "
                             "when you voted."), "bad_change_key", "change_key")
    key_hash = _key_hash(change_key, registration)
    earlier = db.session.scalar(select(Ballot).where(
        Ballot.agenda_item_id == item.id, Ballot.change_key_hash == key_hash,
        Ballot.weight == 1))
    if earlier is None:
        raise DomainError(_l("This vote cannot be changed without the key you were given "
                             "when you voted."), "bad_change_key", "change_key")
    db.session.add(Ballot(agenda_item_id=item.id, option_id=earlier.option_id, weight=-1,
                          revokes_key_hash=key_hash))
    new_key = _new_ballot(item, option_id, registration)
    try:
        db.session.flush()
    except IntegrityError:  # the same key sent twice at once: one change counts
        db.session.rollback()
        raise DomainError(_l("This vote has just been changed."), "already_changed",
                          "change_key") from None
    db.session.commit()
    return VoteResult(accepted=True, changed=True, change_key=new_key)


def cast_vote(item: AgendaItem, ticket, option_id, *, channel: str = VoteChannel.PHONE.value,
              actor=None, change_key=None, now: datetime | None = None) -> VoteResult:
    """Vote for `option_id` with the ticket whose code is `ticket`.

    DomainError codes: "unknown_ticket", "unknown_option", "not_checked_in", "voting_closed",
    "already_voted", "bad_channel", "forbidden" (a paper or assisted vote needs the event's
    staff as `actor`), "bad_change_key", "already_changed"."""
    if channel not in {c.value for c in VoteChannel}:
        raise DomainError(_l("Please choose how the vote came in."), "bad_channel", "channel")
    if channel != VoteChannel.PHONE:
        require_facilitator(actor, item.event)
    option = option_of(item, option_id)
    item_id, option_id = item.id, option.id
    begin_write()
    try:
        return _vote(db.session.get(AgendaItem, item_id), ticket, option_id, channel, actor,
                     change_key, now or utcnow())
    except DomainError:
        db.session.rollback()  # let go of the write lock; nothing was written
        raise


def _vote(item: AgendaItem, ticket, option_id: int, channel: str, actor, change_key,
          now: datetime) -> VoteResult:
    registration = admitted_registration(item.event, ticket, now)
    _check_open(item)
    if change_key is not None:
        return _change(item, option_id, change_key, registration)
    db.session.add(BallotReceipt(
        agenda_item_id=item.id, registration_id=registration.id, channel=channel,
        entered_by_id=actor.id if channel != VoteChannel.PHONE else None))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise DomainError(_l("This ticket has already voted on this item."),
                          "already_voted") from None
    change_key = _new_ballot(item, option_id, registration)
    db.session.commit()
    return VoteResult(accepted=True, change_key=change_key)


def has_voted(item: AgendaItem, registration_id: int) -> bool:
    """Whether a registration voted on the item (never for what)."""
    return db.session.scalar(select(BallotReceipt.id).where(
        BallotReceipt.agenda_item_id == item.id,
        BallotReceipt.registration_id == registration_id)) is not None


def record_hand_tally(actor, item: AgendaItem, option_id, stakeholder_kind, count,
                      note: str | None = None) -> HandTally:
    """The facilitator's count of hands (or cards) in the room for one option and stakeholder
    group. A second count for the same pair is a correction: a new row, the old one kept."""
    require_facilitator(actor, item.event)
    if Stage(item.stage).index < Stage.VOTING.index:
        raise DomainError(_l("Hand tallies are recorded once voting has opened."),
                          "voting_not_open")
    option = option_of(item, option_id)
    kind = stakeholder(stakeholder_kind)
    if kind is None:
        raise DomainError(_l("Please choose a stakeholder group from the list."),
                          "bad_stakeholder_kind", "stakeholder_kind")
    tally = HandTally(agenda_item_id=item.id, option_id=option.id, stakeholder_kind=kind,
                      count=whole_number(count, "count", high=MAX_TALLY, optional=False),
                      note=text({"note": note}, "note", 1000), recorded_by_id=actor.id)
    db.session.add(tally)
    db.session.flush()
    record_event(actor, item, "agenda.hand_tally",
                 after={"option_id": option.id, "stakeholder_kind": kind,
                        "count": tally.count}, reason=tally.note)
    db.session.commit()
    return tally
