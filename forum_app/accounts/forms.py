"""Shapes of the account forms; the services have the final say."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    TelField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp

from ..core.forms import CheckboxList, Form, OptionalIdSelect, district_choices
from ..core.reference import LANGUAGE_LABELS, stakeholder_choices
from ..core.text import PHONE_MESSAGE, PHONE_PATTERN
from .api_tokens import DEFAULT_EXPIRY_DAYS, EXPIRY_DAYS, MAX_NAME
from .models import ApiScope


def _language_choices():
    return list(LANGUAGE_LABELS.items())


class ProfileFieldsMixin:
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    phone = TelField(_l("Phone (optional)"), validators=[
        Optional(), Regexp(PHONE_PATTERN, message=PHONE_MESSAGE)])
    language = SelectField(_l("Preferred language"), choices=_language_choices)
    stakeholder_kind = SelectField(_l("I take part as"), choices=stakeholder_choices)
    organisation = StringField(_l("Organisation (optional)"), validators=[Optional(),
                                                                         Length(max=200)])
    district_id = OptionalIdSelect(_l("District"), choices=district_choices)


class SignupForm(ProfileFieldsMixin, Form):
    email = EmailField(_l("E-mail"), validators=[
        DataRequired(), Length(max=254),
        Email(message=_l("Please enter a valid e-mail address."), check_deliverability=False)])
    password = PasswordField(_l("Password (at least 8 characters)"),
                             validators=[DataRequired(), Length(max=256)])
    password_confirm = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The passwords do not match."))])
    accept_privacy = BooleanField(_l("I have read the privacy notice"), validators=[
        DataRequired(message=_l("Please accept the privacy notice to continue."))])


class LoginForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])
    remember = BooleanField(_l("Keep me signed in on this device for a month"))


class ProfileForm(ProfileFieldsMixin, Form):
    email = EmailField(_l("E-mail"), validators=[
        DataRequired(), Length(max=254),
        Email(message=_l("Please enter a valid e-mail address."), check_deliverability=False)])
    current_password = PasswordField(_l("Current password (needed to change the e-mail)"),
                                     validators=[Optional(), Length(max=256)])


class ForgotPasswordForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])


class ResetPasswordForm(Form):
    password = PasswordField(_l("New password (at least 8 characters)"),
                             validators=[DataRequired(), Length(max=256)])
    password_confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The passwords do not match."))])


class ChangePasswordForm(ResetPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])


class DeleteAccountForm(Form):
    """The second step of deleting an account: the password, and a plain confirmation."""

    current_password = PasswordField(_l("Your password"), validators=[
        DataRequired(message=_l("Please enter your password."))])
    confirm = BooleanField(_l("I understand that my account and my personal data will be "
                              "erased for good."), validators=[
        DataRequired(message=_l("Please confirm that you want to delete your account."))])


class AcknowledgeNoticeForm(Form):
    """"I have read it" under the notice of a changed privacy notice; back to `next`."""

    next = HiddenField()


def _expiry_choices():
    labels = {7: _l("7 days"), 30: _l("30 days"), 90: _l("90 days (recommended)"),
              365: _l("1 year")}
    return [(days, labels[days]) for days in EXPIRY_DAYS]


class ApiTokenForm(Form):
    """A new personal API token: its name, what it may do, how long it works."""

    name = StringField(_l("Name"), validators=[
        DataRequired(_l("Please name the token, for example after the program that will use "
                        "it.")), Length(max=MAX_NAME)])
    scopes = CheckboxList(_l("What the token may do"), default=[ApiScope.READ.value],
                          choices=lambda: [(scope.value, scope.label) for scope in ApiScope])
    days = SelectField(_l("Valid for"), coerce=int, default=DEFAULT_EXPIRY_DAYS,
                       choices=_expiry_choices)
    current_password = PasswordField(_l("Your password"), validators=[
        DataRequired(message=_l("Please enter your password.")), Length(max=256)])
