"""Checks of single values shared by the event services."""

from flask_babel import lazy_gettext as _l

from ..core.text import clean_text
from ..errors import DomainError

MAX_CAPACITY = 1_000_000


__all__ = ["clean_text", "clean_options", "clean_question_label", "check_capacity"]


def clean_options(options, *, limit: int, most: int) -> list[dict]:
    """Bilingual choice options [{"mn", "en"}]: at least two, at most `most`, each text at most
    `limit` long; empty rows dropped. Shared by registration and survey questions."""
    cleaned = []
    for option in options or []:
        mn = clean_text(option.get("mn"), "options_mn", limit)
        en = clean_text(option.get("en"), "options_en", limit)
        if mn or en:
            cleaned.append({"mn": mn or "", "en": en or ""})
    if len(cleaned) < 2:
        raise DomainError(_l("Give at least two options to choose from."), "options_required",
                          "options_mn")
    if len(cleaned) > most:
        raise DomainError(_l("At most %(n)d options.", n=most), "too_many_options",
                          "options_mn")
    return cleaned


def clean_question_label(values: dict, kinds) -> tuple[str, str | None, str | None]:
    """A registration or survey question's kind (one of the enum `kinds`) and its label, in
    Mongolian, English or both."""
    kind = values.get("kind")
    if kind not in {k.value for k in kinds}:
        raise DomainError(_l("Please choose the kind of answer."), "bad_kind", "kind")
    label_mn = clean_text(values.get("label_mn"), "label_mn", 500)
    label_en = clean_text(values.get("label_en"), "label_en", 500)
    if not (label_mn or label_en):
        raise DomainError(_l("Please write the question, in Mongolian or English."),
                          "label_required", "label_mn")
    return kind, label_mn, label_en


def check_capacity(value, field: str = "capacity") -> int | None:
    """None (no limit) or a whole number from 0 up."""
    if value in (None, ""):
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_CAPACITY:
        raise DomainError(_l("The capacity must be a whole number of 0 or more, or empty "
                             "for no limit."), "bad_capacity", field)
    return value
