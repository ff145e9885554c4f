"""Shapes of the check-in forms; the check-in services have the final say."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from ..core.forms import Form, optional_id
from ..core.reference import stakeholder_choices
from .services.scan import MAX_GATE

NONCE_MAX = 64


class EntryPointForm(Form):
    """Where this phone scans: a gate (free text) or, when entry is per session, a session."""

    gate = StringField(_l("Gate"), validators=[Optional(), Length(max=MAX_GATE)])
    session_id = SelectField(_l("Session"), coerce=optional_id, validate_choice=False)


class DeviceForm(Form):
    name = StringField(_l("Name of the scanner"),
                       validators=[DataRequired(_l("Please give the scanner a name.")),
                                   Length(max=120)])


class ScanForm(Form):
    code = StringField(_l("Ticket code"),
                       validators=[DataRequired(_l("Please scan or type a ticket code.")),
                                   Length(max=200)],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters",
                                  "spellcheck": "false", "enterkeyhint": "go"})
    # Made when the form is drawn: sending the same form twice replays the first answer.
    nonce = HiddenField(validators=[DataRequired(), Length(max=NONCE_MAX)])
    gate = HiddenField(validators=[Optional(), Length(max=MAX_GATE)])
    session_id = HiddenField(filters=[optional_id])


class SearchForm(Form):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField(_l("Name, phone, e-mail or part of the code"),
                    validators=[Optional(), Length(max=100)])
    gate = HiddenField(validators=[Optional(), Length(max=MAX_GATE)])
    session_id = HiddenField(filters=[optional_id])


class AnnulForm(Form):
    reason = TextAreaField(_l("Reason for the undo"),
                           validators=[DataRequired(_l("Please give a reason.")),
                                       Length(max=500)])


class WalkInForm(Form):
    name = StringField(_l("Full name"))
    phone = TelField(_l("Phone"))
    email = EmailField(_l("E-mail (optional)"))
    stakeholder_kind = SelectField(_l("Takes part as"), validate_choice=False,
                                   choices=stakeholder_choices)
    organisation = StringField(_l("Organisation (optional)"))
    consent = BooleanField(_l("The person has been told how their registration is stored (the "
                              "privacy notice) and agrees."))
    over_capacity_reason = TextAreaField(_l("Reason to admit over capacity"),
                                         validators=[Optional(), Length(max=500)])
    nonce = HiddenField(validators=[DataRequired(), Length(max=NONCE_MAX)])
    gate = HiddenField(validators=[Optional(), Length(max=MAX_GATE)])
    session_id = HiddenField(filters=[optional_id])


class ActionForm(Form):
    """A button that changes something: only the CSRF token."""
