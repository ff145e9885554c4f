"""What a notice says and points at, whatever package wrote it. The packages above register
the sentence for each kind of notice they write (`describes`)."""

from collections.abc import Callable

from flask import url_for
from flask_babel import gettext as _

from ..core.urls import external_url
from ..i18n import ReaderText, current_language, for_reader
from .models import Notification

ISSUE_ENDPOINT = "issues.detail"
_SENTENCES: dict[str, Callable[[Notification], str]] = {}


def describes(*kinds: str):
    """Register the function that says, in one sentence, what a notice of `kinds` is about."""
    def register(function):
        for kind in kinds:
            _SENTENCES[kind] = function
        return function
    return register


def issue_link(issue_id: int, external: bool = False) -> str:
    if external:
        return external_url(ISSUE_ENDPOINT, issue_id=issue_id)
    return url_for(ISSUE_ENDPOINT, issue_id=issue_id)


def describe_notice(notice: Notification) -> str:
    """One sentence saying what happened, in the reader's current language."""
    sentence = _SENTENCES.get(notice.kind)
    if sentence is not None:
        return sentence(notice)
    payload = notice.payload or {}
    return str(payload.get("summary") or _("There is news about something you follow."))


def notice_reason(notice: Notification) -> ReaderText | None:
    """The "why" of a notice in the reader's language (else the other one), from a payload's
    reason_mn / reason_en; an older payload's single `reason` as written."""
    payload = notice.payload or {}
    if payload.get("reason_mn") or payload.get("reason_en"):
        return for_reader({"mn": payload.get("reason_mn"), "en": payload.get("reason_en")},
                          current_language())
    return ReaderText(payload["reason"], None) if payload.get("reason") else None


def notice_target(notice: Notification) -> tuple[str, str | None]:
    """The title and page of what a notice is about (an issue, or the issue of a comment)."""
    payload = notice.payload or {}
    title = payload.get("issue_title") or payload.get("title") or ""
    issue_id = notice.object_id if notice.object_type in ("Issue", "issue") \
        else payload.get("issue_id")
    return title, issue_link(issue_id) if issue_id else None
