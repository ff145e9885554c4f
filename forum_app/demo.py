"""Every domain's demo data, in dependency order."""

from sqlalchemy import select

from .accounts.demo import DEMO_PASSWORD, seed_users
from .checkin.demo import seed_checkin_demo
from .core.demo import seed_reference
from .deliberation.demo import seed_deliberation
from .events.demo import seed_events
from .events.models import Event
from .exhibitions.demo import seed_exhibitors, seed_next_exhibition
from .extensions import db
from .feedback.demo import seed_feedback
from .issues.demo import seed_issues
from .moderation.demo import seed_reports
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
    upcoming = db.session.scalar(select(Event).where(Event.slug == "made-in-darkhan-next"))
    waiting = seed_next_exhibition(upcoming) if upcoming is not None else 0
    lines.append(f"exhibitors ready; booth applications waiting: {waiting}")
    lines.append(f"demo registrations created: {seed_registrations()}")
    lines.append(f"demo check-ins made: {seed_checkin_demo()}")
    seed_feedback()
    lines.append("feedback survey ready")
    lines.append(f"demo issues created: {seed_issues()}")
    lines.append(f"reports for the moderators: {seed_reports()}")
    lines.append(f"demo forum record: {seed_deliberation()} agenda items recorded")
    return lines
