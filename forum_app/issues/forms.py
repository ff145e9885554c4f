"""Shapes of the issue forms; the services have the final say."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from sqlalchemy import select
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
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

from ..core.forms import (
    CheckboxList,
    Form,
    OptionalIdSelect,
    department_choices,
    district_choices,
    optional_id,
)
from ..database import MAX_ID
from ..errors import DomainError
from ..events.labels import SDG_NAMES
from ..events.models import Event, EventKind, EventState
from ..extensions import db
from ..i18n import local_datetime, localized, utcnow
from .lifecycle import ANSWER_MAX, REASON_MAX, allowed_moves
from .models import CHANNELS, STATUS_LABELS, Category, Issue, IssueStatus
from .photos import PhotoTooLarge, prepare_photos
from .queries import IssueFilters
from .services import COMMENT_LENGTH, DESCRIPTION_LENGTH, TITLE_LENGTH

SORT_LABELS = {"newest": _l("Newest"), "supported": _l("Most supported"),
               "updated": _l("Recently updated"), "relevance": _l("Best match")}


def category_choices(empty_label=None) -> list[tuple[str, str]]:
    rows = db.session.scalars(select(Category).where(Category.active)
                              .order_by(Category.position, Category.id))
    return [("", empty_label or _l("— choose a category —"))] + [
        (str(c.id), localized(c, "name")) for c in rows]


def sdg_label(number: int) -> str:
    return str(_l("SDG %(number)d: %(name)s", number=number, name=SDG_NAMES[number - 1]))


def sdg_choices() -> list[tuple[int, str]]:
    return [(n, sdg_label(n)) for n in range(1, 18)]


class IssueForm(Form):
    title = StringField(_l("Title"), validators=[
        DataRequired(_l("Please give the issue a title.")), Length(*TITLE_LENGTH)])
    description = TextAreaField(_l("Describe the problem"), validators=[
        DataRequired(_l("Please describe the problem.")), Length(*DESCRIPTION_LENGTH)])
    category_id = SelectField(_l("Category"), coerce=optional_id,
                              choices=lambda: category_choices(),
                              validators=[DataRequired(_l("Please choose a category."))])
    district_id = OptionalIdSelect(_l("District (optional)"), choices=district_choices)
    place_description = StringField(_l("Where exactly? (optional)"),
                                    validators=[Optional(), Length(max=300)])
    sdgs = CheckboxList(_l("Sustainable Development Goals (optional)"), coerce=int,
                        choices=sdg_choices, validators=[Optional()])
    photos = MultipleFileField(_l("Photos (optional, up to 3)"),
                               render_kw={"accept": "image/jpeg,image/png,image/webp"})
    latitude = StringField(_l("Latitude"), validators=[Optional(), Length(max=30)],
                           render_kw={"inputmode": "decimal", "autocomplete": "off"})
    longitude = StringField(_l("Longitude"), validators=[Optional(), Length(max=30)],
                            render_kw={"inputmode": "decimal", "autocomplete": "off"})
    location_public = BooleanField(_l("Show this position on the public issue page"))
    anonymous = BooleanField(_l("Show me as \"anonymous citizen\" in public"))

    # Set by validate_photos: the cleaned photos, and 413 when one was too large.
    prepared_photos: list = []
    status_code = 422

    def validate_photos(self, field) -> None:
        try:
            self.prepared_photos = prepare_photos(field.data)
        except PhotoTooLarge as error:
            self.status_code = 413
            raise ValidationError(str(error.message)) from error
        except DomainError as error:
            raise ValidationError(str(error.message)) from error

    def values(self) -> dict:
        return {name: self[name].data for name in (
            "title", "description", "category_id", "district_id", "place_description", "sdgs",
            "latitude", "longitude", "location_public", "anonymous")}


class StaffIssueForm(IssueForm):
    """An issue received on paper, by phone or at a meeting, typed in by staff."""

    channel = SelectField(_l("Received by"), choices=lambda: [
        (key, label) for key, label in CHANNELS.items() if key != "web"])
    author_email = EmailField(_l("The citizen's account e-mail, if they have one (optional)"),
                              validators=[Optional(), Length(max=254)])
    contact_name = StringField(_l("Citizen's name (optional, seen only by staff)"),
                               validators=[Optional(), Length(max=120)])
    contact_phone = StringField(_l("Citizen's phone (optional, seen only by staff)"),
                                validators=[Optional(), Length(max=32)])


class CommentForm(Form):
    body = TextAreaField(_l("Your comment"), validators=[
        DataRequired(_l("Please write a comment.")), Length(max=COMMENT_LENGTH)])
    parent_id = HiddenField()


class CommentEditForm(Form):
    body = TextAreaField(_l("Your comment"), validators=[
        DataRequired(_l("Please write a comment.")), Length(max=COMMENT_LENGTH)],
        render_kw={"rows": 5, "maxlength": COMMENT_LENGTH})


def status_choices() -> list[tuple[str, str]]:
    return [("", _l("Any status"))] + [(s.value, STATUS_LABELS[s]) for s in IssueStatus]


class IssueFilterForm(Form):
    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=200)])
    status = SelectField(_l("Status"), choices=status_choices, validators=[Optional()])
    category_id = OptionalIdSelect(_l("Category"),
                                   choices=lambda: category_choices(_l("Any category")))
    district_id = OptionalIdSelect(_l("District"), choices=lambda: [
        ("", _l("Any district"))] + district_choices()[1:])
    sdg = OptionalIdSelect(_l("Goal (SDG)"), choices=lambda: [("", _l("Any goal"))] + [
        (str(n), label) for n, label in sdg_choices()])
    sort = SelectField(_l("Sort by"), choices=lambda: list(SORT_LABELS.items()),
                       validators=[Optional()])

    # The query string's names, as the list's links and the API's "next" keep them.
    NAMES = ("q", "status", "category_id", "district_id", "sdg", "sort")

    def cleaned(self, name: str):
        field = self[name]
        return None if field.errors else field.data

    def filters(self, page: int = 1) -> IssueFilters:
        """The list's filters from a validated form, a bad one left out (the page says
        which). Words are sorted by relevance unless another order is asked for; relevance
        without words is the newest first."""
        filters = IssueFilters(
            q=self.cleaned("q") or "", status=self.cleaned("status") or "",
            category_id=self.cleaned("category_id"), district_id=self.cleaned("district_id"),
            sdg=self.cleaned("sdg"), page=page)
        filters.sort = self.cleaned("sort") or ("relevance" if filters.words else "newest")
        if filters.sort == "relevance" and not filters.words:
            filters.sort = "newest"
        return filters


# --- the staff side: move, forward, answer --------------------------------------------------------

REASON_HINT = _l("Shown to everyone on the issue's timeline, and sent to its author and "
                 "followers.")


def forum_event_choices() -> list[tuple[str, str]]:
    """Published Darkhan City Forum sessions, the coming ones first, then the recent past."""
    since = utcnow() - timedelta(days=365)
    events = db.session.scalars(
        select(Event).where(Event.kind == EventKind.CITY_FORUM.value,
                            Event.state == EventState.PUBLISHED.value, Event.starts_at >= since)
        .order_by(Event.starts_at.desc()).limit(50))
    return [("", _l("— not needed —"))] + [
        (str(event.id), f"{localized(event, 'title')} ({local_datetime(event.starts_at, 'date')})")
        for event in events]


class MoveForm(Form):
    to_status = RadioField(_l("New status"), choices=[],
                           validators=[InputRequired(_l("Please choose the new status."))])
    reason = TextAreaField(_l("Reason in Mongolian"),
                           render_kw={"lang": "mn", "maxlength": REASON_MAX, "rows": 3})
    reason_en = TextAreaField(_l("Reason in English"),
                              render_kw={"lang": "en", "maxlength": REASON_MAX, "rows": 3})
    forum_event_id = OptionalIdSelect(_l("Forum"), choices=[])
    merged_into_id = IntegerField(_l("Issue number to merge into"),
                                  validators=[Optional(), NumberRange(min=1, max=MAX_ID)],
                                  render_kw={"inputmode": "numeric"})

    def for_issue(self, issue: Issue) -> "MoveForm":
        self.to_status.choices = [(status.value, status.label) for status in allowed_moves(issue)]
        self.forum_event_id.choices = forum_event_choices()
        return self


class AssignForm(Form):
    department_id = OptionalIdSelect(_l("Department"), choices=[])
    reason = TextAreaField(_l("Reason"), render_kw={"maxlength": REASON_MAX})

    def for_issue(self, issue: Issue) -> "AssignForm":
        self.department_id.choices = department_choices()
        return self


class AnswerForm(Form):
    body_mn = TextAreaField(_l("Answer in Mongolian"),
                            render_kw={"lang": "mn", "maxlength": ANSWER_MAX, "rows": 6})
    body_en = TextAreaField(_l("Answer in English"),
                            render_kw={"lang": "en", "maxlength": ANSWER_MAX, "rows": 6})
