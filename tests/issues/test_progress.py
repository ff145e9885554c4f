"""The progress bar above an issue's timeline: the stages of its way as the issue page shows
them, what is done, where it stands now (aria-current), and an honest end when declined."""

import re

from forum_app.issues import lifecycle
from tests import factories
from tests.issues import lifecycle_support as make
from tests.support import mn

STEP = re.compile(r'<li class="progress-step progress-step--(?P<kind>\w+)"(?P<current> '
                  r'aria-current="step")?>.*?progress-step__label">(?P<label>[^<]+)<', re.S)


def stages(client, issue) -> list[tuple[str, str, bool]]:
    """(label, done/current/todo/stopped, marked current) of each stage, in order."""
    page = client.get(f"/issues/{issue.id}").get_data(as_text=True)
    section = page.split('class="issue-progress"', 1)[1].split("</section>", 1)[0]
    return [(m["label"], m["kind"], bool(m["current"])) for m in STEP.finditer(section)]


def test_a_new_issue_is_at_its_first_stage_with_the_ways_ahead(client, app):
    issue = make.issue()
    assert stages(client, issue) == [
        (mn("Submitted"), "current", True), (mn("Under review"), "todo", False),
        (mn("Accepted for a forum or answered by a department"), "todo", False),
        (mn("In implementation"), "todo", False), (mn("Resolved"), "todo", False)]
    page = client.get(f"/issues/{issue.id}").get_data(as_text=True)
    assert page.index('class="issue-progress"') < page.index('id="timeline"')  # above it


def test_an_issue_taken_to_a_forum_shows_the_forum_way(client, app):
    issue = make.issue()
    organiser = make.organiser()
    lifecycle.move_issue(organiser, issue, "under_review", "Хянаж байна")
    forum = factories.event(organiser, title_mn="Дархан хотын форум")
    lifecycle.move_issue(organiser, issue, "accepted", "Форумд", forum_event=forum)
    shown = stages(client, issue)
    assert [label for label, _, _ in shown] == [mn(s) for s in (
        "Submitted", "Under review", "Accepted for a forum", "Discussed at the forum",
        "Solution agreed", "In implementation", "Resolved")]
    assert [kind for _, kind, _ in shown] == ["done", "done", "current", "todo", "todo",
                                              "todo", "todo"]
    assert [current for _, _, current in shown].count(True) == 1


def test_an_answered_then_resolved_issue_is_done_to_the_end(client, app):
    issue = make.issue()
    organiser = make.organiser()
    for status in ("under_review", "answered", "resolved"):
        lifecycle.move_issue(organiser, issue, status, "Шийдэгдсэн")
    shown = stages(client, issue)
    assert [label for label, _, _ in shown] == [mn(s) for s in (
        "Submitted", "Under review", "Answered by a department", "In implementation",
        "Resolved")]
    # Resolved straight after the answer: every stage reads done, the last one is "now".
    assert all(kind == "done" for _, kind, _ in shown)
    assert shown[-1][2] and not any(current for _, _, current in shown[:-1])


def test_a_declined_issue_stops_where_it_was_declined_and_is_not_shown_as_done(client, app):
    issue = make.issue()
    organiser = make.organiser()
    lifecycle.move_issue(organiser, issue, "under_review", "Хянаж байна")
    lifecycle.move_issue(organiser, issue, "declined", "Аймгийн эрх мэдэлд хамаарахгүй")
    shown = stages(client, issue)
    assert shown == [(mn("Submitted"), "done", False), (mn("Under review"), "done", False),
                     (mn("Declined"), "stopped", True)]
    page = client.get(f"/issues/{issue.id}").get_data(as_text=True)
    assert mn("stopped here") in page and mn("Resolved") not in page.split(
        'class="issue-progress"', 1)[1].split("</section>", 1)[0]


def test_the_stages_read_in_english_too(client, app):
    issue = make.issue(status="under_review")
    client.post("/language", data={"language": "en", "next": "/"})
    page = client.get(f"/issues/{issue.id}").get_data(as_text=True)
    assert "<h2 id=\"progress-heading\">Progress</h2>" in page
    assert '(done)' in page and 'Under review</span>' in page
