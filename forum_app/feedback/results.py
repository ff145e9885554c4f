"""Survey results for organisers and officials: averages, distributions, comments, and the
CSV of every response. Anonymous: nothing here names or contacts anyone. Two queries
whatever the number of responses."""

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..i18n import localized, option_text
from ..registration.export import to_csv
from .models import (
    RATING_VALUES,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyQuestionKind,
    SurveyResponse,
)

BAR_STEPS = 20  # bars are drawn with classes survey-bar--w0 … w20 (5 % steps): no inline style


@dataclass
class Share:
    label: str
    count: int
    percent: int  # of the answers to this question, rounded

    @property
    def bar(self) -> int:
        return round(self.percent * BAR_STEPS / 100)


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int = 0
    average: float | None = None  # ratings only, two decimals
    shares: list[Share] = field(default_factory=list)  # ratings and choices
    comments: list[str] = field(default_factory=list)  # free text


def option_label(question: SurveyQuestion, index) -> str:
    """A choice's text in the reader's language, falling back to the other."""
    options = question.options or []
    if isinstance(index, int) and 0 <= index < len(options):
        return option_text(options[index])
    return str(index)


def _answers(survey: Survey) -> list[tuple[int, int, object]]:
    return db.session.execute(
        select(SurveyAnswer.response_id, SurveyAnswer.question_id, SurveyAnswer.value)
        .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
        .where(SurveyResponse.survey_id == survey.id)
        .order_by(SurveyAnswer.response_id, SurveyAnswer.id)).all()


def _shares(labels: list[str], counts: list[int]) -> list[Share]:
    total = sum(counts)
    return [Share(label, count, round(count * 100 / total) if total else 0)
            for label, count in zip(labels, counts, strict=True)]


def survey_results(survey: Survey) -> list[QuestionResult]:
    by_question: dict[int, list] = defaultdict(list)
    for _response_id, question_id, value in _answers(survey):
        by_question[question_id].append(value)
    results = []
    for question in survey.questions:
        values = by_question.get(question.id, [])
        result = QuestionResult(question, answered=len(values))
        if question.kind == SurveyQuestionKind.RATING:
            ratings = [v for v in values if v in RATING_VALUES]
            result.average = round(sum(ratings) / len(ratings), 2) if ratings else None
            result.shares = _shares([str(r) for r in RATING_VALUES],
                                    [ratings.count(r) for r in RATING_VALUES])
        elif question.kind == SurveyQuestionKind.SINGLE:
            indexes = range(len(question.options or []))
            result.shares = _shares([option_label(question, i) for i in indexes],
                                    [values.count(i) for i in indexes])
        else:
            result.comments = [str(v) for v in values]
        results.append(result)
    return results


def response_rows(survey: Survey) -> list[list]:
    """A header and one row per response, numbered 1…n; no time, no person."""
    questions = list(survey.questions)
    rows: dict[int, dict[int, object]] = defaultdict(dict)
    for response_id, question_id, value in _answers(survey):
        rows[response_id][question_id] = value
    response_ids = db.session.scalars(select(SurveyResponse.id).where(
        SurveyResponse.survey_id == survey.id).order_by(SurveyResponse.id)).all()
    table = [[_("Response"), *(localized(q, "label") for q in questions)]]
    for number, response_id in enumerate(response_ids, start=1):
        answers = rows.get(response_id, {})
        table.append([number, *(_cell(q, answers.get(q.id)) for q in questions)])
    return table


def _cell(question: SurveyQuestion, value):
    if value is None:
        return ""
    if question.kind == SurveyQuestionKind.SINGLE:
        return option_label(question, value)
    return value


def results_csv(survey: Survey) -> bytes:
    """Formula-safe CSV (cells starting with = + - @ are made text), UTF-8 with a BOM."""
    return to_csv(response_rows(survey))
