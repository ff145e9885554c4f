"""The open data files on the demo data: nothing personal, no hidden issue, CSV that Python's
csv module reads with its header, JSON records in exactly the documented fields, the sizes
the page shows, and the licence everywhere."""

import json
from datetime import date, datetime

from sqlalchemy import select

from forum_app.accounts.models import User
from forum_app.core.models import Department
from forum_app.deliberation.models import (
    Action,
    AgendaItem,
    Contribution,
    Decision,
    LiveQuestion,
    SolutionOption,
)
from forum_app.extensions import db
from forum_app.issues.models import Issue
from forum_app.opendata.datasets import BY_NAME, DATASETS
from forum_app.registration.models import Registration
from tests.opendata.support import csv_rows, every_file, json_records, listed, seed_demo

LICENCE = "https://creativecommons.org/licenses/by/4.0/"


def _personal_data() -> set[str]:
    """Every name, e-mail address and phone number the demo holds for a person."""
    found = set()
    for user in db.session.scalars(select(User)):
        found |= {user.name, user.email, user.phone}
    for registration in db.session.scalars(select(Registration)):
        found |= {registration.name, registration.email, registration.phone}
    for issue in db.session.scalars(select(Issue)):
        found |= {issue.contact_name, issue.contact_phone}
    return {value for value in found if value and len(value) >= 5}


def _typed_names() -> set[str]:
    """Who the staff typed into the record: a person or a group (the texts may name a group,
    as the dissent of a students' council does; no field may carry either)."""
    found = set()
    for model, column in ((AgendaItem, "presenter"), (SolutionOption, "proposer"),
                          (Contribution, "speaker_name"), (Action, "lead_name"),
                          (LiveQuestion, "display_name"), (Decision, "decided_by")):
        found |= set(db.session.scalars(select(getattr(model, column))))
    # A lead typed as a department's name is that department, which the files do name.
    departments = {name for department in db.session.scalars(select(Department))
                   for name in (department.name_mn, department.name_en)}
    return found - departments - {None, ""}


def test_no_file_holds_a_name_email_or_phone(app, client):
    seed_demo(app)
    personal = _personal_data()
    assert len(personal) > 100  # the demo's people really are looked for
    assert "citizen@demo.forum.mn" in personal
    files = every_file(client)
    for path, body in files.items():
        text = body.decode("utf-8-sig")
        leaked = sorted(value for value in personal if value in text)
        assert not leaked, f"{path} holds {leaked}"
    typed = _typed_names()
    assert "Д. Болормаа" in typed
    for dataset in DATASETS:
        for record in json_records(client, dataset.name):
            assert not typed & {v for v in record.values() if isinstance(v, str)}, record


def test_hidden_issues_are_left_out_everywhere(app, client):
    seed_demo(app)
    hidden = db.session.scalars(select(Issue).where(Issue.hidden_at.is_not(None))).all()
    assert hidden  # the demo's advert, hidden by three reports
    public = set(db.session.scalars(select(Issue.id).where(Issue.hidden_at.is_(None))))
    assert {row["id"] for row in json_records(client, "issues")} == public
    linked = {i for item in json_records(client, "agenda_items") for i in item["issue_ids"]}
    assert linked and linked <= public
    assert {row["issue_id"] for row in json_records(client, "official_answers")} <= public
    files = every_file(client)
    for issue in hidden:
        assert not any(issue.title in body.decode("utf-8-sig") for body in files.values())


def test_every_csv_parses_with_its_header_and_matches_its_json(app, client):
    seed_demo(app)
    for dataset in DATASETS:
        response = client.get(f"/open-data/{dataset.name}.csv")
        assert response.mimetype == "text/csv"
        assert response.headers["Link"] == f'<{LICENCE}>; rel="license"'
        header, rows = csv_rows(response.data)
        assert header == dataset.field_names
        records = json_records(client, dataset.name)
        assert len(rows) == len(records), dataset.name
        for row, record in zip(rows, records, strict=True):
            assert row.keys() == record.keys()
            if "id" in record:
                assert int(row["id"]) == record["id"]
    assert len(json_records(client, "issues")) >= 10  # the demo's public issues


TYPES = {"integer": (int,), "number": (int, float), "string": (str,), "boolean": (bool,),
         "array": (list,), "datetime": (str,), "date": (str,)}


def test_json_records_have_exactly_the_documented_fields_and_types(app, client):
    seed_demo(app)
    package = json.loads(client.get("/open-data/datapackage.json").data)
    assert package["licenses"][0]["path"] == LICENCE
    documented = {r["path"]: r["schema"]["fields"] for r in package["resources"]}
    for dataset in DATASETS:
        whole = json.loads(client.get(f"/open-data/{dataset.name}.json").data)
        assert whole["licence"]["path"] == LICENCE
        assert whole["attribution"]["url"].endswith("/open-data")
        fields = {f["name"]: f["type"] for f in documented[f"{dataset.name}.json"]}
        assert whole["records"], dataset.name  # the demo has rows of every kind
        for record in whole["records"]:
            assert list(record) == list(fields)
            for name, value in record.items():
                if value is None:
                    continue
                kind = fields[name]
                assert isinstance(value, TYPES[kind]), (dataset.name, name, value)
                assert kind != "integer" or not isinstance(value, bool)
                if kind == "datetime":
                    assert value.endswith("Z") and datetime.fromisoformat(value)
                if kind == "date":
                    assert date.fromisoformat(value)


def test_the_page_shows_each_files_true_size_and_the_licence(app, client):
    seed_demo(app)
    page = client.get("/open-data").get_data(as_text=True)
    assert f'href="{LICENCE}" rel="license"' in page
    files = listed(client)
    assert len(files) == 2 * len(DATASETS) + 1
    package = json.loads(client.get("/open-data/datapackage.json").data)
    sizes = {r["path"]: r["bytes"] for r in package["resources"]}
    for path, (kind, size, shown) in files.items():
        body = client.get(path).data
        assert len(body) == size, path
        assert path.rsplit(".", 1)[1] == kind.lower()
        assert shown.split()[1] in ("Bytes", "kB", "MB")
        name = path.rsplit("/", 1)[1]
        if name != "datapackage.json":
            assert sizes[name] == size
    assert BY_NAME["issues"].title  # the page names each kind in the reader's language
