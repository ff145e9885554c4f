"""Demo feedback: the survey of the Zero Waste Darkhan forum (February 2023) with a few
anonymous responses. Idempotent: nothing is added when the event already has a survey.

The past demo events have no check-ins, so the responses are stored directly rather than
through personal links (responses are not linked to anyone in any case)."""

from datetime import timedelta

from sqlalchemy import select

from ..accounts.services import find_user_by_email
from ..events.models import Event
from ..extensions import db
from ..i18n import recorded_at
from .models import Survey, SurveyAnswer, SurveyResponse
from .services import add_question, save_survey

EVENT_SLUG = "dcf-zero-waste-darkhan-2023"
ORGANISER = "admin@demo.forum.mn"  # the demo events have no creator; the admin runs them all
HEARD = [{"mn": "Фэйсбүүк хуудаснаас", "en": "On Facebook"},
         {"mn": "Багийн Засаг даргаас", "en": "From the bag governor"},
         {"mn": "Найз, хамт олноосоо", "en": "From friends or colleagues"},
         {"mn": "Радио, телевизээс", "en": "Radio or television"}]
# usefulness, organisation, what to improve, how they heard (option index)
RESPONSES = [
    (5, 4, "Хог ангилах сав гэр хороололд хэзээ тавигдахыг тодорхой хэлээсэй.", 1),
    (4, 4, "", 0),
    (5, 5, "Сургуулийн хүүхдүүдийг ч гэсэн оролцуулбал сайн байна.", 2),
    (3, 2, "Танхим хүйтэн байсан, микрофон муу сонсогдож байлаа.", 0),
    (4, 3, "More time for questions from the floor, please.", 3),
    (5, 4, "", 1),
    (2, 3, "Шийдвэр гарсан ч хэрэгжилтийг нь хэн хянах нь тодорхойгүй.", 2),
    (4, 5, "Дараагийн форумыг Орхон суманд хийгээрэй.", 0),
]


def seed_feedback() -> int:
    """Returns how many demo responses were added (0 on a second run or without the event)."""
    event = db.session.scalar(select(Event).where(Event.slug == EVENT_SLUG))
    organiser = find_user_by_email(ORGANISER)
    if event is None or organiser is None or db.session.scalar(
            select(Survey.id).where(Survey.event_id == event.id)) is not None:
        return 0
    with recorded_at(event.starts_at - timedelta(days=7)):  # built the week before
        survey = save_survey(organiser, event, {
            "title_mn": "Санал асуулга: Тэг хаягдалтай Дархан",
            "title_en": "Feedback: Zero Waste Darkhan", "opens_at": None})
        add_question(organiser, survey, {
            "kind": "single", "label_mn": "Форумын тухай хаанаас сонссон бэ?",
            "label_en": "How did you hear about the forum?", "options": HEARD})
    questions = list(survey.questions)
    for n, values in enumerate(RESPONSES):  # answered in the hours after the forum
        answered = event.ends_at + timedelta(minutes=20 + 35 * n)
        db.session.add(SurveyResponse(survey_id=survey.id, created_at=answered, answers=[
            SurveyAnswer(question_id=question.id, value=value)
            for question, value in zip(questions, values, strict=True) if value != ""]))
    db.session.commit()
    return len(RESPONSES)
