"""Demo registrations through the real service, so seats, tickets and waitlists are true."""

import random
from datetime import datetime, timedelta

from sqlalchemy import func, select

from ..accounts.services import find_user_by_email
from ..core.models import District
from ..events.models import Event
from ..extensions import db
from ..i18n import recorded_at, utcnow
from .models import Registration
from .services import RegistrationInput, confirm_code, confirm_registration, register

GIVEN = ["Батболд", "Сарнай", "Төмөрбаатар", "Отгонбаяр", "Энхтуяа", "Ганбаатар", "Наранцэцэг",
         "Мөнхзул", "Баярсайхан", "Оюунгэрэл", "Дашдорж", "Алтанцэцэг", "Эрдэнэбат", "Солонго",
         "Пүрэвдорж", "Цэцэгмаа", "Ариунболд", "Номин", "Билгүүн", "Хулан", "Тэмүүжин", "Уянга",
         "Баттулга", "Золзаяа", "Ганзориг"]
KINDS = ["citizen"] * 6 + ["government", "business", "ngo", "academia", "media"]
ORGANISATIONS = {"government": "Дархан сумын ЗДТГ", "business": "Эко Вүүл ХХК",
                 "ngo": "Ногоон Дархан ТББ", "academia": "ХААИС-ийн Дархан дахь салбар",
                 "media": "Дархан ТВ"}

# slug -> how many people register (beyond capacity they join the waiting list)
PLAN = {"dcf-clean-water-today": 24, "dcf-heating-air-quality": 23,
        "eu-dieh-startup-training": 6, "green-darkhan-2032-forest-forum": 15,
        "dcf-zero-waste-darkhan-2023": 18, "dcf-no-bullying-2023": 14,
        "dcf-budget-forum-2023": 12}


CONFIRMED_AFTER = timedelta(minutes=12)


def _registration_times(starts_at: datetime, count: int) -> list[datetime]:
    """People register over the two weeks that end the day before the event (or an hour ago,
    for an event that is today or later), in order, so each registration and its
    confirmation come before the event and before now."""
    last = min(starts_at - timedelta(days=1), utcnow() - timedelta(hours=1))
    first = last - timedelta(days=14)
    return [first + (last - first) * n / max(count - 1, 1) for n in range(count)]


def seed_registrations() -> int:
    chooser = random.Random(2026)  # noqa: S311  # nosec B311  # the same demo data every time
    districts = list(db.session.scalars(select(District.id)))
    made = 0
    for slug, count in PLAN.items():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        if event is None or db.session.scalar(select(func.count(Registration.id)).where(
                Registration.event_id == event.id)):
            continue
        moments = _registration_times(event.starts_at, count + 1)
        citizen = find_user_by_email("citizen@demo.forum.mn")
        if citizen is not None and slug in ("dcf-clean-water-today", "dcf-heating-air-quality"):
            with recorded_at(moments[0]):
                register(event, RegistrationInput(consent=True, language=citizen.language,
                                                  stakeholder_kind=citizen.stakeholder_kind,
                                                  district_id=citizen.district_id),
                         user=citizen, now=moments[0])
            made += 1
        for n, moment in enumerate(moments[1:]):
            kind = chooser.choice(KINDS)
            given = GIVEN[(n + len(slug)) % len(GIVEN)]
            data = RegistrationInput(
                name=f"{given} {chooser.choice('БГДОТЭНСЦ')}.",
                email=f"{slug}.{n}@demo.forum.mn", phone=f"99{chooser.randint(100000, 999999)}",
                language="mn" if n % 4 else "en", stakeholder_kind=kind,
                organisation=ORGANISATIONS.get(kind), district_id=chooser.choice(districts),
                gender=chooser.choice(["female", "male", "undisclosed"]),
                age_band=chooser.choice(["18-24", "25-34", "35-44", "45-54", "55-64"]),
                accessibility_needs="Тэргэнцэртэй" if n == 5 else None, consent=True,
                answers={q.id: str(n % len(q.options)) for q in event.questions
                         if q.kind == "single"})
            with recorded_at(moment):
                registration, _token = register(event, data, now=moment)
            # A guest's seat is held until the link in their e-mail confirms it: they did, a
            # few minutes later.
            with recorded_at(moment + CONFIRMED_AFTER):
                confirm_registration(registration, confirm_code(registration),
                                     now=moment + CONFIRMED_AFTER)
            made += 1
    return made
