from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum_app.audit.models import AuditEvent
from forum_app.errors import DomainError
from forum_app.exhibitions import services
from forum_app.exhibitions.demo import EXHIBITORS, seed_exhibitors
from forum_app.exhibitions.models import Exhibitor
from forum_app.extensions import db
from forum_app.i18n import utcnow
from forum_app.notifications.models import OutboxMessage
from forum_app.notifications.services import deliver_pending
from tests import factories
from tests.exhibitions.helpers import application, make_exhibition


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_application_is_pending_and_the_contact_is_told_in_their_language(app, mail_inbox):
    event = make_exhibition()
    exhibitor = services.apply_for_booth(event, application(
        language="en", contact_email="Munkhzaya@Example.mn"))
    assert exhibitor.state == "pending"
    assert exhibitor.contact_email == "Munkhzaya@example.mn"
    [outbox] = db.session.scalars(select(OutboxMessage)).all()
    assert (outbox.template, outbox.language) == ("exhibitions/received", "en")
    assert db.session.scalar(select(AuditEvent.action)) == "exhibitor.applied"
    deliver_pending()
    [message] = mail_inbox.to("Munkhzaya@example.mn")
    assert message["Subject"] == "We have received your booth application"
    assert "Made in Darkhan" in message.get_body(("plain",)).get_content()


def test_signed_in_applicant_is_linked_and_mail_uses_the_mongolian_title(app):
    user = factories.user("owner@example.mn")
    event = make_exhibition()
    exhibitor = services.apply_for_booth(event, application(language=""), user)
    assert exhibitor.user_id == user.id and exhibitor.language == "mn"
    assert "Дарханд үйлдвэрлэв" in db.session.scalar(select(OutboxMessage.body_text))


@pytest.mark.parametrize(("overrides", "code", "field"), [
    ({"company_name": "Х" * 10_000}, "too_long", "company_name"),
    ({"company_name": "   "}, "company_required", "company_name"),
    ({"company_name": None}, "company_required", "company_name"),
    ({"contact_name": None}, "contact_required", "contact_name"),
    ({"sector": "mining"}, "bad_sector", "sector"),
    ({"contact_name": ""}, "contact_required", "contact_name"),
    ({"contact_name": "Б" * 10_000}, "too_long", "contact_name"),
    ({"contact_email": "not-an-email"}, "bad_email", "contact_email"),
    ({"contact_email": ""}, "bad_email", "contact_email"),
    ({"contact_phone": "call me"}, "bad_phone", "contact_phone"),
    ({"website": "javascript:alert(1)"}, "bad_website", "website"),
    ({"products_mn": " ", "products_en": ""}, "products_required", "products_mn"),
    ({"products_en": "x" * 10_000}, "too_long", "products_en"),
    ({"language": "fr"}, "bad_language", "language"),
])
def test_bad_applications_are_refused_and_nothing_is_saved(app, overrides, code, field):
    event = make_exhibition()
    with pytest.raises(DomainError) as caught:
        services.apply_for_booth(event, application(**overrides))
    assert (caught.value.code, caught.value.field) == (code, field)
    db.session.rollback()
    assert count(Exhibitor) == 0 and count(OutboxMessage) == 0


@pytest.mark.parametrize("values", [
    {"state": "draft"},
    {"state": "cancelled"},
    {"kind": "training"},
    {"days_ahead": -3},
])
def test_only_published_running_exhibitions_take_applications(app, values):
    event = make_exhibition(**values)
    with pytest.raises(DomainError) as caught:
        services.apply_for_booth(event, application())
    assert caught.value.code == "closed"


def test_an_exhibition_under_way_still_takes_applications(app):
    event = make_exhibition(starts_at=utcnow() - timedelta(hours=2),
                            ends_at=utcnow() + timedelta(hours=6))
    assert services.apply_for_booth(event, application()).state == "pending"


def test_one_active_application_per_company_ignoring_case_and_spaces(app):
    organiser = factories.user(roles=["organiser"])
    event = make_exhibition(organiser=organiser)
    first = services.apply_for_booth(event, application(company_name="Эко Ноос ХХК"))
    with pytest.raises(DomainError) as caught:
        services.apply_for_booth(event, application(company_name="  эко   НООС ххк "))
    assert caught.value.code == "already_applied"
    other_event = make_exhibition("made-in-darkhan-2027")
    assert services.apply_for_booth(other_event, application()).state == "pending"
    services.decline_exhibitor(organiser, first, "Бүх талбай дүүрсэн")
    again = services.apply_for_booth(event, application(company_name="эко ноос ххк"))
    assert again.state == "pending"


def test_organiser_approves_with_a_booth_number(app):
    organiser = factories.user(roles=["organiser"])
    event = make_exhibition(organiser=organiser)
    exhibitor = services.apply_for_booth(event, application(language="en"))
    services.approve_exhibitor(organiser, exhibitor, " B-07 ")
    assert (exhibitor.state, exhibitor.booth_number) == ("approved", "B-07")
    assert exhibitor.decided_at is not None
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "exhibitor.approved"))
    assert (audit.actor_id, audit.before, audit.after) == (
        organiser.id, {"state": "pending"}, {"state": "approved", "booth_number": "B-07"})
    mail = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.template == "exhibitions/approved"))
    assert mail.subject == "Your booth application is approved" and "B-07" in mail.body_text


def test_decline_needs_a_reason_and_the_reason_is_sent(app):
    organiser = factories.user(roles=["organiser"])
    event = make_exhibition(organiser=organiser)
    exhibitor = services.apply_for_booth(event, application())
    for reason in ("", "   ", None):
        with pytest.raises(DomainError) as caught:
            services.decline_exhibitor(organiser, exhibitor, reason)
        assert caught.value.code == "reason_required"
    assert exhibitor.state == "pending"
    services.decline_exhibitor(organiser, exhibitor, "Хүнсний салбарын талбай дүүрсэн")
    assert (exhibitor.state, exhibitor.decision_reason) == (
        "declined", "Хүнсний салбарын талбай дүүрсэн")
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "exhibitor.declined"))
    assert audit.reason == "Хүнсний салбарын талбай дүүрсэн"
    mail = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.template == "exhibitions/declined"))
    assert mail.language == "mn" and "Хүнсний салбарын талбай дүүрсэн" in mail.body_text


def test_citizens_and_organisers_of_other_events_cannot_decide(app):
    citizen = factories.user()
    stranger = factories.user(roles=["organiser"])
    event = make_exhibition(organiser=factories.user(roles=["organiser"]))
    exhibitor = services.apply_for_booth(event, application())
    for actor in (citizen, stranger):
        with pytest.raises(DomainError) as caught:
            services.approve_exhibitor(actor, exhibitor)
        assert caught.value.code == "forbidden"
        with pytest.raises(DomainError):
            services.decline_exhibitor(actor, exhibitor, "no")
    db.session.rollback()
    assert db.session.get(Exhibitor, exhibitor.id).state == "pending"
    assert services.approve_exhibitor(factories.user(roles=["admin"]), exhibitor).state == \
        "approved"


def test_a_decided_application_is_not_decided_again(app):
    organiser = factories.user(roles=["organiser"])
    event = make_exhibition(organiser=organiser)
    exhibitor = services.approve_exhibitor(
        organiser, services.apply_for_booth(event, application()), "A-1")
    with pytest.raises(DomainError) as caught:
        services.decline_exhibitor(organiser, exhibitor, "changed our mind")
    assert caught.value.code == "already_decided"
    assert exhibitor.state == "approved"


def test_directory_lists_approved_only_by_sector_and_text(app):
    organiser = factories.user(roles=["organiser"])
    event = make_exhibition(organiser=organiser)
    wool = services.apply_for_booth(event, application())
    bakery = services.apply_for_booth(event, application(
        company_name="Дархан талх ХХК", sector="food", products_mn="Талх, боов",
        products_en="Bread and 100% rye pastries"))
    pending = services.apply_for_booth(event, application(company_name="Шинэ ХХК"))
    declined = services.apply_for_booth(event, application(company_name="Татгалзсан ХХК"))
    services.approve_exhibitor(organiser, wool)
    services.approve_exhibitor(organiser, bakery)
    services.decline_exhibitor(organiser, declined, "Бүртгэл хаагдсан")

    def names(**filters):
        return [e.company_name for e in db.session.scalars(
            services.directory_query(event, **filters))]

    assert names() == ["Дархан талх ХХК", "Эко Ноос ХХК"]
    assert pending.company_name not in names() and declined.company_name not in names()
    assert names(sector="food") == ["Дархан талх ХХК"]
    assert names(sector="no-such-sector") == names()
    assert names(text="ЭСГИЙ") == ["Эко Ноос ХХК"]
    assert names(text="felt") == ["Эко Ноос ХХК"]
    assert names(text="100%") == ["Дархан талх ХХК"]
    assert names(text="%") == ["Дархан талх ХХК"]
    assert names(text="talkh") == []


def test_demo_exhibitors_are_seeded_once(app):
    event = make_exhibition()
    created = seed_exhibitors(event)
    assert len(created) == len(EXHIBITORS) >= 12
    assert seed_exhibitors(event) == []
    listed = db.session.scalars(services.directory_query(event)).all()
    assert len(listed) == len(EXHIBITORS)
    assert all(e.products_mn and e.products_en for e in listed)
    assert any("Oeg Flour" in e.company_name for e in listed)
