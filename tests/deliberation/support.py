"""Builders for the forum-record tests, through the real services: a forum running today,
people whose tickets were admitted at the door, agenda items brought to a stage."""

import pytest

from forum_app.checkin.services import check_in
from forum_app.deliberation import services
from forum_app.deliberation.models import AgendaItem, Stage
from forum_app.errors import DomainError
from forum_app.events.models import Event
from forum_app.registration.models import Registration
from tests import factories
from tests.checkin.support import event_on, nonce, person

__all__ = ["admitted", "event_on", "forum_item", "item_at", "person", "refused"]


def admitted(event: Event, organiser, name: str | None = None, **values) -> Registration:
    """Someone registered and checked in at the door today."""
    registration = person(event, name, **values)
    outcome = check_in(registration.ticket.code, event=event, device=None, staff=organiser,
                       nonce=nonce())
    assert outcome.admitted, outcome
    return registration


def forum_item(organiser, event: Event, **values) -> AgendaItem:
    return services.create_agenda_item(organiser, event, {
        "title_mn": "Дархан хотын хог хаягдал", "title_en": "Waste in Darkhan",
        "problem_mn": "Хогийн цэг дүүрсэн.", "problem_en": "The landfill is full.",
        "presenter": "Б. Болд, иргэн", **values})


def item_at(organiser, event: Event, stage: str, *, options: int = 2,
            **values) -> AgendaItem:
    """An item moved step by step (no reasons needed) up to `stage`, with options added."""
    item = forum_item(organiser, event, **values)
    for step in list(Stage)[1:]:
        if step == Stage.VOTING:
            for n in range(options):
                services.add_option(organiser, item, {"title_mn": f"Хувилбар {n + 1}",
                                                      "title_en": f"Option {n + 1}"})
        if Stage(item.stage).index >= Stage(stage).index:
            break
        if step == Stage.DECIDED:
            services.record_decision(organiser, item, {
                "text_mn": "Шийдвэр", "text_en": "Decision", "method": "vote",
                "option_ids": [item.options[0].id]})
            continue
        services.move_stage(organiser, item, step.value)
    return item


def department_official(slug: str = "environment", **values):
    return factories.user(roles=["official"], department_slug=slug, **values)


def refused(call, *args, **kwargs) -> str:
    """The code of the DomainError the call raises (it must raise one)."""
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    return caught.value.code
