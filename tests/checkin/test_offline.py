"""Scanning without network: the pack a device verifies against, and the sync of what it
queued, where two devices that both admitted one ticket are reported as a conflict."""

import hashlib
from datetime import timedelta

from sqlalchemy import select

from forum_app.checkin.models import CheckIn
from forum_app.checkin.offline import offline_pack, pack_version, sync_scans
from forum_app.checkin.services import annul_check_in, check_in, live_figures
from forum_app.extensions import db
from forum_app.i18n import utcnow
from forum_app.registration.services import cancel_registration
from tests.support import counted_queries

from .support import event_on, local, nonce, pack_entry, person, today


def sha(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def queued(code: str, minutes_ago: int = 5, **extra) -> dict:
    at = max(utcnow() - timedelta(minutes=minutes_ago), local(today(), 0))
    return {"code": code, "nonce": nonce(), "scanned_at": at.isoformat() + "Z",
            "local_result": "admitted"} | extra


def test_the_pack_holds_hashed_codes_with_names_and_states(event, organiser):
    saraa = person(event, "Батын Сараа", stakeholder_kind="business", organisation="Эко Вүүл",
                   accessibility_needs="Тэргэнцэртэй")
    gone = person(event, "Явсан хүн")
    cancel_registration(gone, actor=organiser, by_staff=True)
    stranger = person(event_on(organiser), "Өөр арга хэмжээ")

    pack = offline_pack(event)
    assert pack["event_id"] == event.id and pack["entry_mode"] == "event"
    assert len(pack["entries"]) == 2
    assert pack_entry(pack, stranger.ticket.code) is None
    assert saraa.ticket.code not in str(pack)  # no usable code on the device
    assert sha(saraa.ticket.code) not in str(pack)  # only a prefix of its hash
    entry = pack_entry(pack, saraa.ticket.code)
    assert entry["name"] == "Батын Сараа" and entry["kind"] == "business"
    assert entry["organisation"] == "Эко Вүүл" and entry["access"] == "Тэргэнцэртэй"
    assert entry["state"] == "valid" and entry["admitted"] == [] and pack["kinds"]["business"]
    assert pack_entry(pack, gone.ticket.code)["state"] == "cancelled"
    assert pack["dates"]["start"] == today().isoformat()


def test_the_packs_version_changes_only_when_an_entry_changes(event, organiser):
    code = person(event).ticket.code
    version = offline_pack(event)["version"]
    assert offline_pack(event)["version"] == version
    check_in(code, event=event, device=None, staff=organiser, nonce=nonce())
    changed = offline_pack(event)
    assert changed["version"] != version
    assert pack_entry(changed, code)["admitted"] == ["event"]


def test_the_packs_version_is_read_without_building_the_pack(event, organiser):
    """A phone asks every minute whether its list is still current: one query answers,
    and every change a door would notice gives a new version."""
    first = person(event)
    version = pack_version(event)
    assert offline_pack(event)["version"] == version
    with counted_queries() as statements:
        assert pack_version(event) == version
    assert len(statements) == 1 and "tickets" not in statements[0]

    second = person(event)
    assert pack_version(event) != version
    version = pack_version(event)
    cancel_registration(second, actor=organiser, by_staff=True)
    assert pack_version(event) != version
    version = pack_version(event)
    admitted = check_in(first.ticket.code, event=event, device=None, staff=organiser,
                        nonce=nonce())
    assert pack_version(event) != version
    version = pack_version(event)
    annul_check_in(organiser, db.session.get(CheckIn, admitted.checkin_id), "Буруу уншуулсан")
    assert pack_version(event) != version
    assert pack_entry(offline_pack(event), first.ticket.code)["admitted"] == []


def test_two_devices_that_admitted_one_ticket_offline_are_counted_once(event, organiser):
    from forum_app.checkin.devices import create_device

    code = person(event, "Давхар орсон").ticket.code
    gate_1, _ = create_device(organiser, event, "Хаалга 1")
    gate_2, _ = create_device(organiser, event, "Хаалга 2")

    first = sync_scans(gate_1, organiser, [queued(code, minutes_ago=9)])
    assert first[0]["result"] == "admitted" and first[0]["conflict"] is False
    scan = queued(code, minutes_ago=7)
    second = sync_scans(gate_2, organiser, [scan])
    assert second[0]["result"] == "already_checked_in"
    assert second[0]["conflict"] is True and second[0]["nonce"] == scan["nonce"]
    assert second[0]["previous"]["by"] == "Сарангэрэл"

    standing = db.session.scalars(select(CheckIn).where(
        CheckIn.result == "admitted", CheckIn.annulled_at.is_(None))).all()
    assert len(standing) == 1 and standing[0].device_id == gate_1.id and standing[0].offline
    assert live_figures(event)["checked_in"] == 1
    conflict = db.session.scalar(select(CheckIn).where(CheckIn.conflict.is_(True)))
    assert conflict.device_id == gate_2.id

    # The device did not hear the answer and sends its queue again: nothing changes.
    assert sync_scans(gate_2, organiser, [scan]) == second
    assert db.session.query(CheckIn).count() == 2


def test_a_sync_reports_each_scan_and_skips_broken_ones(event, organiser):
    from forum_app.checkin.devices import create_device

    device, _ = create_device(organiser, event, "Хаалга 1")
    good = person(event).ticket.code
    answers = sync_scans(device, organiser, [
        queued(good), {"code": good, "nonce": "", "scanned_at": "2026-01-01T00:00:00Z"},
        queued(good) | {"scanned_at": "yesterday"}, "not a scan", queued("DF1-NOPE")])
    assert answers[0]["result"] == "admitted"
    assert answers[1]["code"] == "bad_nonce" and answers[1]["error"]
    assert answers[2]["code"] == "invalid" and answers[3]["code"] == "invalid"
    assert answers[4]["result"] == "unknown" and answers[4]["conflict"] is False
    assert db.session.query(CheckIn).count() == 2


def test_a_scan_the_phone_refused_offline_is_never_counted_in_on_sync(event, organiser):
    """The pack was older than this ticket: the phone said "unknown" and turned the person
    away. The server knows the ticket, but nobody is counted in; the disagreement is
    reported as a conflict."""
    from forum_app.checkin.devices import create_device

    code = person(event, "Хожуу бүртгүүлсэн").ticket.code
    gate, _ = create_device(organiser, event, "Хаалга 3")
    [answer] = sync_scans(gate, organiser, [queued(code, local_result="unknown")])
    assert answer["result"] == "unknown" and answer["conflict"] is True
    rows = db.session.scalars(select(CheckIn)).all()
    assert [(r.result, r.conflict) for r in rows] == [("unknown", True)]
    assert live_figures(event)["checked_in"] == 0
