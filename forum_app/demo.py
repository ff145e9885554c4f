"""Every domain's demo data, in dependency order."""

from sqlalchemy import select

from .core.demo import DEMO_PASSWORD, seed_reference, seed_users
from .events.demo import seed_events
from .events.models import Event
from .exhibitions.demo import seed_exhibitors
from .extensions import db
from .registration.demo import seed_registrations


def seed_all() -> list[str]:
    lines = []
    seed_reference()
    lines.append("reference data: districts and departments ready")
    created = seed_users()
    lines.append(f"demo users created: {len(created)} (password for all: {DEMO_PASSWORD})")
    events = seed_events()
    lines.append(f"demo events created: {len(events)}")
    for slug in ("made-in-darkhan-2023", "made-in-darkhan-next"):
        exhibition = db.session.scalar(select(Event).where(Event.slug == slug))
        if exhibition is not None:
            seed_exhibitors(exhibition)
    lines.append("exhibitors ready")
    lines.append(f"demo registrations created: {seed_registrations()}")
    return lines
