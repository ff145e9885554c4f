"""The open data files at scale: the demo plus 20,000 issues and their forum record
(`flask seed-scale`), on SQLite (or DATABASE_URL). Measures one full build of every file, the
check a request makes when the kept build is current (the record's version and the manifest),
and the files' sizes as they are and in the compressed copies kept beside them (br, gzip).
Goal: a request that finds the files current costs milliseconds; a build (at most once every
OPEN_DATA_SECONDS, in a thread while the last files are served) stays within seconds.

    .venv/bin/python benchmarks/open_data.py [--issues 20000] [--rounds 3]

Writes benchmarks/results/open_data.json and prints it.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.offline_pack import timed  # noqa: E402
from benchmarks.wrk_rounds import machine, write_report  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--issues", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(tmp) / 'open.sqlite'}"
        from forum_app import create_app
        from forum_app.extensions import db
        from forum_app.opendata import files

        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url,
                         OPEN_DATA_FOLDER=str(Path(tmp) / "open-data"))
        with app.app_context():
            db.create_all()
            runner = app.test_cli_runner()
            for command in (["seed-demo"], ["seed-scale", "--registrations", "0", "--issues",
                                            str(options.issues), "--checkins", "0"]):
                result = runner.invoke(args=command)
                assert result.exit_code == 0, result.output
        with app.test_request_context():
            root = files._root()  # noqa: SLF001
            version = files.current_version()
            withdrawn = files.withdrawals()
            build_ms, snapshot = timed(
                lambda: files.build(root, version, withdrawn, None), options.rounds)
            current_ms, _ = timed(files.snapshot, options.rounds * 10)
            withdrawals_ms, _ = timed(files.withdrawals, options.rounds * 10)
    report = {"meta": machine(), "database": url.split(":", 1)[0], "issues": options.issues,
              "build_ms_every_file": build_ms, "current_check_ms": current_ms,
              "withdrawals_check_ms": withdrawals_ms,
              "bytes": {name: {"identity": entry.size, **entry.encoded}
                        for name, entry in snapshot.files.items()},
              "goal": "current check in a few ms; a build in seconds, at most once every "
                      "OPEN_DATA_SECONDS"}
    print(write_report("open_data", report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
