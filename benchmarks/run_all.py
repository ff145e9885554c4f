"""`make bench`: the benchmarks of issue 14 end to end, each in its own process (they start
their own servers), in under 10 minutes on 2 cores:

1. wrk_rounds     ceilings A and B, the rush, the door, the public and signed-in pages under
                  wrk; SQLite, and PostgreSQL beside it when DATABASE_URL is set (that
                  database is emptied and filled)
2. write_path     statements and write transactions per registration and per redeem
                  (SQLite; PostgreSQL too when DATABASE_URL is set)
3. offline_pack   the scanner's offline pack of 100,000 registrations: size, build time
4. large_data     the pages that grow with the data, on a SQLite database built here by
                  `flask seed-scale`, and registration and redeem on it (left out by --quick)

Only by name, as it takes 4-6 minutes more (seed-scale on PostgreSQL alone takes 2-3):
   large_data_postgresql   large_data on the database of DATABASE_URL (emptied and filled
                           with the scale data unless it holds them already)

    .venv/bin/python benchmarks/run_all.py [--quick] [name ...]
    make bench [BENCH="wrk_rounds large_data_postgresql"]

Each writes its results under benchmarks/results/; at the end this prints how long each
took, the total, and which failed (exit 1 when one did). The other scripts here
(registration_throughput, checkin_latency with a camera, forum_live, profile_write_path,
worker_sweep, public_pages) run on their own by name."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
DEFAULT = ["wrk_rounds", "write_path", "offline_pack", "large_data"]
GOAL_SECONDS = 600
POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgresql")


def _run(script: str, *args: str, env: dict | None = None) -> bool:
    """benchmarks/<script>.py with `args`; `env` adds to the environment, and a None value
    removes the variable."""
    merged = {**os.environ, **(env or {})}
    merged = {key: value for key, value in merged.items() if value is not None}
    command = [PYTHON, str(HERE / f"{script}.py"), *args]
    return subprocess.run(command, cwd=ROOT, env=merged).returncode == 0


def write_path() -> bool:
    """Once per database: SQLite, then the one of DATABASE_URL."""
    ok = _run("write_path", env={"DATABASE_URL": None})
    return (_run("write_path") if POSTGRESQL else True) and ok


def large_data() -> bool:
    """On a SQLite database that large_data builds (demo data, then 100,000 registrations,
    20,000 issues, 200,000 check-ins) in an empty instance folder; each export measured
    twice after a warm-up that stops at the first bytes (each round is the whole
    file: 16 s on a quiet machine)."""
    with tempfile.TemporaryDirectory() as instance:
        return _run("large_data", "--rounds", "5", "--warmup", "1", "--export-rounds", "2",
                    env={"FORUM_INSTANCE_PATH": instance, "DATABASE_URL": None})


def large_data_postgresql() -> bool:
    if not POSTGRESQL:
        print("large_data_postgresql needs DATABASE_URL=postgresql+psycopg://...",
              file=sys.stderr)
        return False
    return _run("large_data", "--rounds", "5", "--warmup", "1", "--export-rounds", "1")


STEPS = {
    "wrk_rounds": lambda: _run("wrk_rounds"),
    "write_path": write_path,
    "offline_pack": lambda: _run("offline_pack", "--rounds", "2", env={"DATABASE_URL": None}),
    "large_data": large_data,
    "large_data_postgresql": large_data_postgresql,
}


def _step(name: str) -> bool:
    """One step; an exception in it is its failure, not the end of the run."""
    step = STEPS.get(name) or (lambda: _run(name))
    try:
        return step()
    except Exception as error:  # noqa: BLE001 - reported, and the run goes on
        print(f"{name}: {error!r}", file=sys.stderr)
        return False


def main(arguments: list[str]) -> int:
    quick = "--quick" in arguments
    names = [name for name in arguments if name != "--quick"] or \
        [name for name in DEFAULT if not (quick and name == "large_data")]
    unknown = [name for name in names if name not in STEPS and not (HERE / f"{name}.py").is_file()]
    if unknown:
        print(f"no such benchmark: {', '.join(unknown)} (steps: {', '.join(STEPS)})",
              file=sys.stderr)
        return 2
    print(f"== make bench: {', '.join(names)} on SQLite"
          + (" and PostgreSQL (DATABASE_URL)" if POSTGRESQL else ""), flush=True)
    outcomes, started = [], time.monotonic()
    for name in names:
        began = time.monotonic()
        print(f"== {name}", flush=True)
        ok = _step(name)
        outcomes.append((name, ok, time.monotonic() - began))
        print(f"== {name}: {'ok' if ok else 'FAILED'} in {time.monotonic() - began:.0f} s",
              flush=True)
    total = time.monotonic() - started
    print("\n== summary")
    for name, ok, seconds in outcomes:
        print(f"   {name:24} {'ok' if ok else 'FAILED':6} {seconds:5.0f} s")
    print(f"   {'total':24} {'':6} {total:5.0f} s ({total / 60:.1f} min; goal "
          f"{GOAL_SECONDS // 60} min{'' if total <= GOAL_SECONDS else ': over'})", flush=True)
    failed = [name for name, ok, _seconds in outcomes if not ok]
    if failed:
        print(f"make bench FAILED: {', '.join(failed)} (see above)", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
