"""Importing a hand-over file: checked twice (as before issue 14) against checked once.

    .venv/bin/python benchmarks/bundle_import.py [--runs 10]

For the example conference and the example grown as benchmarks/exports.py grows it (500 board
points, 50 invitees, 40 actions), written once as a hand-over file, then imported as a copy
--runs times each way, interleaved so drift hits both alike:
- twice: read_bundle (which checks the file) then import_conference of the dict (which checks
  it again) - the CLI's and the window's import before issue 14;
- once: read_checked then import_conference of the CheckedBundle - the import now.
Prints the total CPU time (time.process_time, which waits for no other process) of each, the
ratio once/twice, and the CPU time of one full check alone, for scale.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from exports import grow  # noqa: E402 (the grown example is the exports benchmark's)


def measure(db, path: Path, runs: int) -> tuple[float, float, float]:  # noqa: ANN001
    from csfacilitator.core import bundle, bundle_format

    twice = once = 0.0
    for _ in range(runs):
        start = time.process_time()
        bundle.import_conference(db, bundle.read_bundle(path), on_conflict="copy")
        twice += time.process_time() - start
        start = time.process_time()
        bundle.import_conference(db, bundle.read_checked(path), on_conflict="copy")
        once += time.process_time() - start
    data = bundle.read_bundle(path)
    start = time.process_time()
    for _ in range(runs):
        bundle_format.check(data, "The file")
    return twice, once, (time.process_time() - start) / runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    from csfacilitator.core import bundle
    from csfacilitator.core.example import add_example
    from csfacilitator.paths import resolve
    from csfacilitator.storage import open_database

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = open_database(resolve(folder / "data"))
        try:
            example = add_example(db)
            plain = bundle.write_bundle(db, example, folder / "example.csfconf")
            grow(db, example)
            grown = bundle.write_bundle(db, example, folder / "grown.csfconf")
            bundle.import_conference(db, bundle.read_checked(plain), on_conflict="copy")  # warm
            print(f"Import as a copy, {args.runs} imports each way, CPU seconds:")
            print(
                f"{'file':<10} {'KB':>6} {'twice':>8} {'once':>8} {'once/twice':>11} {'1 check':>8}"
            )
            for name, path in (("example", plain), ("grown", grown)):
                twice, once, check = measure(db, path, args.runs)
                size = path.stat().st_size // 1024
                print(
                    f"{name:<10} {size:>6} {twice:>8.3f} {once:>8.3f} {once / twice:>10.2f}x "
                    f"{check:>8.4f}"
                )
        finally:
            db.close()


if __name__ == "__main__":
    main()
