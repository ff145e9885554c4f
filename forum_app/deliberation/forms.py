"""The shapes of the forum record's forms; the services have the final say on every rule."""

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.forms import Form, OptionalIdSelect, department_choices, optional_id
from ..core.reference import STAKEHOLDER_LABELS
from ..errors import DomainError
from ..i18n import localized
from ..issues.photos import prepare_photos
from .stages import (
    ACTION_STATUS_LABELS,
    CONTRIBUTION_LABELS,
    METHOD_LABELS,
    STAGE_LABELS,
)

MONEY = NumberRange(min=0, max=10**15)


def _choices(labels: dict, blank=None) -> list[tuple[str, str]]:
    head = [("", blank)] if blank is not None else []
    return head + [(key.value, label) for key, label in labels.items()]


def stakeholder_choices(blank=_l("— not specified —")):
    return _choices(STAKEHOLDER_LABELS, blank)


def _text(label, limit, required=False, area=False):
    field = TextAreaField if area else StringField
    return field(label, validators=[DataRequired() if required else Optional(),
                                    Length(max=limit)])


class MultiCheckbox(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", optional_id)
        super().__init__(*args, **kwargs)


class FormValues:
    """The form's data as the services take it (no csrf token, no submit buttons)."""

    def values(self) -> dict:
        return {name: field.data for name, field in self._fields.items()
                if name != "csrf_token"}


class AgendaItemForm(FormValues, Form):
    title_mn = _text(_l("Problem title in Mongolian"), 300)
    title_en = _text(_l("Problem title in English"), 300)
    problem_mn = _text(_l("Problem statement in Mongolian"), 10_000, area=True)
    problem_en = _text(_l("Problem statement in English"), 10_000, area=True)
    evidence_mn = _text(_l("Evidence (figures, sources) in Mongolian"), 10_000, area=True)
    evidence_en = _text(_l("Evidence (figures, sources) in English"), 10_000, area=True)
    presenter = _text(_l("Presented by (name and role)"), 200)
    presenter_kind = SelectField(_l("Presenter's stakeholder group"),
                                 choices=stakeholder_choices(), validators=[Optional()])
    position = IntegerField(_l("Position on the agenda"), default=0,
                            validators=[Optional(), NumberRange(min=0, max=10_000)])
    allow_vote_change = BooleanField(_l("Voters may change their vote while voting is open"))


class LinkIssueForm(Form):
    issue_id = IntegerField(_l("Number of the citizen issue"),
                            validators=[DataRequired(), NumberRange(min=1, max=2**31 - 1)])


class StageForm(Form):
    to_stage = SelectField(_l("Move to"), choices=_choices(STAGE_LABELS))
    reason = _text(_l("Reason (needed when moving back or skipping a stage)"), 2000, area=True)


class ContributionForm(FormValues, Form):
    kind = RadioField(_l("Kind"), choices=_choices(CONTRIBUTION_LABELS), default="idea")
    speaker_name = _text(_l("Speaker (leave empty for “a participant”)"), 120)
    stakeholder_kind = SelectField(_l("Stakeholder group"), choices=stakeholder_choices(),
                                   validators=[Optional()])
    body = _text(_l("What was said"), 4000, required=True, area=True)


class OptionForm(FormValues, Form):
    title_mn = _text(_l("Option title in Mongolian"), 300)
    title_en = _text(_l("Option title in English"), 300)
    description_mn = _text(_l("Description in Mongolian"), 10_000, area=True)
    description_en = _text(_l("Description in English"), 10_000, area=True)
    proposer = _text(_l("Proposed by"), 200)
    proposer_kind = SelectField(_l("Proposer's stakeholder group"),
                                choices=stakeholder_choices(), validators=[Optional()])
    pros_mn = _text(_l("For (pros) in Mongolian"), 10_000, area=True)
    pros_en = _text(_l("For (pros) in English"), 10_000, area=True)
    cons_mn = _text(_l("Against (cons) in Mongolian"), 10_000, area=True)
    cons_en = _text(_l("Against (cons) in English"), 10_000, area=True)
    cost_estimate = IntegerField(_l("Cost estimate (MNT)"), validators=[Optional(), MONEY])
    department_id = OptionalIdSelect(_l("Responsible department"))
    feasibility_mn = _text(_l("The department's note on feasibility, in Mongolian"), 10_000,
                           area=True)
    feasibility_en = _text(_l("The department's note on feasibility, in English"), 10_000,
                           area=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.department_id.choices = department_choices()


class VoteRulesForm(Form):
    allow_vote_change = BooleanField(_l("Voters may change their vote while voting is open"))


class TallyForm(Form):
    option_id = OptionalIdSelect(_l("Option"), validators=[DataRequired()])
    stakeholder_kind = SelectField(_l("Stakeholder group"), choices=stakeholder_choices(None))
    count = IntegerField(_l("Hands counted"),
                         validators=[DataRequired(message=_l("Please give a number.")),
                                     NumberRange(min=0, max=100_000)])
    note = _text(_l("Note (why a count is corrected)"), 1000)

    def __init__(self, options=(), *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.option_id.choices = [(str(o.id), localized(o, 'title')) for o in options]

    def validate_count(self, field):  # 0 hands is a count, not a missing value
        return None


class HideForm(Form):
    reason = _text(_l("Reason for hiding"), 2000)


class WithdrawForm(Form):
    reason = _text(_l("Reason for withdrawing"), 2000)


class ModerateForm(HideForm):
    to_state = HiddenField(validators=[DataRequired()])


class PinForm(Form):
    pinned = HiddenField()


class PromoteForm(Form):
    to = HiddenField(validators=[DataRequired()])


class DecisionForm(FormValues, Form):
    text_mn = _text(_l("What was decided, in Mongolian"), 10_000, area=True)
    text_en = _text(_l("What was decided, in English"), 10_000, area=True)
    method = RadioField(_l("How it was decided"), choices=_choices(METHOD_LABELS),
                        default="consensus")
    option_ids = MultiCheckbox(_l("The agreed option(s)"), validators=[Optional()])
    rationale_mn = _text(_l("Rationale in Mongolian"), 10_000, area=True)
    rationale_en = _text(_l("Rationale in English"), 10_000, area=True)
    dissent_mn = _text(_l("Dissent noted, in Mongolian"), 10_000, area=True)
    dissent_en = _text(_l("Dissent noted, in English"), 10_000, area=True)
    decided_by = _text(_l("Decided by (the body, as announced)"), 300)
    review_on = DateField(_l("Review date"), validators=[Optional()])
    reason = _text(_l("Reason (needed for a correction, or when a stage is skipped)"), 2000)

    def __init__(self, options=(), *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.option_ids.choices = [(o.id, localized(o, 'title')) for o in options]

    def values(self) -> dict:
        values = super().values()
        values.pop("reason")
        values["option_ids"] = [o for o in values["option_ids"] or [] if o is not None]
        return values


class ActionForm(FormValues, Form):
    title_mn = _text(_l("Action in Mongolian"), 300)
    title_en = _text(_l("Action in English"), 300)
    department_id = OptionalIdSelect(_l("Responsible department"))
    lead_name = _text(_l("Lead (name and role)"), 200)
    due_on = DateField(_l("Due date"), validators=[DataRequired(message=_l("Please give a date."))])
    budget = IntegerField(_l("Budget (MNT)"), validators=[Optional(), MONEY])
    indicator_mn = _text(_l("Indicator of success, in Mongolian"), 10_000, area=True)
    indicator_en = _text(_l("Indicator of success, in English"), 10_000, area=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.department_id.choices = department_choices()


# --- participants ----------------------------------------------------------------------------

class JoinForm(Form):
    ticket = StringField(_l("Ticket code"), validators=[DataRequired(), Length(max=100)])


class AskForm(Form):
    body = _text(_l("Your question"), 1000, required=True, area=True)
    display_name = _text(_l("Your name as the room sees it"), 120)
    anonymous = BooleanField(_l("Ask anonymously (only the organisers see who asked)"))


class SendContributionForm(FormValues, Form):
    """A participant's own contribution to the discussion, sent from their phone."""

    kind = RadioField(_l("Kind"), choices=_choices(CONTRIBUTION_LABELS), default="idea")
    body = _text(_l("Your contribution"), 4000, required=True, area=True)
    stakeholder_kind = SelectField(_l("You speak as"), choices=stakeholder_choices(),
                                   validators=[Optional()])


class EmptyForm(Form):
    """A button that changes something: only the CSRF token."""


class VoteForm(Form):
    option_id = RadioField(_l("Your choice"), coerce=optional_id,
                           validators=[DataRequired(message=_l("Please choose an option."))])

    def __init__(self, options=(), *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.option_id.choices = [(o.id, localized(o, 'title')) for o in options]


# --- officials -------------------------------------------------------------------------------

class ProgressForm(Form):
    action_ids = MultiCheckbox(_l("Actions"),
                               validators=[DataRequired(message=_l("Please choose at least "
                                                                   "one action."))])
    status = SelectField(_l("Status"), choices=_choices(ACTION_STATUS_LABELS))
    percent = IntegerField(_l("Percent done"), validators=[Optional(), NumberRange(0, 100)])
    note_mn = _text(_l("Note in Mongolian"), 10_000, area=True)
    note_en = _text(_l("Note in English"), 10_000, area=True)
    evidence_url = _text(_l("Evidence (a link), for one action"), 500)
    photos = MultipleFileField(_l("Photos as evidence, for one action (up to 3)"),
                               render_kw={"accept": "image/jpeg,image/png,image/webp"})
    prepared_photos: list = []

    def __init__(self, actions=(), *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action_ids.choices = [(a.id, localized(a, 'title')) for a in actions]

    def validate_photos(self, field) -> None:
        """Re-encoded by the issues' photo rules (size, format, pixels); one action only."""
        try:  # a text part where a file belongs is no file at all
            self.prepared_photos = prepare_photos(
                [f for f in field.data or [] if isinstance(f, FileStorage)])
        except DomainError as error:
            raise ValidationError(str(error.message)) from error
        if self.prepared_photos and len(self.action_ids.data or []) > 1:
            raise ValidationError(_l("Photos and links are evidence for one action: please "
                                     "choose only that action."))
