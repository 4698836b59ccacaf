"""Write the example conference's hand-over file, resources/example/example.csfconf.

That file is the example's one home (csfacilitator/core/example.py adds it through the hand-over
import). Run this after the hand-over format changes, to bring the file up to the newest format,
or to make the example from a hand-over file exported from the app after editing the example:

    .venv/bin/python packaging/make_example.py               # the shipped file, rewritten
    .venv/bin/python packaging/make_example.py --from FILE   # FILE's conference is the example

Either way the conference is imported into an empty scratch database and exported again, so the
file holds exactly what the app writes. Its time stamps (exported, created, last changed) are set
to one fixed moment, so rewriting an unchanged example changes nothing; the app stamps the moment
the example is added anyway. Its dates are kept as they are (they are not relative to today).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "resources" / "example" / "example.csfconf"
MOMENT = "2026-11-05T00:00:00Z"  # any fixed moment will do: see the docstring


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path, default=TARGET, metavar="FILE")
    parser.add_argument("--to", dest="target", type=Path, default=TARGET, metavar="FILE")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from csfacilitator.core import bundle, bundle_format
    from csfacilitator.core.example import stamp
    from csfacilitator.paths import resolve
    from csfacilitator.storage import open_database

    data = bundle.read_checked(args.source)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(resolve(folder))
        try:
            exported = bundle.export_conference(db, bundle.import_conference(db, data))
        finally:
            db.close()
    exported["exported_at"] = MOMENT
    stamp(exported, MOMENT)
    args.target.parent.mkdir(exist_ok=True)
    args.target.write_bytes(bundle_format.to_bytes(exported))
    print(f"Wrote {args.target}: {exported['conference']['title']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
