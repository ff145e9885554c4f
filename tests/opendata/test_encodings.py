"""The open data files at scale: each is sent compressed (its Brotli or gzip copy, kept beside
it at build time) to a client that accepts it, with its own size and tag per encoding, and
nobody waits for a rebuild: while one worker builds the next files, a visitor gets the files
already built; in the background mode the request that finds them old starts the rebuild and
is answered at once. `flask open-data build` builds them from the command line."""

import gzip
import json

import brotli
import pytest

from forum_app.opendata import files
from tests import factories
from tests.support import LockHolder

DECODE = {"br": brotli.decompress, "gzip": gzip.decompress, None: lambda body: body}


def _titles(response) -> list[str]:
    assert response.status_code == 200
    body = DECODE[response.headers.get("Content-Encoding")](response.data)
    return [row["title"] for row in json.loads(body)["records"]]


@pytest.fixture
def two_issues(app_factory):
    def make(**config):
        app = app_factory(OPEN_DATA_SECONDS=0, **config)
        context = app.app_context()
        context.push()
        factories.seed_reference()
        for title in ("Гудамжны гэрэл асахгүй байна", "Цэцэрлэгийн хашаа эвдэрсэн"):
            factories.issue(title=title)
        made.append(context)
        return app
    made = []
    yield make
    for context in made:
        context.pop()


@pytest.mark.parametrize(("accepted", "sent"), [
    ("br, gzip", "br"), ("gzip, deflate", "gzip"), ("gzip;q=1, br;q=0.5", "gzip"),
    ("", None), ("identity", None)])
def test_each_file_is_sent_in_the_encoding_the_client_accepts(two_issues, accepted, sent):
    app = two_issues()
    client = app.test_client()
    plain = client.get("/open-data/issues.json", headers={"Accept-Encoding": ""})
    for name in ("issues.json", "issues.csv", "datapackage.json"):
        response = client.get(f"/open-data/{name}", headers={"Accept-Encoding": accepted})
        assert response.status_code == 200
        assert response.headers.get("Content-Encoding") == sent
        assert "Accept-Encoding" in response.headers["Vary"]
        assert int(response.headers["Content-Length"]) == len(response.data)
        assert response.headers["Cache-Control"] == "public, no-cache"
        if name == "issues.json":
            assert DECODE[sent](response.data) == plain.data
            assert _titles(response) == ["Гудамжны гэрэл асахгүй байна",
                                         "Цэцэрлэгийн хашаа эвдэрсэн"]
            assert (response.headers["ETag"] == plain.headers["ETag"]) == (sent is None)


def test_a_large_file_is_much_smaller_compressed_and_each_encoding_has_its_own_tag(two_issues):
    app = two_issues()
    for number in range(150):
        factories.issue(title=f"Гудамжны гэрэл асахгүй байна {number}")
    client = app.test_client()
    answers = {encoding: client.get("/open-data/issues.json", headers={
        "Accept-Encoding": encoding}) for encoding in ("br", "gzip", "")}
    plain = len(answers[""].data)
    assert len(answers["br"].data) < plain / 5 and len(answers["gzip"].data) < plain / 5
    assert len({answer.headers["ETag"] for answer in answers.values()}) == 3
    gzip_tag = answers["gzip"].headers["ETag"]
    assert client.get("/open-data/issues.json", headers={
        "Accept-Encoding": "gzip", "If-None-Match": gzip_tag}).status_code == 304
    other = client.get("/open-data/issues.json", headers={
        "Accept-Encoding": "br", "If-None-Match": gzip_tag})
    assert other.status_code == 200 and other.headers["Content-Encoding"] == "br"


def test_a_visitor_during_a_rebuild_by_another_worker_gets_the_previous_files(two_issues):
    app = two_issues()
    client = app.test_client()
    before = client.get("/open-data/issues.json", headers={"Accept-Encoding": "gzip"})
    factories.issue(title="Автобусны буудлын дээвэр")
    holder = LockHolder(files._root() / ".lock")  # noqa: SLF001  # another worker building
    try:
        during = client.get("/open-data/issues.json", headers={"Accept-Encoding": "gzip"})
        assert during.headers["ETag"] == before.headers["ETag"]
        assert _titles(during) == _titles(before)
        assert client.get("/open-data").status_code == 200
    finally:
        holder.release()
    after = client.get("/open-data/issues.json", headers={"Accept-Encoding": "gzip"})
    assert _titles(after)[-1] == "Автобусны буудлын дээвэр"


def test_in_the_background_mode_the_request_is_answered_before_the_rebuild(two_issues):
    app = two_issues(OPEN_DATA_REBUILD="background")
    client = app.test_client()
    first = client.get("/open-data/issues.json")  # the first build: in the request
    assert len(_titles(first)) == 2
    factories.issue(title="Автобусны буудлын дээвэр")
    during = client.get("/open-data/issues.json")
    assert during.headers["ETag"] == first.headers["ETag"]  # the files already built
    rebuild = app.extensions["open_data_rebuild"]
    rebuild.join(timeout=120)
    assert not rebuild.is_alive()
    after = client.get("/open-data/issues.json")
    assert _titles(after)[-1] == "Автобусны буудлын дээвэр"
    page = client.get("/open-data").get_data(as_text=True)
    assert page.count('<time datetime="') == len(files.DATASETS) * 2 + 1  # each file's date


def test_the_command_builds_the_files_so_no_visitor_waits_for_the_first_build(two_issues):
    app = two_issues()
    result = app.test_cli_runner().invoke(args=["open-data", "build"])
    assert result.exit_code == 0, result.output
    assert "issues.json:" in result.output and "gzip" in result.output
    built = files._read(files._root())  # noqa: SLF001
    assert built is not None and built.files["issues.json"].encoded.keys() == {"br", "gzip"}
    client = app.test_client()
    assert _titles(client.get("/open-data/issues.json")) == [
        "Гудамжны гэрэл асахгүй байна", "Цэцэрлэгийн хашаа эвдэрсэн"]
    assert files._read(files._root()).built_at == built.built_at  # noqa: SLF001  # not rebuilt
