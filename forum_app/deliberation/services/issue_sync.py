"""The citizen issues an agenda item came from follow it: taken to the forum, discussed,
solution agreed, in implementation, resolved. Each step goes through the issues' own
lifecycle (issues.lifecycle.move_issue): it needs its reason, is on the issue's public
timeline and tells the issue's author and followers. Issues never move backwards."""

from flask import current_app
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from ...errors import DomainError
from ...events.models import EventKind, EventState
from ...issues.lifecycle import move_issue
from ...issues.models import Issue, IssueStatus
from ..models import AgendaItem, Stage

S = IssueStatus
PATH = [S.SUBMITTED, S.UNDER_REVIEW, S.ACCEPTED, S.DISCUSSED, S.SOLUTION_AGREED,
        S.IN_IMPLEMENTATION, S.RESOLVED]
# Where an issue stands while its agenda item is at a stage.
ISSUE_STATUS_FOR_STAGE = {
    Stage.PROBLEM: S.ACCEPTED,
    Stage.DISCUSSION: S.DISCUSSED,
    Stage.OPTIONS: S.DISCUSSED,
    Stage.VOTING: S.DISCUSSED,
    Stage.DECIDED: S.SOLUTION_AGREED,
    Stage.IN_PROGRESS: S.IN_IMPLEMENTATION,
    Stage.DONE: S.RESOLVED,
}


def _position(status: str) -> int:
    """Where on the path; an issue answered directly re-enters through review."""
    if status == S.ANSWERED:
        return PATH.index(S.SUBMITTED)
    return PATH.index(S(status)) if status in PATH else -1


def check_linkable(item: AgendaItem, issue: Issue) -> None:
    if issue.status in (S.MERGED, S.DECLINED, S.RESOLVED) or issue.is_hidden:
        raise DomainError(_l("This issue cannot be taken to a forum: it is merged, declined, "
                             "resolved or hidden."), "issue_not_open", "issue_id")
    event = item.event
    if _position(issue.status) < PATH.index(S.ACCEPTED) and (
            event.kind != EventKind.CITY_FORUM or event.state != EventState.PUBLISHED):
        raise DomainError(_l("Citizen issues can only be taken to a published Darkhan City "
                             "Forum session."), "not_a_forum", "issue_id")


def _reasons(item: AgendaItem) -> dict[str, str]:
    """The step's reason on the issue's timeline, in each language."""
    texts = {}
    for language in ("mn", "en"):
        with force_locale(language):
            title = getattr(item, f"title_{language}") or item.title_mn or item.title_en
            texts[language] = gettext("Forum agenda item “%(title)s”: %(stage)s.", title=title,
                                      stage=Stage(item.stage).label)
    return texts


def _advance(actor, item: AgendaItem, issue: Issue, target: IssueStatus) -> None:
    reasons = _reasons(item)
    while _position(issue.status) < PATH.index(target):
        current = S(issue.status)
        step = S.UNDER_REVIEW if current == S.ANSWERED else PATH[_position(current) + 1]
        move_issue(actor, issue, step.value, reasons["mn"], reason_en=reasons["en"],
                   forum_event=item.event if step == S.ACCEPTED else None)


def follow_stage(actor, item: AgendaItem, issues: list[Issue] | None = None) -> None:
    """Bring the item's issues (or just `issues`) up to where the item is. The item's own
    change is already committed; an issue that cannot follow (declined meanwhile, say) is
    left where it is and logged."""
    target = ISSUE_STATUS_FOR_STAGE[Stage(item.stage)]
    for issue in issues if issues is not None else [link.issue for link in item.issue_links]:
        try:
            _advance(actor, item, issue, target)
        except DomainError as error:
            current_app.logger.warning("issue %s did not follow agenda item %s: %s",
                                       issue.id, item.id, error.code)
