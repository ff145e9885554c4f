"""Forms of the staff side of issues: move the status, forward to a department, answer."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.validators import NumberRange, Optional

from ..core.forms import OptionalIdSelect, department_choices
from ..database import MAX_ID
from ..events.models import Event, EventKind, EventState
from ..extensions import db
from ..i18n import localized, utcnow
from .lifecycle import ANSWER_MAX, REASON_MAX, allowed_moves
from .models import Issue

REASON_HINT = _l("Shown to everyone on the issue's timeline, and sent to its author and "
                 "followers.")


def forum_event_choices() -> list[tuple[str, str]]:
    """Published Darkhan City Forum sessions, the coming ones first, then the recent past."""
    since = utcnow() - timedelta(days=365)
    events = db.session.scalars(
        select(Event).where(Event.kind == EventKind.CITY_FORUM.value,
                            Event.state == EventState.PUBLISHED.value, Event.starts_at >= since)
        .order_by(Event.starts_at.desc()).limit(50))
    return [("", _l("— not needed —"))] + [
        (str(event.id), f"{localized(event, 'title')} ({event.starts_at:%Y-%m-%d})")
        for event in events]


class MoveForm(FlaskForm):
    to_status = SelectField(_l("New status"), choices=[])
    reason = TextAreaField(_l("Reason"), render_kw={"maxlength": REASON_MAX})
    forum_event_id = OptionalIdSelect(_l("Forum session (when accepting for a forum)"),
                                      choices=[])
    merged_into_id = IntegerField(_l("Issue number to merge into (when merging)"),
                                  validators=[Optional(), NumberRange(min=1, max=MAX_ID)],
                                  render_kw={"inputmode": "numeric"})

    def for_issue(self, issue: Issue) -> "MoveForm":
        self.to_status.choices = [(status.value, status.label) for status in allowed_moves(issue)]
        self.forum_event_id.choices = forum_event_choices()
        return self


class AssignForm(FlaskForm):
    department_id = OptionalIdSelect(_l("Department"), choices=[])
    reason = TextAreaField(_l("Reason"), render_kw={"maxlength": REASON_MAX})

    def for_issue(self, issue: Issue) -> "AssignForm":
        self.department_id.choices = department_choices()
        return self


class AnswerForm(FlaskForm):
    body_mn = TextAreaField(_l("Answer in Mongolian"),
                            render_kw={"lang": "mn", "maxlength": ANSWER_MAX, "rows": 6})
    body_en = TextAreaField(_l("Answer in English"),
                            render_kw={"lang": "en", "maxlength": ANSWER_MAX, "rows": 6})
