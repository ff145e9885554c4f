"""Organisers' attendee lists and exports are logged: who, what, when; admins read the log
with filters by person and event."""

from sqlalchemy import select

from forum_app.audit.models import AuditEvent
from forum_app.audit.services import EXPORT_ACTION
from forum_app.extensions import db
from tests import factories
from tests.checkin.support import person


def _log():
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == EXPORT_ACTION)
                              .order_by(AuditEvent.id)).all()


def test_downloads_are_logged_and_admins_filter_them(client, auth, app):
    organiser = factories.user("org@example.mn", roles=["organiser"], name="Зохион Байгуулагч")
    event = factories.event(organiser, title_mn="Хог хаягдлын форум")
    other = factories.event(organiser, title_mn="Ногоон хот")
    person(event, "Бат Дорж")
    auth.login("org@example.mn")
    assert client.get(f"/manage/events/{event.slug}/attendees").status_code == 200
    assert client.get(f"/manage/events/{event.slug}/attendees.csv").status_code == 200
    assert client.get(f"/manage/events/{other.slug}/attendees.xlsx").status_code == 200
    assert [(row.actor_id, row.object_id, row.after["format"]) for row in _log()] == [
        (organiser.id, event.id, "page"), (organiser.id, event.id, "csv"),
        (organiser.id, other.id, "xlsx")]
    assert _log()[1].after["rows"] == 1
    auth.logout()

    factories.user("admin@example.mn", roles=["admin"])
    auth.login("admin@example.mn")
    page = client.get("/admin/exports").get_data(as_text=True)
    assert page.count("Зохион Байгуулагч") >= 3 and "Ногоон хот" in page
    filtered = client.get(f"/admin/exports?event={event.id}").get_data(as_text=True)
    assert "· CSV" in filtered and "· XLSX" not in filtered
    assert client.get("/admin/exports?event=abc&person=-5").status_code == 200
    auth.logout()
    auth.login("org@example.mn")
    assert client.get("/admin/exports").status_code in (302, 403)
