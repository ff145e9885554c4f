"""Rate limits without Redis count in each worker's memory (extensions.SweptMemoryStorage):
limits' own memory storage started a timer thread on nearly every counted request, and
Thread.start() waits until the new thread runs, so at a rush every registration and every scan
waited for the scheduler (issue 14). The counters still expire with their window, and the
expired ones still leave memory."""

import threading
from types import SimpleNamespace

import pytest
from limits import parse
from limits.strategies import FixedWindowRateLimiter

from forum_app import extensions
from forum_app.extensions import SweptMemoryStorage, limiter
from tests import factories


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def time(self):
        return self.now

    def monotonic(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr("limits.storage.memory.time", clock)
    monkeypatch.setattr("limits.limits.time", clock, raising=False)
    monkeypatch.setattr("limits.strategies.time", clock)
    monkeypatch.setattr(extensions, "time", SimpleNamespace(monotonic=clock.monotonic))
    return clock


@pytest.fixture
def no_threads(monkeypatch):
    started = []
    monkeypatch.setattr(threading.Thread, "start", lambda thread: started.append(thread))
    return started


def test_a_limit_refuses_past_its_count_and_frees_again_after_its_window(clock, no_threads):
    limiter_, limit = FixedWindowRateLimiter(SweptMemoryStorage("swept://")), parse("3 per minute")
    no_threads.clear()  # limits' own start-up timer, once per worker
    hits = [limiter_.hit(limit, "net:203.0.113.0/24") for _ in range(5)]
    assert hits == [True, True, True, False, False]
    clock.now += 61
    assert limiter_.hit(limit, "net:203.0.113.0/24")
    assert no_threads == []  # nothing started a thread, however many hits


def test_expired_counters_leave_memory_with_the_next_hits(clock, no_threads):
    storage = SweptMemoryStorage("swept://")
    limiter_ = FixedWindowRateLimiter(storage)
    no_threads.clear()
    for n in range(50):
        limiter_.hit(parse("10 per minute"), f"net:10.0.{n}.0/24")
    assert len(storage.storage) == 50
    clock.now += 120
    limiter_.hit(parse("10 per minute"), "net:198.51.100.0/24")
    assert [key for key in storage.storage] == ["LIMITER/net:198.51.100.0/24/10/1/minute"]
    assert no_threads == []


def test_the_app_counts_in_the_swept_memory_without_redis(app_factory, no_threads):
    app = app_factory(RATELIMIT_ENABLED=True, REGISTRATION_NETWORK_LIMIT="2 per hour")
    client = app.test_client()
    with app.app_context():
        factories.seed_reference()
        event_id = factories.event(capacity=10).id
        limiter.reset()
    no_threads.clear()
    codes = [client.post(f"/api/v1/events/{event_id}/registrations",
                         json={"name": f"Зочин {n}", "email": f"g{n}@example.mn",
                               "consent": True},
                         environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code
             for n in range(3)]
    assert codes == [201, 201, 429]
    assert isinstance(limiter.storage, SweptMemoryStorage)
    assert no_threads == []
