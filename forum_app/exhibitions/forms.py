"""Shapes of the booth application and review forms; the services have the final say."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    SearchField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
    URLField,
)
from wtforms.validators import AnyOf, DataRequired, Email, Length, Optional, Regexp

from ..core.forms import Form
from ..core.reference import LANGUAGE_LABELS
from ..core.text import PHONE_MESSAGE, PHONE_PATTERN
from .models import SECTORS, ExhibitorState

STATE_LABELS = {
    ExhibitorState.PENDING.value: _l("Waiting for a decision"),
    ExhibitorState.APPROVED.value: _l("Approved"),
    ExhibitorState.DECLINED.value: _l("Declined"),
}
SECTOR_MESSAGE = _l("Please choose a sector from the list.")


def at_most(limit: int) -> Length:
    return Length(max=limit, message=_l("Please use at most %(max)d characters."))


def sector_choices(empty_label):
    return [("", empty_label)] + list(SECTORS.items())


class ApplyForm(Form):
    company_name = StringField(_l("Company or organisation"), validators=[
        DataRequired(message=_l("Please enter the name of the company or organisation.")),
        at_most(200)])
    sector = SelectField(_l("Sector"), validate_choice=False,
                         choices=lambda: sector_choices(_l("— choose a sector —")),
                         validators=[AnyOf(list(SECTORS), message=SECTOR_MESSAGE)])
    products_mn = TextAreaField(_l("Products or services, in Mongolian"),
                                validators=[Optional(), at_most(2000)])
    products_en = TextAreaField(_l("Products or services, in English"),
                                validators=[Optional(), at_most(2000)])
    website = URLField(_l("Website (optional)"), validators=[
        Optional(), at_most(300),
        Regexp(r"^https?://\S+$", message=_l("Please enter a web address starting with "
                                             "https://."))])
    contact_name = StringField(_l("Contact person"), validators=[
        DataRequired(message=_l("Please enter the name of the contact person.")),
        at_most(120)])
    contact_email = EmailField(_l("Contact e-mail"), validators=[
        DataRequired(message=_l("Please enter a valid e-mail address.")), at_most(254),
        Email(message=_l("Please enter a valid e-mail address."), check_deliverability=False)])
    contact_phone = TelField(_l("Contact phone (optional)"), validators=[
        Optional(), Regexp(PHONE_PATTERN, message=PHONE_MESSAGE)])
    booth_needs = TextAreaField(_l("What your booth needs (optional)"),
                                validators=[Optional(), at_most(2000)])
    language = SelectField(_l("Language of our e-mails to you"),
                           choices=lambda: list(LANGUAGE_LABELS.items()))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not ((self.products_mn.data or "").strip() or (self.products_en.data or "").strip()):
            self.products_mn.errors = [*self.products_mn.errors, _l(
                "Please describe your products or services in at least one language.")]
            valid = False
        return valid


class ApproveForm(Form):
    booth_number = StringField(_l("Booth number (optional)"),
                               validators=[Optional(), at_most(20)])


class DeclineForm(Form):
    reason = TextAreaField(_l("Reason for declining (sent to the applicant)"), validators=[
        DataRequired(message=_l("Please give a reason; the applicant will read it.")),
        at_most(1000)])


class DirectoryFilterForm(Form):
    class Meta:
        csrf = False

    q = SearchField(_l("Search companies and products"), validators=[Optional(),
                                                                    at_most(100)])
    sector = SelectField(_l("Sector"), validate_choice=False,
                         choices=lambda: sector_choices(_l("All sectors")))


class ApplicationsFilterForm(Form):
    class Meta:
        csrf = False

    state = SelectField(_l("State"), validate_choice=False, choices=lambda: [
        ("", _l("All"))] + list(STATE_LABELS.items()))
