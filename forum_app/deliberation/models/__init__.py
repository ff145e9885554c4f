"""The forum record: agenda items (problems), what was said, the options, the secret ballot,
the decision, its actions and their progress. Import the rows from here.

- agenda.py   AgendaItem, AgendaItemIssue, Contribution, SolutionOption
- room.py     LiveQuestion, QuestionUpvote, QuestionReport
- ballot.py   BallotReceipt, Ballot, HandTally; vote counts and standing tallies
- outcome.py  Decision, DecisionOption, Action, ProgressUpdate, ProgressPhoto

History lives in forum_app.audit (AuditEvent, append-only): every stage move, decision and
action change writes one there. Rows that are history themselves (ballots, receipts, hand
tallies, progress updates) refuse UPDATE and DELETE through the ORM.
"""

from ..stages import (  # noqa: F401 - re-exported: the vocabulary belongs with the rows
    CLOSED_STATUSES,
    ActionStatus,
    ContributionKind,
    DecisionMethod,
    QuestionState,
    Stage,
    VoteChannel,
    move_kind,
    needs_reason,
    next_stage,
)
from .agenda import AgendaItem, AgendaItemIssue, Contribution, SolutionOption  # noqa: F401
from .ballot import (  # noqa: F401
    Ballot,
    BallotReceipt,
    HandTally,
    latest_tallies_query,
    vote_counts,
    vote_counts_query,
)
from .outcome import Action, Decision, DecisionOption, ProgressPhoto, ProgressUpdate  # noqa: F401
from .room import LiveQuestion, QuestionReport, QuestionUpvote  # noqa: F401
