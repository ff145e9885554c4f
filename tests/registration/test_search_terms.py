"""The attendee search reads stored search terms (registration.search): what an organiser can
find, that the terms follow the registration's fields, and that an erased person is no longer
found nor stored folded in them."""

import pytest
from sqlalchemy import select

from forum_app.extensions import db
from forum_app.registration.models import RegistrationSearchTerm
from forum_app.registration.privacy import erase_registrations
from forum_app.registration.services import RegistrationInput, attendee_query, register
from tests import factories


@pytest.fixture()
def event(app):
    return factories.event(factories.user(roles=["organiser"]))


def sarnai(event):
    return register(event, RegistrationInput(
        name="Б.Сарнай Цэцэг", email="sarnai.b@example.mn", phone="+976 9911 2233",
        organisation="Эко Вүүл ХХК", consent=True))[0]


def found(event, typed: str) -> list[str]:
    return [r.name for r in db.session.scalars(attendee_query(event, typed))]


@pytest.mark.parametrize("typed, is_found", [
    ("сар", True), ("ЦЭЦ", True), ("цэцэг сарнай", True), ("б. сарнай", True),
    ("97699", True), ("9911 2233", True), ("2233", True), ("вүүл", True), ("sarnai.b@ex", True),
    ("арнай", False), ("сарнай болд", False), ("1122", False), ("@#%", False)])
def test_a_word_start_or_the_phone_s_first_or_last_digits_find_the_person(
        event, typed, is_found):
    sarnai(event)
    assert found(event, typed) == (["Б.Сарнай Цэцэг"] if is_found else [])


def test_another_event_s_registrations_are_never_found(app, event):
    sarnai(factories.event(factories.user("other@example.mn", roles=["organiser"])))
    assert found(event, "сарнай") == []


def test_the_terms_follow_a_changed_name_and_go_when_the_person_is_erased(event):
    registration = sarnai(event)
    registration.name = "Оюун Дорж"
    db.session.commit()
    assert found(event, "сарнай") == [] and found(event, "дорж") == ["Оюун Дорж"]
    erase_registrations([registration])
    assert found(event, "дорж") == [] and found(event, "9911") == []
    assert db.session.scalars(select(RegistrationSearchTerm.term)).all() == []
