"""Helpers shared by the registration tests (routes, tickets, PDF, browser)."""

import os
import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum_app.accounts.models import User
from forum_app.events.models import Event
from forum_app.events.services import save_question
from forum_app.extensions import db
from forum_app.i18n import utcnow
from forum_app.notifications.models import OutboxMessage
from forum_app.notifications.services import message_texts
from forum_app.registration import services
from forum_app.registration.models import Registration

ZBARIMG = shutil.which("zbarimg") or "/usr/bin/zbarimg"
CONFIRM_LINK = re.compile(r"https?://[^/\s]+(?P<path>/r/(?P<token>[\w-]+)/confirm/(?P<code>[\w-]+))")


# --- a seat held until the e-mail confirms it --------------------------------------------------

def confirmation_link(address: str) -> re.Match:
    """The confirmation link in the latest mail to `address` (the outbox keeps every mail as it
    was rendered and sent), as the person reading it sees it."""
    db.session.commit()
    messages = db.session.scalars(select(OutboxMessage)
                                  .where(OutboxMessage.recipient == address)
                                  .order_by(OutboxMessage.id.desc())).all()
    for message in messages:
        found = CONFIRM_LINK.search(message_texts(message).body_text)
        if found:
            return found
    raise AssertionError(f"no mail with a confirmation link to {address}")


def follow_confirmation(registration: Registration, now=None) -> services.Confirmation:
    """The owner of the address follows the link from the mail and presses the button."""
    link = confirmation_link(registration.email)
    return services.confirm_registration(services.registration_for_token(link["token"]),
                                         link["code"], now=now)


def confirm_in_browser(client, address: str):
    """The same through the pages: open the link from the mail, press the button."""
    path = confirmation_link(address)["path"]
    page = client.get(path)
    assert page.status_code == 200, page.status_code
    return client.post(path)


def register_confirmed(event: Event, data, **kwargs) -> tuple[Registration, str]:
    """Register someone who then confirms from their e-mail, as a real person would: a seat
    held for them becomes confirmed with its ticket, a waiting-list place is then proven."""
    registration, token = services.register(event, data, **kwargs)
    if registration.proven_at is None:
        follow_confirmation(registration, now=kwargs.get("now"))
    return db.session.get(Registration, registration.id), token


def guest(**overrides) -> dict:
    data = {"name": "Батын Сараа", "email": "saraa@example.mn", "phone": "",
            "language": "mn", "stakeholder_kind": "citizen", "organisation": "",
            "district_id": "", "gender": "", "age_band": "", "accessibility_needs": "",
            "consent": "y"}
    return data | overrides


def attachments(message) -> dict:
    """filename -> (content type, bytes or text, Content-ID) of every attached part."""
    found = {}
    for part in message.walk():
        if part.get_filename():
            found[part.get_filename()] = (part.get_content_type(), part.get_content(),
                                          part["Content-ID"])
    return found


def decode_qr(png: bytes, tmp_path) -> str:
    """What a phone camera reads from the QR, by Debian's zbarimg (zbar-tools)."""
    if not os.path.exists(ZBARIMG):
        if os.environ.get("CI"):
            pytest.fail("zbarimg (Debian zbar-tools) is required in CI to decode QR codes")
        pytest.skip("zbarimg is not installed (apt install zbar-tools)")
    path = tmp_path / f"qr-{len(list(tmp_path.iterdir()))}.png"
    path.write_bytes(png)
    result = subprocess.run([ZBARIMG, "--raw", "-q", str(path)], capture_output=True,
                            text=True, check=True, timeout=30)
    return result.stdout.strip()


def manage_path(location: str) -> str:
    """The path of a manage link from a redirect or an e-mail (which carry the host)."""
    return "/r/" + location.split("/r/", 1)[1].split()[0].strip()


def set_registration_window(event: Event, opens=None, closes=None) -> None:
    event.registration_opens_at = opens
    event.registration_closes_at = closes
    db.session.commit()


def past(hours: int = 1):
    return utcnow() - timedelta(hours=hours)


def add_question(event: Event, kind: str, label_mn: str, required=False, options=()):
    """A custom question, added as the event's organiser would."""
    organiser = db.session.get(User, event.created_by_id)
    return save_question(organiser, event, {
        "kind": kind, "label_mn": label_mn, "label_en": "", "required": required,
        "options": [{"mn": option, "en": ""} for option in options]})


class Clock:
    """A controllable "now" for the seat rules: the registration services and the confirmation
    page read the time through `utcnow`, which this replaces; `advance` moves it on."""

    def __init__(self, monkeypatch):
        from forum_app.registration.routes import confirm as confirm_routes
        from forum_app.registration.services import holds, registering
        self.now = utcnow()
        for module in (registering, holds, confirm_routes):
            monkeypatch.setattr(module, "utcnow", self)

    def __call__(self):
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)
