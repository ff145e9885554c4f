"""Every route of the app, on the demo data, as a visitor, a citizen and a person holding every
staff role: real ids and slugs, unknown ones, absurd ones (ids past any integer column, 300-
character slugs), hostile query strings, every form the pages show filled with hostile values
(all at once, then one field at a time), and hostile form and JSON bodies POSTed to every POST
route. No answer may be a server error.

The rules are read from the app's URL map and the forms from the pages themselves, so a new
route or field is covered the day it is added."""

import io
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select

from forum_app.checkin.devices import create_device
from forum_app.events.models import Event
from forum_app.extensions import db
from tests import factories
from tests.routes import LONG_TEXT, REAL, route_urls

SKIPPED = {"static", "accounts.logout"}  # logout would end the session the walk relies on

HOSTILE_FORMS = [
    dict.fromkeys(
        ["name", "email", "phone", "title", "body", "body_mn", "description", "q", "state",
         "status", "to_status", "reason", "code", "kind", "label_mn", "options_mn", "capacity",
         "starts_at", "ends_at", "date", "department_id", "district_id", "category_id", "roles",
         "language", "direction", "next", "consent", "password", "scope", "session_id", "gate",
         "event_id", "user_id", "answer", "rating", "stakeholder_kind", "slug"], "9" * 30),
    {"name": "<script>" + "x" * 10_000, "email": "a@" + "b" * 300, "next": "//evil.example",
     "starts_at": "2026-13-45T25:61", "capacity": "-5", "roles": ["god"], "language": "xx",
     "direction": "sideways", "q": "%' OR 1=1 --", "session_id": "-1", "to_status": "done"},
    {},
]
HOSTILE_QUERY = {  # list filters, paging and the like, on the pages with real objects
    name: "9" * 30 for name in ["page", "category", "district", "department", "registration",
                                "session", "session_id", "event", "event_id", "per_page"]
} | {"q": "%' OR 1=1 --\x00", "state": "x", "status": "x", "sort": "x", "from": "2026-99-99",
     "to": "x", "kind": "x", "tag": LONG_TEXT, "gate": LONG_TEXT, "next": "//evil.example",
     "date": "yesterday", "scope": "x"}
HOSTILE_JSON = [
    {"code": ["DF1-"], "scans": [{"nonce": 1, "code": 5, "scanned_at": "x"}],
     "name": 5, "session_id": "9" * 30, "email": None},
    {"scans": "x" * 10_000, "consent": "yes", "answers": {"9" * 30: [None]},
     "name": "Бат\x00", "organisation": "\ud800"},
    [],
]


class _PostForms(HTMLParser):
    """The POST forms of a page: their action, their fields' names and types, and what the
    page fills in (values, checked boxes, selected options, text areas)."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str], dict[str, str]]] = []
        self._form = None
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = (attrs.get("action") or "", {}, {})
            self.forms.append(self._form)
        if self._form is None:
            return
        _, fields, defaults = self._form
        name = attrs.get("name")
        if tag in ("input", "select", "textarea") and name:
            kind = fields[name] = attrs.get("type") or tag
            if kind not in ("checkbox", "radio") or "checked" in attrs:
                defaults.setdefault(name, attrs.get("value") or "")
            self._select = name if tag == "select" else None
            self._textarea = name if tag == "textarea" else None
        elif tag == "option" and self._select \
                and ("selected" in attrs or not defaults.get(self._select)):
            defaults[self._select] = attrs.get("value") or ""

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form[2][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag in ("select", "textarea"):
            self._select = self._textarea = None


PHP_AS_JPEG = b"<?php system($_GET['c']); ?>"


def _hostile_value(kind: str, how: str):
    """how: "overflow" (30 digits), "blank" (only spaces) or "absurd" (a word where a choice
    or a number belongs, an impossible date, 10 kB of text)."""
    if kind == "file":
        return (io.BytesIO(PHP_AS_JPEG), "photo.jpg")
    if how == "overflow":
        return "9" * 30
    if how == "blank":
        return " \t "
    if kind in ("number", "select", "hidden", "radio", "checkbox"):
        return "abc"
    if kind in ("date", "datetime-local", "time"):
        return "2026-02-30T25:61"
    return "<script>" + "ж" * 10_000  # (NUL never gets this far: security.UNSTORABLE)


def _hostile_bodies(fields: dict[str, str], defaults: dict[str, str]):
    """Every field at once overflowing, blank, absurd; then the page's own values with one
    field at a time overflowing, blank or absurd (so the rest passes and the code goes
    deeper)."""
    hows = ("overflow", "blank", "absurd")
    for how in hows:
        yield {name: _hostile_value(kind, how) for name, kind in fields.items()}
    for name, kind in fields.items():
        if name != "csrf_token":
            for how in hows:
                yield defaults | {name: _hostile_value(kind, how)}


DESTRUCTIVE = ("cancel", "delete", "remove", "revoke", "block", "hide", "annul", "decline")


def _forms_of(pages: dict[str, str]) -> list[tuple[str, dict[str, str], dict[str, str]]]:
    """Each distinct POST form of the pages: (url, fields, defaults), the destructive ones
    last so that the others still meet the objects they were made for."""
    forms, seen = [], set()
    for page_url, html in pages.items():
        parser = _PostForms()
        parser.feed(html)
        for action, fields, defaults in parser.forms:
            target = urlsplit(urljoin(page_url, action or page_url))
            key = (target.path, tuple(sorted(fields)))
            if target.path != "/account/logout" and key not in seen:
                seen.add(key)
                forms.append((target.path + (f"?{target.query}" if target.query else ""),
                              fields, defaults))
    return sorted(forms, key=lambda form: any(word in form[0] for word in DESTRUCTIVE))


def _request(client, failures: list[str], method: str, url: str, **kwargs):
    try:
        response = client.open(url, method=method, **kwargs)
    except Exception as error:  # noqa: BLE001 - reported with the URL
        failures.append(f"{method} {url[:120]}: {type(error).__name__}: {error}"[:400])
        db.session.rollback()
        return None
    if response.status_code >= 500:
        failures.append(f"{method} {url[:120]}: {response.status_code}")
    return response


def _walk(app, client, headers: dict | None = None) -> tuple[list[str], int, int]:
    """Every GET first (keeping the HTML pages of real objects), then every form of those
    pages filled with hostile values, then hostile bodies POSTed to every POST route.
    Returns the failures, and how many pages and forms the walk met."""
    failures: list[str] = []
    pages: dict[str, str] = {}
    posts: list[tuple[str, dict]] = []
    for rule, variant, url in route_urls(app, SKIPPED):
        api = url.startswith("/api/")
        if "POST" in rule.methods:
            posts.append((url, {"json" if api else "data":
                                (HOSTILE_JSON if api else HOSTILE_FORMS)[variant]}))
        if "GET" not in rule.methods:
            continue
        response = _request(client, failures, "GET", url, headers=headers)
        if variant == 0:
            _request(client, failures, "GET", url, headers=headers, query_string=HOSTILE_QUERY)
        if variant in REAL and response is not None and response.status_code == 200 \
                and response.mimetype == "text/html":
            pages[url] = response.get_data(as_text=True)
    forms = _forms_of(pages)
    for url, fields, defaults in forms:
        for body in _hostile_bodies(fields, defaults):
            _request(client, failures, "POST", url, headers=headers, data=body)
    for url, kwargs in posts:
        _request(client, failures, "POST", url, headers=headers, **kwargs)
    return failures, len(pages), len(forms)


@pytest.fixture
def demo(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return app


# (who, at least so many pages and forms met): the walk really reached the app.
WALKERS = [("visitor", 15, 5), ("citizen", 20, 15), ("every staff role", 75, 60)]


@pytest.mark.parametrize(("who", "least_pages", "least_forms"), WALKERS)
def test_no_route_answers_with_a_server_error(demo, client, auth, who, least_pages,
                                              least_forms):
    headers = None
    if who != "visitor":
        roles = ["admin", "organiser", "moderator", "official"] if who != "citizen" else []
        walker = factories.user("walker@example.mn", roles=roles,  # an official answers too
                                department_slug="environment" if roles else None)
        assert auth.login("walker@example.mn").status_code == 302
        if roles:  # the check-in API too, as the door's scanner
            event = db.session.scalar(select(Event).where(Event.slug == "dcf-clean-water-today"))
            headers = {"Authorization": f"Bearer {create_device(walker, event, 'Хаалга')[1]}"}
    failures, pages, forms = _walk(demo, client, headers)
    assert not failures, "\n".join(failures)
    assert pages >= least_pages and forms >= least_forms, (pages, forms)
