"""The minutes PDF of a session, read back with pdftotext: its decisions and actions in
Mongolian, attendance by stakeholder group and the votes reconciled with the check-ins."""

import shutil
import subprocess
from datetime import timedelta

import pytest

from forum_app.deliberation import services
from tests import factories

from .support import admitted, department_official, item_at

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")


def _text(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True)
    return " ".join(done.stdout.decode().split())


def test_the_minutes_hold_the_decisions_and_actions_in_mongolian(client, organiser, forum):
    item = item_at(organiser, forum, "voting", title_mn="Хог хаягдлыг бууруулах")
    voters = [admitted(forum, organiser, stakeholder_kind="citizen") for _ in range(3)]
    admitted(forum, organiser, stakeholder_kind="business")  # checked in, does not vote
    for voter in voters:
        services.cast_vote(item, voter.ticket.code, item.options[0].id)
    services.record_hand_tally(organiser, item, item.options[1].id, "ngo", 4)
    services.add_contribution(organiser, item, {"kind": "concern", "body": "Сав хүрэлцэхгүй",
                                                "stakeholder_kind": "citizen"})
    services.record_decision(organiser, item, {
        "text_mn": "Хогийг эх үүсвэр дээр нь ангилна", "text_en": "Sort waste at source",
        "method": "vote", "option_ids": [item.options[0].id],
        "dissent_mn": "Бизнесийн төлөөлөл зардлын талаар санаа зовсон"})
    official = department_official()
    services.add_action(organiser, item.decision, {
        "title_mn": "Хороо бүрт ангилах сав байрлуулах",
        "department_id": official.department_id,
        "due_on": forum.starts_at.date() - timedelta(days=2)})

    response = client.get(f"/events/{forum.slug}/minutes.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _text(response.data)
    for expected in ("Хурлын тэмдэглэл / Minutes", "Хог хаягдлыг бууруулах",
                     "Хогийг эх үүсвэр дээр нь ангилна", "Sort waste at source",
                     "Хороо бүрт ангилах сав байрлуулах", "Бизнесийн төлөөлөл",
                     "Сав хүрэлцэхгүй", "Хугацаа хэтэрсэн"):
        assert expected in text, expected
    # 4 checked in, 3 voters, 3 ballots, 4 hands; the gap of one is explained.
    assert "Voters: 3" in text and "Ballots: 3" in text
    assert "did not vote" in text and ": 1" in text


def test_no_minutes_of_a_draft_for_the_public(client, organiser):
    draft = factories.event(organiser, publish=False)
    assert client.get(f"/events/{draft.slug}/minutes.pdf").status_code == 404


def test_the_minutes_give_an_options_pros_cons_and_feasibility_in_both_languages(
        client, organiser, forum):
    item = item_at(organiser, forum, "options")
    services.add_option(organiser, item, {
        "title_mn": "Ангилах сав", "pros_mn": "Хямд", "pros_en": "Cheap",
        "cons_en": "Slow", "feasibility_mn": "Боломжтой", "feasibility_en": "Feasible"})
    text = _text(client.get(f"/events/{forum.slug}/minutes.pdf").data)
    for expected in ("Ангилах сав", "Хямд", "Cheap", "Slow", "Боломжтой", "Feasible"):
        assert expected in text, expected
