"""Every route of the app, on the demo data, as a visitor, a citizen and a person holding every
staff role: real ids and slugs, unknown ones, absurd ones (ids past any integer column, 300-
character slugs), and POSTs of hostile form and JSON bodies. No answer may be a server error.

The rules are read from the app's URL map, so a new route is covered the day it is added."""

import pytest
from sqlalchemy import select
from werkzeug.routing import AnyConverter, IntegerConverter

from forum_app.checkin.devices import create_device
from forum_app.events.models import Event
from forum_app.extensions import db
from forum_app.registration.models import Registration
from forum_app.registration.services import manage_token
from tests import factories

HUGE_ID = 2**63 + 7  # beyond int4 and int8 alike
LONG_TEXT = "ё" * 300
SKIPPED = {"static", "accounts.logout"}  # logout would end the session the walk relies on

HOSTILE_FORMS = [
    dict.fromkeys(
        ["name", "email", "phone", "title", "body", "body_mn", "description", "q", "state",
         "status", "to_status", "reason", "code", "kind", "label_mn", "options_mn", "capacity",
         "starts_at", "ends_at", "date", "department_id", "district_id", "category_id", "roles",
         "language", "direction", "next", "consent", "password", "scope", "session_id", "gate",
         "event_id", "user_id", "answer", "rating", "stakeholder_kind", "slug"], "9" * 30),
    {"name": "\x00<script>" + "x" * 10_000, "email": "a@" + "b" * 300, "next": "//evil.example",
     "starts_at": "2026-13-45T25:61", "capacity": "-5", "roles": ["god"], "language": "xx",
     "direction": "sideways", "q": "%' OR 1=1 --", "session_id": "-1", "to_status": "done"},
    {},
]
HOSTILE_QUERY = {  # list filters, paging and the like, on the pages with real objects
    name: "9" * 30 for name in ["page", "category", "district", "department", "registration",
                                "session", "session_id", "event", "event_id", "per_page"]
} | {"q": "%' OR 1=1 --", "state": "x", "status": "x", "sort": "x", "from": "2026-99-99",
     "to": "x", "kind": "x", "tag": LONG_TEXT, "gate": LONG_TEXT, "next": "//evil.example",
     "date": "yesterday", "scope": "x"}
HOSTILE_JSON = [
    {"code": ["DF1-"], "scans": [{"nonce": 1, "code": 5, "scanned_at": "x"}],
     "name": 5, "session_id": "9" * 30, "email": None},
    {"scans": "x" * 10_000, "consent": "yes", "answers": {"9" * 30: [None]}},
    [],
]


def _known_values(app) -> dict[str, list]:
    registration = db.session.scalars(select(Registration).order_by(Registration.id)).first()
    return {
        "slug": ["dcf-clean-water-today", "made-in-darkhan-2023", LONG_TEXT],
        "event_slug": ["made-in-darkhan-2023", "dcf-clean-water-today", LONG_TEXT],
        "kind": ["departments", "categories", LONG_TEXT],
        "token": [manage_token(registration) if registration else "x", "x" * 500, "../etc"],
        "filename": ["photo.jpg", "../../etc/passwd", LONG_TEXT],
    }


def _url_values(rule, known: dict[str, list], variant: int) -> dict:
    values = {}
    for argument, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            values[argument] = sorted(converter.items)[variant % len(converter.items)]
        elif isinstance(converter, IntegerConverter):
            values[argument] = [1, 3, HUGE_ID][variant]
        else:
            values[argument] = known.get(argument, ["x", "unknown", LONG_TEXT])[variant]
    return values


def _walk(app, client, headers: dict | None = None) -> list[str]:
    known = _known_values(app)
    failures = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in SKIPPED:
            continue
        for variant in range(3):
            url = app.url_map.bind("localhost").build(
                rule.endpoint, _url_values(rule, known, variant), force_external=False)
            calls = []
            if "GET" in rule.methods:
                calls.append(("GET", {}))
                if variant == 0:
                    calls.append(("GET", {"query_string": HOSTILE_QUERY}))
            if "POST" in rule.methods:
                body = (HOSTILE_JSON if url.startswith("/api/") else HOSTILE_FORMS)[variant]
                key = "json" if url.startswith("/api/") else "data"
                calls.append(("POST", {key: body}))
            for method, kwargs in calls:
                try:
                    status = client.open(url, method=method, headers=headers,
                                         **kwargs).status_code
                except Exception as error:  # noqa: BLE001 - reported with the URL below
                    failures.append(f"{method} {url[:120]}: {type(error).__name__}: {error}"[:400])
                    db.session.rollback()
                    continue
                if status >= 500:
                    failures.append(f"{method} {url[:120]}: {status}")
    return failures


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return app


@pytest.mark.parametrize("who", ["visitor", "citizen", "every staff role"])
def test_no_route_answers_with_a_server_error(demo, client, auth, who):
    headers = None
    if who != "visitor":
        roles = ["admin", "organiser", "moderator", "official"] if who != "citizen" else []
        walker = factories.user("walker@example.mn", roles=roles)
        auth.login("walker@example.mn")
        if roles:  # the check-in API too, as the door's scanner
            event = db.session.scalar(select(Event).where(Event.slug == "dcf-clean-water-today"))
            headers = {"Authorization": f"Bearer {create_device(walker, event, 'Хаалга')[1]}"}
    failures = _walk(demo, client, headers)
    assert not failures, "\n".join(failures)
