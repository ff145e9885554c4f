"""The check-in devices' API: bearer tokens scoped to one event, JSON answers, bad input
answered 4xx with a message and never a 500, the offline pack's ETag, and the CLI token."""

import gzip
import json

import pytest
from sqlalchemy import func, select, update

from forum_app.checkin import devices
from forum_app.checkin.devices import create_device, revoke_device
from forum_app.checkin.models import CheckIn, Device
from forum_app.extensions import db
from forum_app.i18n import utcnow
from forum_app.registration.models import Registration
from tests.support import counted_queries

from .support import device_token, event_on, nonce, pack_entry, person


@pytest.fixture
def event(organiser):
    return event_on(organiser, whole_day=True, title_mn="Цэвэр усны форум",
                    title_en="Clean water forum", capacity=3)


@pytest.fixture
def token(organiser, event):
    return device_token(organiser, event)


def call(client, method, path, token=None, body=None, headers=None, **kwargs):
    headers = dict(headers or {})
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    data = body if isinstance(body, str | bytes) or body is None else json.dumps(body)
    return client.open(f"/api/v1/checkin{path}", method=method, data=data, headers=headers,
                       content_type="application/json", **kwargs)


def scan(client, token, code, **extra):
    return call(client, "POST", "", token, {"code": code, "nonce": nonce()} | extra)


def checkins() -> int:
    return db.session.scalar(select(func.count(CheckIn.id)))


def test_a_device_checks_a_ticket_in_and_hears_already_the_second_time(client, event, token):
    saraa = person(event, "Батын Сараа", stakeholder_kind="ngo")
    first = scan(client, token, saraa.ticket.code, gate="Гол хаалга")
    assert first.status_code == 200, first.get_data(as_text=True)
    assert first.json["result"] == "admitted"
    assert first.json["attendee"]["name"] == "Батын Сараа" and first.json["message"]
    second = scan(client, token, saraa.ticket.code)
    assert second.json["result"] == "already_checked_in"
    # The device's organiser opened the scanner: the answer says who admitted the person.
    assert second.json["previous"]["by"] == "Сарангэрэл"
    assert second.json["previous"]["gate"] == "Гол хаалга"
    english = call(client, "POST", "?lang=en", token,
                   {"code": saraa.ticket.code, "nonce": nonce()})
    assert english.json["label"] == "Already checked in"


def test_the_same_nonce_gets_the_same_answer(client, event, token):
    code = person(event).ticket.code
    body = {"code": code, "nonce": "scan-0001"}
    answers = [call(client, "POST", "", token, body) for _ in range(3)]
    assert {a.status_code for a in answers} == {200}
    assert answers[0].json == answers[1].json == answers[2].json
    assert checkins() == 1


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer not-a-token", "Basic abc:def",
                                    "Bearer " + "x" * 5000])
def test_without_a_valid_token_the_answer_is_401(client, event, header):
    code = person(event).ticket.code
    headers = {"Authorization": header} if header else {}
    for method, path, body in (("POST", "", {"code": code, "nonce": nonce()}),
                               ("GET", "/search?q=a", None), ("GET", "/offline-pack", None),
                               ("GET", "/figures", None), ("POST", "/sync", {"scans": []})):
        response = call(client, method, path, headers=headers, body=body)
        assert response.status_code == 401 and response.json["code"] == "unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert checkins() == 0


def test_a_revoked_token_stops_working(client, organiser, event):
    device, token = create_device(organiser, event, "Гол хаалга")
    assert call(client, "GET", "/figures", token).status_code == 200
    revoke_device(organiser, device)
    assert call(client, "GET", "/figures", token).status_code == 401


def test_a_worker_remembers_a_token_a_few_seconds_and_a_revoked_one_stops_within_them(
        app, client, organiser, event, monkeypatch):
    """Each worker looks a token up once per DEVICE_CACHE_SECONDS; revoked in another worker
    (here: straight in the database), the device stops once those seconds have passed, and
    at once in the worker that revoked it."""
    app.config["DEVICE_CACHE_SECONDS"] = 3
    moment = [1000.0]
    monkeypatch.setattr(devices, "clock", lambda: moment[0])
    devices.forget_devices()
    device, token = create_device(organiser, event, "Гол хаалга")
    first, second, third = (person(event).ticket.code for _ in range(3))
    assert scan(client, token, first).json["result"] == "admitted"
    with counted_queries() as statements:
        assert scan(client, token, second).json["result"] == "admitted"
    assert not [s for s in statements if "FROM devices" in s or "FROM events" in s]

    db.session.execute(update(Device).where(Device.id == device.id).values(revoked_at=utcnow()))
    db.session.commit()
    moment[0] += 3.5
    answer = scan(client, token, third)
    assert answer.status_code == 401 and answer.json["code"] == "unauthorized"

    other, other_token = create_device(organiser, event, "Хойд хаалга")
    assert scan(client, other_token, third).json["result"] == "admitted"
    revoke_device(organiser, other)
    assert scan(client, other_token, third).status_code == 401
    devices.forget_devices()


def test_a_remembered_device_still_walks_people_in_and_annuls_as_its_organiser(
        app, client, organiser, event):
    """The worker's copy of a device keeps only the device, its event and organiser: what a
    request needs beyond them (the organiser's roles and the event's staff for an annulment,
    the event's tags and sessions for a walk-in) is read, not missing."""
    app.config["DEVICE_CACHE_SECONDS"] = 3
    devices.forget_devices()
    try:
        _device, token = create_device(organiser, event, "Гол хаалга")
        admitted = scan(client, token, person(event).ticket.code).json
        assert admitted["result"] == "admitted" and devices._cache  # noqa: SLF001 - remembered
        annul = call(client, "POST", f"/{admitted['checkin_id']}/annul", token,
                     {"reason": "Буруу уншуулсан"})
        assert annul.status_code == 200 and annul.json["annulled"] is True
        walk = call(client, "POST", "/walk-in", token, {
            "name": "Ирсэн Хүн", "phone": "88112233", "consent": True, "nonce": "walk-9"})
        assert walk.status_code == 200 and walk.json["result"] == "admitted"
        assert call(client, "GET", "/figures", token).status_code == 200
    finally:
        devices.forget_devices()


def test_a_device_checks_in_only_at_its_own_event(client, organiser, event, token):
    other = event_on(organiser, whole_day=True, title_mn="Агаарын форум")
    stranger = person(other, "Гадны хүн")
    response = scan(client, token, stranger.ticket.code)
    assert response.json["result"] == "wrong_event"
    assert response.json["other_event"] == {"id": other.id, "title": "Агаарын форум"}
    assert response.json["attendee"] is None
    row = db.session.scalar(select(CheckIn))
    assert row.event_id == event.id and row.result == "wrong_event"
    # Nor can it search, annul or read figures of the other event.
    assert call(client, "GET", "/search?q=Гадны", token).json["results"] == []
    other_token = device_token(organiser, other)
    admitted = scan(client, other_token, stranger.ticket.code).json
    annul = call(client, "POST", f"/{admitted['checkin_id']}/annul", token, {"reason": "x"})
    assert annul.status_code == 404


@pytest.mark.parametrize("body, field", [
    ({"code": "DF1-AAAA"}, "nonce"),
    ({"nonce": "n-1"}, "code"),
    ({"code": 123, "nonce": "n-1"}, "code"),
    ({"code": ["DF1-A"], "nonce": "n-1"}, "code"),
    ({"code": "D" * 10_000, "nonce": "n-1"}, "code"),
    ({"code": "DF1-AAAA", "nonce": "x" * 65}, "nonce"),
    ({"code": "DF1-AAAA", "nonce": 5}, "nonce"),
    ({"code": "DF1-AAAA", "nonce": "n-1", "session_id": "one"}, "session_id"),
    ({"code": "DF1-AAAA", "nonce": "n-1", "session_id": 99_999_999_999}, "session_id"),
    ({"code": "DF1-AAAA", "nonce": "n-1", "gate": "G" * 61}, "gate"),
    ({"code": "DF1-AAAA", "nonce": "n-1", "admin": True}, "admin"),
])
def test_bad_input_is_422_with_the_field_and_records_nothing(client, token, body, field):
    response = call(client, "POST", "", token, body)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.json["code"] == "invalid" and field in response.json["fields"]
    assert checkins() == 0


@pytest.mark.parametrize("raw, status", [("{not json", 400), ("[1, 2]", 422), ("null", 422),
                                         ("x" * 200_000, 413)])
def test_a_body_that_is_not_a_json_object_is_refused(client, token, raw, status):
    response = call(client, "POST", "", token, raw)
    assert response.status_code == status and response.is_json
    assert checkins() == 0


def test_the_offline_pack_has_an_etag_and_answers_304_when_unchanged(client, event, token):
    code = person(event).ticket.code
    first = call(client, "GET", "/offline-pack", token)
    assert first.status_code == 200 and first.json["event_id"] == event.id
    etag = first.headers["ETag"]
    assert etag.strip('"') == first.json["version"] and len(first.json["entries"]) == 1
    same = call(client, "GET", "/offline-pack", token, headers={"If-None-Match": etag})
    assert same.status_code == 304 and same.data == b""
    scan(client, token, code)
    changed = call(client, "GET", "/offline-pack", token, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert pack_entry(changed.json, code)["admitted"] == ["event"]


def test_the_offline_pack_comes_gzipped_to_a_phone_that_accepts_it(client, event, token):
    code = person(event, "Номин").ticket.code
    plain = call(client, "GET", "/offline-pack", token)
    zipped = call(client, "GET", "/offline-pack", token, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert zipped.headers["ETag"] == plain.headers["ETag"]
    assert len(zipped.data) < len(plain.data)
    pack = json.loads(gzip.decompress(zipped.data))
    assert pack_entry(pack, code)["name"] == "Номин"


def test_figures_have_the_live_shape(client, event, token):
    code = person(event, stakeholder_kind="academia").ticket.code
    scan(client, token, code)
    figures = call(client, "GET", "/figures", token).json
    assert {"checked_in", "confirmed", "capacity", "per_10_minutes", "by_stakeholder",
            "recent"} <= set(figures)
    assert (figures["checked_in"], figures["confirmed"], figures["capacity"]) == (1, 1, 3)
    assert figures["by_stakeholder"] == {"academia": 1}
    assert len(figures["per_10_minutes"]) == 18
    assert {"at", "count"} == set(figures["per_10_minutes"][0])
    assert figures["recent"][0]["result"] == "admitted"


def test_search_finds_cyrillic_names_and_code_fragments(client, event, token):
    saraa = person(event, "Батын Сараа")
    person(event, "Дорж")
    by_name = call(client, "GET", "/search?q=САРАА", token).json["results"]
    assert [r["name"] for r in by_name] == ["Батын Сараа"]
    fragment = saraa.ticket.code[:11].lower()  # the start of the code, as read off it
    by_code = call(client, "GET", f"/search?q={fragment}", token).json["results"]
    assert [r["code"] for r in by_code] == [saraa.ticket.code]
    assert call(client, "GET", "/search?q=" + "я" * 101, token).status_code == 422
    assert call(client, "GET", "/search?q=%00", token).status_code == 400  # NUL: never stored


def test_walk_in_at_a_full_event_needs_an_over_capacity_reason(client, event, token):
    for _ in range(3):
        person(event)
    walk = {"name": "Ирсэн Хүн", "phone": "88112233", "consent": True, "nonce": "walk-1",
            "gate": "Гол хаалга"}
    full = call(client, "POST", "/walk-in", token, walk)
    assert full.status_code == 409 and full.json["code"] == "full"
    assert db.session.scalar(select(func.count(Registration.id))) == 3

    admitted = call(client, "POST", "/walk-in", token,
                    walk | {"over_capacity_reason": "Хэвлэлийн төлөөлөгч"})
    assert admitted.status_code == 200 and admitted.json["result"] == "admitted"
    assert admitted.json["attendee"]["name"] == "Ирсэн Хүн"
    assert db.session.scalar(select(func.count(Registration.id))) == 4

    invalid = call(client, "POST", "/walk-in", token, {"name": "", "consent": False,
                                                       "nonce": "walk-2"})
    assert invalid.status_code == 422 and {"name", "consent"} <= set(invalid.json["fields"])


def test_an_admission_is_annulled_through_the_api_with_a_reason(client, event, token):
    code = person(event).ticket.code
    admitted = scan(client, token, code).json
    path = f"/{admitted['checkin_id']}/annul"
    no_reason = call(client, "POST", path, token, {"reason": " "})
    assert no_reason.status_code == 422 and "reason" in no_reason.json["fields"]
    done = call(client, "POST", path, token, {"reason": "Буруу уншуулсан"})
    assert done.status_code == 200 and done.json == {"id": admitted["checkin_id"],
                                                     "annulled": True}
    assert call(client, "POST", path, token, {"reason": "Дахин"}).json["code"] == \
        "already_annulled"
    assert scan(client, token, code).json["result"] == "admitted"


def test_sync_records_the_queued_scans(client, event, token):
    code = person(event).ticket.code
    scans = [{"code": code, "nonce": "offline-1", "scanned_at": utcnow().isoformat() + "Z",
              "local_result": "admitted"}]
    response = call(client, "POST", "/sync", token, {"scans": scans})
    assert response.status_code == 200
    assert response.json["results"][0]["result"] == "admitted"
    assert response.json["results"][0]["nonce"] == "offline-1"
    assert call(client, "POST", "/sync", token, {"scans": "no"}).status_code == 422
    assert checkins() == 1 and db.session.scalar(select(CheckIn)).offline


def test_the_cli_prints_a_token_that_works_against_the_api(app, client, event):
    code = person(event).ticket.code
    result = app.test_cli_runner().invoke(
        args=["create-device-token", "--event", str(event.id), "--name", "Хаалга 3"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert len(token.splitlines()) == 1 and len(token) >= 40
    assert scan(client, token, code).json["result"] == "admitted"
    row = db.session.scalar(select(CheckIn))
    assert row.device.name == "Хаалга 3" and row.staff_id is None

    missing = app.test_cli_runner().invoke(args=["create-device-token", "--event", "999999",
                                                 "--name", "x"])
    assert missing.exit_code != 0
