"""The files follow the record: a change makes a new file (new ETag, new date) while the files
it did not touch keep theirs; within OPEN_DATA_SECONDS a kept build is served again. What a
moderator hides leaves the files; a map position is in them only when its author chose so."""

import json

from forum_app.moderation.services import hide_content
from tests import factories
from tests.opendata.support import csv_rows, json_records


def _titles(client) -> list[str]:
    return [row["title"] for row in json_records(client, "issues")]


def test_a_change_to_the_record_changes_the_file(app_factory):
    app = app_factory(OPEN_DATA_SECONDS=0)
    with app.app_context():
        factories.seed_reference()
        factories.issue(title="Гудамжны гэрэл асахгүй байна")
        client = app.test_client()
        first = client.get("/open-data/issues.csv")
        answers = client.get("/open-data/official_answers.csv")
        assert [r["title"] for r in csv_rows(first.data)[1]] == ["Гудамжны гэрэл асахгүй байна"]
        assert client.get("/open-data/issues.csv",
                          headers={"If-None-Match": first.headers["ETag"]}).status_code == 304

        factories.issue(title="Цэцэрлэгийн хашаа эвдэрсэн")
        second = client.get("/open-data/issues.csv")
        assert second.headers["ETag"] != first.headers["ETag"]
        assert [r["title"] for r in csv_rows(second.data)[1]] == [
            "Гудамжны гэрэл асахгүй байна", "Цэцэрлэгийн хашаа эвдэрсэн"]
        assert client.get("/open-data/issues.csv", headers={
            "If-None-Match": first.headers["ETag"]}).status_code == 200
        # A file whose content stayed the same keeps its tag and date.
        again = client.get("/open-data/official_answers.csv")
        assert again.headers["ETag"] == answers.headers["ETag"]
        assert again.headers["Last-Modified"] == answers.headers["Last-Modified"]


def test_within_the_rebuild_interval_the_kept_files_are_served(app_factory):
    app = app_factory(OPEN_DATA_SECONDS=300)
    with app.app_context():
        factories.seed_reference()
        factories.issue(title="Гудамжны гэрэл асахгүй байна")
        client = app.test_client()
        before = client.get("/open-data/issues.json")
        factories.issue(title="Цэцэрлэгийн хашаа эвдэрсэн")
        after = client.get("/open-data/issues.json")
        assert after.headers["ETag"] == before.headers["ETag"]
        assert len(json.loads(after.data)["records"]) == 1


def test_hidden_issues_leave_and_private_positions_stay_out(app, client):
    moderator = factories.user("mod@example.mn", roles=["moderator"])
    private = factories.issue(title="Манай гэрийн урд шуудуу", latitude="49.4867",
                              longitude="105.9228")
    public = factories.issue(title="Автобусны буудлын дээвэр", latitude="49.4701",
                             longitude="105.9551", location_public="y")
    hidden = factories.issue(title="Хямд үнэтэй зар сурталчилгаа")
    assert set(_titles(client)) == {private.title, public.title, hidden.title}
    hide_content(moderator, hidden, "Зар сурталчилгаа")
    records = {row["title"]: row for row in json_records(client, "issues")}
    assert set(records) == {private.title, public.title}
    assert (records[private.title]["latitude"], records[private.title]["longitude"]) == (None,
                                                                                         None)
    assert (records[public.title]["latitude"], records[public.title]["longitude"]) == (
        49.4701, 105.9551)
    assert "49.4867" not in client.get("/open-data/issues.csv").get_data(as_text=True)


def test_a_file_that_is_not_listed_is_not_found(client):
    for name in ("secrets.csv", "..%2Fcurrent.json", "current.json", "issues.xml"):
        assert client.get(f"/open-data/{name}").status_code == 404


def test_a_build_of_older_code_or_a_broken_manifest_is_made_again(app, client, tmp_path):
    app.config["OPEN_DATA_FOLDER"] = str(tmp_path)
    factories.issue(title="Гудамжны гэрэл асахгүй байна")
    (tmp_path / "current.json").write_text('{"folder": "build-old", "files": {}}')
    assert _titles(client) == ["Гудамжны гэрэл асахгүй байна"]
    (tmp_path / "current.json").write_text("{not json")
    assert client.get("/open-data").status_code == 200
    assert [p.name for p in tmp_path.glob("build-*")]  # the files live where configured
