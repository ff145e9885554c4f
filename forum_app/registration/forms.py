"""Shapes of the registration and cancellation forms; the service has the final say.

The registration form has few validators of its own: `services.validate_input` checks every
field and its messages are put back on the fields (core.forms.form_error), so the rules live
once.
"""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SearchField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..core.forms import CheckboxList, Form, district_choices, optional_id
from ..core.reference import LANGUAGE_LABELS, stakeholder_choices
from ..events.models import Event, Question, QuestionKind
from ..i18n import current_language, localized, option_text
from .models import (
    AGE_BAND_LABELS,
    AGE_BANDS,
    GENDERS,
    REGISTRATION_STATE_LABELS,
    RegistrationState,
)
from .services import MAX_BODY, MAX_SUBJECT, MESSAGE_STATES, RegistrationInput
from .services.lost_tickets import is_contact

STANDARD_FIELDS = ("name", "email", "phone", "language", "stakeholder_kind", "organisation",
                   "district_id", "gender", "age_band", "accessibility_needs", "consent")


def _gender_choices():
    return [("", _l("— not specified —"))] + list(GENDERS.items())


def _age_band_choices():
    return [("", _l("— not specified —"))] + [(band, AGE_BAND_LABELS.get(band, band))
                                                for band in AGE_BANDS]


class RegistrationForm(Form):
    name = StringField(_l("Full name"))
    email = EmailField(_l("E-mail"))
    phone = TelField(_l("Phone"))
    language = SelectField(_l("Language of our messages to you"), validate_choice=False,
                           choices=lambda: list(LANGUAGE_LABELS.items()))
    stakeholder_kind = SelectField(_l("I take part as"), validate_choice=False,
                                   choices=stakeholder_choices)
    organisation = StringField(_l("Organisation (optional)"))
    district_id = SelectField(_l("District"), validate_choice=False, coerce=optional_id,
                              choices=district_choices)
    gender = SelectField(_l("Gender (optional)"), validate_choice=False,
                         choices=_gender_choices)
    age_band = SelectField(_l("Age (optional)"), validate_choice=False,
                           choices=_age_band_choices)
    accessibility_needs = TextAreaField(_l("Accessibility needs (optional)"))
    consent = BooleanField(_l("I have read the privacy notice and agree that my registration "
                              "is stored as it describes."))
    invite = HiddenField()

    questions: list[tuple[Question, object]] = []

    def prefill(self, user) -> None:
        """A signed-in person starts from their profile; a guest from the page's language."""
        self.language.data = current_language()
        if user is None:
            return
        self.name.data = user.name
        self.email.data = user.email
        self.phone.data = user.phone
        self.language.data = user.language
        self.stakeholder_kind.data = user.stakeholder_kind
        self.organisation.data = user.organisation
        self.district_id.data = user.district_id

    def to_input(self) -> RegistrationInput:
        return RegistrationInput(
            name=self.name.data or "", email=self.email.data or None,
            phone=self.phone.data or None, language=self.language.data or current_language(),
            stakeholder_kind=self.stakeholder_kind.data or "",
            organisation=self.organisation.data or None, district_id=self.district_id.data,
            gender=self.gender.data or None, age_band=self.age_band.data or None,
            accessibility_needs=self.accessibility_needs.data or None,
            consent=bool(self.consent.data),
            answers={question.id: field.data for question, field in self.questions},
            invitation_code=self.invite.data or None)


def _question_field(question: Question):
    label = localized(question, "label")
    if not question.required:
        label = _l("%(label)s (optional)", label=label)
    language = current_language()
    options = [(str(index), option_text(option, language))
               for index, option in enumerate(question.options or [])]
    # Choices as callables: WTForms 3.3 deprecates literal lists of tuples, not callables.
    if question.kind == QuestionKind.SINGLE:
        return RadioField(label, choices=lambda: options, validate_choice=False)
    if question.kind == QuestionKind.MULTIPLE:
        return CheckboxList(label, choices=lambda: options, validate_choice=False)
    if question.kind == QuestionKind.YES_NO:
        return RadioField(label, choices=lambda: [("yes", _l("Yes")), ("no", _l("No"))],
                          validate_choice=False)
    return TextAreaField(label)


def registration_form(event: Event, **kwargs) -> RegistrationForm:
    """The form with one field `q_<id>` per custom question of `event`, in their order."""

    class EventRegistrationForm(RegistrationForm):
        pass

    for question in event.questions:
        setattr(EventRegistrationForm, f"q_{question.id}", _question_field(question))
    form = EventRegistrationForm(**kwargs)
    form.questions = [(question, form[f"q_{question.id}"]) for question in event.questions]
    return form


class CancelForm(Form):
    confirm = BooleanField(
        _l("Yes, cancel my registration. My seat goes to the next person."),
        validators=[DataRequired(message=_l("Please tick the box to confirm the "
                                            "cancellation."))])


# --- the organisers' attendee pages ------------------------------------------------------

def state_choices():
    return [("", _l("All"))] + [(state.value, REGISTRATION_STATE_LABELS[state])
                                for state in RegistrationState]


class AttendeeFilterForm(Form):
    class Meta:
        csrf = False  # a GET search

    q = SearchField(_l("Name, e-mail, phone or organisation"),
                    validators=[Optional(), Length(max=200)])
    state = SelectField(_l("State"), choices=state_choices, validators=[Optional()])


class ActionForm(Form):
    """A button that changes something: only the CSRF token."""


class ReasonForm(Form):
    reason = TextAreaField(_l("Reason (the person will read it)"), validators=[
        DataRequired(message=_l("Please give a reason.")), Length(max=2000)])


MESSAGE_STATE_LABELS = {
    RegistrationState.CONFIRMED.value: _l("Confirmed"),
    RegistrationState.WAITLISTED.value: _l("On the waiting list"),
    RegistrationState.PENDING_APPROVAL.value: _l("Awaiting approval"),
}


class MessageForm(Form):
    states = CheckboxList(
        _l("Send to"), choices=[(state, MESSAGE_STATE_LABELS[state]) for state in MESSAGE_STATES],
        validators=[DataRequired(message=_l("Please choose who receives the message."))])
    subject = StringField(_l("Subject"), validators=[
        DataRequired(message=_l("Please write a subject.")), Length(max=MAX_SUBJECT)])
    body = TextAreaField(_l("Message (plain text)"), validators=[
        DataRequired(message=_l("Please write the message.")), Length(max=MAX_BODY)])


class DeleteDataForm(Form):
    confirm = BooleanField(
        _l("Yes, erase my data from this registration. This cannot be undone."),
        validators=[DataRequired(message=_l("Please tick the box to confirm."))])


class LostTicketForm(Form):
    """The e-mail address or phone number a person registered with (services.lost_tickets)."""

    contact = StringField(_l("E-mail address or phone number"), validators=[
        DataRequired(message=_l("Please enter the e-mail address or phone number you "
                                "registered with.")), Length(max=254)])

    def validate_contact(self, field) -> None:
        if not is_contact(field.data):
            raise ValidationError(_l("Please enter an e-mail address (name@example.mn) or a "
                                     "phone number of digits (99112233)."))
