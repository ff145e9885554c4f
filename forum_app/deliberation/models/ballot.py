"""The secret ballot and the room's hand tallies.

Two tables share nothing but the agenda item: `ballot_receipts` says that a registration voted
(once: UNIQUE), `ballots` says that an option got a vote. A ballot has no voter, no time and a
random key, and on SQLite the table is WITHOUT ROWID (stored in key order), so neither the
columns nor the storage order pair the two. Rows here are insert-only.
"""

import secrets
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ...extensions import db
from ...i18n import utcnow
from ..stages import VoteChannel


def _ballot_key() -> str:
    return secrets.token_hex(16)


class BallotReceipt(db.Model):
    """That a registration voted on an agenda item, and how, never for what. UNIQUE: once."""

    __tablename__ = "ballot_receipts"
    __table_args__ = (UniqueConstraint("agenda_item_id", "registration_id",
                                       name="uq_ballot_receipts_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(20), default=VoteChannel.PHONE.value)
    # Only for paper and assisted votes: the staff member who entered it.
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # No time: with live counts on the projector, a time would pair a voter with a choice.


class Ballot(db.Model):
    """One entry in the ballot box: an option and +1, or -1 when a changed vote takes its
    earlier ballot back. No voter, no time, a random key; insert-only.

    A vote can be changed (when the item allows it) only with the change key the voter got,
    which the server keeps as a hash on the ballot and nowhere near the voter. Both hash
    columns are UNIQUE, so one key takes one ballot back once, under any concurrency."""

    __tablename__ = "ballots"
    __table_args__ = (
        CheckConstraint("weight IN (1, -1)", name="weight"),
        Index("ix_ballots_item_option", "agenda_item_id", "option_id"),
        {"sqlite_with_rowid": False},
    )

    key: Mapped[str] = mapped_column(String(32), primary_key=True, default=_ballot_key)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"))
    option_id: Mapped[int] = mapped_column(ForeignKey("solution_options.id", ondelete="CASCADE"))
    weight: Mapped[int] = mapped_column(default=1)
    change_key_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    revokes_key_hash: Mapped[str | None] = mapped_column(String(64), unique=True)


class HandTally(db.Model):
    """A count of raised hands or cards in the room for one option and stakeholder kind.
    A correction is a new row; the latest row per (option, kind) is the standing count."""

    __tablename__ = "hand_tallies"
    __table_args__ = (
        CheckConstraint("count >= 0", name="count"),
        Index("ix_hand_tallies_item", "agenda_item_id", "option_id", "stakeholder_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"))
    option_id: Mapped[int] = mapped_column(ForeignKey("solution_options.id", ondelete="CASCADE"))
    stakeholder_kind: Mapped[str] = mapped_column(String(20))
    count: Mapped[int]
    note: Mapped[str | None] = mapped_column(Text)  # why a correction was made
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    option = relationship("SolutionOption")
    recorded_by = relationship("User")


def vote_counts_query(agenda_item_ids):
    """(agenda_item_id, option_id, votes) of the secret ballot; options without votes are
    missing. Sums the weights, so a changed vote counts once, for the new option."""
    return (select(Ballot.agenda_item_id, Ballot.option_id, func.sum(Ballot.weight))
            .where(Ballot.agenda_item_id.in_(list(agenda_item_ids)))
            .group_by(Ballot.agenda_item_id, Ballot.option_id))


def vote_counts(agenda_item_id: int) -> dict[int, int]:
    """Option id -> votes of one agenda item."""
    rows = db.session.execute(vote_counts_query([agenda_item_id]))
    return {option_id: int(votes or 0) for _item, option_id, votes in rows}


def latest_tallies_query(agenda_item_id: int):
    """The standing hand tallies: the latest row per option and stakeholder kind."""
    latest = (select(func.max(HandTally.id))
              .where(HandTally.agenda_item_id == agenda_item_id)
              .group_by(HandTally.option_id, HandTally.stakeholder_kind))
    return (select(HandTally).where(HandTally.id.in_(latest))
            .order_by(HandTally.option_id, HandTally.stakeholder_kind))


@db.event.listens_for(Ballot, "before_update")
@db.event.listens_for(Ballot, "before_delete")
@db.event.listens_for(BallotReceipt, "before_update")
@db.event.listens_for(BallotReceipt, "before_delete")
@db.event.listens_for(HandTally, "before_update")
@db.event.listens_for(HandTally, "before_delete")
def _refuse_change(mapper, connection, target):
    raise RuntimeError(f"{type(target).__name__} rows are append-only")
