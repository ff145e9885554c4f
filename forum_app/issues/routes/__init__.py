"""Citizens' issues: the public pages (public.py) and the staff pages (staff.py)."""

from flask import Blueprint, current_app

from ...events.labels import SDG_NAMES
from .. import services
from ..access import can_see_position, comment_author_name, is_issue_staff, issue_author_name
from ..models import CHANNELS, STATUS_LABELS

bp = Blueprint("issues", __name__, url_prefix="/issues")


@bp.context_processor
def issue_helpers():
    return {"status_labels": STATUS_LABELS, "channel_labels": CHANNELS, "sdg_names": SDG_NAMES,
            "issue_author_name": issue_author_name,
            "comment_author_name": comment_author_name, "is_issue_staff": is_issue_staff,
            "can_see_position": can_see_position,
            "can_change_comment": services.can_change_comment,
            "comment_edit_minutes": current_app.config["COMMENT_EDIT_MINUTES"]}


from . import comments, progress, public, staff  # noqa: E402, F401 - attach the views
