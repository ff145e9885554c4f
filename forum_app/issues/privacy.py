"""Issues' part of "My data", and erasure: what a person wrote stays public (signed "former
participant" through the account); what only served them goes: follows, the earlier texts of
their edited comments, and the map position of their issues (it can show where they live);
names that staff typed in for someone without an account are redacted."""

from sqlalchemy import delete, select, update

from ..core.personal import row_dict
from ..core.redaction import redact_rows
from ..core.signals import personal_data_erasing, personal_data_requested
from ..extensions import db
from .models import Comment, CommentRevision, Flag, Follow, Issue, Support


@personal_data_erasing.connect
def erase_issue_traces(sender, user=None, registrations=(), traces=frozenset()):
    count = redact_rows(Issue, ["contact_name", "contact_phone"], set(traces))
    if user is not None:
        count += db.session.execute(delete(Follow).where(Follow.user_id == user.id)).rowcount
        # Earlier texts of their comments served moderation only; the current text stays.
        count += db.session.execute(delete(CommentRevision).where(CommentRevision.comment_id.in_(
            select(Comment.id).where(Comment.author_id == user.id)))).rowcount
        count += db.session.execute(
            update(Issue).where(Issue.author_id == user.id, Issue.latitude.is_not(None))
            .values(latitude=None, longitude=None, location_public=False)).rowcount
    return "issues", count


def _mine(model, column, user):
    return db.session.scalars(select(model).where(column == user.id).order_by(model.id))


@personal_data_requested.connect
def issues_held(sender, user):
    return "issues", [row_dict(i, ("id", "title", "description", "language", "status",
                                   "anonymous", "place_description", "latitude", "longitude",
                                   "location_public", "created_at"))
                      | {"photos": len(i.photos)} for i in _mine(Issue, Issue.author_id, user)]


@personal_data_requested.connect
def comments_held(sender, user):
    return "comments", [row_dict(c, ("id", "issue_id", "body", "created_at", "hidden_at",
                                     "edited_at", "deleted_at"))
                        | {"earlier_texts": [row_dict(r, ("body", "written_at", "replaced_at"))
                                             for r in c.revisions]}
                        for c in _mine(Comment, Comment.author_id, user)]


@personal_data_requested.connect
def supports_held(sender, user):
    return "supports", [row_dict(s, ("issue_id", "created_at"))
                        for s in _mine(Support, Support.user_id, user)]


@personal_data_requested.connect
def follows_held(sender, user):
    return "follows", [row_dict(f, ("issue_id", "created_at"))
                       for f in _mine(Follow, Follow.user_id, user)]


@personal_data_requested.connect
def flags_held(sender, user):
    return "flags", [row_dict(f, ("target_type", "target_id", "reason", "note", "created_at",
                                  "resolved_at")) for f in _mine(Flag, Flag.user_id, user)]
