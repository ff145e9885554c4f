"""Shapes of the survey forms; the services have the final say. The answer form itself is
drawn from the survey's questions (templates/feedback/respond.html) and checked by
services.submit_response."""


from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..i18n import local_to_utc, utc_to_local
from .models import SURVEY_QUESTION_KIND_LABELS, Survey


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class SurveyForm(FlaskForm):
    title_mn = StringField(_l("Title in Mongolian"), validators=[Optional(), Length(max=300)])
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=300)])
    opens_at = DateTimeLocalField(_l("Answers are taken from (optional)"),
                                  format="%Y-%m-%dT%H:%M", validators=[Optional()])

    def fill_from(self, survey: Survey) -> None:
        self.title_mn.data, self.title_en.data = survey.title_mn, survey.title_en
        self.opens_at.data = utc_to_local(survey.opens_at)

    def values(self) -> dict:
        return {"title_mn": self.title_mn.data, "title_en": self.title_en.data,
                "opens_at": local_to_utc(self.opens_at.data)}


class SurveyQuestionForm(FlaskForm):
    kind = SelectField(_l("Kind of answer"), choices=lambda: [
        (kind.value, label) for kind, label in SURVEY_QUESTION_KIND_LABELS.items()])
    label_mn = StringField(_l("Question in Mongolian"), validators=[Optional(),
                                                                    Length(max=500)])
    label_en = StringField(_l("Question in English"), validators=[Optional(), Length(max=500)])
    options_mn = TextAreaField(_l("Options in Mongolian, one per line"),
                               validators=[Optional(), Length(max=5000)])
    options_en = TextAreaField(_l("Options in English, one per line"),
                               validators=[Optional(), Length(max=5000)])
    required = BooleanField(_l("An answer is required"))

    def validate_options_en(self, field) -> None:
        mn, en = _lines(self.options_mn.data), _lines(field.data)
        if mn and en and len(mn) != len(en):
            raise ValidationError(_l("Give the same number of options in both languages, or "
                                     "leave one language empty."))

    def values(self) -> dict:
        mn, en = _lines(self.options_mn.data), _lines(self.options_en.data)
        options = [{"mn": mn[i] if i < len(mn) else "", "en": en[i] if i < len(en) else ""}
                   for i in range(max(len(mn), len(en)))]
        return {"kind": self.kind.data, "label_mn": self.label_mn.data,
                "label_en": self.label_en.data, "options": options,
                "required": self.required.data}


class TicketCodeForm(FlaskForm):
    code = StringField(_l("Your ticket code"),
                       validators=[DataRequired(_l("Please type the code of your ticket.")),
                                   Length(max=80)])
