"""What a person or an organiser can do with registrations: the seat primitives (seats.py),
registering, cancelling, approving (registering.py), holds and their confirmation (holds.py),
and the organiser's own tools over many registrations (organiser.py)."""

from .holds import (  # noqa: F401
    BAD_LINK,
    Confirmation,
    confirm_registration,
    release_all_expired_holds,
    resend_confirmation,
)
from .organiser import (  # noqa: F401
    MAX_BODY,
    MAX_SUBJECT,
    MESSAGE_STATES,
    attendee_query,
    message_registrants,
    state_counts,
)
from .registering import (  # noqa: F401
    AlreadyRegistered,
    RegistrationInput,
    answer_count,
    approve_registration,
    cancel_event_registrations,
    cancel_registration,
    check_can_register,
    decline_registration,
    person_key,
    promote_waitlist,
    register,
    registration_for_token,
    registration_refusal,
    validate_input,
)
from .seats import (  # noqa: F401
    confirm_code,
    confirm_code_matches,
    manage_token,
    manage_url,
    release_expired_holds,
    waitlist_position,
    waitlist_positions,
)
