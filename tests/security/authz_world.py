"""The small world of the authorisation matrix, made through the real services: two sides,
"A" and "B", each with its own organiser, event, citizen, department and official, and every
object a URL of the app can name. The person who signs in for a role lives on side A, so side
A's objects are "own" and side B's are "others'". Each side also has a draft event, a hidden
(moderated) issue and a hidden comment by its citizen: the "hidden" targets."""

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from forum_app.accounts.api_tokens import create_api_token
from forum_app.checkin.devices import create_device
from forum_app.checkin.services import check_in
from forum_app.deliberation import services as forum
from forum_app.events.services import add_session, save_question
from forum_app.exhibitions.services import apply_for_booth
from forum_app.extensions import db
from forum_app.feedback.invitations import token_for_user
from forum_app.issues.photos import prepare_photo
from forum_app.issues.services import add_comment
from forum_app.moderation.services import hide_content
from forum_app.notifications.models import OutboxMessage
from forum_app.registration.services import RegistrationInput, manage_token, register
from tests import factories
from tests.checkin.support import event_on, nonce, today
from tests.deliberation.support import item_at
from tests.exhibitions.helpers import application, make_exhibition
from tests.feedback.support import survey_for
from tests.issues.support import jpeg_with_gps

SIDES = ("A", "B")
DEPARTMENTS = {"A": "environment", "B": "education"}
# Unique words in the hidden content: no page may show them to someone who may not see it
# (ASCII, so that they are found in JSON, which escapes Cyrillic, too).
HIDDEN_ISSUE = {"A": "hiddenissue7QA", "B": "hiddenissue9ZB"}
HIDDEN_COMMENT = {"A": "hiddencomment4KA", "B": "hiddencomment2WB"}
REASON = "Хувийн мэдээлэл агуулсан"


def email(role: str, side: str = "A") -> str:
    return f"{role}-{side.lower()}@authz.example.mn"


@dataclass
class World:
    people: dict[str, object] = field(default_factory=dict)  # "citizen-A" -> User
    device_tokens: dict[str, str] = field(default_factory=dict)  # side -> bearer token
    values: dict[str, dict] = field(default_factory=dict)  # target -> URL values

    def person(self, role: str, side: str = "A"):
        return self.people[f"{role}-{side}"]


def _people(world: World) -> None:
    for side in SIDES:
        for role in ("citizen", "organiser", "official"):
            world.people[f"{role}-{side}"] = factories.user(
                email(role, side), roles=() if role == "citizen" else (role,),
                department_slug=DEPARTMENTS[side] if role == "official" else None)
    world.people["moderator-A"] = factories.user(email("moderator"), roles=("moderator",))
    world.people["admin-A"] = factories.user(email("admin"), roles=("admin",))


def _registration(event, citizen):
    data = RegistrationInput(name=citizen.name, email=citizen.email, phone="99112233",
                             consent=True)
    registration, _token = register(event, data, user=citizen,
                                    now=event.starts_at - timedelta(days=1))
    return registration


def _forum_item(organiser, event, citizen, official, linked_issue):
    """An item taken from `linked_issue` (hidden later: the record must not show it), decided,
    with an action of the official's department and a progress photo."""
    item = item_at(organiser, event, "voting")
    forum.link_issue(organiser, item, linked_issue)
    contribution = forum.add_contribution(organiser, item, {"kind": "idea",
                                                            "body": "Ногоон байгууламж"})
    question = forum.ask_question(item, "Хэзээ эхлэх вэ?", user=citizen)
    forum.record_decision(organiser, item, {"text_mn": "Шийдвэр", "method": "vote",
                                            "option_ids": [item.options[0].id]})
    action = forum.add_action(organiser, item.decision, {
        "title_mn": "Хогийн цэг хашаалах", "department_id": official.department_id,
        "due_on": today() + timedelta(days=20)})
    update = forum.post_progress(official, action, "in_progress", 30,
                                 photos=[prepare_photo(jpeg_with_gps(), "progress.jpg")])
    return {"item_id": item.id, "contribution_id": contribution.id,
            "live_question_id": question.id, "option_id": item.options[-1].id,
            "progress_filename": update.photos[0].filename}


def _side(world: World, side: str, moderator) -> tuple[dict, dict]:
    """(values of the side's visible objects, values of its hidden ones)."""
    citizen, organiser = world.person("citizen", side), world.person("organiser", side)
    official = world.person("official", side)
    event = event_on(organiser, whole_day=True, title_en=f"Forum of side {side}")
    session = add_session(organiser, event, {"title_mn": "Нээлт", "starts_at": event.starts_at,
                                             "ends_at": event.starts_at + timedelta(hours=1)})
    question = save_question(organiser, event, {"kind": "text", "label_mn": "Байгууллага",
                                                "label_en": "", "required": False,
                                                "options": []})
    registration = _registration(event, citizen)
    checkin_id = check_in(registration.ticket.code, event=event, device=None, staff=organiser,
                          nonce=nonce()).checkin_id
    device, world.device_tokens[side] = create_device(organiser, event, "Гол хаалга")
    survey = survey_for(event, organiser)
    exhibition = make_exhibition(f"made-in-darkhan-{side.lower()}", organiser=organiser)
    exhibitor = apply_for_booth(exhibition, application(
        company_name=f"Эко Ноос {side} ХХК", contact_email=citizen.email), user=citizen)
    issue = factories.issue(citizen, title=f"Хогийн сав {side}",
                            photos=[prepare_photo(jpeg_with_gps(), "issue.jpg")])
    comment = add_comment(citizen, issue, f"Манай гудамжинд ч мөн адил {side}.")
    hidden_issue = factories.issue(citizen, title=f"Нууцлагдсан асуудал {HIDDEN_ISSUE[side]}",
                                   photos=[prepare_photo(jpeg_with_gps(), "hidden.jpg")])
    hidden_comment = add_comment(citizen, issue, f"Нууцлагдсан {HIDDEN_COMMENT[side]}")
    item_values = _forum_item(organiser, event, citizen, official, hidden_issue)
    for target in (hidden_issue, hidden_comment):
        hide_content(moderator, target, REASON)
    draft = factories.event(organiser, publish=False, title_en=f"Draft of side {side}")
    api_token, _secret = create_api_token(citizen, f"Скрипт {side}", ["read"], 90,
                                          factories.PASSWORD)
    message = db.session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.recipient == citizen.email).order_by(OutboxMessage.id).limit(1))
    visible = {
        "slug": event.slug, "event_id": event.id, "event_slug": exhibition.slug,
        "session_id": session.id, "question_id": question.id,
        "registration_id": registration.id, "token": manage_token(registration),
        "checkin_id": checkin_id, "device_id": device.id, "exhibitor_id": exhibitor.id,
        "issue_id": issue.id, "filename": issue.photos[0].filename, "target_id": comment.id,
        "comment_id": comment.id,
        "user_id": citizen.id, "message_id": message, "token_id": api_token.id,
        "obj_id": official.department_id,
        "kind": "departments", "feedback_token": token_for_user(survey, citizen),
        "survey_question_id": survey.questions[0].id,
        **item_values,
    }
    hidden = {"slug": draft.slug, "event_id": draft.id, "issue_id": hidden_issue.id,
              "target_id": hidden_comment.id, "comment_id": hidden_comment.id,
              "filename": hidden_issue.photos[0].filename}
    return visible, visible | hidden


def build_world() -> World:
    """Both sides and their objects; values for the targets own, other, own-hidden and
    other-hidden."""
    world = World()
    _people(world)
    moderator = world.person("moderator")
    for side, target in zip(SIDES, ("own", "other"), strict=True):
        visible, hidden = _side(world, side, moderator)
        world.values[target], world.values[f"{target}-hidden"] = visible, hidden
    return world
