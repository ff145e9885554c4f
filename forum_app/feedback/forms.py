"""Shapes of the survey forms; the services have the final say. The answer form itself is
drawn from the survey's questions (templates/feedback/respond.html) and checked by
services.submit_response."""


from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..core.forms import BilingualQuestionFields, Form
from ..i18n import local_to_utc, utc_to_local
from .models import SURVEY_QUESTION_KIND_LABELS, Survey


class SurveyForm(Form):
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


class SurveyQuestionForm(BilingualQuestionFields, Form):
    kind = SelectField(_l("Kind of answer"), choices=lambda: [
        (kind.value, label) for kind, label in SURVEY_QUESTION_KIND_LABELS.items()])


class TicketCodeForm(Form):
    code = StringField(_l("Your ticket code"),
                       validators=[DataRequired(_l("Please type the code of your ticket.")),
                                   Length(max=80)])
