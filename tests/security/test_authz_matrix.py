"""The authorisation matrix: every route of the URL map, as every role, on own and others'
objects and on hidden ones, against the table in authz_table.py. A route without a line there
fails the first test; a cell that differs from the table, a server error, or a hidden issue's
or comment's words on a page for someone who may not see them fail the second."""

import pytest
from werkzeug.routing import AnyConverter

from forum_app.core.privacy import NOTICE_VERSIONS
from tests.core.test_every_route import DESTRUCTIVE
from tests.security.authz_table import OUTCOMES, ROLES, ROWS, Row
from tests.security.authz_world import HIDDEN_COMMENT, HIDDEN_ISSUE, build_world, email

IGNORED_METHODS = {"HEAD", "OPTIONS"}
SESSION_ENDERS = {"accounts.logout", "accounts.end_all_sessions"}  # asked last of all
# Arguments that name different objects on different routes: (endpoint or its blueprint,
# argument) -> the world's value to use.
ALIASES = {
    ("deliberation.progress_photo", "filename"): "progress_filename",
    ("feedback", "question_id"): "survey_question_id",
    ("feedback.respond", "token"): "feedback_token",
    ("accounts", "token"): "account_token",
    ("reports", "slug"): "report_slug",
    ("static", "filename"): "static_filename",
    ("core.privacy_version", "version"): "notice_version",
    ("registration.confirm", "code"): "confirmation_code",
    ("opendata.download", "filename"): "open_data_filename",
}
FIXED = {"account_token": "not-a-real-token", "report_slug": "summary",
         "static_filename": "css/app.css", "notice_version": NOTICE_VERSIONS[0].version,
         "confirmation_code": "not-the-mailed-code",  # the real one exists only in a mail
         "open_data_filename": "issues.csv"}
# Bodies for the API routes that check their input before the object (an empty body would
# be refused before the access check is reached).
BODIES = {"api.checkin_annul": {"reason": "Буруу хүнийг бүртгэсэн"}}
LETTERS = {403: "F", 404: "N"}
# Who may see which side's hidden issue and comment: staff see all, the author their own.
SEES_HIDDEN = {"moderator": "AB", "official": "AB", "admin": "AB", "citizen": "A"}


def route_methods(app) -> set[tuple[str, str]]:
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules()
            for method in rule.methods - IGNORED_METHODS}


def test_every_route_and_method_has_a_line_in_the_table(app):
    routes = route_methods(app)
    missing = sorted(routes - set(ROWS))
    gone = sorted(set(ROWS) - routes)
    assert not missing and not gone, (
        "tests/security/authz_table.py must have one line per endpoint and method.\n"
        + "".join(f"  no line for {endpoint} {method}: decide who may use it\n"
                  for endpoint, method in missing)
        + "".join(f"  line for {endpoint} {method}, which the app no longer has\n"
                  for endpoint, method in gone))


def _value(endpoint: str, argument: str, values: dict):
    for key in (endpoint, endpoint.split(".")[0]):
        if (key, argument) in ALIASES:
            name = ALIASES[key, argument]
            return values.get(name, FIXED.get(name))
    return values[argument]


def urls(app, endpoint: str, values: dict) -> list[str]:
    """The URL of every rule of the endpoint with the target's objects; one per choice of a
    fixed set (moderation's issue or comment, a report's csv or xlsx)."""
    found = []
    for rule in app.url_map.iter_rules(endpoint):
        choices = [{}]
        for argument, converter in rule._converters.items():
            if isinstance(converter, AnyConverter):
                choices = [c | {argument: item} for c in choices for item in converter.items]
        for choice in choices:
            filled = {argument: choice.get(argument) or _value(endpoint, argument, values)
                      for argument in rule.arguments}
            if choice.get("target_type") == "issue":
                filled["target_id"] = values["issue_id"]
            found.append(rule.build(filled, append_unknown=False)[1])
    return sorted(found)


def outcome(response, api: bool) -> str:
    """The letter of the answer. "Login required" is a redirect to the sign-in page that asks
    to come back (`next=`; signing out also lands there, without it), or 401 from the API."""
    location = response.location or ""
    if response.status_code in (301, 302, 303, 307, 308) \
            and location.split("?")[0].endswith("/account/login") and "next=" in location:
        return "L"
    if response.status_code == 401:
        return "L" if api else "a"  # the sign-in form's "wrong password" is a 401 too
    return LETTERS.get(response.status_code, "a")


def _order(row: Row) -> tuple:
    """GETs first, then POSTs that change little, then destructive ones, then sign-outs."""
    return (row.method != "GET", row.endpoint in SESSION_ENDERS,
            any(word in row.endpoint for word in DESTRUCTIVE), row.endpoint, row.method)


def _hidden_words(role: str) -> list[str]:
    seen = SEES_HIDDEN.get(role, "")
    return [words[side] for words in (HIDDEN_ISSUE, HIDDEN_COMMENT) for side in "AB"
            if side not in seen]


def observe(app, client, auth, role: str, rows) -> tuple[dict, list[str]]:
    """Asks every cell of `rows` as `role` in a fresh world. Returns
    {(endpoint, method): [(target, url, letter, status)]} and the problems that no table can
    allow (server errors, hidden words shown)."""
    world = build_world()
    headers = {}
    if role == "device":
        headers = {"Authorization": f"Bearer {world.device_tokens['A']}"}
    elif role != "anonymous":
        assert auth.login(email(role)).status_code == 302
    hidden_words = _hidden_words(role)
    seen, problems = {}, []
    for row in sorted(rows, key=_order):
        cells = seen[row.endpoint, row.method] = []
        for target, _letter in row.expected(role):
            for url in urls(app, row.endpoint, world.values[target]):
                api = url.startswith("/api/")
                body = {} if row.method == "GET" else {
                    "json" if api else "data": BODIES.get(row.endpoint, {})}
                response = client.open(url, method=row.method, headers=headers, **body)
                cells.append((target, url, outcome(response, api), response.status_code))
                if response.status_code >= 500:
                    problems.append(f"{row.method} {url}: {response.status_code}")
                text = response.get_data(as_text=True) if response.mimetype.startswith(
                    ("text/", "application/json")) else ""
                problems += [f"{row.method} {url} shows hidden {word!r}"
                             for word in hidden_words if word in text]
    return seen, problems


def observed_cell(cells) -> str:
    """The cell that would describe what was seen: one letter per target, or one for all."""
    letters = {}
    for target, _url, got, _status in cells:
        letters[target] = letters.get(target, "") + got
    per_target = ["".join(sorted(set(seen))) for seen in letters.values()]
    cell = "".join(letter if len(letter) == 1 else "?" for letter in per_target)
    return cell[0] if len(set(cell)) == 1 else cell


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_what_the_table_says(app, client, auth, role):
    rows = [row for row in ROWS.values() if row.cells[role] != "-"]
    seen, problems = observe(app, client, auth, role, rows)
    for row in rows:
        expected = dict(row.expected(role))
        cells = seen[row.endpoint, row.method]
        problems += [
            f"{row.endpoint} {row.method} as {role} on {target} ({url}): the table says "
            f"{OUTCOMES[expected[target]]}, got {OUTCOMES[got]} ({status}); "
            f"what was seen would be the cell {observed_cell(cells)!r}"
            for target, url, got, status in cells if got != expected[target]]
    assert not problems, "\n".join(problems)
