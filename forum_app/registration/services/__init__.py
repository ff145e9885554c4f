"""What a person or an organiser can do with registrations: registering and the seats
(registering.py), and the organiser's own tools over many registrations (organiser.py)."""

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
    manage_token,
    manage_url,
    person_key,
    promote_waitlist,
    register,
    registration_for_token,
    registration_refusal,
    validate_input,
    waitlist_position,
    waitlist_positions,
)
