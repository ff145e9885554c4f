"""The live figures' admissions per 10 minutes read only the last 3 hours' check-ins of the
event, by the index of event and scan time, however many check-ins the event has."""

import pytest

from forum_app.checkin.services.figures import live_figures
from forum_app.extensions import db
from tests import factories
from tests.support import sqlite_query_plans


def test_the_admissions_per_10_minutes_read_the_event_and_scan_time_index(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's query plan")
    door = factories.event(factories.user("door@example.mn", roles=["organiser"]))
    with sqlite_query_plans(
            lambda statement: statement.lstrip().startswith("SELECT checkins.scanned_at")) as plans:
        figures = live_figures(door)
    assert len(figures["per_10_minutes"]) == 18  # 3 hours of 10-minute buckets
    details = " ".join(plans)
    assert "ix_checkins_event_scanned (event_id=? AND scanned_at>? AND scanned_at<?)" in details
