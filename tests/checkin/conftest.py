"""The organiser at the door and, unless a module says otherwise, today's whole-day event."""

import pytest

from tests import factories

from .support import event_on


@pytest.fixture
def organiser(app):
    return factories.user("door@example.mn", roles=["organiser"], name="Сарангэрэл")


@pytest.fixture
def event(organiser):
    return event_on(organiser, whole_day=True)
