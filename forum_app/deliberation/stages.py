"""The fixed vocabularies of the forum record: stages, contribution kinds, question states,
decision methods, action statuses and vote channels, with their labels.

Stage order is the rule of the record: moving to the next stage is the ordinary step;
skipping ahead or moving back needs a reason (see `needs_reason`)."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Stage(StrEnum):
    PROBLEM = "problem"
    DISCUSSION = "discussion"
    OPTIONS = "options"
    VOTING = "voting"
    DECIDED = "decided"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @property
    def label(self):
        return STAGE_LABELS[self]

    @property
    def index(self) -> int:
        return STAGE_ORDER.index(self)


STAGE_ORDER: list[Stage] = list(Stage)
STAGE_LABELS = {
    Stage.PROBLEM: _l("Problem presented"),
    Stage.DISCUSSION: _l("Discussion"),
    Stage.OPTIONS: _l("Solution options"),
    Stage.VOTING: _l("Voting"),
    Stage.DECIDED: _l("Decided"),
    Stage.IN_PROGRESS: _l("In implementation"),
    Stage.DONE: _l("Done"),
}


def next_stage(stage: str) -> Stage | None:
    """The ordinary next step, or None after the last stage."""
    position = Stage(stage).index + 1
    return STAGE_ORDER[position] if position < len(STAGE_ORDER) else None


def move_kind(from_stage: str, to_stage: str) -> str:
    """"next" (the ordinary step), "skip" (jumps ahead), "back" or "same"."""
    before, after = Stage(from_stage).index, Stage(to_stage).index
    if after == before:
        return "same"
    if after < before:
        return "back"
    return "next" if after == before + 1 else "skip"


def needs_reason(from_stage: str, to_stage: str) -> bool:
    """Skipping a stage or moving back must be explained; the next step need not be."""
    return move_kind(from_stage, to_stage) in ("skip", "back")


class ContributionKind(StrEnum):
    QUESTION = "question"
    EVIDENCE = "evidence"
    CONCERN = "concern"
    IDEA = "idea"

    @property
    def label(self):
        return CONTRIBUTION_LABELS[self]


CONTRIBUTION_LABELS = {
    ContributionKind.QUESTION: _l("Question"),
    ContributionKind.EVIDENCE: _l("Evidence"),
    ContributionKind.CONCERN: _l("Concern"),
    ContributionKind.IDEA: _l("Idea"),
}


class QuestionState(StrEnum):
    PENDING = "pending"
    VISIBLE = "visible"
    ANSWERED = "answered"
    HIDDEN = "hidden"

    @property
    def label(self):
        return QUESTION_STATE_LABELS[self]


QUESTION_STATE_LABELS = {
    QuestionState.PENDING: _l("Waiting for approval"),
    QuestionState.VISIBLE: _l("Shown to the room"),
    QuestionState.ANSWERED: _l("Answered"),
    QuestionState.HIDDEN: _l("Hidden"),
}
# The facilitator's moves; hidden questions can be shown again (hide, never delete).
QUESTION_MOVES: dict[QuestionState, set[QuestionState]] = {
    QuestionState.PENDING: {QuestionState.VISIBLE, QuestionState.HIDDEN},
    QuestionState.VISIBLE: {QuestionState.ANSWERED, QuestionState.HIDDEN},
    QuestionState.ANSWERED: {QuestionState.VISIBLE, QuestionState.HIDDEN},
    QuestionState.HIDDEN: {QuestionState.VISIBLE},
}


class DecisionMethod(StrEnum):
    CONSENSUS = "consensus"
    VOTE = "vote"
    OFFICIAL = "official"

    @property
    def label(self):
        return METHOD_LABELS[self]


METHOD_LABELS = {
    DecisionMethod.CONSENSUS: _l("Consensus of the participants"),
    DecisionMethod.VOTE: _l("Vote of the participants"),
    DecisionMethod.OFFICIAL: _l("Official decision"),
}


class ActionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def label(self):
        return ACTION_STATUS_LABELS[self]


ACTION_STATUS_LABELS = {
    ActionStatus.PLANNED: _l("Planned"),
    ActionStatus.IN_PROGRESS: _l("In progress"),
    ActionStatus.DONE: _l("Done"),
    ActionStatus.CANCELLED: _l("Cancelled"),
}
CLOSED_STATUSES = (ActionStatus.DONE.value, ActionStatus.CANCELLED.value)


class VoteChannel(StrEnum):
    PHONE = "phone"  # the attendee's own phone (participant page or API)
    PAPER = "paper"  # a paper ballot typed in by staff
    ASSISTED = "assisted"  # staff helped the attendee vote on a device

    @property
    def label(self):
        return CHANNEL_LABELS[self]


CHANNEL_LABELS = {
    VoteChannel.PHONE: _l("On their phone"),
    VoteChannel.PAPER: _l("Paper ballot"),
    VoteChannel.ASSISTED: _l("Assisted by staff"),
}
