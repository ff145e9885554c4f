"""An organiser running a forum that is on today (whole day, Darkhan time)."""

import pytest

from tests import factories

from .support import event_on


@pytest.fixture
def organiser(app):
    return factories.user("facilitator@example.mn", roles=["organiser"], name="Оюунчимэг")


@pytest.fixture
def forum(organiser):
    return event_on(organiser, whole_day=True)
