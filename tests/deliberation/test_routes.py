"""The forum pages over HTTP: the facilitator's live mode, the participant's phone page, the
projector's JSON (ETag/304), the public journey and outcomes, the officials' actions."""

from datetime import timedelta

from sqlalchemy import func, select

from forum_app.deliberation import services
from forum_app.deliberation.models import Action, AgendaItem, LiveQuestion, vote_counts
from forum_app.extensions import db
from tests import factories

from .support import admitted, department_official, event_on, forum_item, item_at


def _login(client, user):
    client.post("/account/login", data={"email": user.email, "password": factories.PASSWORD})


def _live(item):
    return f"/manage/events/{item.event.slug}/forum/items/{item.id}"


def _room(item):
    return f"/events/{item.event.slug}/forum/items/{item.id}"


def test_a_facilitator_runs_an_item_from_problem_to_actions(client, organiser, forum):
    _login(client, organiser)
    issue = factories.issue(title="Хог ачихгүй байна")
    base = f"/manage/events/{forum.slug}/forum"
    response = client.post(base, data={"title_mn": "Хог хаягдал", "problem_mn": "Дүүрсэн"})
    assert response.status_code == 302
    item = db.session.scalar(select(AgendaItem).where(AgendaItem.event_id == forum.id))
    live = _live(item)
    assert client.get(live).status_code == 200
    assert client.post(live + "/issues", data={"issue_id": issue.id}).status_code == 302
    assert client.post(live + "/stage", data={"to_stage": "discussion"}).status_code == 302
    assert client.post(live + "/contributions", data={
        "kind": "concern", "body": "Хогийн сав хүрэлцэхгүй", "speaker_name": "Дорж",
        "stakeholder_kind": "citizen"}).status_code == 302
    # Skipping ahead needs a reason: the screen again, with the message, nothing moved.
    skipped = client.post(live + "/stage", data={"to_stage": "voting"})
    assert skipped.status_code == 422 and item.stage == "discussion"
    assert client.post(live + "/stage", data={"to_stage": "options"}).status_code == 302
    for title in ("Ангилан ялгах", "Шинэ цэг"):
        assert client.post(live + "/options", data={"title_mn": title}).status_code == 302
    assert client.post(live + "/stage", data={"to_stage": "voting"}).status_code == 302
    db.session.refresh(item)
    assert item.stage == "voting"
    option = item.options[0]
    assert client.post(live + "/tallies", data={
        "option_id": option.id, "stakeholder_kind": "citizen", "count": 12}).status_code == 302
    department = factories.department()
    assert client.post(live + "/decision", data={
        "text_mn": "Ангилан ялгана", "method": "vote", "option_ids": [option.id],
        "review_on": "2027-06-01"}).status_code == 302
    assert client.post(live + "/actions", data={
        "title_mn": "Ялгах сав байрлуулах", "department_id": department.id,
        "due_on": "2027-03-01"}).status_code == 302
    db.session.refresh(item)
    assert item.stage == "decided" and item.decision.actions[0].title_mn == "Ялгах сав байрлуулах"
    page = client.get(live).get_data(as_text=True)
    assert "Ялгах сав байрлуулах" in page and "12" in page


def test_only_the_events_organisers_use_live_mode(client, organiser, forum):
    item = forum_item(organiser, forum)
    stranger = factories.user(roles=["organiser"])
    _login(client, stranger)
    assert client.get(_live(item)).status_code == 403
    assert client.post(_live(item) + "/stage", data={"to_stage": "discussion"}).status_code \
        == 403
    other = event_on(stranger, whole_day=True)
    # An item of one event named under another event's address is unknown.
    assert client.get(f"/manage/events/{other.slug}/forum/items/{item.id}").status_code == 404


def test_a_participant_joins_with_a_ticket_asks_upvotes_and_votes(client, organiser, forum):
    item = item_at(organiser, forum, "voting")
    me, other = admitted(forum, organiser, "Сарнай"), admitted(forum, organiser, "Бат")
    room = _room(item)
    response = client.post(f"/events/{forum.slug}/forum/join",
                           data={"ticket": me.ticket.code})
    assert response.status_code == 302
    assert client.post(room + "/questions", data={"body": "Хэзээ эхлэх вэ?",
                                                  "anonymous": "y"}).status_code == 302
    question = db.session.scalar(select(LiveQuestion))
    assert question.anonymous and question.registration_id == me.id
    assert "Хэзээ эхлэх вэ?" in client.get(room).get_data(as_text=True)  # the asker sees it
    services.moderate_question(organiser, question, "visible")
    assert client.post(room + f"/questions/{question.id}/upvote").status_code == 422  # own
    assert client.post(room + "/vote", data={"option_id": item.options[1].id}).status_code \
        == 302
    assert client.post(room + "/vote", data={"option_id": item.options[0].id}).status_code \
        == 422
    assert vote_counts(item.id) == {item.options[1].id: 1}
    # Someone else upvotes; neither their page nor the projector shows who asked.
    phone = client.application.test_client()
    phone.post(f"/events/{forum.slug}/forum/join", data={"ticket": other.ticket.code})
    assert phone.post(room + f"/questions/{question.id}/upvote").status_code == 302
    page = phone.get(room).get_data(as_text=True)
    assert "Хэзээ эхлэх вэ?" in page and "Сарнай" not in page
    state = client.get(f"/events/{forum.slug}/forum/screen.json").get_json()
    assert state["questions"] == [{"id": question.id, "body": "Хэзээ эхлэх вэ?",
                                   "upvotes": 1, "pinned": False, "answered": False,
                                   "by": None}]
    assert [o["votes"] for o in state["options"]] == [0, 1]


def test_without_a_check_in_there_is_no_vote(client, organiser, forum):
    item = item_at(organiser, forum, "voting")
    registered = admitted(forum, organiser)
    other_forum = event_on(organiser, whole_day=True)
    stranger = admitted(other_forum, organiser)
    refused = client.post(f"/events/{forum.slug}/forum/join",
                          data={"ticket": stranger.ticket.code})
    assert refused.status_code == 422
    assert client.post(_room(item) + "/vote", data={"option_id": item.options[0].id}) \
        .status_code == 422
    assert vote_counts(item.id) == {}
    assert registered.id  # checked in to this forum, but this browser never said so


def test_the_projector_json_answers_304_until_something_changes(client, organiser, forum):
    item = item_at(organiser, forum, "voting")
    voter = admitted(forum, organiser)
    url = f"/events/{forum.slug}/forum/screen.json"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    services.cast_vote(item, voter.ticket.code, item.options[0].id)
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.get_json()["options"][0]["votes"] == 1
    assert client.get(f"/events/{forum.slug}/forum/screen").status_code == 200


def test_hidden_questions_and_anonymous_askers_stay_off_public_pages(client, organiser, forum):
    item = item_at(organiser, forum, "discussion")
    asker = admitted(forum, organiser, "Нууц Асуугч")
    hidden = services.ask_question(item, "Доромжилсон асуулт", ticket=asker.ticket.code)
    services.moderate_question(organiser, hidden, "hidden", "Доромжилсон")
    shown = services.ask_question(item, "Нээлттэй асуулт", ticket=asker.ticket.code,
                                  anonymous=True)
    services.moderate_question(organiser, shown, "visible")
    for url in (_room(item), f"/events/{forum.slug}/forum/screen",
                f"/events/{forum.slug}/forum/screen.json", f"/forum/items/{item.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "Доромжилсон асуулт" not in page and "Нууц Асуугч" not in page, url


def test_the_journey_shows_the_path_from_the_issue_to_progress(client, organiser, forum):
    issue = factories.issue(title="Хогийн сав дүүрсэн", description="Манай багт хог ачдаггүй")
    item = item_at(organiser, forum, "decided")
    services.link_issue(organiser, item, issue)
    official = department_official()
    action = services.add_action(organiser, item.decision, {
        "title_mn": "Сав байрлуулах", "title_en": "Place bins",
        "department_id": official.department_id, "due_on": forum.starts_at.date()
        - timedelta(days=3)})
    services.post_progress(official, action, "in_progress", 40, note_mn="Эхэлсэн")
    page = client.get(f"/forum/items/{item.id}").get_data(as_text=True)
    for text in ("Манай багт хог ачдаггүй", "Шийдвэр", "Сав байрлуулах", "Эхэлсэн",
                 "40%", official.name):
        assert text in page, text
    issue_page = client.get(f"/issues/{issue.id}").get_data(as_text=True)
    assert f"/forum/items/{item.id}" in issue_page
    outcomes = client.get("/forum/outcomes?overdue=1").get_data(as_text=True)
    assert "Сав байрлуулах" in outcomes
    assert "Сав байрлуулах" not in client.get("/forum/outcomes?status=done") \
        .get_data(as_text=True)
    assert client.get("/forum/outcomes?stage=nonsense").status_code == 422


def test_an_official_posts_progress_on_several_actions(client, organiser, forum):
    item = item_at(organiser, forum, "decided")
    official = department_official()
    actions = [services.add_action(organiser, item.decision, {
        "title_mn": f"Ажил {n}", "department_id": official.department_id,
        "due_on": forum.starts_at.date() + timedelta(days=30)}) for n in range(2)]
    _login(client, official)
    assert "Ажил 1" in client.get("/forum/my-actions").get_data(as_text=True)
    response = client.post("/forum/my-actions", data={
        "action_ids": [a.id for a in actions], "status": "in_progress", "percent": 25,
        "note_mn": "Эхэлсэн"})
    assert response.status_code == 302
    assert [db.session.get(Action, a.id).percent for a in actions] == [25, 25]
    assert client.post("/forum/my-actions", data={"status": "done"}).status_code == 422


def test_questions_are_reported_promoted_and_contributions_hidden(client, organiser, forum):
    item = item_at(organiser, forum, "discussion")
    asker, reader = admitted(forum, organiser), admitted(forum, organiser)
    question = services.ask_question(item, "Төсөв хэд вэ?", ticket=asker.ticket.code)
    services.moderate_question(organiser, question, "visible")
    phone = client.application.test_client()
    phone.post(f"/events/{forum.slug}/forum/join", data={"ticket": reader.ticket.code})
    room = _room(item)
    assert phone.post(room + f"/questions/{question.id}/report").status_code == 302
    assert phone.post(room + f"/questions/{question.id}/report").status_code == 422  # once
    _login(client, organiser)
    live = _live(item)
    assert client.post(live + f"/questions/{question.id}/promote",
                       data={"to": "option"}).status_code == 302
    assert client.post(live + f"/questions/{question.id}/promote",
                       data={"to": "contribution"}).status_code == 302
    assert client.post(live + f"/questions/{question.id}/promote",
                       data={"to": "item"}).status_code == 302
    assert client.post(live + f"/questions/{question.id}/promote",
                       data={"to": "nonsense"}).status_code == 422
    db.session.refresh(item)
    assert [o.title_mn for o in item.options][-1] == "Төсөв хэд вэ?"
    assert db.session.scalar(select(func.count(AgendaItem.id))
                             .where(AgendaItem.event_id == forum.id)) == 2
    said = item.contributions[-1]
    assert said.body == "Төсөв хэд вэ?"
    assert client.post(live + f"/contributions/{said.id}/hide").status_code == 422  # no reason
    assert client.post(live + f"/contributions/{said.id}/hide",
                       data={"reason": "Давхардсан"}).status_code == 302
    journey = client.get(f"/forum/items/{item.id}").get_data(as_text=True)
    discussion = journey.split('id="discussion-heading"')[1].split('id="options-heading"')[0]
    assert "Төсөв хэд вэ?" not in discussion


def test_a_photo_is_evidence_of_one_actions_progress(client, organiser, forum):
    import io

    from PIL import Image

    item = item_at(organiser, forum, "decided")
    official = department_official()
    actions = [services.add_action(organiser, item.decision, {
        "title_mn": f"Ажил {n}", "department_id": official.department_id,
        "due_on": forum.starts_at.date() + timedelta(days=30)}) for n in range(2)]
    _login(client, official)

    def photo():
        data = io.BytesIO()
        Image.new("RGB", (40, 30), "green").save(data, "PNG")
        data.seek(0)
        return data, "sav.png"

    both = client.post("/forum/my-actions", data={
        "action_ids": [a.id for a in actions], "status": "in_progress", "percent": 10,
        "photos": [photo()]}, content_type="multipart/form-data")
    assert both.status_code == 422
    one = client.post("/forum/my-actions", data={
        "action_ids": [actions[0].id], "status": "in_progress", "percent": 10,
        "photos": [photo()]}, content_type="multipart/form-data")
    assert one.status_code == 302
    page = client.get(f"/forum/items/{item.id}").get_data(as_text=True)
    url = page.split('<img src="', 1)[1].split('"', 1)[0]
    assert url.startswith("/forum/progress-photos/")
    assert client.get(url).status_code == 200
    assert client.get("/forum/progress-photos/nothing.jpg").status_code == 404


def test_a_decision_is_corrected_with_a_reason_and_the_old_text_kept(client, organiser, forum):
    item = item_at(organiser, forum, "decided")
    _login(client, organiser)
    url = _live(item) + "/decision/revise"
    values = {"text_mn": "Шинэчилсэн шийдвэр", "method": "vote",
              "option_ids": [item.options[0].id]}
    assert client.post(url, data=values).status_code == 422  # no reason
    assert client.post(url, data=values | {"reason": "Үсгийн алдаа"}).status_code == 302
    db.session.refresh(item)
    assert item.decision.text_mn == "Шинэчилсэн шийдвэр"
    journey = client.get(f"/forum/items/{item.id}").get_data(as_text=True)
    assert "Үсгийн алдаа" in journey and "Шийдвэр" in journey  # the earlier text


def test_a_participant_sends_a_contribution_the_facilitator_sees(client, organiser, forum):
    item = item_at(organiser, forum, "discussion")
    me = admitted(forum, organiser, "Сарнай")
    room = _room(item)
    assert "contribute-heading" not in client.get(room).get_data(as_text=True)  # not joined
    # Without a check-in the service refuses, on the form.
    refused = client.post(room + "/contributions",
                          data={"send-kind": "idea", "send-body": "Сав нэм"})
    assert refused.status_code == 422
    client.post(f"/events/{forum.slug}/forum/join", data={"ticket": me.ticket.code})
    assert "contribute-heading" in client.get(room).get_data(as_text=True)
    assert client.post(room + "/contributions", data={"send-kind": "bogus", "send-body": "x"}) \
        .status_code == 422
    response = client.post(room + "/contributions", data={
        "send-kind": "evidence", "send-body": "Манай багт 3 сав л байна",
        "send-stakeholder_kind": ""})
    assert response.status_code == 302 and response.location.endswith("#contribute")
    contribution = item.contributions[-1]
    assert contribution.kind == "evidence" and contribution.registration_id == me.id
    assert contribution.speaker_name is None
    _login(client, organiser)
    assert "Манай багт 3 сав л байна" in client.get(_live(item)).get_data(as_text=True)


def test_an_options_pros_cons_and_feasibility_are_in_both_languages(client, organiser, forum):
    item = item_at(organiser, forum, "options")
    _login(client, organiser)
    assert client.post(_live(item) + "/options", data={
        "title_mn": "Ангилах сав", "title_en": "Sorting bins",
        "pros_mn": "Хямд", "pros_en": "Cheap", "cons_mn": "Удаан", "cons_en": "Slow",
        "feasibility_mn": "Боломжтой", "feasibility_en": "Feasible"}).status_code == 302
    option = item.options[-1]
    assert (option.pros_en, option.cons_en, option.feasibility_en) == \
        ("Cheap", "Slow", "Feasible")
    services.move_stage(organiser, item, "voting")
    journey = f"/forum/items/{item.id}"
    assert "Хямд" in client.get(journey).get_data(as_text=True)
    client.post("/language", data={"language": "en", "next": "/"})
    page = client.get(journey).get_data(as_text=True)
    assert "Cheap" in page and "Slow" in page and "Feasible" in page and "Хямд" not in page
    state = client.get(f"/events/{forum.slug}/forum/screen.json").get_json()
    assert {"pros": "Cheap", "cons": "Slow"}.items() <= state["options"][-1].items()
    assert "Cheap" in client.get(f"/events/{forum.slug}/forum/screen").get_data(as_text=True)


def test_the_facilitator_withdraws_an_option_with_a_reason_kept_in_history(
        client, organiser, forum):
    from forum_app.audit.models import AuditEvent

    item = item_at(organiser, forum, "options")
    option = services.add_option(organiser, item, {"title_mn": "Шинэ цэг"})
    _login(client, organiser)
    assert "withdraw-option-" in client.get(_live(item)).get_data(as_text=True)
    url = _live(item) + f"/options/{option.id}/withdraw"
    assert client.post(url, data={"reason": "Давхардсан"}).status_code == 302
    assert option.withdrawn_at is not None
    entry = db.session.scalar(select(AuditEvent).where(
        AuditEvent.object_type == "SolutionOption", AuditEvent.object_id == option.id,
        AuditEvent.action == "option.withdrawn"))
    assert entry.reason == "Давхардсан" and entry.actor_id == organiser.id
    assert client.post(url, data={"reason": "Дахин"}).status_code == 422  # already withdrawn
    assert client.post(_live(item) + "/options/999999/withdraw").status_code == 404
