"""Real HTTP from test threads: a POST that returns (status, body), and "all at once"."""

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def post(url: str, payload: dict | None = None, form: bytes | None = None,
         headers: dict | None = None) -> tuple[int, bytes]:
    data = json.dumps(payload).encode() if payload is not None else form
    sent = {"Content-Type": "application/json" if payload is not None
            else "application/x-www-form-urlencoded"} | (headers or {})
    request = urllib.request.Request(url, data=data, headers=sent, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def all_at_once(count: int, work):
    """Run work(0..count-1) in `count` threads released together by a barrier."""
    barrier = threading.Barrier(count)

    def run(n):
        barrier.wait()
        return work(n)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))
