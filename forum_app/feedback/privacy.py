"""Feedback's part of "My data". Survey answers are anonymous by design: a response has no
link to the person, so the download says so instead of listing them; the invitations (one
per attendee, answered or not) are listed."""

from sqlalchemy import select

from ..core.personal import row_dict
from ..core.signals import personal_data_requested
from ..extensions import db
from ..registration.models import Registration
from .models import SurveyInvitation

NOTE = ("Your answers to feedback surveys are stored without any link to you, so they cannot "
        "be found, listed or deleted as yours. Only your invitations are linked to you.")


@personal_data_requested.connect
def survey_answers_held(sender, user):
    rows = db.session.scalars(select(SurveyInvitation).join(
        Registration, Registration.id == SurveyInvitation.registration_id)
        .where(Registration.user_id == user.id).order_by(SurveyInvitation.id))
    return "survey_answers", {"linked_to_you": False, "note": NOTE,
                              "invitations": [row_dict(r, ("survey_id", "sent_at", "used_at"))
                                              for r in rows]}
