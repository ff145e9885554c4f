"""Forms of the organisers' attendee pages; the services have the final say."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from .models import REGISTRATION_STATE_LABELS, RegistrationState
from .services_organiser import MAX_BODY, MAX_SUBJECT, MESSAGE_STATES


def state_choices():
    return [("", _l("All"))] + [(state.value, REGISTRATION_STATE_LABELS[state])
                                for state in RegistrationState]


class AttendeeFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search

    q = SearchField(_l("Name, e-mail, phone or organisation"),
                    validators=[Optional(), Length(max=200)])
    state = SelectField(_l("State"), choices=state_choices, validators=[Optional()])


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason (the person will read it)"), validators=[
        DataRequired(message=_l("Please give a reason.")), Length(max=2000)])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


MESSAGE_STATE_LABELS = {
    RegistrationState.CONFIRMED.value: _l("Confirmed"),
    RegistrationState.WAITLISTED.value: _l("On the waiting list"),
    RegistrationState.PENDING_APPROVAL.value: _l("Awaiting approval"),
}


class MessageForm(FlaskForm):
    states = MultiCheckboxField(
        _l("Send to"), choices=[(state, MESSAGE_STATE_LABELS[state]) for state in MESSAGE_STATES],
        validators=[DataRequired(message=_l("Please choose who receives the message."))])
    subject = StringField(_l("Subject"), validators=[
        DataRequired(message=_l("Please write a subject.")), Length(max=MAX_SUBJECT)])
    body = TextAreaField(_l("Message (plain text)"), validators=[
        DataRequired(message=_l("Please write the message.")), Length(max=MAX_BODY)])
