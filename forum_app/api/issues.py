"""Citizens' issues, read: the public list with the web page's filters, and one issue with
what its public page shows. Nothing more: hidden issues are 404 as on the web, authors are
named as the public sees them, and no e-mail, phone or private position ever appears.

GET /api/v1/issues: {"issues": [...], "next": URL | null} (api.paging), filtered as the web's
/issues by ?q, ?status, ?category_id, ?district_id, ?sdg and ?sort=newest | supported |
updated | relevance (the default when there are words to search). A bad filter is a 422 that
names it.
GET /api/v1/issues/<id>: the issue, its photos, progress, public timeline (every status move
with who and why, in both languages where written so), official answers, comments (hidden or
deleted ones keep their place, not their text) and the forum agenda items it was taken to.
"""

from flask import g, request
from flask_babel import gettext as _

from ..core.urls import external_url
from ..deliberation.queries import items_of_issue
from ..i18n import localized
from ..issues.access import can_see_position, can_view_issue
from ..issues.forms import IssueFilterForm
from ..issues.lifecycle import timeline
from ..issues.models import Issue, IssueStatus
from ..issues.progress import lifecycle_stages
from ..issues.queries import comment_threads, issue_for_page, list_query
from .caching import public_json
from .common import ApiError, bp, invalid
from .paging import read_paging
from .serializers import answer_json, comment_json, issue_summary, timeline_json

S = IssueStatus
# The statuses in which the issue page says which forum session took the issue up.
AT_A_FORUM = (S.ACCEPTED, S.DISCUSSED, S.SOLUTION_AGREED, S.IN_IMPLEMENTATION, S.RESOLVED)


@bp.route("/issues")
def issues():
    """The public list of issues, as /issues shows it for the same filters."""
    form = IssueFilterForm(request.args)
    form.validate()
    errors = {name: " ".join(str(message) for message in messages)
              for name, messages in form.errors.items()}
    filters = form.filters()
    query, order = list_query(filters)
    paging = read_paging(f"issues-{filters.sort}", order, errors)
    if errors:
        raise invalid(errors)
    rows, last = paging.page(query)
    return public_json({"issues": [issue_summary(issue, g.language) for issue in rows],
                        "next": paging.next_url(last, IssueFilterForm.NAMES)})


def _public_issue(issue_id: int) -> Issue:
    issue = issue_for_page(issue_id)
    if issue is None or not can_view_issue(None, issue):
        raise ApiError(404, _("There is no such issue."), "not_found")
    return issue


def _event(event) -> dict:
    return {"id": event.id, "title": localized(event, "title", g.language),
            "url": external_url("events.detail", slug=event.slug)}


def _place(issue: Issue) -> dict:
    return {"place_description": issue.place_description,
            "location": {"latitude": issue.latitude, "longitude": issue.longitude}
            if can_see_position(None, issue) else None}


@bp.route("/issues/<int:issue_id>")
def issue(issue_id: int):
    """One public issue with its whole public record; see the module's notes."""
    found = _public_issue(issue_id)
    language = g.language
    payload = issue_summary(found, language) | _place(found) | {
        "channel": found.channel,
        "forum_event": _event(found.forum_event)
        if found.forum_event and found.status in AT_A_FORUM else None,
        "progress": [{"stage": stage.key, "label": stage.label, "done": stage.done,
                      "current": stage.current, "stopped": stage.stopped}
                     for stage in lifecycle_stages(found)],
        "timeline": [timeline_json(entry, language) for entry in timeline(found)],
        "answers": [answer_json(answer, language) for answer in found.answers],
        "comments": [comment_json(comment, found) for comment in comment_threads(found)],
        "forum_items": [{"id": item.id, "title": localized(item, "title", language),
                         "stage": item.stage, "event": _event(item.event),
                         "url": external_url("deliberation.journey_page", item_id=item.id)}
                        for item in items_of_issue(found.id)],
    }
    return public_json(payload)
