"""Issue categories, and demo issues for `flask seed-demo` around the programme's real themes
(Zero Waste Darkhan, No bullying - Positive Environment, Green Darkhan 2032, heating, water),
at every status, with supports, comments and answers. Idempotent: matched by slug / title."""

from datetime import datetime, timedelta

from sqlalchemy import select

from ..accounts.demo import DEMO_ACCOUNTS_SINCE, DEMO_PASSWORD
from ..accounts.models import Role, User
from ..accounts.services import find_user_by_email, register_user
from ..core.models import District
from ..events.models import Event
from ..extensions import db
from ..i18n import recorded_at, utcnow
from .lifecycle import move_issue, post_answer
from .models import Category, Issue
from .services import add_comment, submit_issue, support_issue

CATEGORIES = [
    ("waste-environment", "Хог хаягдал, байгаль орчин", "Waste and environment"),
    ("education-youth", "Боловсрол, залуучууд", "Education and youth"),
    ("safety", "Аюулгүй байдал", "Safety"),
    ("heating-energy", "Дулаан, эрчим хүч", "Heating and energy"),
    ("water-sanitation", "Ус, ариун цэвэр", "Water and sanitation"),
    ("roads-transport", "Зам, тээвэр", "Roads and transport"),
    ("health", "Эрүүл мэнд", "Health"),
    ("economy-jobs", "Эдийн засаг, ажлын байр", "Economy and jobs"),
    ("governance", "Засаглал, төрийн үйлчилгээ", "Governance"),
    ("other", "Бусад", "Other"),
]


def seed_categories() -> None:
    for position, (slug, name_mn, name_en) in enumerate(CATEGORIES):
        if db.session.scalar(select(Category).where(Category.slug == slug)) is None:
            db.session.add(Category(slug=slug, name_mn=name_mn, name_en=name_en,
                                    position=position))
    db.session.commit()


DEMO_CITIZENS = [
    ("bolormaa@demo.forum.mn", "Болормаа Д.", "mn"), ("enkhjin@demo.forum.mn", "Энхжин Б.", "mn"),
    ("ganzorig@demo.forum.mn", "Ганзориг Т.", "mn"), ("munkhbat@demo.forum.mn", "Мөнхбат С.", "mn"),
    ("saruul@demo.forum.mn", "Саруул Э.", "mn"), ("tuvshin@demo.forum.mn", "Түвшин Г.", "mn"),
    ("anna.schmidt@demo.forum.mn", "Anna Schmidt", "en"),
]

# Each: title, description, language, category, district, SDGs, anonymous, days ago (for an
# issue taken to a forum: days before that forum, as an issue is raised before it is discussed),
# number of supporters, comments [(who, text, [replies (who, text)])], an official answer (mn, en), and
# the status path [(status, reason)]: "accepted" takes the `forum` session (else the latest
# city forum), "merged" joins the first issue of the list.
DEMO_ISSUES = [
    dict(title="14-р хорооллын хогийн савыг долоо хоног ачихгүй байна",
         description="14-р хорооллын 3, 5-р байрны дундах хогийн цэгийн савнууд долоо хоног гаруй ачигдаагүй, хог нь зам руу асгарч, нохой тарааж байна. Хогийн машин ямар хуваарьтай явдгийг ч мэдэх боломжгүй байна.",
         language="mn", category="waste-environment", district="darkhan-new", sdgs=[11, 12],
         days=40, supporters=6,
         path=[("under_review", "Хот тохижилтын газарт шилжүүлж, хуваарийг шалгуулж байна."),
               ("answered", "Хот тохижилт, нийтийн аж ахуйн газар хариу өгсөн."),
               ("in_implementation", "Шинэ ачилтын хуваарь 3-р сарын 1-нээс мөрдөгдөж эхэлнэ.")],
         answer=("Хог тээврийн гэрээт компанийн хуваарийг шинэчилж, 14-р хороололд долоо хоногт 2 удаа (мягмар, баасан) ачилт хийхээр болсон. Хуваарийг багийн самбар болон цахим хуудсанд байршуулна.",
                 "The waste contractor's schedule has been revised: the 14th micro-district will be collected twice a week (Tuesday and Friday). The schedule will be posted on the district notice board and online."),
         comments=[("bolormaa@demo.forum.mn", "Манай байрны хажууд ч мөн адил. Хуваарийг хаана нийтэлдэг вэ?",
                    [("citizen@demo.forum.mn", "Багийн фэйсбүүк хуудсанд заримдаа тавьдаг ч тогтмол биш.")]),
                   ("ganzorig@demo.forum.mn", "Хог ангилах сав тавьбал их зүгээр болно.", [])]),
    dict(title="Zero Waste Darkhan: separate bins for plastic and paper in every micro-district",
         description="Darkhan has no separate collection for plastic, paper and glass. Most of it ends up at the landfill or is burnt in the ger districts. We propose sorting bins at every collection point, starting with the new town, and a deposit for PET bottles.",
         language="en", category="waste-environment", district="darkhan-new", sdgs=[11, 12, 13],
         days=40, supporters=7, forum="dcf-zero-waste-darkhan-2023",
         path=[("under_review", "Screened by the forum secretariat for the Zero Waste Darkhan forum."),
               ("accepted", "Put on the agenda of the Darkhan City Forum on zero waste.")],
         comments=[("enkhjin@demo.forum.mn", "Сургуулиудад ч бас ангилах сав хэрэгтэй байна.",
                    [("anna.schmidt@demo.forum.mn", "In our town in Germany the deposit on bottles worked very well.")])]),
    dict(title="Сургуульд дээрэлхэлт ихэссэн, сэтгэл зүйчийн тоо хүрэлцэхгүй байна",
         description="Манай хүүгийн сургуульд ахлах ангийнхан бага ангийнхныг дээрэлхэж, мөнгө авах тохиолдол гарсан. Сургуульд ганцхан нийгмийн ажилтан, 1200 сурагчид нэг ч сэтгэл зүйч байхгүй. Хүүхдүүд хэнд хандахаа мэдэхгүй байна.",
         language="mn", category="education-youth", district="darkhan-old", sdgs=[4, 16],
         days=45, supporters=7, anonymous=True, forum="dcf-no-bullying-2023",
         path=[("under_review", "Боловсролын газартай хамтран судалж байна."),
               ("accepted", "\"Дээрэлхэлтгүй - Эерэг орчин\" форумын хэлэлцэх асуудалд орлоо."),
               ("discussed", "Форумд эцэг эх, багш, сурагчид, Боловсролын газар хэлэлцсэн.")],
         comments=[("saruul@demo.forum.mn", "Манай сургууль дээр ч мөн адил асуудал бий. Сурагчдын зөвлөл оролцох хэрэгтэй.", [])]),
    dict(title="No anonymous way for pupils to report bullying",
         description="Pupils who are bullied are afraid to tell a teacher in front of others. Schools in Darkhan should have a confidential way to report it: a box, a phone line or a form, answered by the school psychologist within a few days.",
         language="en", category="education-youth", district="darkhan-west", sdgs=[4, 16],
         days=30, supporters=5, forum="dcf-no-bullying-2023",
         path=[("under_review", "Linked to the No bullying - Positive Environment forum."),
               ("accepted", "On the agenda of the No bullying forum."),
               ("discussed", "Discussed at the forum with pupils, parents and the Department of Education."),
               ("solution_agreed", "Agreed: a confidential reporting form in every school by September, answered by the school psychologist.")],
         comments=[("tuvshin@demo.forum.mn", "Маягтыг гар утаснаас бөглөж болдог байвал сайн.",
                    [("enkhjin@demo.forum.mn", "Тийм, цаасан хайрцаг ч бас хэрэгтэй, утасгүй хүүхдүүд бий.")])]),
    dict(title="Өвөл орон сууцны дулаан хангалтгүй, өрөөний хэм 14 градус",
         description="Шинэ Дарханы 9-р байрны 4-5 давхарт өвлийн хүйтэн үед өрөөний хэм 14-15 градус болж байна. Дулааны төлбөрөө бүрэн төлдөг ч айлууд цахилгаан халаагуур ашиглахаас өөр аргагүй болсон.",
         language="mn", category="heating-energy", district="darkhan-new", sdgs=[7, 11],
         days=25, supporters=4,
         path=[("under_review", "Дарханы дулааны цахилгаан станцад шалгуулахаар шилжүүлсэн.")],
         comments=[("munkhbat@demo.forum.mn", "Манай 11-р байранд ч ийм байна.", [])]),
    dict(title="Гэр хорооллын утаа орой бүр өтгөн байна",
         description="Орхон сумын гэр хороололд орой 19-22 цагийн хооронд утаа маш өтгөн болж, хүүхдүүд ханиалгаж байна. Сайжруулсан түлш хангалттай нийлүүлэгддэггүй, дулааны шугамд холбогдох боломж байхгүй.",
         language="mn", category="heating-energy", district="orkhon", sdgs=[3, 7, 13],
         days=3, supporters=3, path=[],
         comments=[("tuvshin@demo.forum.mn", "Утаа гаргадаг айлуудыг торгоод л болоо, ийм тэнэг хүмүүстэй ярих юм алга.", [])]),
    dict(title="Орой 18 цагаас хойш ундны усны даралт маш сул",
         description="Хуучин Дарханы 2-р хорооллын 3-аас дээш давхарт орой 18-23 цагийн хооронд ус бараг гарахгүй байна. Энэ байдал сар гаруй үргэлжилж байна.",
         language="mn", category="water-sanitation", district="darkhan-old", sdgs=[6],
         days=30, supporters=5,
         path=[("under_review", "Ус сувгийн удирдах газарт шилжүүлсэн."),
               ("answered", "Ус сувгийн удирдах газар хариулсан.")],
         answer=("2-р хорооллын өргөлтийн насос солигдож байгаа тул 2 долоо хоногийн турш даралт сул байна. Ажил дуусмагц хэвийн болно.",
                 "The booster pump of the 2nd micro-district is being replaced, so pressure will stay low for two weeks. It will return to normal once the work is done."),
         comments=[]),
    dict(title="Усны шугам хагарч явган хүний зам дээр мөс тогтсон",
         description="Сургуулийн гудамжинд усны шугам хагарч, явган хүний зам дээр 20 метр орчим мөс тогтсон. Хүүхдүүд өглөө бүр хальтирч унаж байна.",
         language="mn", category="water-sanitation", district="darkhan-new", sdgs=[6, 11],
         days=90, supporters=6,
         path=[("under_review", "Яаралтай шалгуулахаар шилжүүлсэн."),
               ("answered", "Ус сувгийн удирдах газар засварын ажлыг төлөвлөсөн."),
               ("in_implementation", "Засварын бригад ажиллаж байна."),
               ("resolved", "Шугамыг засч, мөсийг цэвэрлэсэн. Иргэдэд баярлалаа.")],
         answer=("Хагарсан шугамыг 48 цагийн дотор засч, мөсийг цэвэрлэнэ.",
                 "The broken pipe will be repaired within 48 hours and the ice removed."),
         comments=[("citizen@demo.forum.mn", "Өнөөдөр засчихсан байна, баярлалаа!", [])]),
    dict(title="Ногоон Дархан 2032: шинээр тарьсан модыг услах систем хэрэгтэй",
         description="\"Ногоон Дархан 2032\" хөтөлбөрийн хүрээнд тарьсан моднуудын нэлээд хэсэг зун услагдахгүй хатаж байна. Дусал усалгааны систем, эсвэл иргэд, байгууллагуудад мод хариуцуулах тогтолцоо хэрэгтэй.",
         language="mn", category="waste-environment", district="darkhan-west", sdgs=[13, 15],
         days=50, supporters=5, forum="dcf-budget-forum-2023",
         path=[("under_review", "Байгаль орчин, аялал жуулчлалын газартай хамтран судалж байна."),
               ("accepted", "Дараагийн Дархан хотын форумын хэлэлцэх асуудалд орлоо.")],
         comments=[("bolormaa@demo.forum.mn", "Манай байгууллага 50 мод хариуцахад бэлэн.", [])]),
    dict(title="Хогийн машин манай хороололд ирэхээ больсон",
         description="14-р хорооллын 7-р байрны ард хогийн машин 10 хоног ирээгүй. Хог овоорсоор байна.",
         language="mn", category="waste-environment", district="darkhan-new", sdgs=[11],
         days=35, supporters=1,
         path=[("merged", "Ижил асуудал өмнө нь бүртгэгдсэн тул нэгтгэв.")], comments=[]),
    dict(title="Төв талбайд хувийн автомашины зогсоол нэмж өгөөч",
         description="Төв талбайн орчимд зогсоол хүрэлцэхгүй байна. Талбайн ногоон байгууламжийн хэсгийг зогсоол болговол зүгээр.",
         language="mn", category="roads-transport", district="darkhan-old", sdgs=[11],
         days=70, supporters=1,
         path=[("declined", "Ногоон байгууламжийг зогсоол болгох нь \"Ногоон Дархан 2032\" төлөвлөгөөтэй зөрчилдөх тул татгалзав. Ойролцоох 2 зогсоолыг өргөтгөхөөр төлөвлөж байна.")],
         comments=[("tuvshin@demo.forum.mn", "Зөв шийдвэр. Ногоон байгууламж цөөхөн байгаа.", [])]),
    dict(title="Street lights are off on the road to the railway station",
         description="Since October the street lights between the railway station and the new town bus stop do not work. People walk there in the dark after the evening trains.",
         language="en", category="safety", district="darkhan-new", sdgs=[11, 16],
         days=5, supporters=2, path=[], comments=[]),
    dict(title="Сургуулийн ойролцоо насанд хүрээгүй хүүхдэд архи, тамхи зарж байна",
         description="Шарын гол сумын сургуулийн ойролцоох нэг дэлгүүр сурагчдад тамхи, архи зардаг. Эцэг эхчүүд хэлсэн ч өөрчлөгдөөгүй.",
         language="mn", category="safety", district="sharyngol", sdgs=[3, 16],
         days=12, supporters=3, anonymous=True,
         path=[("under_review", "Цагдаагийн газарт мэдэгдэж, шалгуулж байна.")], comments=[]),
    dict(title="Хямд зээл! Барьцаагүй зээл 1 цагт олгоно",
         description="Барьцаагүй, шалгуургүй зээлийг 1 цагийн дотор олгоно. Манай хуудсанд нэгдэж, 9911-xxxx дугаарт залгаарай.",
         language="mn", category="other", district="darkhan-new", sdgs=[],
         days=1, supporters=0, path=[], comments=[]),
]

# Reports the moderators have to decide (three hide the content until they do): the advert
# posted as an issue, and a rude comment. (title of the issue, comment text or None, reports)
REPORTS = [
    ("Хямд зээл! Барьцаагүй зээл 1 цагт олгоно", None,
     [("bolormaa@demo.forum.mn", "spam"), ("ganzorig@demo.forum.mn", "spam"),
      ("munkhbat@demo.forum.mn", "off_topic")]),
    ("Гэр хорооллын утаа орой бүр өтгөн байна",
     "Утаа гаргадаг айлуудыг торгоод л болоо, ийм тэнэг хүмүүстэй ярих юм алга.",
     [("enkhjin@demo.forum.mn", "offensive"), ("ganzorig@demo.forum.mn", "offensive"),
      ("anna.schmidt@demo.forum.mn", "offensive")]),
]
AFTER_THE_FORUM = {"discussed": lambda forum: forum.starts_at + timedelta(hours=1),
                   "solution_agreed": lambda forum: forum.ends_at + timedelta(days=1)}
# The demo citizen supports only the most supported issues: the others wait for their "Support".
CITIZEN_SUPPORTS_FROM = 6


def _user(email: str) -> User | None:
    return find_user_by_email(email)


def _demo_citizens() -> list[User]:
    people = []
    for email, name, language in DEMO_CITIZENS:
        if _user(email) is None:
            with recorded_at(DEMO_ACCOUNTS_SINCE):
                register_user(email=email, password=DEMO_PASSWORD, name=name, language=language,
                              verified=True, send_verification=False)
        people.append(_user(email))
    citizen = _user("citizen@demo.forum.mn")
    return ([citizen] if citizen else []) + people


def _forum_event(slug: str | None) -> Event | None:
    """The forum session of the theme, else the latest Darkhan City Forum."""
    chosen = db.session.scalar(select(Event).where(Event.slug == slug)) if slug else None
    return chosen or db.session.scalar(select(Event).where(Event.kind == "city_forum")
                                       .order_by(Event.starts_at.desc()))


def _between(start: datetime, end: datetime, share: float) -> datetime:
    return start + (end - start) * share


def _history(issue: Issue, spec: dict, people: list[User], first: Issue | None) -> None:
    """Supports, comments and status moves, each at its own moment: supports and comments
    while the issue is new, then the moves; an issue taken to a forum is screened before the
    forum and marked discussed (or agreed) after it. The last moment is before now."""
    forum = _forum_event(spec.get("forum")) if spec.get("forum") else None
    created = issue.created_at
    until = forum.starts_at - timedelta(days=1) if forum else utcnow() - timedelta(hours=1)
    supporters = [p for p in people if p is not None
                  and (spec["supporters"] >= CITIZEN_SUPPORTS_FROM or p is not people[0])]
    count = spec["supporters"]
    for n, supporter in enumerate(supporters[:count]):
        with recorded_at(_between(created, until, (n + 1) / (3 * (count + 1)))):
            support_issue(supporter, issue)
    for n, (email, text, replies) in enumerate(spec["comments"]):
        with recorded_at(_between(created, until, 0.35 + 0.05 * n)):
            comment = add_comment(_user(email), issue, text)
        for r, (reply_email, reply_text) in enumerate(replies):
            with recorded_at(_between(created, until, 0.45 + 0.02 * r)):
                add_comment(_user(reply_email), issue, reply_text, parent=comment)
    _move(issue, spec, first, forum, created, until)


def _move(issue: Issue, spec: dict, first: Issue | None, forum: Event | None,
          created: datetime, until: datetime) -> None:
    organiser, official = _user("organiser@demo.forum.mn"), _user("official@demo.forum.mn")
    answer = spec.get("answer")
    before = [step for step in spec["path"] if step[0] not in AFTER_THE_FORUM]
    for n, (status, reason) in enumerate(spec["path"]):
        if status in AFTER_THE_FORUM and forum is not None:  # discussed there, agreed after
            moment = AFTER_THE_FORUM[status](forum)
        else:
            moment = _between(created, until, 0.5 + 0.5 * (n + 1) / (len(before) + 1))
        extra = {}
        if status == "accepted":
            extra["forum_event"] = forum or _forum_event(None)
        if status == "merged":
            extra["merged_into"] = first
        actor = official if status == "answered" and official else organiser
        with recorded_at(moment):
            move_issue(actor, issue, status, reason, **extra)
        if status == "answered" and answer and official:
            with recorded_at(moment + timedelta(minutes=10)):
                post_answer(official, issue, *answer)


def seed_issues() -> int:
    """Demo issues with supports, comments, answers and status histories; returns how many
    were created."""
    seed_categories()
    author = _user("citizen@demo.forum.mn")
    organiser = _user("organiser@demo.forum.mn")
    if author is None or organiser is None or not organiser.has_role(Role.ORGANISER):
        return 0
    people = _demo_citizens()
    categories = {c.slug: c for c in db.session.scalars(select(Category))}
    districts = {d.slug: d for d in db.session.scalars(select(District))}
    created, first = 0, None
    for index, spec in enumerate(DEMO_ISSUES):
        existing = db.session.scalar(select(Issue).where(Issue.title == spec["title"]))
        if existing is not None:
            first = first or existing
            continue
        who = people[index % len(people)] if index else author
        forum = _forum_event(spec["forum"]) if spec.get("forum") else None
        raised = (forum.starts_at if forum else utcnow()) - timedelta(days=spec["days"])
        with recorded_at(raised):
            issue = submit_issue(who, {
                "title": spec["title"], "description": spec["description"],
                "category_id": categories[spec["category"]].id,
                "district_id": districts[spec["district"]].id if spec["district"] in districts
                else None,
                "sdgs": spec["sdgs"], "anonymous": spec.get("anonymous", False),
                "language": spec["language"]})
        first = first or issue
        _history(issue, spec, people, first)
        created += 1
    return created
