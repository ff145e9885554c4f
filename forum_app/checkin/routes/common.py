"""Loading an event and its entry point for a check-in view, with the access rule applied."""

import secrets
from dataclasses import dataclass

from flask import render_template, request
from flask_babel import gettext as _

from ...core.forms import optional_id
from ...events.models import Event, EventSession
from ..forms import AnnulForm, ScanForm
from ..models import RESULT_LABELS, CheckInResult
from ..services.scan import clean_gate


@dataclass
class EntryPoint:
    """Where the scans of a page count: a gate, and a session when entry is per session."""

    gate: str | None
    session: EventSession | None

    @property
    def session_id(self) -> int | None:
        return self.session.id if self.session else None

    def query(self) -> dict:
        """The URL arguments that keep this entry point from page to page."""
        if self.session:
            return {"session_id": self.session.id, "gate": self.gate or None}
        return {"gate": self.gate or None}


def default_gate() -> str:
    return _("Main entrance")


def find_session(event: Event, session_id) -> EventSession | None:
    session_id = optional_id(session_id)
    return next((s for s in event.sessions if s.id == session_id), None)


def entry_point(event: Event, values=None) -> EntryPoint | None:
    """From the request's gate and session_id; None when a per-session event lacks a session
    of its own."""
    values = values if values is not None else request.values
    gate = clean_gate(values.get("gate"), truncate=True)
    if event.entry_mode == "session":
        session = find_session(event, values.get("session_id"))
        return EntryPoint(gate, session) if session else None
    return EntryPoint(gate or default_gate(), None)


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


def result_tone(result: str) -> str:
    if result == CheckInResult.ADMITTED:
        return "ok"
    return "warn" if result == CheckInResult.ALREADY else "err"


def present(outcome) -> dict:
    """An outcome as the result panel shows it (the same shape the JSON API gives)."""
    shown = dict(outcome.as_json())
    shown["tone"] = result_tone(shown["result"])
    shown["label"] = RESULT_LABELS.get(shown["result"], shown["result"])
    return shown


def scanner_page(event: Event, point: EntryPoint, *, result: dict | None = None,
                 form: ScanForm | None = None, status: int = 200):
    """The scanner page, always with a fresh nonce in its form."""
    form = form or ScanForm()
    form.nonce.data = new_nonce()
    form.gate.data = point.gate or ""
    form.session_id.data = point.session_id or ""
    if result is None or result["result"] == CheckInResult.ADMITTED:
        form.code.data = ""
    return render_template("checkin/scanner.html", event=event, point=point, form=form,
                           result=result, annul_form=AnnulForm(),
                           texts=scanner_texts()), status


def scanner_texts() -> dict:
    """What the scanner's script says, in the reader's language (it has no catalogue)."""
    return {
        "labels": {str(key): str(label) for key, label in RESULT_LABELS.items()},
        "offline_admitted": _("Admitted on this phone while offline; it will be sent when the "
                              "network is back."),
        "offline_already": _("Already admitted (this phone's offline list)."),
        "offline_unknown": _("This code is not in this phone's offline list."),
        "offline_cancelled": _("This registration is cancelled (offline list)."),
        "offline_not_confirmed": _("This registration is not confirmed (offline list)."),
        "offline_not_today": _("The event does not run today (this phone's offline list)."),
        "offline_no_pack": _("No offline list on this phone yet: this code cannot be checked "
                             "until the network is back."),
        "online": _("Online"),
        "offline": _("Offline: scans are checked against this phone's list."),
        "pack": _("Offline list: %(count)s tickets, updated %(time)s"),
        "waiting": _("Scans waiting to sync: %(count)s"),
        "synced": _("All scans are synced."),
        "conflict": _("Conflict: %(name)s was also admitted on another device (%(message)s). "
                      "Counted once."),
        "previous": _("First admitted %(time)s, %(gate)s, by %(by)s"),
        "undone": _("The check-in has been undone."),
        "no_key": _("This phone has no scanner key for this event (or it was revoked): open "
                    "the scanner again from the check-in page to scan with the camera and "
                    "offline."),
        "camera_error": _("The camera could not be started: %(error)s"),
        "camera_hint": _("Hold the ticket's QR code in front of the camera."),
        "start_camera": _("Start the camera"),
        "stop_camera": _("Stop the camera"),
        "error": _("Something went wrong: %(error)s"),
    }

