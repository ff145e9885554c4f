"""Citizen issues at every status over 2023-2026, with SDGs, supports, the department they
were forwarded to and, for many, official answers."""

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from ..core.models import Department, District
from ..extensions import db
from ..i18n import utcnow
from ..issues.models import Category, Issue, IssueSdg, IssueStatus, OfficialAnswer, Support
from .bulk import insert_rows, next_id

SINCE = datetime(2023, 1, 1)
# (title, category, SDGs, department), {place} is a bag or a street
PROBLEMS = [
    ("{place} гудамжны гэрэлтүүлэг ажиллахгүй байна", "safety", [11, 16], "city-services"),
    ("{place} хогийн цэг дүүрч, хог ачилт тасарсан", "waste-environment", [11, 12],
     "city-services"),
    ("{place} ундны усны даралт сул, ус тасалддаг", "water-sanitation", [6], "water"),
    ("{place} гэр хорооллын утаа хэт их байна", "heating-energy", [3, 7, 13], "environment"),
    ("{place} орон сууцны халаалт хүрэлцэхгүй", "heating-energy", [7, 11], "heating"),
    ("{place} сургуулийн орчимд гарц, гэрлэн дохио хэрэгтэй", "safety", [4, 11], "police"),
    ("{place} цэцэрлэгийн хүүхдийн тоо хэт их", "education-youth", [4], "education"),
    ("{place} замын нүх засвар шаардлагатай", "roads-transport", [9, 11], "urban-development"),
    ("{place} автобусны чиглэл хэтэрхий цөөн", "roads-transport", [11], "urban-development"),
    ("{place} өрхийн эмнэлгийн дараалал урт", "health", [3], "health"),
    ("{place} залуучуудад ажлын байр хомс", "economy-jobs", [8], "labour-welfare"),
    ("{place} төрийн үйлчилгээ цахимаар авах боломжгүй", "governance", [16],
     "darkhan-soum"),
    ("{place} мод тарьсан ч усалгаа хийгдэхгүй байна", "waste-environment", [13, 15],
     "environment"),
    ("{place} тоглоомын талбай эвдэрсэн", "other", [11], "city-services"),
]
PLACES = [f"Дархан сумын {n}-р баг" for n in range(1, 17)] + [
    "Орхон сумын төв", "Хонгор сумын 2-р баг", "Шарын гол сумын 1-р баг", "Хуучин Дархан",
    "Шинэ Дархан", "Баруун Дархан, 14-р хороолол", "Төмөр замын буудлын орчим"]
DETAILS = ["Олон удаа мэдэгдсэн ч шийдэгдээгүй.", "Өвөл болохоор улам хүндэрдэг.",
           "Хүүхэд, ахмад настанд аюултай.", "Оршин суугчид гарын үсэг цуглуулсан.",
           "Зураг хавсаргав.", "Хэд хэдэн айл нэгдэн хүсэлт гаргаж байна."]
STATUSES = [IssueStatus.SUBMITTED] * 20 + [IssueStatus.UNDER_REVIEW] * 15 + [
    IssueStatus.ACCEPTED] * 8 + [IssueStatus.ANSWERED] * 20 + [IssueStatus.DECLINED] * 7 + [
    IssueStatus.MERGED] * 3 + [IssueStatus.DISCUSSED] * 7 + [IssueStatus.SOLUTION_AGREED] * 7 + [
    IssueStatus.IN_IMPLEMENTATION] * 8 + [IssueStatus.RESOLVED] * 5
FORUM_STATUSES = {IssueStatus.ACCEPTED, IssueStatus.DISCUSSED, IssueStatus.SOLUTION_AGREED,
                  IssueStatus.IN_IMPLEMENTATION, IssueStatus.RESOLVED}
ANSWERS = [("Асуудлыг хүлээн авч, ажлын хэсэг газар дээр нь очиж шалгана.",
            "We received the issue; a working group will inspect the site."),
           ("Энэ жилийн төсөвт тусгаж, ирэх улиралд засварлана.",
            "It is in this year's budget; repairs are planned next quarter."),
           ("Хариуцсан байгууллагад шилжүүлж, хяналтдаа авлаа.",
            "Forwarded to the responsible body; we follow it up.")]


def _moment(chooser: random.Random, now: datetime) -> datetime:
    return SINCE + timedelta(seconds=chooser.randint(0, int((now - SINCE).total_seconds())))


def add_issues(total: int, authors: list[int], forum_events: list[int],
               chooser: random.Random) -> list[dict]:
    """Insert `total` issues and what hangs on them; returns the issue rows. No commit."""
    now = utcnow()
    categories = dict(db.session.execute(select(Category.slug, Category.id)).all())
    departments = dict(db.session.execute(select(Department.slug, Department.id)).all())
    districts = list(db.session.scalars(select(District.id))) or [None]
    first = next_id(Issue.__table__)
    issues, sdgs, answers, supports = [], [], [], []
    first_answer = next_id(OfficialAnswer.__table__)
    for n in range(total):
        title, category, goals, department = chooser.choice(PROBLEMS)
        status = chooser.choice(STATUSES)
        created = _moment(chooser, now)
        issue_id = first + n
        forwarded = status not in (IssueStatus.SUBMITTED, IssueStatus.MERGED) \
            and chooser.random() < 0.8
        department_id = departments.get(department) if forwarded else None
        backers = chooser.sample(authors, min(len(authors), chooser.choice([0, 0, 1, 2, 3, 8])))
        issues.append({
            "id": issue_id, "title": title.format(place=chooser.choice(PLACES)),
            "description": " ".join(chooser.sample(DETAILS, 2)), "language": "mn",
            "category_id": categories.get(category) or next(iter(categories.values())),
            "district_id": chooser.choice(districts), "status": status.value,
            "author_id": chooser.choice(authors) if authors else None,
            "anonymous": chooser.random() < 0.1, "channel": "web" if n % 12 else "phone",
            "merged_into_id": issue_id - 1 if status == IssueStatus.MERGED and n else None,
            "forum_event_id": chooser.choice(forum_events)
            if status in FORUM_STATUSES and forum_events else None,
            "department_id": department_id, "support_count": len(backers),
            "comment_count": 0, "flag_count": 0, "created_at": created,
            "updated_at": min(created + timedelta(days=chooser.randint(0, 30)), now)})
        if status == IssueStatus.MERGED and not n:
            issues[-1]["status"] = IssueStatus.SUBMITTED.value
        sdgs += [{"issue_id": issue_id, "sdg": goal} for goal in goals]
        supports += [{"issue_id": issue_id, "user_id": user_id, "created_at": created}
                     for user_id in backers]
        answered = status == IssueStatus.ANSWERED or (department_id and chooser.random() < 0.4)
        if answered and department_id:
            text_mn, text_en = chooser.choice(ANSWERS)
            answers.append({"id": first_answer + len(answers), "issue_id": issue_id,
                            "department_id": department_id, "body_mn": text_mn,
                            "body_en": text_en,
                            "created_at": min(created + timedelta(hours=chooser.randint(2, 1500)),
                                              now)})
    insert_rows(Issue.__table__, issues)
    insert_rows(IssueSdg.__table__, sdgs)
    insert_rows(Support.__table__, supports)
    insert_rows(OfficialAnswer.__table__, answers)
    return issues
