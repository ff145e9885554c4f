"""The vote as the room sees it: only people checked in at the door vote, once each, while
voting is open; the counts are the ballots; nothing pairs a voter with a choice."""

import pytest
from sqlalchemy import func, inspect, select

from forum_app.deliberation import services
from forum_app.deliberation.models import Ballot, BallotReceipt, latest_tallies_query, vote_counts
from forum_app.deliberation.outcomes import ballot_figures
from forum_app.extensions import db
from forum_app.registration.services import cancel_registration
from tests import factories

from .support import admitted, event_on, item_at, person, refused


@pytest.fixture
def item(organiser, forum):
    return item_at(organiser, forum, "voting")


def test_checked_in_attendees_vote_once_and_the_counts_match(organiser, forum, item):
    first, second = item.options
    voters = [admitted(forum, organiser) for _ in range(5)]
    for n, voter in enumerate(voters):
        result = services.cast_vote(item, voter.ticket.code, (first if n < 3 else second).id)
        assert result.accepted and result.change_key is None
    assert refused(services.cast_vote, item, voters[0].ticket.code, second.id) == "already_voted"
    assert vote_counts(item.id) == {first.id: 3, second.id: 2}
    assert db.session.scalar(select(func.count(BallotReceipt.id))) == 5


def test_a_registered_person_not_checked_in_cannot_vote(organiser, forum, item):
    at_home = person(forum)
    assert refused(services.cast_vote, item, at_home.ticket.code, item.options[0].id) \
        == "not_checked_in"
    other_forum = event_on(organiser, whole_day=True)
    elsewhere = admitted(other_forum, organiser)
    assert refused(services.cast_vote, item, elsewhere.ticket.code, item.options[0].id) \
        == "not_checked_in"
    assert refused(services.cast_vote, item, "DF1-NOPE", item.options[0].id) == "unknown_ticket"
    assert vote_counts(item.id) == {}


def test_a_cancelled_registration_loses_its_vote_even_after_check_in(organiser, forum, item):
    voter = admitted(forum, organiser)
    cancel_registration(voter, actor=organiser, by_staff=True, reason="Өөрөө цуцалсан")
    assert refused(services.cast_vote, item, voter.ticket.code, item.options[0].id) \
        == "not_checked_in"


def test_voting_is_open_only_in_the_voting_stage(organiser, forum):
    item = item_at(organiser, forum, "options")
    voter = admitted(forum, organiser)
    assert refused(services.cast_vote, item, voter.ticket.code, item.options[0].id) \
        == "voting_closed"
    services.move_stage(organiser, item, "voting")
    services.cast_vote(item, voter.ticket.code, item.options[0].id)
    services.record_decision(organiser, item, {"text_mn": "Шийдвэр", "method": "vote",
                                               "option_ids": [item.options[0].id]})
    late = admitted(forum, organiser)
    assert refused(services.cast_vote, item, late.ticket.code, item.options[1].id) \
        == "voting_closed"


def test_unknown_or_foreign_options_are_refused(organiser, forum, item):
    voter = admitted(forum, organiser)
    other = item_at(organiser, forum, "voting")
    for bad in (other.options[0].id, 0, -1, 2**40, "1", None, True):
        assert refused(services.cast_vote, item, voter.ticket.code, bad) == "unknown_option"
    services.cast_vote(item, voter.ticket.code, item.options[1].id)  # still has their vote


def test_nothing_stored_pairs_a_voter_with_a_choice(organiser, forum, item):
    columns = {c.key for c in inspect(Ballot).columns}
    assert columns == {"key", "agenda_item_id", "option_id", "weight", "change_key_hash",
                       "revokes_key_hash"}
    assert not {"created_at", "registration_id", "user_id", "id"} & columns
    receipt_columns = {c.key for c in inspect(BallotReceipt).columns}
    assert "option_id" not in receipt_columns and "created_at" not in receipt_columns
    voters = [admitted(forum, organiser) for _ in range(3)]
    for voter in voters:
        services.cast_vote(item, voter.ticket.code, item.options[0].id)
    keys = db.session.scalars(select(Ballot.key)).all()
    assert len(set(keys)) == 3 and all(len(key) == 32 for key in keys)


def test_a_vote_changes_only_where_allowed_and_only_with_the_voters_key(organiser, forum):
    item = item_at(organiser, forum, "voting", allow_vote_change=True)
    first, second = item.options
    voter = admitted(forum, organiser)
    key = services.cast_vote(item, voter.ticket.code, first.id).change_key
    assert key
    assert refused(services.cast_vote, item, voter.ticket.code, second.id) == "already_voted"
    assert refused(services.cast_vote, item, voter.ticket.code, second.id,
                 change_key="guess") == "bad_change_key"
    changed = services.cast_vote(item, voter.ticket.code, second.id, change_key=key)
    assert changed.changed and changed.change_key != key
    assert vote_counts(item.id) == {first.id: 0, second.id: 1}
    assert refused(services.cast_vote, item, voter.ticket.code, first.id,
                 change_key=key) == "already_changed"  # a key works once
    assert db.session.scalar(select(func.count(BallotReceipt.id))) == 1


def test_vote_rules_are_fixed_once_voting_opens(organiser, forum, item):
    assert refused(services.set_vote_change, organiser, item, True) == "sealed"


def test_paper_and_assisted_votes_are_entered_by_staff(organiser, forum, item):
    voter = admitted(forum, organiser)
    assert refused(services.cast_vote, item, voter.ticket.code, item.options[0].id,
                 channel="paper") == "forbidden"
    assert refused(services.cast_vote, item, voter.ticket.code, item.options[0].id,
                 channel="fax", actor=organiser) == "bad_channel"
    services.cast_vote(item, voter.ticket.code, item.options[0].id, channel="paper",
                       actor=organiser)
    receipt = db.session.scalar(select(BallotReceipt))
    assert (receipt.channel, receipt.entered_by_id) == ("paper", organiser.id)


def test_hand_tallies_are_kept_apart_and_corrected_by_new_rows(organiser, forum, item):
    option = item.options[0]
    services.record_hand_tally(organiser, item, option.id, "citizen", 12)
    services.record_hand_tally(organiser, item, option.id, "business", 4)
    services.record_hand_tally(organiser, item, option.id, "citizen", 14, "Дахин тоолов")
    standing = db.session.scalars(latest_tallies_query(item.id)).all()
    assert sorted((t.stakeholder_kind, t.count) for t in standing) == [("business", 4),
                                                                      ("citizen", 14)]
    assert vote_counts(item.id) == {}  # hands are not ballots
    assert refused(services.record_hand_tally, organiser, item, option.id, "aliens", 1) \
        == "bad_stakeholder_kind"
    assert refused(services.record_hand_tally, organiser, item, option.id, "citizen", -1) \
        == "bad_number"
    assert refused(services.record_hand_tally, factories.user(), item, option.id, "citizen", 1) \
        == "forbidden"


def test_the_minutes_figures_reconcile_voters_and_ballots(organiser, forum):
    item = item_at(organiser, forum, "voting", allow_vote_change=True)
    first, second = item.options
    codes = [admitted(forum, organiser).ticket.code for _ in range(3)]
    keys = [services.cast_vote(item, code, first.id).change_key for code in codes]
    paper = admitted(forum, organiser)
    services.cast_vote(item, paper.ticket.code, second.id, channel="paper", actor=organiser)
    assert refused(services.cast_vote, item, codes[1], second.id, change_key=keys[0]) \
        == "bad_change_key"  # someone else's key is no use with your ticket
    services.cast_vote(item, codes[0], second.id, change_key=keys[0])
    figures = ballot_figures(item)
    assert (figures.voters, figures.ballots, figures.changed) == (4, 4, 1)
    assert figures.by_channel == {"phone": 3, "paper": 1} and figures.reconciled
