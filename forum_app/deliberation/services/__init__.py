"""What people can do with the forum record. The pages, the API and the tests all call
these: `verb_noun(actor, objects, plain values) -> result`, DomainError (with a stable code)
when a rule says no, and then nothing has changed.

- record.py     agenda items, stages, linked citizen issues, contributions, options
- voting.py     the secret ballot and the room's hand tallies
- questions.py  live questions from the room
- decisions.py  the decision, its actions and their progress
- common.py     who may do what, participants (checked-in tickets), value checks
"""

from .common import (
    Participant,
    can_facilitate,
    is_admitted,
    is_official_of,
    participant,
    participant_or_none,
)
from .decisions import (
    add_action,
    can_update_action,
    post_progress,
    post_progress_many,
    record_decision,
    revise_decision,
    update_action,
)
from .questions import (
    ask_question,
    moderate_question,
    pin_question,
    promote_question,
    report_question,
    upvote_question,
)
from .record import (
    add_contribution,
    add_option,
    can_move_stage,
    create_agenda_item,
    hide_contribution,
    link_issue,
    move_stage,
    send_contribution,
    set_vote_change,
    update_agenda_item,
    update_option,
    withdraw_option,
)
from .voting import VoteResult, cast_vote, has_voted, record_hand_tally

__all__ = [
    "Participant", "VoteResult", "add_action", "add_contribution", "add_option",
    "ask_question", "can_facilitate", "can_move_stage", "can_update_action", "cast_vote",
    "create_agenda_item", "has_voted", "hide_contribution", "is_admitted", "is_official_of",
    "link_issue", "moderate_question", "move_stage", "participant", "participant_or_none",
    "pin_question",
    "post_progress", "post_progress_many", "promote_question", "record_decision",
    "record_hand_tally", "report_question", "revise_decision", "send_contribution",
    "set_vote_change", "update_action", "update_agenda_item", "update_option",
    "upvote_question", "withdraw_option",
]
