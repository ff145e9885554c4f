"""Demo reports for the moderators' queue (issues/demo.py's REPORTS), through the real
service: three reports from confirmed accounts hide the content until a moderator decides.
Idempotent: a report already made is not made again."""

from datetime import timedelta

from sqlalchemy import select

from ..accounts.services import find_user_by_email
from ..extensions import db
from ..i18n import recorded_at, utcnow
from ..issues.demo import REPORTS
from ..issues.models import Comment, Flag, Issue
from .services import flag_content, target_type_of


def seed_reports() -> int:
    """Returns how many reports were made now."""
    made = 0
    for title, comment_text, reporters in REPORTS:
        issue = db.session.scalar(select(Issue).where(Issue.title == title))
        target = issue if comment_text is None or issue is None else db.session.scalar(
            select(Comment).where(Comment.issue_id == issue.id, Comment.body == comment_text))
        if target is None:
            continue
        for n, (email, reason) in enumerate(reporters):
            user = find_user_by_email(email)
            if user is None or db.session.scalar(select(Flag.id).where(
                    Flag.target_type == target_type_of(target), Flag.target_id == target.id,
                    Flag.user_id == user.id)):
                continue
            moment = utcnow() - timedelta(hours=len(reporters) - n)
            with recorded_at(moment):
                flag_content(user, target_type_of(target), target.id, reason, now=moment)
            made += 1
    return made
