"""The event rules: who may do what, what a valid event is, publishing and cancelling."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from forum_app.audit.models import AuditEvent
from forum_app.errors import DomainError
from forum_app.events import services
from forum_app.events.models import Event, EventState
from forum_app.events.slugs import slugify
from forum_app.extensions import db
from forum_app.i18n import utcnow
from forum_app.notifications.models import OutboxMessage
from forum_app.registration import services as registration
from forum_app.registration.models import Registration
from forum_app.registration.services import RegistrationInput
from tests import factories
from tests.registration.support import register_confirmed

START = datetime(2030, 5, 20, 2, 0)  # 10:00 in Darkhan


def values(**overrides) -> dict:
    return {"kind": "city_forum", "title_mn": "Агаарын бохирдол", "title_en": "Air pollution",
            "starts_at": START, "ends_at": START + timedelta(hours=4), "capacity": 50,
            "registration_mode": "open"} | overrides


def organiser(**kw):
    return factories.user(roles=["organiser"], **kw)


def audit(event, action) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "Event", AuditEvent.object_id == event.id,
        AuditEvent.action == action)))


def event_count() -> int:
    return db.session.scalar(select(func.count(Event.id)))


def person(n: int) -> RegistrationInput:
    return RegistrationInput(name=f"Оролцогч {n}", email=f"guest{n}@example.mn", consent=True)


# --- slugs -----------------------------------------------------------------------------------

def test_slug_is_ascii_transliterated_from_mongolian(app):
    assert slugify("Дархан хотын форум: Өвөл 2026!") == "darkhan-khotyn-forum-ovol-2026"
    event = services.create_event(organiser(), values(title_en=None,
                                                      title_mn="Үйлдвэрлэл ба Цэцэрлэг"))
    assert event.slug == "uildverlel-ba-tsetserleg"
    assert event.slug.isascii()


def test_slugs_are_unique_and_avoid_reserved_paths(app):
    who = organiser()
    first = services.create_event(who, values(title_en="Made in Darkhan"))
    second = services.create_event(who, values(title_en="Made in Darkhan"))
    third = services.create_event(who, values(title_en="Made in Darkhan!"))
    assert [first.slug, second.slug, third.slug] == [
        "made-in-darkhan", "made-in-darkhan-2", "made-in-darkhan-3"]
    assert services.create_event(who, values(title_en="New", title_mn=None)).slug == "new-event"
    assert services.create_event(who, values(title_en="", title_mn="")).slug == "event"


def test_slug_stays_when_the_title_changes(app):
    who = organiser()
    event = services.create_event(who, values(title_en="Demo day"))
    services.update_event(who, event, {"title_en": "Demo day of the Innovation Hub"})
    assert event.slug == "demo-day"


# --- creating and the rules of a valid event -------------------------------------------------

def test_organiser_creates_a_draft_with_tags_and_an_audit_record(app):
    who = organiser()
    event = services.create_event(who, values(tags=["sdg-11", "pillar-governance"]))
    assert event.state == EventState.DRAFT and event.created_by_id == who.id
    assert event.tags == ["pillar-governance", "sdg-11"]
    assert len(audit(event, "event.created")) == 1


def test_citizen_cannot_create_events(app):
    with pytest.raises(DomainError) as error:
        services.create_event(factories.user(), values())
    assert error.value.code == "forbidden"
    assert event_count() == 0


@pytest.mark.parametrize(("overrides", "code", "field"), [
    ({"ends_at": START}, "end_before_start", "ends_at"),
    ({"ends_at": START - timedelta(hours=1)}, "end_before_start", "ends_at"),
    ({"starts_at": None}, "start_required", "starts_at"),
    ({"capacity": -1}, "bad_capacity", "capacity"),
    ({"capacity": "12"}, "bad_capacity", "capacity"),
    ({"registration_closes_at": START + timedelta(minutes=1)}, "closes_after_start",
     "registration_closes_at"),
    ({"registration_opens_at": START - timedelta(days=1),
      "registration_closes_at": START - timedelta(days=2)}, "opens_after_close",
     "registration_opens_at"),
    ({"title_en": "x" * 10_000}, "too_long", "title_en"),
    ({"description_mn": "x" * 20_001}, "too_long", "description_mn"),
    ({"kind": "party"}, "bad_kind", "kind"),
    ({"registration_mode": "lottery"}, "bad_mode", "registration_mode"),
    ({"tags": ["sdg-18"]}, "bad_tag", "tags"),
])
def test_invalid_events_are_refused_and_nothing_is_saved(app, overrides, code, field):
    with pytest.raises(DomainError) as error:
        services.create_event(organiser(), values(**overrides))
    assert (error.value.code, error.value.field) == (code, field)
    assert event_count() == 0


def test_capacity_may_be_empty_or_zero_and_registration_may_close_at_the_start(app):
    who = organiser()
    unlimited = services.create_event(who, values(capacity=None, registration_closes_at=START))
    assert unlimited.capacity is None and unlimited.seats_left is None
    assert services.create_event(who, values(capacity=0)).seats_left == 0


# --- who manages what ------------------------------------------------------------------------

def test_can_manage_creator_staff_and_admin_only(app):
    creator, colleague, stranger = organiser(), organiser(), organiser()
    admin, citizen = factories.user(roles=["admin"]), factories.user()
    event = services.create_event(creator, values())
    services.add_staff(creator, event, colleague.email)
    assert services.can_manage(creator, event)
    assert services.can_manage(colleague, event)
    assert services.can_manage(admin, event)
    assert not services.can_manage(stranger, event)
    assert not services.can_manage(citizen, event)
    with pytest.raises(DomainError) as error:
        services.update_event(stranger, event, {"title_en": "Taken over"})
    assert error.value.code == "forbidden"
    db.session.refresh(event)
    assert event.title_en == "Air pollution"


def test_staff_must_be_organisers_and_are_added_once(app):
    creator, colleague = organiser(), organiser()
    citizen = factories.user("citizen@example.mn")
    event = services.create_event(creator, values())
    with pytest.raises(DomainError) as error:
        services.add_staff(creator, event, "citizen@example.mn")
    assert error.value.code == "not_organiser"
    with pytest.raises(DomainError) as error:
        services.add_staff(creator, event, "nobody@example.mn")
    assert error.value.code == "unknown_user"
    services.add_staff(creator, event, colleague.email.upper())
    with pytest.raises(DomainError) as error:
        services.add_staff(creator, event, colleague.email)
    assert error.value.code == "already_staff"
    services.remove_staff(creator, event, colleague.id)
    assert not services.can_manage(colleague, event)
    assert not services.can_manage(citizen, event)


def test_an_organiser_who_loses_the_role_no_longer_manages(app):
    admin = factories.user(roles=["admin"])
    creator = organiser()
    event = services.create_event(creator, values())
    from forum_app.accounts.services import set_roles

    set_roles(admin, creator, set(), None)
    assert not services.can_manage(creator, event)


# --- publishing ------------------------------------------------------------------------------

def test_publish_records_the_state_change(app):
    who = organiser()
    event = services.create_event(who, values())
    services.publish_event(who, event)
    assert event.state == EventState.PUBLISHED and event.published_at is not None
    [record] = audit(event, "event.published")
    assert (record.before, record.after, record.actor_id) == (
        {"state": "draft"}, {"state": "published"}, who.id)
    with pytest.raises(DomainError) as error:
        services.publish_event(who, event)
    assert error.value.code == "already_published"


def test_an_event_without_a_title_cannot_be_published(app):
    who = organiser()
    event = services.create_event(who, values(title_mn=" ", title_en=None))
    with pytest.raises(DomainError) as error:
        services.publish_event(who, event)
    assert error.value.code == "title_required"
    assert event.state == EventState.DRAFT and audit(event, "event.published") == []
    services.update_event(who, event, {"title_en": "Study visit to Erdenet"})
    services.publish_event(who, event)
    assert event.is_published


# --- editing ---------------------------------------------------------------------------------

def test_update_records_what_changed(app):
    who = organiser()
    event = services.create_event(who, values())
    services.update_event(who, event, values(title_en="Clean air for Darkhan", capacity=80))
    [record] = audit(event, "event.updated")
    assert record.before == {"title_en": "Air pollution", "capacity": 50}
    assert record.after == {"title_en": "Clean air for Darkhan", "capacity": 80}


def test_more_capacity_confirms_people_from_the_waiting_list(app):
    who = organiser()
    event = factories.event(who, capacity=1)
    for n in range(3):
        register_confirmed(event, person(n))
    db.session.refresh(event)
    assert event.seats_left == 0
    services.update_event(who, event, {"capacity": 2})
    db.session.expire_all()
    assert list(db.session.scalars(select(Registration.state).order_by(Registration.id))) == [
        "confirmed", "confirmed", "waitlisted"]
    services.update_event(who, event, {"capacity": None})
    db.session.expire_all()
    assert db.session.get(Event, event.id).confirmed_count == 3


def test_capacity_cannot_drop_below_the_confirmed_registrations(app):
    who = organiser()
    event = factories.event(who, capacity=5)
    for n in range(3):
        register_confirmed(event, person(n))
    with pytest.raises(DomainError) as error:
        services.update_event(who, event, {"capacity": 2, "title_en": "Renamed"})
    assert error.value.field == "capacity"
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert event.capacity == 5 and event.title_en != "Renamed"
    services.update_event(who, event, {"capacity": 3})
    assert event.capacity == 3


# --- cancelling ------------------------------------------------------------------------------

def test_cancel_needs_a_reason(app):
    who = organiser()
    event = factories.event(who)
    with pytest.raises(DomainError) as error:
        services.cancel_event(who, event, "  ")
    assert error.value.field == "reason"
    assert event.state == EventState.PUBLISHED


def test_cancel_tells_every_registrant_and_is_final(app):
    who = organiser()
    event = factories.event(who, capacity=1)
    register_confirmed(event, person(1))
    register_confirmed(event, person(2))  # waiting list
    services.cancel_event(who, event, "The hall is flooded.")
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert event.state == EventState.CANCELLED and event.cancelled_at is not None
    assert event.cancel_reason == "The hall is flooded."
    [record] = audit(event, "event.cancelled")
    assert (record.before, record.after, record.reason) == (
        {"state": "published"}, {"state": "cancelled"}, "The hall is flooded.")
    rows = db.session.scalars(select(Registration).order_by(Registration.id)).all()
    assert [r.state for r in rows] == ["cancelled", "cancelled"]
    assert rows[0].ticket.revoked_at is not None
    recipients = set(db.session.scalars(select(OutboxMessage.recipient).where(
        OutboxMessage.template == "registration/event_cancelled")))
    assert recipients == {"guest1@example.mn", "guest2@example.mn"}

    for action in (lambda: services.update_event(who, event, {"title_en": "Back on"}),
                   lambda: services.publish_event(who, event),
                   lambda: services.cancel_event(who, event, "again"),
                   lambda: services.add_session(who, event, {})):
        with pytest.raises(DomainError):
            action()
    assert db.session.get(Event, event.id).state == EventState.CANCELLED


def test_a_draft_can_be_cancelled_too(app):
    who = organiser()
    event = services.create_event(who, values())
    services.cancel_event(who, event, "Merged with the spring forum.")
    assert event.state == EventState.CANCELLED


# --- agenda ----------------------------------------------------------------------------------

def session_values(**overrides):
    return {"title_mn": "Нээлт", "title_en": "Opening", "starts_at": START,
            "ends_at": START + timedelta(minutes=30), "room": "Hall A",
            "speakers": "Governor"} | overrides


def test_agenda_sessions_are_added_in_time_order_and_edited(app):
    who = organiser()
    event = services.create_event(who, values())
    later = services.add_session(who, event, session_values(
        title_en="Panel", starts_at=START + timedelta(hours=1),
        ends_at=START + timedelta(hours=2)))
    first = services.add_session(who, event, session_values())
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert [s.title_en for s in event.sessions] == ["Opening", "Panel"]
    services.update_session(who, event, later, session_values(
        title_en="Panel: clean air", starts_at=START + timedelta(hours=1),
        ends_at=START + timedelta(hours=2)))
    assert later.title_en == "Panel: clean air"
    services.delete_session(who, event, first)
    db.session.expire_all()
    assert [s.title_en for s in db.session.get(Event, event.id).sessions] == ["Panel: clean air"]


@pytest.mark.parametrize(("overrides", "code"), [
    ({"title_mn": "", "title_en": None}, "title_required"),
    ({"ends_at": START}, "end_before_start"),
    ({"starts_at": START - timedelta(hours=1)}, "outside_event"),
    ({"ends_at": START + timedelta(hours=5)}, "outside_event"),
    ({"capacity": -3}, "bad_capacity"),
    ({"room": "r" * 121}, "too_long"),
])
def test_invalid_sessions_are_refused(app, overrides, code):
    who = organiser()
    event = services.create_event(who, values())
    with pytest.raises(DomainError) as error:
        services.add_session(who, event, session_values(**overrides))
    assert error.value.code == code
    db.session.expire_all()
    assert db.session.get(Event, event.id).sessions == []


# --- custom questions ------------------------------------------------------------------------

def choice(**overrides):
    return {"kind": "single", "label_mn": "Та хаанаас ирэх вэ?", "label_en": "Where from?",
            "options": [{"mn": "Дархан", "en": "Darkhan"}, {"mn": "Шарын гол", "en": ""}],
            "required": True} | overrides


def test_questions_are_added_edited_reordered_and_deleted(app):
    who = organiser()
    event = services.create_event(who, values())
    first = services.save_question(who, event, choice())
    second = services.save_question(who, event, {"kind": "text", "label_en": "Dietary needs",
                                                 "options": [{"mn": "x"}]})
    third = services.save_question(who, event, {"kind": "yes_no", "label_mn": "Хүүхэдтэй юу?"})
    assert second.options == [] and second.required is False
    assert first.options == [{"mn": "Дархан", "en": "Darkhan"}, {"mn": "Шарын гол", "en": ""}]

    services.move_question(who, event, third, "up")
    services.move_question(who, event, first, "up")  # already first: stays
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert [q.id for q in event.questions] == [first.id, third.id, second.id]

    services.save_question(who, event, choice(kind="multiple", label_en="Topics"), first)
    assert db.session.get(type(first), first.id).kind == "multiple"
    services.delete_question(who, event, db.session.get(type(third), third.id))
    db.session.expire_all()
    assert [q.id for q in db.session.get(Event, event.id).questions] == [first.id, second.id]


@pytest.mark.parametrize(("overrides", "code"), [
    ({"kind": "essay"}, "bad_kind"),
    ({"label_mn": "", "label_en": " "}, "label_required"),
    ({"options": [{"mn": "Зөвхөн нэг"}]}, "options_required"),
    ({"options": [{"mn": "", "en": ""}, {"mn": "Нэг"}]}, "options_required"),
    ({"label_en": "q" * 501}, "too_long"),
])
def test_invalid_questions_are_refused(app, overrides, code):
    who = organiser()
    event = services.create_event(who, values())
    with pytest.raises(DomainError) as error:
        services.save_question(who, event, choice(**overrides))
    assert error.value.code == code
    db.session.expire_all()
    assert db.session.get(Event, event.id).questions == []


THREE_OPTIONS = [{"mn": "Дархан", "en": "Darkhan"}, {"mn": "Шарын гол", "en": "Sharyn Gol"},
                 {"mn": "Бусад", "en": "Elsewhere"}]


def test_answered_questions_keep_their_meaning(app):
    who = organiser()
    event = factories.event(who)
    question = services.save_question(who, event, choice(required=False, options=THREE_OPTIONS))
    data = person(1)
    data.answers = {question.id: "0"}
    registration.register(event, data)
    with pytest.raises(DomainError) as error:
        services.save_question(who, event, choice(kind="text"), question)
    assert (error.value.code, error.value.field) == ("answered", "kind")
    with pytest.raises(DomainError) as error:  # removing one would shift the stored answers
        services.save_question(who, event, choice(options=THREE_OPTIONS[:2]), question)
    assert (error.value.code, error.value.field) == ("answered", "options_mn")
    with pytest.raises(DomainError) as error:
        services.delete_question(who, event, question)
    assert error.value.code == "answered"
    reworded = [{"mn": "Дархан хот", "en": "Darkhan city"}, *THREE_OPTIONS[1:],
                {"mn": "Орхон", "en": "Orkhon"}]
    services.save_question(who, event, choice(options=reworded), question)
    assert question.options[0]["en"] == "Darkhan city" and len(question.options) == 4


# --- what a visitor can do -------------------------------------------------------------------

def test_registration_status(app):
    who = organiser()
    now = utcnow()
    event = factories.event(who, capacity=1,
                            registration_opens_at=now + timedelta(days=1),
                            registration_closes_at=now + timedelta(days=3))
    assert services.registration_status(event, now) == "not_yet_open"
    assert services.registration_status(event, now + timedelta(days=2)) == "open"
    assert services.registration_status(event, now + timedelta(days=4)) == "closed"
    assert services.registration_status(event, event.starts_at) == "started"
    assert services.registration_status(event, event.ends_at) == "ended"
    event.confirmed_count = 1
    assert services.registration_status(event, now + timedelta(days=2)) == "waitlist"
    draft = factories.event(who, publish=False)
    assert services.registration_status(draft, now) == "draft"
