"""Which gunicorn worker class and count serve this app best on this machine (issue 14):
each configuration serves guest registration, check-in redeem and an event page under wrk
(the rounds and Lua scripts of wrk_rounds.py), beside the ceilings A and B measured under the
same configuration just before; the configurations take turns, REPEATS times, in a rotating
order, so that a change in the machine's load falls on all of them. Besides rates and p99,
the CPU time the server's processes spent per request (from /proc): that one does not depend
on what else the machine runs.

    .venv/bin/python benchmarks/worker_sweep.py [--repeats 2] [--seconds 5] [--warmup 2]
        [--configs sync:2,sync:3,sync:4,sync:5,gthread:2x4,gthread:3x2]

Prints a Markdown table (median over the repeats of each figure) and writes it with the raw
figures to benchmarks/results/worker_sweep.{md,json}. Not a test.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.registration_throughput import start_gunicorn  # noqa: E402
from benchmarks.wrk_rounds import RESULTS, machine, prepare, production_env, run_wrk  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def parse_config(text: str) -> dict:
    """"sync:4" -> 4 sync workers; "gthread:2x4" -> 2 gthread workers of 4 threads each."""
    kind, _sep, size = text.partition(":")
    workers, _x, threads = size.partition("x")
    extra = ("--worker-class", "gthread", "--threads", threads) if kind == "gthread" else ()
    return {"name": text, "workers": int(workers), "extra": extra}


def server_cpu(master: int) -> float:
    """Seconds of CPU used so far by gunicorn's master and its live workers."""
    pids = [master] + [int(pid) for task in Path(f"/proc/{master}/task").iterdir()
                       for pid in (task / "children").read_text().split()]
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


def measured(server, port: int, path: str, script: str, args: list[str], options) -> dict:
    """A wrk round (wrk_rounds.run_wrk) with the server's CPU per request of that round."""
    mark = {}
    result = run_wrk(port, path, script, args, options,
                     before_round=lambda: mark.update(cpu=server_cpu(server.pid)))
    spent = server_cpu(server.pid) - mark["cpu"]
    return result | {"cpu_ms_per_request": round(1000 * spent / max(result["requests"], 1), 2)}


def one_turn(config: dict, base_db: Path, data: dict, tmp: Path, turn: str, options) -> dict:
    bare_env = {"BARE_DB": str(tmp / f"bare-{turn}.sqlite")}
    server, port = start_gunicorn("benchmarks.bare_app:app", bare_env, config["workers"],
                                  extra=config["extra"])
    try:
        figures = {"A": measured(server, port, "/", "get.lua", [], options),
                   "B": measured(server, port, "/insert", "insert.lua", [], options)}
    finally:
        server.terminate()
        server.wait()
    database = tmp / f"forum-{turn}.sqlite"
    shutil.copy(base_db, database)  # the same data, not yet registered or scanned
    server, port = start_gunicorn("wsgi:app", production_env(f"sqlite:///{database}", str(tmp)),
                                  config["workers"], extra=config["extra"])
    path = f"/api/v1/events/{data['rush_id']}/registrations"
    try:
        figures["registration"] = measured(server, port, path, "register.lua",
                                           [path, turn], options)
        figures["redeem"] = measured(server, port, "/api/v1/checkin", "redeem.lua",
                                     [data["token"], str(tmp / "codes.txt"),
                                      str(options.threads)], options)
        figures["event page"] = measured(server, port, f"/events/{data['slug']}", "get.lua",
                                         [], options)
    finally:
        server.terminate()
        server.wait()
    return figures


ROWS = (("registration", "B"), ("redeem", "B"), ("event page", "A"))


def table(configs: list[dict], turns: dict, meta: dict) -> str:
    lines = [f"gunicorn worker sweep, {meta['when']}; {meta['cpus']} × {meta['cpu']}; "
             f"wrk -t{meta['threads']} -c{meta['connections']} -d{meta['seconds']}s after "
             f"{meta['warmup']} s of warm-up; median of {meta['repeats']} turns each; "
             "SQLite, FORUM_ENV=production, rate limits off", "",
             f"Load before: `{meta['uptime_before']}`", f"Load after: `{meta['uptime_after']}`",
             "", "| workers | A /s | B /s | " + " | ".join(
                 f"{name} /s (p99 ms) | × {ceiling} | CPU ms/req" for name, ceiling in ROWS)
             + " |", "|---|---|---|" + "---|---|---|" * len(ROWS)]
    for config in configs:
        runs = turns[config["name"]]

        def median(row, key, runs=runs):
            return statistics.median(run[row][key] for run in runs)

        cells = [config["name"], f"{median('A', 'per_s'):.0f}", f"{median('B', 'per_s'):.0f}"]
        for name, ceiling in ROWS:
            ratio = statistics.median(run[name]["per_s"] / run[ceiling]["per_s"]
                                      for run in runs)
            cells += [f"{median(name, 'per_s'):.0f} ({median(name, 'p99_ms'):.0f})",
                      f"{ratio:.3f}", f"{median(name, 'cpu_ms_per_request'):.2f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk's")
    parser.add_argument("--configs", default="sync:2,sync:3,sync:4,sync:5,gthread:2x4,gthread:3x2")
    args = parser.parse_args()
    options = SimpleNamespace(seconds=args.seconds, warmup=args.warmup,
                              connections=args.connections, threads=args.threads)
    configs = [parse_config(text) for text in args.configs.split(",")]
    meta = machine() | vars(args)
    turns = {config["name"]: [] for config in configs}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        base_db = tmp / "base.sqlite"
        data = prepare(f"sqlite:///{base_db}")
        (tmp / "codes.txt").write_text("\n".join(data["codes"]) + "\n")
        for repeat in range(args.repeats):
            shift = repeat % len(configs)
            for config in configs[shift:] + configs[:shift]:
                figures = one_turn(config, base_db, data, tmp, f"t{repeat}-{config['name']}",
                                   options)
                turns[config["name"]].append(figures)
                print(config["name"], {key: (value["per_s"], value["p99_ms"],
                                             value["cpu_ms_per_request"])
                                       for key, value in figures.items()}, flush=True)
    meta["uptime_after"] = subprocess.run(["uptime"], capture_output=True,
                                          text=True).stdout.strip()
    markdown = table(configs, turns, meta)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "worker_sweep.md").write_text(markdown)
    (RESULTS / "worker_sweep.json").write_text(json.dumps({"meta": meta, "turns": turns},
                                                          indent=1, ensure_ascii=False))
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
