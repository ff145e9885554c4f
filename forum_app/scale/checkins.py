"""Scans at the door: most tickets admitted (the big event's once on each of its two days),
plus the scans a real door also sees: the same ticket twice, codes nobody issued."""

import random
import secrets
from datetime import timedelta

from ..checkin.models import CheckIn, CheckInResult
from .bulk import insert_rows, next_id
from .events import ScaleEvent

GATES = ("Гол хаалга", "Хойд хаалга", "Баруун хаалга")
SHOW_UP = 0.8  # of confirmed tickets, per day


def _admissions(tickets: list[tuple[int, int, str]], events: dict[int, ScaleEvent],
                chooser: random.Random) -> list[tuple[int, int, str, object]]:
    """(ticket id, event id, scope, day) of each admission: once per event, or once a day."""
    made = []
    for ticket_id, event_id, _code in tickets:
        event = events[event_id]
        for day in event.day_dates:
            if chooser.random() < SHOW_UP:
                scope = f"day:{day.isoformat()}" if event.days > 1 else "event"
                made.append((ticket_id, event_id, scope, day))
    chooser.shuffle(made)
    return made


def add_checkins(total: int, tickets: list[tuple[int, int, str]],
                 events: dict[int, ScaleEvent], chooser: random.Random) -> int:
    """About nine scans in ten admit someone; the rest are repeats and unknown codes. No
    commit; returns how many rows."""
    admissions = _admissions(tickets, events, chooser)[: int(total * 0.9)]
    first = next_id(CheckIn.__table__)
    codes = {ticket_id: code for ticket_id, _event, code in tickets}
    rows = []
    for n in range(total):
        if n < len(admissions):
            ticket_id, event_id, scope, day = admissions[n]
            result = CheckInResult.ADMITTED.value
        elif admissions and n % 3:
            ticket_id, event_id, scope, day = chooser.choice(admissions)
            result = CheckInResult.ALREADY.value
        else:
            ticket_id, event_id, scope, day = None, chooser.choice(list(events)), "event", None
            result = CheckInResult.UNKNOWN.value
        event = events[event_id]
        start = event.starts_at + timedelta(days=(day - event.day_dates[0]).days if day else 0)
        moment = start - timedelta(minutes=40) + timedelta(seconds=chooser.randint(0, 4 * 3600))
        rows.append({
            "id": first + n, "nonce": secrets.token_hex(16), "event_id": event_id,
            "ticket_id": ticket_id, "gate": GATES[n % len(GATES)], "scope": scope,
            "code_scanned": codes.get(ticket_id, "DF1-" + secrets.token_hex(8).upper()),
            "result": result, "created_at": moment, "scanned_at": moment,
            "offline": n % 25 == 0, "conflict": False})
    return insert_rows(CheckIn.__table__, rows)
