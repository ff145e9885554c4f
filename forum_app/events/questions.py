"""Checking one custom registration question."""

from flask_babel import lazy_gettext as _l

from ..errors import DomainError
from .checks import clean_options, clean_question_label
from .models import Question, QuestionKind
from .signals import answer_count

CHOICE_KINDS = {QuestionKind.SINGLE.value, QuestionKind.MULTIPLE.value}
QUESTION_KIND_LABELS = {
    QuestionKind.TEXT: _l("Text answer"),
    QuestionKind.SINGLE: _l("One choice from a list"),
    QuestionKind.MULTIPLE: _l("Several choices from a list"),
    QuestionKind.YES_NO: _l("Yes or no"),
}
MAX_OPTIONS = 30
OPTION_LIMIT = 200


def _clean_options(kind: str, options) -> list[dict]:
    if kind not in CHOICE_KINDS:
        return []
    return clean_options(options, limit=OPTION_LIMIT, most=MAX_OPTIONS)


def clean_question_values(values: dict, question: Question | None) -> dict:
    kind, label_mn, label_en = clean_question_label(values, QuestionKind)
    options = _clean_options(kind, values.get("options"))
    if question is not None and question.id is not None and answer_count(question):
        # Stored answers point at the kind and at option positions: keep both meaningful.
        if kind != question.kind:
            raise DomainError(_l("People have already answered this question, so the kind of "
                                 "answer cannot change."), "answered", "kind")
        if len(options) < len(question.options or []):
            raise DomainError(_l("People have already answered this question: options can "
                                 "be reworded or added, not removed."), "answered",
                              "options_mn")
    return {"kind": kind, "label_mn": label_mn, "label_en": label_en, "options": options,
            "required": bool(values.get("required"))}
