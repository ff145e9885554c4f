"""The pages that list or count large data run the same number of SQL statements with ten
times the data: the reports dashboard (periods, kinds, "waiting for me", exports), the
outcomes index, the issue list, the big event's attendee list and search, and the door's
search (the page and the scanner's API). The data is built by the
large-data builder itself (forum_app.scale), small, then grown tenfold on the same events."""

from datetime import timedelta

from sqlalchemy import func, select

from forum_app.accounts.demo import DEMO_PASSWORD
from forum_app.accounts.models import User
from forum_app.checkin import devices
from forum_app.checkin.devices import create_device
from forum_app.core.cursors import encode_cursor
from forum_app.database import TABLE_PAGE_SIZE
from forum_app.deliberation.models import AgendaItem
from forum_app.deliberation.outcomes import OUTCOMES_LIST
from forum_app.demo import seed_all
from forum_app.events.models import Event
from forum_app.extensions import db
from forum_app.registration.models import Registration
from forum_app.scale import seed_scale
from forum_app.scale.events import BIG_SLUG
from tests.support import counted_queries

YEARS = "from=2023-01-01&to=2026-12-31"
ATTENDEES = f"/manage/events/{BIG_SLUG}/attendees"
DOOR = f"/manage/events/{BIG_SLUG}/checkin/search"
PAGES = [
    ("official", "/reports/"),
    ("official", f"/reports/?{YEARS}"),
    ("visitor", f"/reports/?{YEARS}&kind=city_forum"),
    ("official", "/reports/waiting"),
    ("organiser", "/reports/waiting"),
    ("official", f"/reports/stakeholders.csv?{YEARS}"),
    ("official", f"/reports/issue-status.xlsx?{YEARS}"),
    ("official", f"/reports/report.pdf?{YEARS}"),
    ("visitor", "/forum/outcomes"),
    ("visitor", "/forum/outcomes?cursor={second_page}"),
    ("visitor", "/forum/outcomes?department=city-services&sdg=11"),
    ("visitor", "/issues/"),
    ("visitor", "/issues/?page=3"),
    ("visitor", "/issues/?sort=supported&page=2"),
    ("visitor", "/issues/?status=answered&sort=updated"),
    ("visitor", "/issues/?q=гудамжны+гэрэлтүүлэг"),
    ("organiser", ATTENDEES),
    ("organiser", f"{ATTENDEES}?after={{deep_attendee}}"),
    ("organiser", f"{ATTENDEES}?state=confirmed&after={{deep_attendee}}"),
    ("organiser", f"{ATTENDEES}?q=scale.forum.mn"),
    ("organiser", f"{ATTENDEES}?q=99"),
    ("organiser", f"{ATTENDEES}?q=Сарнай"),
    ("organiser", f"{DOOR}?q=scale+forum"),
    ("organiser", f"{DOOR}?q=99"),
    ("device", "/api/v1/checkin/search?q=scale"),
]


class DeviceClient:
    """The door's scanner phone: a device token for the big event on every request."""

    def __init__(self, app):
        event = db.session.scalar(select(Event).where(Event.slug == BIG_SLUG))
        organiser = db.session.scalar(select(User).where(User.email == "organiser@demo.forum.mn"))
        self.token = create_device(organiser, event, "Door 1")[1]
        self.client = app.test_client()

    def get(self, url):
        return self.client.get(url, headers={"Authorization": f"Bearer {self.token}"})


def _clients(app) -> dict:
    clients = {"visitor": app.test_client(), "device": DeviceClient(app)}
    for who in ("official", "organiser"):
        clients[who] = app.test_client()
        signed_in = clients[who].post("/account/login", data={
            "email": f"{who}@demo.forum.mn", "password": DEMO_PASSWORD})
        assert signed_in.status_code == 302
    return clients


def _second_outcomes_page() -> str:
    """The cursor of the outcomes index's second page (its 20th newest item)."""
    ids = db.session.scalars(select(AgendaItem.id).order_by(AgendaItem.id.desc()).limit(20))
    return encode_cursor(OUTCOMES_LIST, [list(ids)[-1]])


def _deep_attendee() -> int:
    """The key the attendee list's third page starts after."""
    return db.session.scalar(select(Registration.id).where(
        Registration.event.has(slug=BIG_SLUG)).order_by(Registration.id)
        .offset(2 * TABLE_PAGE_SIZE - 1).limit(1)) or 1


def _visit(clients, pages) -> dict[str, tuple[int, bytes]]:
    """Each page's statement count and body."""
    seen = {}
    keys = {"second_page": _second_outcomes_page(), "deep_attendee": _deep_attendee()}
    db.session.commit()
    for who, url in pages:
        with counted_queries() as statements:
            response = clients[who].get(url.format(**keys))
        assert response.status_code == 200, url
        seen[f"{who} {url}"] = (len(statements), response.get_data())
    return seen


def _same_queries_more_shown(before: dict, after: dict) -> None:
    for page, (queries, body) in before.items():
        grown_queries, grown_body = after[page]
        assert grown_body != body, f"{page} does not show the larger data"
        assert grown_queries == queries, f"{page}: {queries} statements, then {grown_queries}"


def _grow(times: int, seed: int) -> None:
    list(seed_scale(registrations=30 * times, issues=5 * times, checkins=40 * times,
                    events=3 * times, agenda_items=3 * times, seed=seed))


def test_every_large_page_runs_as_many_queries_with_ten_times_the_data(app, monkeypatch):
    """Tiny data (pages not full yet, so a query per row would show) against ten times more;
    then that against a hundred times more (deep pages full in both)."""
    # The scanner's "last seen" is written once a minute, however much data: not in the count.
    monkeypatch.setattr(devices, "SEEN_EVERY", timedelta(days=1))
    seed_all()
    _grow(1, seed=1)
    clients = _clients(app)
    _visit(clients, PAGES)  # warm-up: first requests load what every later one has cached
    # Lists with filters may be empty on tiny data (then nothing is loaded for their rows).
    first_pages = [(who, url) for who, url in PAGES if "/reports/" in url or "?" not in url]
    tiny = _visit(clients, first_pages)
    assert db.session.scalar(select(func.count(Registration.id)).where(
        Registration.event.has(slug=BIG_SLUG))) < TABLE_PAGE_SIZE

    _grow(10, seed=2)
    tenfold = _visit(clients, PAGES)
    _same_queries_more_shown(tiny, tenfold)
    assert db.session.scalar(select(func.count(Registration.id)).where(
        Registration.event.has(slug=BIG_SLUG))) > 3 * TABLE_PAGE_SIZE

    _grow(100, seed=3)
    _same_queries_more_shown(tenfold, _visit(clients, PAGES))
