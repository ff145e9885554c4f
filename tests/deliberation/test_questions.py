"""Live questions: the asker sees theirs pending, the facilitator approves, pins, answers or
hides (with a reason); one upvote per person, never one's own; anonymous to the room only."""

import pytest

from forum_app.deliberation import services
from tests import factories

from .support import admitted, item_at, refused


@pytest.fixture
def item(organiser, forum):
    return item_at(organiser, forum, "discussion")


def test_a_question_waits_for_approval_then_collects_upvotes(organiser, forum, item):
    asker = admitted(forum, organiser, "Ганбат")
    question = services.ask_question(item, "Хэзээ эхлэх вэ?", ticket=asker.ticket.code,
                                     anonymous=True)
    assert (question.state, question.anonymous, question.registration_id) == (
        "pending", True, asker.id)
    others = [admitted(forum, organiser) for _ in range(2)]
    assert refused(services.upvote_question, question, ticket=others[0].ticket.code) \
        == "not_visible"
    services.moderate_question(organiser, question, "visible")
    assert services.upvote_question(question, ticket=others[0].ticket.code) == 1
    assert services.upvote_question(question, ticket=others[1].ticket.code) == 2
    assert refused(services.upvote_question, question, ticket=others[0].ticket.code) \
        == "already_upvoted"
    assert refused(services.upvote_question, question, ticket=asker.ticket.code) \
        == "own_question"
    services.pin_question(organiser, question, True)
    services.moderate_question(organiser, question, "answered")
    assert (question.state, question.pinned, question.upvote_count) == ("answered", True, 2)


def test_signed_in_people_ask_and_upvote_once_as_themselves(organiser, forum, item):
    citizen = factories.user()
    question = services.ask_question(item, "Төсөв хэд вэ?", user=citizen)
    assert question.display_name == citizen.name and question.asker_key == f"user:{citizen.id}"
    services.moderate_question(organiser, question, "visible")
    assert refused(services.upvote_question, question, user=citizen) == "own_question"
    assert refused(services.ask_question, item, "x") == "not_checked_in"


def test_hiding_needs_a_reason_and_keeps_the_question(organiser, forum, item):
    question = services.ask_question(item, "Зар сурталчилгаа", user=factories.user())
    assert refused(services.moderate_question, organiser, question, "hidden") == "reason_required"
    services.moderate_question(organiser, question, "hidden", "Сэдвээс гадуур")
    assert (question.state, question.hidden_reason) == ("hidden", "Сэдвээс гадуур")
    assert refused(services.moderate_question, organiser, question, "answered") \
        == "bad_transition"
    assert refused(services.moderate_question, factories.user(), question, "visible") \
        == "forbidden"


def test_a_question_from_the_room_becomes_an_option(organiser, forum, item):
    question = services.ask_question(item, "Хогийг ангилж авах", user=factories.user(),
                                     display_name="Сараа")
    option = services.promote_question(organiser, question, "option")
    assert (option.title_mn, option.proposer, option.from_question_id) == (
        "Хогийг ангилж авах", "Сараа", question.id)
    assert refused(services.promote_question, organiser, question, "poem") == "bad_target"
    new_item = services.promote_question(organiser, question, "item")
    assert (new_item.event_id, new_item.stage, new_item.problem_mn) == (
        item.event_id, "problem", "Хогийг ангилж авах")


def test_reports_are_counted_once_per_person(organiser, forum, item):
    question = services.ask_question(item, "Асуулт", user=factories.user())
    reporter = factories.user()
    assert services.report_question(question, user=reporter) == 1
    assert refused(services.report_question, question, user=reporter) == "already_reported"
