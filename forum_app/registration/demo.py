"""Demo registrations through the real service, so seats, tickets and waitlists are true."""

import random
from datetime import timedelta

from sqlalchemy import func, select

from ..accounts.services import find_user_by_email
from ..core.models import District
from ..events.models import Event
from ..extensions import db
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


def seed_registrations() -> int:
    chooser = random.Random(2026)  # noqa: S311  # nosec B311  # the same demo data every time
    districts = list(db.session.scalars(select(District.id)))
    made = 0
    for slug, count in PLAN.items():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        if event is None or db.session.scalar(select(func.count(Registration.id)).where(
                Registration.event_id == event.id)):
            continue
        before_start = event.starts_at - timedelta(days=3)
        citizen = find_user_by_email("citizen@demo.forum.mn")
        if citizen is not None and slug in ("dcf-clean-water-today", "dcf-heating-air-quality"):
            register(event, RegistrationInput(consent=True, language=citizen.language,
                                              stakeholder_kind=citizen.stakeholder_kind,
                                              district_id=citizen.district_id),
                     user=citizen, now=before_start)
            made += 1
        for n in range(count):
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
            registration, _token = register(event, data, now=before_start)
            # A guest's seat is held until the link in their e-mail confirms it: they did.
            confirm_registration(registration, confirm_code(registration), now=before_start)
            made += 1
    return made
