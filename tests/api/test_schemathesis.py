"""schemathesis against the live app: the app serves its OpenAPI document on a real socket, on
the demo data (published events with agendas and questions, a forum running today with agenda
items, decisions and actions, issues), and schemathesis calls every operation with data made
from the document, valid and not, then follows the document's links (event list -> event ->
its sessions and registration; outcomes -> agenda item -> vote; issues -> issue -> support,
follow; the person's registrations -> one -> cancel). It must find no server error, no answer
that breaks its schema, no status or content type the document does not name.

Tokens: `LiveApi.tokens` maps each security scheme of the document to a working token, and
every call to an operation that names a scheme carries it (a new scheme: add its token in
`live_api`). Deterministic: hypothesis is derandomized, and the examples per operation are few
enough for the suite on two cores."""

import re
from collections import Counter
from dataclasses import dataclass, field

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import func, select

from forum_app.accounts.api_tokens import create_api_token
from forum_app.accounts.demo import DEMO_PASSWORD
from forum_app.accounts.models import ApiScope
from forum_app.accounts.services import find_user_by_email
from forum_app.api.spec import document
from forum_app.checkin.devices import create_device
from forum_app.checkin.models import CheckIn
from forum_app.deliberation.models import AgendaItem
from forum_app.deliberation.outcomes import visible_items
from forum_app.events.models import Event
from forum_app.extensions import db
from forum_app.issues.models import Issue, IssueStatus
from forum_app.registration.models import Registration
from tests import factories
from tests.browser.conftest import LiveServer
from tests.conftest import fresh_postgres_database, make_test_app

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
EXAMPLES = 12  # per operation and mode: every operation, valid and invalid, in about a minute
TODAYS_FORUM = "dcf-clean-water-today"  # the demo's forum running today (check-in, voting)
COMING_FORUM = "dcf-heating-air-quality"  # the demo citizen's registration to cancel
CITIZEN = "citizen@demo.forum.mn"
QUICK = {"deadline": None, "derandomize": True, "database": None,
         "suppress_health_check": list(HealthCheck),
         "phases": [Phase.explicit, Phase.generate]}  # no shrinking: a failure shows its case


@dataclass
class LiveApi:
    url: str
    tokens: dict[str, str] = field(default_factory=dict)  # security scheme -> token
    ids: dict[str, int] = field(default_factory=dict)  # path parameter -> a real one's id

    @property
    def base_url(self) -> str:
        return self.url + "/api/v1"

    def headers_for(self, operation) -> dict[str, str]:
        """The Authorization of the first security scheme of the operation with a token."""
        for requirement in operation.definition.raw.get("security", []):
            for scheme in requirement:
                if scheme in self.tokens:
                    return {"Authorization": f"Bearer {self.tokens[scheme]}"}
        return {}

    def real_ids(self, path: str) -> dict[str, int]:
        return {name: self.ids[name] for name in re.findall(r"{(\w+)}", path)}


def _own_database(database_url: str, tmp_path_factory) -> str:
    """The live app's data stays apart from the other tests' (which empty their tables after
    each test, maybe in the same process under xdist): a database of its own."""
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path_factory.mktemp('live-api') / 'api.sqlite'}"
    return fresh_postgres_database(database_url, "live_api")


def _citizens_token_and_ids() -> tuple[str, dict[str, int]]:
    """A personal token of the demo citizen with every scope (made as the token page makes
    it), a public open issue to support and follow, and their registration to a coming
    forum to read and cancel."""
    citizen = find_user_by_email(CITIZEN)
    token = create_api_token(citizen, "schemathesis", [scope.value for scope in ApiScope], 7,
                             DEMO_PASSWORD)[1]
    coming = db.session.scalar(select(Event.id).where(Event.slug == COMING_FORUM))
    ids = {"issue_id": db.session.scalar(select(func.min(Issue.id)).where(
               Issue.hidden_at.is_(None), Issue.status != IssueStatus.MERGED)),
           "registration_id": db.session.scalar(select(Registration.id).where(
               Registration.user_id == citizen.id, Registration.event_id == coming))}
    assert all(ids.values()), ids
    return token, ids


@pytest.fixture(scope="module")
def live_api(database_url, smtp_server, tmp_path_factory):
    """The demo data served on loopback, with a device token for the demo's forum of today
    and a personal token of the demo citizen."""
    app = make_test_app(_own_database(database_url, tmp_path_factory), smtp_server.port,
                        RATELIMIT_ENABLED=False)
    with app.app_context():
        db.create_all()
        factories.seed_reference()
        seeded = app.test_cli_runner().invoke(args=["seed-demo"])
        assert seeded.exit_code == 0, seeded.output
        forum = db.session.scalar(select(Event).where(Event.slug == TODAYS_FORUM))
        door = factories.user("door@example.mn", roles=["admin", "organiser"])
        device_token = create_device(door, forum, "schemathesis")[1]
        personal_token, ids = _citizens_token_and_ids()
        ids |= {"event_id": forum.id,
                "item_id": db.session.scalar(visible_items().order_by(AgendaItem.id)).id,
                "checkin_id": db.session.scalar(select(func.min(CheckIn.id)).where(
                    CheckIn.event_id == forum.id))}
        db.session.remove()
    server = LiveServer(app).start()
    yield LiveApi(server.url, tokens={"deviceToken": device_token,
                                      "personalToken": personal_token}, ids=ids)
    server.stop()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def api_schema(live_api):
    return schemathesis.openapi.from_url(live_api.base_url + "/openapi.json")


OPERATIONS = [(path, method.upper()) for path, item in document()["paths"].items()
              for method in item if method in ("get", "post", "put", "patch", "delete")]
# With valid data and real ids, these answer so (the calls reached the app's real answers).
REACHED = {("/events", "GET"): 200, ("/events/{event_id}", "GET"): 200,
           ("/events/{event_id}/sessions", "GET"): 200, ("/outcomes", "GET"): 200,
           ("/agenda-items/{item_id}", "GET"): 200, ("/stats", "GET"): 200,
           ("/openapi.json", "GET"): 200, ("/checkin", "POST"): 200,
           ("/checkin/search", "GET"): 200, ("/checkin/offline-pack", "GET"): 200,
           ("/checkin/figures", "GET"): 200, ("/issues", "GET"): 200,
           ("/issues/{issue_id}", "GET"): 200, ("/issues", "POST"): 201,
           ("/issues/{issue_id}/support", "POST"): 200,
           ("/issues/{issue_id}/support", "DELETE"): 200,
           ("/issues/{issue_id}/follow", "POST"): 200,
           ("/issues/{issue_id}/follow", "DELETE"): 200, ("/me", "GET"): 200,
           ("/me/registrations", "GET"): 200, ("/me/registrations/{registration_id}", "GET"): 200,
           ("/me/registrations/{registration_id}/cancel", "POST"): 200,
           ("/me/issues", "GET"): 200}


def _negatable(path: str, method: str) -> bool:
    """Whether invalid data can be made: a body, or a parameter other than a header."""
    operation = document()["paths"][path][method.lower()]
    return "requestBody" in operation or any(
        "$ref" not in parameter or not parameter["$ref"].endswith("/IfNoneMatch")
        for parameter in operation.get("parameters", [])) or "{" in path


CASES = [pytest.param(path, method, GenerationMode.POSITIVE, id=f"{method} {path} valid")
         for path, method in OPERATIONS] + [
    pytest.param(path, method, GenerationMode.NEGATIVE, id=f"{method} {path} invalid")
    for path, method in OPERATIONS if _negatable(path, method)]


# schemathesis' own pytest plugin (from_fixture) needs an older pytest; hypothesis drives
# each operation's strategy here instead, valid data and not.
@pytest.mark.parametrize(("path", "method", "mode"), CASES)
def test_every_operation_keeps_to_the_document(api_schema, live_api, path, method, mode):
    operation = api_schema[path][method]
    headers = live_api.headers_for(operation)
    valid = mode == GenerationMode.POSITIVE
    statuses = Counter()

    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=live_api.real_ids(
        path) if valid else None))
    @settings(max_examples=EXAMPLES, **QUICK)
    def call(case):
        response = case.call_and_validate(base_url=live_api.base_url, headers=headers,
                                          checks=CHECKS, timeout=30)
        statuses[response.status_code] += 1

    call()
    if valid and (path, method) in REACHED:
        assert REACHED[path, method] in statuses, statuses


def test_the_documents_links_hold_step_by_step(api_schema, live_api):
    """Steps from an answer to the next operation by the document's links: the event list to
    an event, its sessions and its registration; outcomes to an agenda item to a vote; the
    issue list to an issue, and a new issue, to support and follow it; the person's
    registrations to one of them, to cancel it."""
    seen = Counter()
    # Valid data only: a chain breaks at its first refused step (invalid data has its own
    # test per operation above).
    api_schema.config.generation.update(modes=[GenerationMode.POSITIVE])

    class Steps(api_schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"base_url": live_api.base_url, "headers": live_api.headers_for(case.operation),
                    "timeout": 30}

        def after_call(self, response, case):
            seen[case.operation.label, response.status_code] += 1

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    Steps.run(settings=settings(max_examples=30, stateful_step_count=6, **QUICK))
    followed = {label for label, status in seen if status < 300}
    assert {"GET /events/{event_id}", "GET /agenda-items/{item_id}",
            "GET /me/registrations/{registration_id}", "POST /issues/{issue_id}/follow",
            } <= followed, seen
