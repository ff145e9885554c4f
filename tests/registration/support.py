"""Helpers shared by the registration tests (routes, tickets, PDF, browser)."""

import os
import shutil
import subprocess
from datetime import timedelta

import pytest

from forum_app.accounts.models import User
from forum_app.events.models import Event
from forum_app.events.services import save_question
from forum_app.extensions import db
from forum_app.i18n import utcnow

ZBARIMG = shutil.which("zbarimg") or "/usr/bin/zbarimg"






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
