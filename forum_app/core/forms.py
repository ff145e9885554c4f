"""Form pieces shared by every domain."""

from dataclasses import dataclass

from flask import flash, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..database import MAX_ID, id_from_text
from ..errors import DomainError
from ..extensions import db
from ..i18n import localized
from .models import Department, District
from .wtforms_i18n import TRANSLATIONS


class Form(FlaskForm):
    """Every form of the app derives from this: WTForms' own messages come from our
    catalogues, in the reader's language."""

    class Meta:
        def get_translations(self, form):
            return TRANSLATIONS


def district_choices() -> list[tuple[str, str]]:
    rows = db.session.scalars(select(District).order_by(District.position, District.id))
    return [("", _l("— not specified —"))] + [(str(d.id), localized(d, "name")) for d in rows]


def department_choices() -> list[tuple[str, str]]:
    rows = db.session.scalars(select(Department).order_by(Department.name_mn))
    return [("", _l("— none —"))] + [(str(d.id), localized(d, "name")) for d in rows]


def optional_id(value):
    """A form's id field: None for nothing chosen, the id, or -1 for anything that cannot be
    an id (not a choice, so the form or the service says so)."""
    if value is None or str(value).strip() in ("", "None"):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value <= MAX_ID else -1
    return id_from_text(str(value)) or -1


class OptionalIdSelect(SelectField):
    """A select whose empty choice means None and whose value is an int id."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", optional_id)
        kwargs.setdefault("validators", [Optional()])
        super().__init__(*args, **kwargs)

    def pre_validate(self, form):
        if self.data is None:
            return
        super().pre_validate(form)


class CheckboxList(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LanguageForm(Form):
    language = HiddenField(validators=[DataRequired()])
    next = HiddenField()


class DepartmentForm(Form):
    slug = StringField(_l("Short code"), validators=[DataRequired(), Length(max=60)])
    name_mn = StringField(_l("Name in Mongolian"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])


class DistrictForm(Form):
    slug = StringField(_l("Short code"), validators=[DataRequired(), Length(max=60)])
    name_mn = StringField(_l("Name in Mongolian"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=120)])


class CategoryForm(Form):
    """Issue categories (waste and environment, education and youth, ...)."""

    slug = StringField(_l("Short code"), validators=[DataRequired(), Length(max=60)])
    name_mn = StringField(_l("Name in Mongolian"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=120)])
    position = IntegerField(_l("Position in lists"), default=0,
                            validators=[Optional(), NumberRange(min=0, max=1000)])
    active = BooleanField(_l("Offered when an issue is raised"), default=True)


def form_error(form, error, *, fallback=None, flash_rest: bool = True) -> list[str]:
    """Show a service's DomainError on its form: each message of `error.fields` on its field
    (or on the field `fallback` when the form has none of that name), the message itself when
    it names no field. What no field takes is flashed (unless `flash_rest` is False) and
    returned."""
    rest = []
    for name, message in error.fields.items():
        field = (form._fields.get(name) if isinstance(name, str) else None) or fallback
        if field is None:
            rest.append(str(message))
        else:
            field.errors = [*field.errors, str(message)]
    if not error.fields:
        rest.append(str(error.message))
    if flash_rest:
        for message in rest:
            flash(message, "error")
    return rest


def attempt(action, success=None):
    """Run `action()` (one service call) for a button: flash `success` (a message, or a function
    of the result giving one) or the refusal. Returns the result (True for None), or None."""
    try:
        result = action()
    except DomainError as error:
        flash(str(error.message), "error")
        return None
    if success is not None:
        flash(success(result) if callable(success) else success, "success")
    return True if result is None else result


@dataclass(frozen=True)
class Done:
    """A service call that went through, with what it returned (`value`); always true."""

    value: object = None


def perform(form, action) -> Done | None:
    """Run `action()` (one service call) once `form` validates: Done(its result), or None when
    the form is not valid or the service refused (the refusal is shown on the form)."""
    if not form.validate_on_submit():
        return None
    try:
        return Done(action())
    except DomainError as error:
        form_error(form, error)
        return None


def form_status() -> int:
    """A form shown again after a POST is one with errors: a successful POST redirects."""
    return 422 if request.method == "POST" else 200


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _joined(options: list | None, language: str) -> str:
    text = "\n".join(option.get(language, "") for option in options or [])
    return text if text.strip() else ""


class BilingualQuestionFields:
    """The fields of a question with bilingual choice options, one option per line; mixed into
    the registration-question and survey-question forms (each adds its own `kind`)."""

    label_mn = StringField(_l("Question in Mongolian"), validators=[Optional(),
                                                                    Length(max=500)])
    label_en = StringField(_l("Question in English"), validators=[Optional(), Length(max=500)])
    options_mn = TextAreaField(_l("Options in Mongolian, one per line"),
                               validators=[Optional(), Length(max=10000)])
    options_en = TextAreaField(_l("Options in English, one per line"),
                               validators=[Optional(), Length(max=10000)])
    required = BooleanField(_l("An answer is required"))

    def validate_options_en(self, field) -> None:
        mn, en = _lines(self.options_mn.data), _lines(field.data)
        if mn and en and len(mn) != len(en):
            raise ValidationError(_l("Give the same number of options in both languages, or "
                                     "leave one language empty."))

    def fill_from(self, question) -> None:
        self.kind.data = question.kind
        self.label_mn.data, self.label_en.data = question.label_mn, question.label_en
        self.required.data = question.required
        self.options_mn.data = _joined(question.options, "mn")
        self.options_en.data = _joined(question.options, "en")

    def values(self) -> dict:
        mn, en = _lines(self.options_mn.data), _lines(self.options_en.data)
        options = [{"mn": mn[i] if i < len(mn) else "", "en": en[i] if i < len(en) else ""}
                   for i in range(max(len(mn), len(en)))]
        return {"kind": self.kind.data, "label_mn": self.label_mn.data,
                "label_en": self.label_en.data, "options": options,
                "required": self.required.data}
