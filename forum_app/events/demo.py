"""Demo events: the FRIENDSHIP programme's real events (shared/seeds) and upcoming sessions
dated from today, with registrations. Idempotent: events are matched by slug."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from ..accounts.services import find_user_by_email
from ..extensions import db
from ..i18n import LOCAL_ZONE, local_date, local_to_utc, utcnow
from .models import Event, EventSession, EventStaff, EventTag, Question

DEMO_ORGANISER = "organiser@demo.forum.mn"

HALL = ("Дархан-Уул аймгийн Засаг даргын Тамгын газар, Их хурлын танхим",
        "Governor's Office of Darkhan-Uul, Main Assembly Hall",
        "Дархан сум, 7-р баг, Засгийн газрын II байр", "Darkhan soum, 7th bag, Government Building II")
CULTURE = ("Дархан-Уул аймгийн Соёлын төв", "Darkhan-Uul Culture Centre",
           "Дархан сум, Шинэ Дархан, Соёлын төвийн талбай", "Darkhan soum, New Darkhan, Culture Centre square")
HUB = ("ЕХ–Дарханы Инновац, бизнес эрхлэлтийн төв (EU-DIEH)",
       "EU-Darkhan Innovation & Entrepreneurship Hub (EU-DIEH)",
       "Дархан сум, Хуучин Дархан, Технологийн парк", "Darkhan soum, Old Darkhan, Technology Park")


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Darkhan, as the naive UTC the database stores."""
    return local_to_utc(datetime.combine(day, time(hour, minute)))


@dataclass
class DemoEvent:
    slug: str
    kind: str
    title_mn: str
    title_en: str
    summary_mn: str
    summary_en: str
    start: datetime
    end: datetime
    venue: tuple
    capacity: int | None
    tags: tuple = ()
    mode: str = "open"
    sessions: tuple = ()  # (title_mn, title_en, start, end, room, speakers)
    entry_mode: str = "event"


def _todays_hours(now: datetime) -> tuple[datetime, datetime]:
    """Today's forum runs 08:00-20:00 in Darkhan; seeded earlier or later in the day, it opens
    at the hour the demo is made, or stays open until midnight, so people can already be
    checked in and vote when the demo starts (every check-in within the event's hours)."""
    today = local_date(now)
    hour = now.replace(tzinfo=UTC).astimezone(LOCAL_ZONE).hour
    start = local(today, min(8, hour))
    end = local(today, 20) if hour < 20 else local(today, 23, 59)
    return start, end


def _programme(today: date, now: datetime) -> list[DemoEvent]:
    d = date
    today_start, today_end = _todays_hours(now)
    soon = today + timedelta(days=14)
    forest = today + timedelta(days=30)
    expo = today + timedelta(days=45)
    training = today + timedelta(days=9)
    return [
        DemoEvent("dcf-zero-waste-darkhan-2023", "city_forum",
                  "ДХФ: Тэг хаягдалтай Дархан", "DCF: Zero Waste Darkhan",
                  "Хог хаягдлыг ангилах, дахин боловсруулах асуудлыг иргэд, албан тушаалтнууд хамтран хэлэлцэв.",
                  "Citizens and officials discussed sorting and recycling household waste together.",
                  local(d(2023, 2, 8), 10), local(d(2023, 2, 8), 13), HALL, 120,
                  ("sdg-11", "sdg-12", "pillar-governance")),
        DemoEvent("dcf-no-bullying-2023", "city_forum",
                  "ДХФ: Дээрэлхэлтгүй — Эерэг орчин", "DCF: No bullying — Positive Environment",
                  "Сургуулийн дээрэлхэлтийг бууруулах арга замыг эцэг эх, багш, сурагчид хэлэлцэв.",
                  "Parents, teachers and pupils discussed how to reduce bullying in schools.",
                  local(d(2023, 5, 4), 14), local(d(2023, 5, 4), 17), CULTURE, 150,
                  ("sdg-4", "sdg-16", "pillar-governance")),
        DemoEvent("eu-dieh-demo-day-2023", "demo_day",
                  "EU-DIEH Демо өдөр", "EU-DIEH Demo Day",
                  "Үрийн санхүүжилт, техникийн дэмжлэг авсан 7 гарааны бизнес төслөө танилцуулав.",
                  "Seven start-ups supported with seed capital and technical support pitched their work.",
                  local(d(2023, 6, 7), 10), local(d(2023, 6, 9), 17), HUB, 80,
                  ("sdg-8", "sdg-9", "pillar-innovation"), entry_mode="day"),
        DemoEvent("idef-network-meeting-2023", "network_meeting",
                  "IDEF Сүлжээний уулзалт", "IDEF Network Meeting",
                  "Дархан–ЕХ бүс хоорондын форумын гишүүдийн сүлжээний уулзалт.",
                  "Network meeting of the members of the Inter-Regional Darkhan-EU Forum.",
                  local(d(2023, 6, 21), 10), local(d(2023, 6, 21), 16), HALL, 60,
                  ("sdg-17", "pillar-network"), mode="invitation"),
        DemoEvent("smart-city-forum-2023", "best_practice_forum",
                  "Ухаалаг хот форум", "Smart City Forum",
                  "Ухаалаг, ногоон хотын шийдлүүдийн туршлага солилцов.",
                  "Exchange of experience on smart and green city solutions.",
                  local(d(2023, 6, 22), 9), local(d(2023, 6, 24), 17), CULTURE, 200,
                  ("sdg-9", "sdg-11", "pillar-network"), entry_mode="day"),
        DemoEvent("invest-darkhan-forum-2023", "best_practice_forum",
                  "Дарханд хөрөнгө оруул форум", "Invest Darkhan Forum",
                  "Хөрөнгө оруулалт, бизнесийн түншлэлийн боломжуудыг танилцуулав.",
                  "Investment and business partnership opportunities in Darkhan-Uul.",
                  local(d(2023, 6, 29), 9), local(d(2023, 7, 1), 17), HALL, 250,
                  ("sdg-8", "sdg-17", "pillar-network"), entry_mode="day"),
        DemoEvent("idef-best-practice-forum-2023", "best_practice_forum",
                  "IDEF Шилдэг туршлагын форум", "IDEF Best Practice Forum",
                  "NALAS-ын төлөөлөл, хотын дарга нар, олон улсын шинжээчид бүс хоорондын хамтын ажиллагааны чиглэлээ тодорхойлов. Үр дүнд нь Дархан-Уул аймгийн ЗДТГ, SAB MULS, NALAS гурван талт санамж бичигт гарын үсэг зурав.",
                  "NALAS representatives, mayors and international experts set the direction of inter-regional cooperation. Result: a tripartite MoU signed by DUPM, SAB MULS and NALAS on capacity building for civil servants through the E-Academy.",
                  local(d(2023, 7, 1), 9), local(d(2023, 7, 2), 17), HALL, 200,
                  ("sdg-16", "sdg-17", "pillar-network"), entry_mode="day"),
        DemoEvent("made-in-darkhan-2023", "exhibition",
                  "\"Дарханд үйлдвэрлэв\" үзэсгэлэн", "\"Made in Darkhan\" exhibition",
                  "Дархан-Уул аймгийн 30 гаруй аж ахуйн нэгж, байгууллага бүтээгдэхүүнээ үзүүлэв.",
                  "More than 30 enterprises and organisations of Darkhan-Uul showed their products.",
                  local(d(2023, 7, 1), 10), local(d(2023, 7, 2), 18), CULTURE, None,
                  ("sdg-8", "sdg-9", "pillar-innovation"), entry_mode="day"),
        DemoEvent("dcf-budget-forum-2023", "city_forum",
                  "ДХФ: Төсвийн форум", "DCF: Budget Forum",
                  "Орон нутгийн төсвийн тэргүүлэх чиглэлийг иргэдтэй хамтран хэлэлцэв.",
                  "Citizens and officials discussed the priorities of the local budget.",
                  local(d(2023, 7, 5), 10), local(d(2023, 7, 5), 13), HALL, 150,
                  ("sdg-16", "pillar-governance")),
        # Upcoming, dated from today.
        DemoEvent("dcf-clean-water-today", "city_forum",
                  "ДХФ: Цэвэр ус — гэр хорооллын ус хангамж",
                  "DCF: Clean water for the ger districts",
                  "Гэр хорооллын ус түгээх байрны ажиллагаа, усны чанарын асуудлыг Ус сувгийн удирдах газар, иргэдтэй хамтран хэлэлцэнэ.",
                  "Water kiosks in the ger districts and water quality, discussed with the Water Supply and Sewage Authority and citizens.",
                  today_start, today_end, HALL, 100,
                  ("sdg-6", "sdg-11", "pillar-governance"),
                  sessions=(("Асуудлын танилцуулга", "The problem presented", 8, 10,
                             "Их танхим", "Ус сувгийн удирдах газар; 7-р багийн иргэд"),
                            ("Шийдлийн хувилбарууд", "Solution options", 10, 12, "Их танхим",
                             "Хот тохижилтын газар; ТББ-ууд"),
                            ("Санал хураалт, шийдвэр", "Vote and decision", 14, 16,
                             "Их танхим", "Аймгийн Засаг даргын орлогч"))),
        DemoEvent("dcf-heating-air-quality", "city_forum",
                  "ДХФ: Дулаан хангамж ба агаарын чанар", "DCF: Heating and air quality",
                  "Өвлийн улиралд гэр хорооллын агаарын бохирдлыг бууруулах, дулааны сүлжээнд холбох асуудал.",
                  "Reducing winter air pollution in the ger districts and connecting homes to district heating.",
                  local(soon, 10), local(soon, 13), HALL, 20,
                  ("sdg-7", "sdg-11", "sdg-13", "pillar-governance")),
        DemoEvent("eu-dieh-startup-training", "training",
                  "Гарааны бизнесийн сургалт: бизнес төлөвлөгөө", "Start-up training: the business plan",
                  "EU-DIEH-ийн сургалтын модуль: бизнес төлөвлөгөө, санхүүжилтийн эх үүсвэр.",
                  "EU-DIEH training module: the business plan and sources of finance.",
                  local(training, 14), local(training, 18), HUB, 30,
                  ("sdg-4", "sdg-8", "pillar-innovation"), mode="approval"),
        DemoEvent("green-darkhan-2032-forest-forum", "best_practice_forum",
                  "\"Ногоон Дархан 2032\" ойн форум", "\"Green Darkhan 2032\" Forest Forum",
                  "Хотын ногоон байгууламж, ой модыг нэмэгдүүлэх зорилтыг хэлэлцэнэ.",
                  "Growing the city's green areas and forests towards 2032.",
                  local(forest, 9), local(forest + timedelta(days=1), 17), CULTURE, 180,
                  ("sdg-13", "sdg-15", "pillar-pilots"), entry_mode="day"),
        DemoEvent("made-in-darkhan-next", "exhibition",
                  "\"Дарханд үйлдвэрлэв\" үзэсгэлэн — дараагийн удаа",
                  "\"Made in Darkhan\" exhibition — next edition",
                  "Орон нутгийн үйлдвэрлэгчид бүтээгдэхүүнээ танилцуулна. Лангуу авах хүсэлтээ илгээнэ үү.",
                  "Local producers show their products. Apply for a booth.",
                  local(expo, 10), local(expo + timedelta(days=1), 18), CULTURE, None,
                  ("sdg-8", "sdg-9", "pillar-innovation"), entry_mode="day"),
    ]


def seed_events() -> list[Event]:
    now = utcnow()
    today = local_date(now)
    created = []
    for spec in _programme(today, now):
        if db.session.scalar(select(Event).where(Event.slug == spec.slug)) is not None:
            continue
        # Published a month before it starts (the upcoming ones: by now).
        published = min(spec.start - timedelta(days=30), now)
        event = Event(
            slug=spec.slug, kind=spec.kind, state="published", title_mn=spec.title_mn,
            title_en=spec.title_en, summary_mn=spec.summary_mn, summary_en=spec.summary_en,
            description_mn=spec.summary_mn, description_en=spec.summary_en,
            venue_name_mn=spec.venue[0], venue_name_en=spec.venue[1],
            venue_address_mn=spec.venue[2], venue_address_en=spec.venue[3],
            starts_at=spec.start, ends_at=spec.end, capacity=spec.capacity,
            registration_mode=spec.mode, entry_mode=spec.entry_mode,
            invitation_code="idef-network" if spec.mode == "invitation" else None,
            created_at=published - timedelta(days=2), updated_at=published,
            published_at=published)
        event.tag_rows = [EventTag(tag=tag) for tag in spec.tags]
        for position, (t_mn, t_en, h1, h2, room, speakers) in enumerate(spec.sessions):
            event.sessions.append(EventSession(
                title_mn=t_mn, title_en=t_en, starts_at=local(today, h1),
                ends_at=local(today, h2), room=room, speakers=speakers, position=position))
        if spec.kind == "city_forum":
            event.questions.append(Question(
                kind="single", position=0, required=False,
                label_mn="Та форумд үг хэлэх үү?", label_en="Would you like to speak?",
                options=[{"mn": "Үгүй, сонсоно", "en": "No, I will listen"},
                         {"mn": "Тийм, асуулт тавина", "en": "Yes, a question"},
                         {"mn": "Тийм, санал танилцуулна", "en": "Yes, a proposal"}]))
        db.session.add(event)
        created.append(event)
    db.session.commit()
    for event in created:
        if event.ends_at > now:  # the demo organiser runs what is still to come
            staff_demo_organiser(event)
    return created


def staff_demo_organiser(event: Event) -> None:
    """The demo organiser runs `event` with the admin (idempotent): the door, attendees,
    approvals, booths and forum record of today's and the upcoming events."""
    organiser = find_user_by_email(DEMO_ORGANISER)
    if organiser is None or event.created_by_id == organiser.id or db.session.scalar(
            select(EventStaff.id).where(EventStaff.event_id == event.id,
                                        EventStaff.user_id == organiser.id)):
        return
    db.session.add(EventStaff(event_id=event.id, user_id=organiser.id))
    db.session.commit()
