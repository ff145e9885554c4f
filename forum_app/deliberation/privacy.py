"""The forum record's part of "My data", and erasure. Questions and contributions stay in
the record, without the name; votes are secret: only the receipt (this ticket voted on this
item) is linked to a person, never the ballot."""

from sqlalchemy import or_, select, update

from ..core.personal import row_dict
from ..core.redaction import redact_rows
from ..core.signals import personal_data_erasing, personal_data_requested
from ..extensions import db
from ..registration.models import Registration
from .models import (
    Action,
    AgendaItem,
    BallotReceipt,
    Contribution,
    Decision,
    LiveQuestion,
    SolutionOption,
)

# Names that staff type into the record (presenter, proposer, lead, who decided).
TYPED_NAMES = ((AgendaItem, ["presenter"]), (SolutionOption, ["proposer"]),
               (Decision, ["decided_by"]), (Action, ["lead_name"]),
               (Contribution, ["speaker_name"]), (LiveQuestion, ["display_name"]))


def _registration_ids(user, registrations) -> list[int]:
    ids = [r.id for r in registrations]
    if user is not None:
        ids += db.session.scalars(select(Registration.id).where(
            Registration.user_id == user.id)).all()
    return ids


def _by_person(model, user, ids):
    if user is None:
        return model.registration_id.in_(ids)
    return or_(model.registration_id.in_(ids), model.author_id == user.id)


@personal_data_erasing.connect
def erase_forum_names(sender, user=None, registrations=(), traces=frozenset()):
    ids = _registration_ids(user, registrations)
    count = db.session.execute(update(LiveQuestion).where(_by_person(LiveQuestion, user, ids))
                               .values(display_name=None)).rowcount
    count += db.session.execute(update(Contribution).where(
        Contribution.registration_id.in_(ids)).values(speaker_name=None)).rowcount
    for model, columns in TYPED_NAMES:
        count += redact_rows(model, columns, set(traces))
    return "forum", count


@personal_data_requested.connect
def forum_held(sender, user):
    ids = _registration_ids(user, ())
    questions = db.session.scalars(select(LiveQuestion).where(
        _by_person(LiveQuestion, user, ids)).order_by(LiveQuestion.id))
    contributions = db.session.scalars(select(Contribution).where(
        _by_person(Contribution, user, ids)).order_by(Contribution.id))
    receipts = db.session.scalars(select(BallotReceipt).where(
        BallotReceipt.registration_id.in_(ids)).order_by(BallotReceipt.id))
    return "forum", {
        "questions": [row_dict(q, ("agenda_item_id", "body", "state", "anonymous",
                                   "display_name", "created_at")) for q in questions],
        "contributions": [row_dict(c, ("agenda_item_id", "kind", "speaker_name", "body",
                                       "created_at")) for c in contributions],
        "voted_on": [row_dict(r, ("agenda_item_id", "channel")) for r in receipts],
        "votes_note": "Ballots are secret: which option you chose is stored without any link "
                      "to you, so it cannot be listed here; only the items your ticket voted "
                      "on are.",
    }
