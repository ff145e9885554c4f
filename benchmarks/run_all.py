"""`make bench`: run every benchmark script of this folder, one after the other, each in its
own process (they start their own servers), and print each one's JSON under its name.

    .venv/bin/python benchmarks/run_all.py [name ...]    e.g. registration_throughput

A benchmark is a module here with a main guard; bare_app.py (the ceiling one of them serves)
and loadgen.py (their load generator) are helpers, not benchmarks."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
HELPERS = {"__init__", "bare_app", "loadgen", "run_all"}


def benchmarks() -> list[Path]:
    return sorted(path for path in HERE.glob("*.py")
                  if path.stem not in HELPERS and "__main__" in path.read_text())


def main(names: list[str]) -> int:
    chosen = [path for path in benchmarks() if not names or path.stem in names]
    failed = []
    for path in chosen:
        print(f"== {path.stem}", flush=True)
        if subprocess.run([sys.executable, str(path)], cwd=HERE.parent).returncode != 0:
            failed.append(path.stem)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
