"""Device tokens: a phone or scanner may check people in at one event. The token is shown
once; only its SHA-256 is stored, so a copy of the database opens no door."""

import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from ..audit.services import record_event
from ..core.tokens import hash_token
from ..database import begin_write
from ..errors import DomainError
from ..events.models import Event
from ..events.services import can_manage
from ..extensions import db
from ..i18n import utcnow
from .models import Device
from .services.scan import one_line

MAX_NAME = 120
MAX_TOKEN = 200
SEEN_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often


def create_device(actor, event: Event, name: str) -> tuple[Device, str]:
    """A new device of `event` and its token (shown once). `actor` is the organiser; None only
    for the command line (`flask create-device-token`)."""
    if actor is not None and not can_manage(actor, event):
        raise DomainError(_l("You cannot manage this event."), "forbidden")
    name = one_line(name)
    if not name:
        raise DomainError(_l("Please name the device."), "name_required", "name")
    if len(name) > MAX_NAME:
        raise DomainError(_l("The name is too long (at most %(n)d characters).", n=MAX_NAME),
                          "name_too_long", "name")
    token = secrets.token_urlsafe(32)
    device = Device(event_id=event.id, name=name, token_hash=hash_token(token),
                    created_by_id=getattr(actor, "id", None))
    db.session.add(device)
    db.session.flush()
    record_event(actor, device, "device.created", after={"event_id": event.id, "name": name})
    db.session.commit()
    return device, token


def revoke_device(actor, device: Device) -> Device:
    if not can_manage(actor, device.event):
        raise DomainError(_l("You cannot manage this event."), "forbidden")
    device_id = device.id
    begin_write()
    changed = db.session.execute(
        update(Device).where(Device.id == device_id, Device.revoked_at.is_(None))
        .values(revoked_at=utcnow()).execution_options(synchronize_session=False))
    if changed.rowcount != 1:
        db.session.rollback()
        raise DomainError(_l("This device has already been revoked."), "already_revoked")
    device = db.session.get(Device, device_id)
    db.session.refresh(device)
    record_event(actor, device, "device.revoked", before={"active": True},
                 after={"active": False})
    db.session.commit()
    return device


def device_for_token(token) -> Device | None:
    """The active device with this token, else None. Notes when it was last seen. A device
    made by an organiser stops working when they no longer run the event."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN:
        return None
    device = db.session.scalar(select(Device).where(
        Device.token_hash == hash_token(token), Device.revoked_at.is_(None)))
    if device is None:
        return None
    if device.created_by is not None and not can_manage(device.created_by, device.event):
        return None
    now = utcnow()
    if device.last_seen_at is None or now - device.last_seen_at >= SEEN_EVERY:
        device_id = device.id
        begin_write()
        db.session.execute(update(Device).where(Device.id == device_id)
                           .values(last_seen_at=now).execution_options(synchronize_session=False))
        db.session.commit()
        device = db.session.get(Device, device_id)
    return device


def devices_of(event: Event) -> list[Device]:
    """The event's devices, newest first (for the organiser's list)."""
    return list(db.session.scalars(select(Device).where(Device.event_id == event.id)
                                   .order_by(Device.created_at.desc(), Device.id.desc())))
