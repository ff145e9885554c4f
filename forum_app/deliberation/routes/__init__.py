"""The forum record's pages: the facilitator's live mode (facilitator.py), the participant's
phone page (participant.py), the projector (projector.py), the public journey, outcomes and
minutes (public.py) and the officials' actions (official.py).

Other domains' pages show the forum without importing it: this blueprint puts two helpers in
every template's context, and the issue and ticket pages include a deliberation template only
when the helper is there (`{% if forum_items_of_issue is defined %}`)."""

from flask import Blueprint

from ...accounts.models import Role
from ...core.reference import STAKEHOLDER_LABELS
from ...i18n import current_language
from ..queries import event_items, items_of_issue, today
from ..stages import (
    ACTION_STATUS_LABELS,
    CONTRIBUTION_LABELS,
    METHOD_LABELS,
    QUESTION_STATE_LABELS,
    STAGE_LABELS,
    STAGE_ORDER,
)

bp = Blueprint("deliberation", __name__)


@bp.context_processor
def forum_labels():
    return {"stage_labels": STAGE_LABELS, "stage_order": STAGE_ORDER,
            "contribution_labels": CONTRIBUTION_LABELS, "method_labels": METHOD_LABELS,
            "action_status_labels": ACTION_STATUS_LABELS,
            "question_state_labels": QUESTION_STATE_LABELS,
            "kind_label": lambda kind: STAKEHOLDER_LABELS.get(kind, kind) if kind else ""}




def pick(values: dict, field: str) -> str:
    """`localized` for a history entry's dict of `<field>_mn` / `<field>_en`."""
    language = current_language()
    other = "en" if language == "mn" else "mn"
    return (values or {}).get(f"{field}_{language}") or (values or {}).get(f"{field}_{other}") \
        or ""


def public_actor(user) -> str | None:
    """Officials are named in the public record; other staff are the forum secretariat."""
    return user.name if user is not None and user.has_role(Role.OFFICIAL.value) else None


def safe_link(url) -> bool:
    return isinstance(url, str) and url.startswith(("https://", "http://"))


@bp.app_context_processor
def forum_hooks():
    return {"forum_items_of_issue": items_of_issue, "forum_today": today, "pick": pick,
            "public_actor": public_actor, "safe_link": safe_link,
            "forum_room_of": lambda event: bool(event_items(event))}


from . import facilitator, official, participant, projector, public  # noqa: E402, F401
