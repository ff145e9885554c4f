"""Public event pages and the organisers' event management."""

from flask import Blueprint

from ..labels import EVENT_STATE_LABELS, tag_label
from ..models import EVENT_KIND_LABELS, REGISTRATION_MODE_LABELS

bp = Blueprint("events", __name__, url_prefix="/events")


@bp.context_processor
def event_labels():
    return {"kind_labels": EVENT_KIND_LABELS, "state_labels": EVENT_STATE_LABELS,
            "mode_labels": REGISTRATION_MODE_LABELS, "tag_label": tag_label}


from . import agenda, manage, public, questions, staff  # noqa: E402, F401 - attach the views
