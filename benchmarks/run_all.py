"""`make bench`: the benchmarks of issue 14 end to end, each in its own process (they start
their own servers), in under 10 minutes on 2 cores:

1. wrk_rounds     ceilings A and B, the rush, the door, the public pages under wrk
                  (SQLite; PostgreSQL too when DATABASE_URL is set)
2. write_path     statements and write transactions per registration and per redeem
                  (SQLite; PostgreSQL too when DATABASE_URL is set)
3. offline_pack   the scanner's offline pack of 100,000 registrations: size, build time
4. large_data     the pages that grow with the data, on a database built here by
                  `flask seed-demo` and `flask seed-scale` (skipped with --quick)

    .venv/bin/python benchmarks/run_all.py [--quick] [name ...]

Each writes its results under benchmarks/results/; this prints how long each took. The
other scripts here (registration_throughput, checkin_latency with a camera, forum_live) run on
their own by name."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
FLASK = str(Path(sys.executable).with_name("flask"))
DEFAULT = ["wrk_rounds", "write_path", "offline_pack", "large_data"]


def _run(command: list[str], env: dict | None = None, output=None) -> bool:
    """`env` adds to the environment; a None value removes the variable."""
    merged = {**os.environ, **(env or {})}
    merged = {key: value for key, value in merged.items() if value is not None}
    return subprocess.run(command, cwd=ROOT, env=merged, stdout=output).returncode == 0


def write_path() -> bool:
    """Once per database: SQLite, then the one of DATABASE_URL."""
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    ok = True
    databases = [("sqlite", {"DATABASE_URL": None})]
    if os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        databases.append(("postgresql", {}))
    for name, env in databases:
        with open(results / f"write_path_{name}.json", "w") as output:
            ok &= _run([PYTHON, str(HERE / "write_path.py")], env, output)
        print((results / f"write_path_{name}.json").read_text(), flush=True)
    return ok


def large_data() -> bool:
    """On a fresh SQLite database of the large-data command (demo data, then 100,000
    registrations, 20,000 issues, 200,000 check-ins), a few rounds a page."""
    with tempfile.TemporaryDirectory() as instance:
        env = {"FORUM_INSTANCE_PATH": instance, "FLASK_APP": "wsgi", "DATABASE_URL": None,
               "FORUM_ENV": "development"}
        built = all(_run([FLASK, *step], env, subprocess.DEVNULL) for step in
                    (["db", "upgrade"], ["seed-demo"], ["seed-scale"]))
        return built and _run([PYTHON, str(HERE / "large_data.py"), "--rounds", "5",
                               "--warmup", "1"], {"FORUM_INSTANCE_PATH": instance,
                                                  "DATABASE_URL": None})


STEPS = {
    "wrk_rounds": lambda: _run([PYTHON, str(HERE / "wrk_rounds.py")]),
    "write_path": write_path,
    "offline_pack": lambda: _run([PYTHON, str(HERE / "offline_pack.py"), "--rounds", "2"],
                                 {"DATABASE_URL": None}),
    "large_data": large_data,
}


def main(arguments: list[str]) -> int:
    quick = "--quick" in arguments
    names = [name for name in arguments if name != "--quick"] or \
        [name for name in DEFAULT if not (quick and name == "large_data")]
    failed, started = [], time.monotonic()
    for name in names:
        began = time.monotonic()
        print(f"== {name}", flush=True)
        step = STEPS.get(name) or (lambda name=name: _run([PYTHON, str(HERE / f"{name}.py")]))
        if not step():
            failed.append(name)
        print(f"== {name}: {time.monotonic() - began:.0f} s", flush=True)
    print(f"== all: {time.monotonic() - started:.0f} s", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
