"""Shapes of the event forms; the services have the final say.

Organisers type times as they read them on a clock in Darkhan (Asia/Ulaanbaatar); the forms
hand the services UTC.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import MonthInput

from ..core.forms import BilingualQuestionFields, CheckboxList, Form
from ..i18n import local_to_utc, utc_to_local
from .labels import tag_choices
from .models import (
    ENTRY_MODE_LABELS,
    EVENT_KIND_LABELS,
    REGISTRATION_MODE_LABELS,
    Event,
    EventSession,
)
from .questions import QUESTION_KIND_LABELS
from .search import MAX_QUERY

TIME_FORMAT = "%Y-%m-%dT%H:%M"




def kind_choices():
    return [(kind.value, label) for kind, label in EVENT_KIND_LABELS.items()]


def entry_choices():
    return list(ENTRY_MODE_LABELS.items())


def mode_choices():
    return [(mode.value, label) for mode, label in REGISTRATION_MODE_LABELS.items()]


def _time(label, required=True):
    # InputRequired, not DataRequired: an unreadable date keeps its own message.
    validators = [InputRequired()] if required else [Optional()]
    return DateTimeLocalField(label, format=TIME_FORMAT, validators=validators)


def _capacity(label):
    return IntegerField(label, validators=[Optional(), NumberRange(
        min=0, max=1_000_000, message=_l("Enter a whole number of 0 or more."))])


class EventForm(Form):
    kind = SelectField(_l("Kind of event"), choices=kind_choices)
    title_mn = StringField(_l("Title in Mongolian"), validators=[Optional(), Length(max=300)])
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=300)])
    summary_mn = TextAreaField(_l("Summary in Mongolian"),
                               validators=[Optional(), Length(max=2000)])
    summary_en = TextAreaField(_l("Summary in English"),
                               validators=[Optional(), Length(max=2000)])
    description_mn = TextAreaField(_l("Description in Mongolian"),
                                   validators=[Optional(), Length(max=20000)])
    description_en = TextAreaField(_l("Description in English"),
                                   validators=[Optional(), Length(max=20000)])
    venue_name_mn = StringField(_l("Venue in Mongolian"), validators=[Optional(),
                                                                      Length(max=300)])
    venue_name_en = StringField(_l("Venue in English"), validators=[Optional(), Length(max=300)])
    venue_address_mn = StringField(_l("Address in Mongolian"),
                                   validators=[Optional(), Length(max=500)])
    venue_address_en = StringField(_l("Address in English"),
                                   validators=[Optional(), Length(max=500)])
    starts_at = _time(_l("Starts"))
    ends_at = _time(_l("Ends"))
    capacity = _capacity(_l("Capacity (seats)"))
    registration_mode = SelectField(_l("How people register"), choices=mode_choices)
    entry_mode = SelectField(_l("Entry at the door is counted"), choices=entry_choices,
                             default="event")
    registration_opens_at = _time(_l("Registration opens (optional)"), required=False)
    registration_closes_at = _time(_l("Registration closes (optional)"), required=False)
    tags = CheckboxList(_l("Sustainable Development Goals and programme pillars"),
                        choices=tag_choices)

    def fill_from(self, event: Event) -> None:
        for name, field in self._fields.items():
            if name in {"csrf_token", "tags"}:
                continue
            value = getattr(event, name)
            field.data = utc_to_local(value) if isinstance(value, datetime) else value
        self.tags.data = event.tags

    def values(self) -> dict:
        values = {name: field.data for name, field in self._fields.items()
                  if name != "csrf_token"}
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            values[name] = local_to_utc(values[name])
        values["tags"] = values["tags"] or []
        return values


class SessionForm(Form):
    title_mn = StringField(_l("Title in Mongolian"), validators=[Optional(), Length(max=300)])
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=300)])
    starts_at = _time(_l("Starts"))
    ends_at = _time(_l("Ends"))
    room = StringField(_l("Room (optional)"), validators=[Optional(), Length(max=120)])
    speakers = TextAreaField(_l("Speakers (optional)"), validators=[Optional(),
                                                                    Length(max=2000)])
    capacity = _capacity(_l("Seats in this session (optional)"))

    def fill_from(self, session: EventSession) -> None:
        for name in ("title_mn", "title_en", "room", "speakers", "capacity"):
            getattr(self, name).data = getattr(session, name)
        self.starts_at.data = utc_to_local(session.starts_at)
        self.ends_at.data = utc_to_local(session.ends_at)

    def values(self) -> dict:
        values = {name: field.data for name, field in self._fields.items()
                  if name != "csrf_token"}
        values["starts_at"] = local_to_utc(values["starts_at"])
        values["ends_at"] = local_to_utc(values["ends_at"])
        return values


class QuestionForm(BilingualQuestionFields, Form):
    kind = SelectField(_l("Kind of answer"), choices=lambda: [
        (kind.value, label) for kind, label in QUESTION_KIND_LABELS.items()])


class StaffForm(Form):
    email = EmailField(_l("E-mail of the organiser's account"),
                       validators=[DataRequired(), Length(max=254)])


class CancelForm(Form):
    reason = TextAreaField(_l("Reason (sent to every registrant)"),
                           validators=[DataRequired(), Length(max=2000)])


class EventFilterForm(Form):
    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=MAX_QUERY, message=_l(
        "Please search with at most %(max)d characters."))])
    when = SelectField(_l("When"), choices=[("upcoming", _l("Upcoming")),
                                            ("past", _l("Past"))], validators=[Optional()])
    kind = SelectField(_l("Kind"), choices=lambda: [("", _l("All kinds")), *kind_choices()],
                       validators=[Optional()])
    month = StringField(_l("Month"), widget=MonthInput(),
                        validators=[Optional(), Length(max=7)])
    tag = SelectField(_l("Topic"), choices=lambda: [("", _l("All topics")), *tag_choices()],
                      validators=[Optional()])

    def validate_month(self, field) -> None:
        try:
            datetime.strptime(field.data, "%Y-%m")
        except ValueError:
            raise ValidationError(_l("Enter a month as year and month, for example 2026-05.")) \
                from None
