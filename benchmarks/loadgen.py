"""A small closed-loop HTTP load generator: C clients, each with a keep-alive connection,
POSTing JSON as fast as answers come. Reports throughput and latency percentiles."""

import http.client
import json
import statistics
import threading
import time


def run_load(port: int, path: str, payload_for, clients: int, requests_per_client: int,
             headers: dict | None = None) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def client(index: int):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, codes = [], {}
        barrier.wait()
        for n in range(requests_per_client):
            body = json.dumps(payload_for(index * requests_per_client + n))
            started = time.perf_counter()
            connection.request("POST", path, body,
                               {"Content-Type": "application/json", **(headers or {})})
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            codes[response.status] = codes.get(response.status, 0) + 1
        connection.close()
        with lock:
            latencies.extend(mine)
            for code, count in codes.items():
                statuses[code] = statuses.get(code, 0) + count

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": round(elapsed, 3),
        "throughput_rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
        "statuses": statuses,
    }
