"""Device tokens: a phone or scanner may check people in at one event. The token is shown
once; only its SHA-256 is stored, so a copy of the database opens no door."""

import secrets
import time
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect, select, update
from sqlalchemy.orm import Session

from ..audit.services import record_event
from ..core.tokens import hash_token
from ..database import begin_write, revoke_once
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
    device = revoke_once(Device, device.id, utcnow())
    if device is None:
        raise DomainError(_l("This device has already been revoked."), "already_revoked")
    record_event(actor, device, "device.revoked", before={"active": True},
                 after={"active": False})
    db.session.commit()
    forget_devices()  # at once in this worker; in the others within DEVICE_CACHE_SECONDS
    return device


def device_for_token(token) -> Device | None:
    """The active device with this token, else None. Notes when it was last seen. A device
    made by an organiser stops working when they no longer run the event.

    Each worker process remembers an answer for DEVICE_CACHE_SECONDS (the device, its event
    and its organiser, put into this request's session without reading them again), so a
    scanner's requests do not look the same token up over and over; a revoked device, or one
    whose organiser was removed from the event, stops working within those seconds."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN:
        return None
    digest = hash_token(token)
    cached, moment = _cache.get(digest), clock()
    fresh = cached is None or cached[0] <= moment
    if fresh:
        device = _active_device(digest)
        if device is None:
            _cache.pop(digest, None)
            return None
    else:
        device = db.session.merge(cached[1], load=False)
    now = utcnow()
    if device.last_seen_at is None or now - device.last_seen_at >= SEEN_EVERY:
        device, fresh = _seen(device.id, now), True
    if fresh:
        _remember(digest, device, moment)
    return device


CACHE_SIZE = 1000  # devices; a worker forgets them all past this (they are read again)
clock = time.monotonic  # the cache's clock (a test moves it on)
_cache: dict[str, tuple[float, Device]] = {}


def _active_device(digest: str) -> Device | None:
    device = db.session.scalar(select(Device).where(Device.token_hash == digest,
                                                    Device.revoked_at.is_(None)))
    if device is None:
        return None
    if device.event is None or (device.created_by is not None
                                and not can_manage(device.created_by, device.event)):
        return None
    return device


def _seen(device_id: int, now) -> Device:
    begin_write()
    db.session.execute(update(Device).where(Device.id == device_id)
                       .values(last_seen_at=now).execution_options(synchronize_session=False))
    db.session.commit()
    device = db.session.get(Device, device_id)
    if device.event is not None and device.created_by is not None:
        can_manage(device.created_by, device.event)  # loads what the next requests use
    return device


def _remember(digest: str, device: Device, moment: float) -> None:
    """A copy of `device` with its event and its organiser, in no session: each request merges
    it into its own. Only their own columns are kept: merging their collections too (the
    event's tags, staff and sessions, the organiser's roles) cost more than the rest of a
    scan, which reads none of them; a request that does reads them from the database."""
    seconds = current_app.config["DEVICE_CACHE_SECONDS"]
    if seconds <= 0:
        return
    if len(_cache) >= CACHE_SIZE:
        _cache.clear()
    holder = Session()
    copy = holder.merge(device, load=False)
    for related in (copy.event, copy.created_by):
        if related is not None:
            holder.expire(related, [relation.key for relation in
                                    inspect(related).mapper.relationships])
    holder.expunge_all()
    _cache[digest] = (moment + seconds, copy)


def forget_devices() -> None:
    """Drop every remembered device of this process (revoking one does, for this worker)."""
    _cache.clear()


def devices_of(event: Event) -> list[Device]:
    """The event's devices, newest first (for the organiser's list)."""
    return list(db.session.scalars(select(Device).where(Device.event_id == event.id)
                                   .order_by(Device.created_at.desc(), Device.id.desc())))
