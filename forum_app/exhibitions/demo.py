"""Demo exhibitors of the "Made in Darkhan" exhibition (1–2 July, IDEF Best Practice Forum).

The first seven are enterprises and institutions named in the FRIENDSHIP programme's
presentation (IDEF study visit, "Made in Darkhan"); their product texts are illustrative.
The rest are plausible local SMEs and EU-DIEH start-ups. Contacts use example.mn addresses.
"""

from datetime import datetime, timedelta

from sqlalchemy import func, select

from ..events.models import Event
from ..extensions import db
from ..i18n import recorded_at, utcnow
from .models import Exhibitor, ExhibitorState
from .services import apply_for_booth

# company, sector, products (mn), products (en), contact, e-mail, language
EXHIBITORS = [
    ('"Өег гурил" ХХК (Oeg Flour LLC)', "food",
     "Дээд, нэгдүгээр зэргийн гурил, хивэг, гоймон. Дарханы тариаланчдын буудайгаар.",
     "Premium and first-grade wheat flour, bran and noodles, milled from Darkhan farmers' "
     "wheat.", "Б. Оюунбилэг", "oeg-flour@example.mn", "mn"),
    ('"Их мориг" ХХК (Ikh Morig LLC)', "light-industry",
     "Оёмол болон сүлжмэл бүтээгдэхүүн, ажлын хувцас, захиалгат оёдол.",
     "Sewn and knitted goods, workwear and made-to-order tailoring.",
     "Д. Ганзориг", "ikh-morig@example.mn", "mn"),
    ('"Эко ноос" ХХК (Eco Wool LLC)', "light-industry",
     "Угаасан хонины ноос, ноосон утас, эсгий, хөнжил, дулаалгын материал.",
     "Washed sheep wool, wool yarn, felt, blankets and natural insulation.",
     "Ц. Мөнхзаяа", "eco-wool@example.mn", "en"),
    ("Дарханы Төмөрлөгийн Үйлдвэр ХК (Darkhan Metallurgical Plant)", "heavy-industry",
     "Ган бэлдэц, барилгын арматур, цутгамал эдлэл. Хаягдал төмрийг дахин боловсруулна.",
     "Steel billets, construction rebar and castings, made partly from recycled scrap metal.",
     "Э. Батбаяр", "metallurgy@example.mn", "mn"),
    ("Дарханы Дулааны Цахилгаан Станц ТӨХК (Darkhan Thermal Power Station)", "energy",
     "Дархан хотын цахилгаан, төвлөрсөн дулаан хангамж; утаа бууруулах төслүүд.",
     "Electricity and district heating for Darkhan city; projects to cut emissions.",
     "Н. Энхтуяа", "dts@example.mn", "mn"),
    ("Дархан Ус Суваг ХК (Water Supply and Sewage Authority)", "energy",
     "Ундны усны хангамж, бохир ус цэвэрлэх байгууламж, усны тоолуурын үйлчилгээ.",
     "Drinking water supply, wastewater treatment and water meter services.",
     "С. Алтанцэцэг", "water@example.mn", "mn"),
    ("Ургамал, газар тариалангийн хүрээлэн (The Institute of Plant and Agricultural "
     "Sciences)", "education",
     "Буудай, төмс, хүнсний ногооны шинэ сорт, үрийн аж ахуй, хөрс хамгаалах технологи.",
     "New varieties of wheat, potatoes and vegetables, seed farming, soil-conserving "
     "cultivation.", "Ж. Нарантуяа", "ipas@example.mn", "en"),
    ('"Сэлэнгэ арьс" ХХК (Selenge Leather LLC)', "light-industry",
     "Арьсан цүнх, бүс, бээлий, нэхий дээл. Монгол малын арьсаар гар аргаар.",
     "Leather bags, belts, gloves and sheepskin coats, handmade from Mongolian hides.",
     "Г. Түвшинбаяр", "selenge-leather@example.mn", "mn"),
    ('"Эсгий урлал" ХХК (Esgii Felt Crafts LLC)', "crafts",
     "Эсгий шаахай, гэрийн чимэглэл, хүүхдийн тоглоом, бэлэг дурсгалын зүйл.",
     "Felt slippers, ger decorations, children's toys and souvenirs.",
     "О. Сарантуяа", "esgii@example.mn", "mn"),
    ('"Хонгор сүү" ХХК (Khongor Dairy LLC)', "food",
     "Пастержуулсан сүү, тараг, ээзгий, аарц, ааруул. Хонгор сумын малчдаас.",
     "Pasteurised milk, yoghurt and traditional dried curds from Khongor soum herders.",
     "Л. Болормаа", "khongor-dairy@example.mn", "mn"),
    ('"Дархан талх" ХХК (Darkhan Bakery LLC)', "food",
     "Өдөр бүрийн шинэ талх, боов, бялуу; Өег гурилаар.",
     "Fresh bread, pastries and cakes every day, baked with local flour.",
     "А. Ууганбаяр", "darkhan-bakery@example.mn", "mn"),
    ('"Ухаалаг тариалан" ХХК (SmartFarm Darkhan)', "it",
     "Хөрсний чийг, температурын мэдрэгч, тариаланчдад зориулсан гар утасны апп. EU-DIEH "
     "гарааны бизнес.",
     "Soil moisture and temperature sensors and a phone app for farmers. An EU-DIEH start-up.",
     "Т. Хүслэн", "smartfarm@example.mn", "en"),
    ('"Дархан код" ХХК (Darkhan Code Lab)', "it",
     "Жижиг, дунд бизнест вэб сайт, цахим худалдааны шийдэл; залуучуудад програмчлалын сургалт. "
     "EU-DIEH гарааны бизнес.",
     "Websites and online shops for small businesses; coding courses for young people. "
     "An EU-DIEH start-up.", "Б. Тэмүүжин", "code-lab@example.mn", "en"),
]


# Applications still waiting for the organiser's decision (the next exhibition only).
PENDING = [
    dict(company_name='"Дархан мах" ХХК (Darkhan Meat LLC)', sector="food",
         products_mn="Хөлдөөсөн болон утсан мах, хиам, бууз, банш. Дархан-Уулын малчдаас.",
         products_en="Frozen and smoked meat, sausages and dumplings from Darkhan-Uul herders.",
         contact_name="Ч. Баярмаа", contact_email="darkhan-meat@example.mn", language="mn",
         booth_needs="Хөргөгчтэй лангуу, цахилгаан 220 В."),
    dict(company_name='"Нарны хүч" ХХК (Sun Power Darkhan)', sector="energy",
         products_mn="Гэрийн нарны хавтан, цэнэг хураагуур, суурилуулалт.",
         products_en="Solar panels and batteries for gers and houses, with installation.",
         contact_name="Э. Төгөлдөр", contact_email="sun-power@example.mn", language="en",
         booth_needs="A 3 x 3 m corner booth in daylight."),
]


def _timeline(event: Event) -> tuple[datetime, datetime]:
    """When the approved exhibitors applied and were decided: two and one months before the
    exhibition, and never later than now (the next edition is still to come)."""
    now = utcnow()
    return (min(event.starts_at - timedelta(days=60), now - timedelta(days=20)),
            min(event.starts_at - timedelta(days=30), now - timedelta(days=10)))


def seed_exhibitors(event: Event) -> list[str]:
    """Adds the approved demo exhibitors that the event does not have yet; returns their names."""
    existing = set(db.session.scalars(select(func.lower(Exhibitor.company_name))
                                      .where(Exhibitor.event_id == event.id)))
    created = []
    applied, decided = _timeline(event)
    for number, (company, sector, products_mn, products_en, contact, email, language) \
            in enumerate(EXHIBITORS, start=1):
        if company.lower() in existing:
            continue
        db.session.add(Exhibitor(
            event_id=event.id, company_name=company, sector=sector, products_mn=products_mn,
            products_en=products_en, contact_name=contact, contact_email=email,
            language=language, state=ExhibitorState.APPROVED.value, booth_number=f"A-{number:02d}",
            created_at=applied + timedelta(hours=5 * number),
            decided_at=decided + timedelta(hours=number)))
        created.append(company)
    db.session.commit()
    return created


def seed_next_exhibition(event: Event) -> int:
    """Two booth applications wait for the demo organiser, who runs the next exhibition (sent
    two days and five hours ago). Returns how many applications were added."""
    existing = set(db.session.scalars(select(func.lower(Exhibitor.company_name))
                                      .where(Exhibitor.event_id == event.id)))
    added = 0
    for hours_ago, values in zip((48, 5), PENDING, strict=True):
        if values["company_name"].lower() not in existing:
            with recorded_at(utcnow() - timedelta(hours=hours_ago)):
                apply_for_booth(event, values)
            added += 1
    return added
