"""Builders for the report tests: a forum with people checked in, issues submitted and
answered at chosen Darkhan times, a decision with actions, survey ratings."""

from datetime import date, timedelta

from forum_app.deliberation import services as forum
from forum_app.deliberation.models import Stage
from forum_app.extensions import db
from forum_app.feedback.models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from forum_app.issues.lifecycle import post_answer
from tests import factories
from tests.checkin.support import local, today
from tests.deliberation.support import admitted, department_official, event_on, item_at, person

__all__ = ["admitted", "answered_issue", "decided", "event_on", "issue_at", "local", "person",
           "rated", "today"]


def issue_at(day: date, hour: int, minute: int = 0, **values):
    """An issue submitted at that Darkhan time."""
    issue = factories.issue(**values)
    issue.created_at = local(day, hour, minute)
    db.session.commit()
    return issue


def answered_issue(official, submitted_day: date, days_later: float, **values):
    issue = issue_at(submitted_day, 10, **values)
    answer = post_answer(official, issue, "Хариулт", None)
    answer.created_at = issue.created_at + timedelta(days=days_later)
    db.session.commit()
    return issue


def decided(organiser, event):
    item = item_at(organiser, event, Stage.DECIDED.value)
    return item.decision


def action(organiser, decision, due_on: date, department_slug="environment"):
    return forum.add_action(organiser, decision, {
        "title_mn": "Хогийн сав нэмэх", "title_en": "More bins",
        "department_id": factories.department(department_slug).id, "due_on": due_on})


def rated(event, ratings: list[int]):
    """A survey of the event with one rating question, answered once per rating."""
    survey = Survey(event_id=event.id, title_mn="Санал асуулга")
    question = SurveyQuestion(survey=survey, kind="rating", label_mn="Үнэлгээ", position=0)
    db.session.add_all([survey, question])
    db.session.flush()
    for rating in ratings:
        response = SurveyResponse(survey_id=survey.id)
        db.session.add(response)
        db.session.flush()
        db.session.add(SurveyAnswer(response_id=response.id, question_id=question.id,
                                    value=rating))
    db.session.commit()
    return survey


def official(slug="environment"):
    return department_official(slug)
