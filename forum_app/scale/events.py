"""The events of the large data set: one big Darkhan City Forum (two days, entry once a day)
that carries most registrations, and a programme of smaller events of every kind spread over
2023-2026, a few still to come."""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select

from ..events.models import Event, EventKind
from ..extensions import db
from ..i18n import utcnow
from .bulk import insert_rows, next_id

BIG_SLUG = "dcf-scale-plenary"
FIRST_DAY = date(2023, 1, 16)
DARKHAN_OFFSET = timedelta(hours=8)  # Mongolia keeps UTC+8 all year
VENUE = ("Дархан-Уул аймгийн Засаг даргын Тамгын газрын их танхим",
         "Great hall of the Darkhan-Uul Governor's Office",
         "Дархан сум, 3-р баг, Засгийн газрын байр", "Government building, 3rd bag, Darkhan soum")
TOPICS = [
    ("Агаарын бохирдол ба гэр хорооллын дулаан", "Air pollution and heating in the ger areas"),
    ("Ундны усны хангамж", "Drinking water supply"),
    ("Хог хаягдлын менежмент", "Waste management"),
    ("Сургуулийн орчны аюулгүй байдал", "Safety around schools"),
    ("Залуучуудын ажлын байр", "Jobs for young people"),
    ("Ногоон Дархан 2032: ойжуулалт", "Green Darkhan 2032: afforestation"),
    ("Нийтийн тээвэр", "Public transport"),
    ("Жижиг, дунд үйлдвэрлэл", "Small and medium enterprises"),
    ("Хөгжлийн бэрхшээлтэй иргэдийн хүртээмж", "Accessibility for people with disabilities"),
    ("Орон нутгийн төсөв", "The local budget"),
]
KINDS = [EventKind.CITY_FORUM] * 4 + [EventKind.TRAINING] * 3 + [
    EventKind.DEMO_DAY, EventKind.NETWORK_MEETING, EventKind.BEST_PRACTICE_FORUM,
    EventKind.STUDY_VISIT, EventKind.EXHIBITION]
KIND_NAMES = {
    EventKind.CITY_FORUM: ("Дархан хотын форум", "Darkhan City Forum"),
    EventKind.TRAINING: ("Сургалт", "Training"),
    EventKind.DEMO_DAY: ("Демо өдөр", "Demo day"),
    EventKind.NETWORK_MEETING: ("Сүлжээний уулзалт", "Network meeting"),
    EventKind.BEST_PRACTICE_FORUM: ("Шилдэг туршлагын форум", "Best practice forum"),
    EventKind.STUDY_VISIT: ("Туршлага судлах айлчлал", "Study visit"),
    EventKind.EXHIBITION: ("\"Дарханд үйлдвэрлэв\" үзэсгэлэн", "\"Made in Darkhan\" exhibition"),
}


@dataclass
class ScaleEvent:
    id: int
    kind: str
    starts_at: datetime  # UTC, naive
    days: int
    capacity: int | None

    @property
    def day_dates(self) -> list[date]:
        """Its days in Darkhan's calendar."""
        first = (self.starts_at + DARKHAN_OFFSET).date()
        return [first + timedelta(days=n) for n in range(self.days)]


def _utc(day: date, hour: int) -> datetime:
    """`hour` o'clock in Darkhan (UTC+8 all year) as naive UTC."""
    return datetime(day.year, day.month, day.day, hour) - DARKHAN_OFFSET


def _row(event: ScaleEvent, slug: str, title: tuple[str, str], organiser_id) -> dict:
    now = utcnow()
    summary_mn = (f"{title[0]}: асуудлыг танилцуулж, шийдлийг оролцогч талууд хамтдаа "
                  "тодорхойлно.")
    summary_en = (f"{title[1]}: the problem is presented and the stakeholders determine the "
                  "solution.")
    return {
        "id": event.id, "slug": slug, "kind": event.kind, "state": "published",
        "title_mn": title[0], "title_en": title[1], "summary_mn": summary_mn,
        "summary_en": summary_en, "description_mn": summary_mn, "description_en": summary_en,
        "venue_name_mn": VENUE[0], "venue_name_en": VENUE[1], "venue_address_mn": VENUE[2],
        "venue_address_en": VENUE[3], "starts_at": event.starts_at,
        "ends_at": event.starts_at + timedelta(days=event.days - 1, hours=8),
        "capacity": event.capacity, "confirmed_count": 0, "registration_mode": "open",
        "entry_mode": "day" if event.days > 1 else "event", "created_by_id": organiser_id,
        "created_at": min(event.starts_at - timedelta(days=30), now),
        "updated_at": min(event.starts_at - timedelta(days=30), now),
        "published_at": min(event.starts_at - timedelta(days=30), now)}


def existing_events() -> tuple[ScaleEvent | None, list[ScaleEvent]]:
    """The events an earlier run made (None and [] before the first), so that a later one
    adds to them."""
    rows = db.session.scalars(select(Event).where(or_(
        Event.slug == BIG_SLUG, Event.slug.like("scale-%"))).order_by(Event.id)).all()
    events = {row.slug: ScaleEvent(row.id, row.kind, row.starts_at,
                                   (row.ends_at - row.starts_at).days + 1, row.capacity)
              for row in rows}
    return events.pop(BIG_SLUG, None), list(events.values())


def make_events(chooser: random.Random, today: date, organiser_id, count: int,
                big: ScaleEvent | None = None) -> tuple[ScaleEvent, list[ScaleEvent]]:
    """The big event (three weeks ago, two days), unless an earlier run made it, and `count`
    smaller events spread from January 2023 to two months after `today`."""
    first_id = next_id(Event.__table__)
    rows = []
    if big is None:
        big = ScaleEvent(first_id, EventKind.CITY_FORUM.value,
                         _utc(today - timedelta(days=21), 9), 2, None)
        rows.append(_row(big, BIG_SLUG, ("Дархан хотын форум 2026: нэгдсэн чуулган",
                                         "Darkhan City Forum 2026: plenary"), organiser_id))
    span = (today + timedelta(days=60) - FIRST_DAY).days
    others = []
    for number in range(count):
        kind = KINDS[chooser.randrange(len(KINDS))]
        topic = TOPICS[chooser.randrange(len(TOPICS))]
        day = FIRST_DAY + timedelta(days=span * number // max(count, 1))
        event = ScaleEvent(first_id + len(rows), kind.value, _utc(day, 10), 1,
                           chooser.choice([None, 80, 150, 300]))
        names = KIND_NAMES[kind]
        rows.append(_row(event, f"scale-{day.isoformat()}-{kind.value.replace('_', '-')}"
                                f"-{event.id}",
                         (f"{names[0]}: {topic[0]}", f"{names[1]}: {topic[1]}"), organiser_id))
        others.append(event)
    insert_rows(Event.__table__, rows)
    return big, others
