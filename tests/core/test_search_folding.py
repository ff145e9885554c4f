"""One rule for every search box (database.contains_folded): any part, whatever the case,
Cyrillic too; on SQLite a query of ASCII characters is matched by the database's own LIKE."""

import pytest

from forum_app.extensions import db
from forum_app.registration.services import RegistrationInput, attendee_query, register
from tests import factories


@pytest.mark.parametrize("typed, found", [
    ("sarnai.b@example", True), ("SARNAI.B@EXAMPLE.MN", True), ("99112", True),
    ("сарнай", True), ("САРНАЙ", True), ("эко вүүл", True), ("Болд", False),
    ("99_12", False), ("%", False)])
def test_the_attendee_search_folds_case_in_both_alphabets(app, typed, found):
    event = factories.event(factories.user(roles=["organiser"]))
    register(event, RegistrationInput(name="САРНАЙ Б.", email="Sarnai.B@Example.MN",
                                      phone="99112233", organisation="Эко Вүүл ХХК",
                                      consent=True))
    names = [r.name for r in db.session.scalars(attendee_query(event, typed.lower()))]
    assert names == (["САРНАЙ Б."] if found else [])
