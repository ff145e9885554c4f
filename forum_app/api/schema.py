"""A tiny strict type check of a JSON object: each known field has one JSON type, so that a
name sent as a number or consent sent as "yes" is an error of that field, not a guess."""

from flask_babel import lazy_gettext as _l

from ..events.models import Question, QuestionKind
from ..security import UNSTORABLE

TYPE_MESSAGES = {
    "string": _l("Must be text."),
    "boolean": _l("Must be true or false."),
    "integer": _l("Must be a whole number."),
    "number": _l("Must be a number."),
    "object": _l("Must be an object."),
    "integers": _l("Must be a list of option numbers."),
}
ANSWER_TYPES = {
    QuestionKind.TEXT: "string",
    QuestionKind.SINGLE: "integer",
    QuestionKind.MULTIPLE: "integers",
    QuestionKind.YES_NO: "boolean",
}
MAX_KEY = 40  # unknown keys are echoed back shortened


def is_type(kind: str, value) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "object":
        return isinstance(value, dict)
    if kind == "integers":
        return isinstance(value, list) and len(value) <= 100 and all(
            is_type("integer", item) for item in value)
    raise ValueError(kind)


def _type_error(kind: str, value):
    if not is_type(kind, value):
        return TYPE_MESSAGES[kind]
    if isinstance(value, str) and UNSTORABLE.search(value):
        return _l("Must not contain invisible control characters.")
    return None


def check_object(body: dict, schema: dict[str, str]) -> dict:
    """Field -> message for each unknown field and each value of the wrong type.
    `schema` maps a field to "string", "boolean", "integer", "number", "integers" (a list of
    whole numbers) or "object"; a trailing "?"
    also allows null. Missing fields are left to the service, which knows what is required."""
    errors = {str(key)[:MAX_KEY]: _l("Unknown field.") for key in body if key not in schema}
    for field, spec in schema.items():
        if field not in body or (body[field] is None and spec.endswith("?")):
            continue
        problem = _type_error(spec.rstrip("?"), body[field])
        if problem:
            errors[field] = problem
    return errors


def check_answers(answers: dict, questions: list[Question]) -> dict:
    """`answers` maps a question id (a JSON key, so a string) to a value of the question's
    type: text, an option index, a list of option indexes, or true/false; null is no answer."""
    by_id = {str(question.id): question for question in questions}
    errors = {}
    for key, value in answers.items():
        question = by_id.get(key)
        field = f"answers.{key[:MAX_KEY]}"
        if question is None:
            errors[field] = _l("There is no such question for this event.")
        elif value is not None:
            problem = _type_error(ANSWER_TYPES.get(question.kind, "string"), value)
            if problem:
                errors[field] = problem
    return errors
