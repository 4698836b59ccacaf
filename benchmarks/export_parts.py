"""Every part of every document kind of the grown example, to compare the files before and
after a change to the writers (a speed change must change no byte of any part).

    .venv/bin/python benchmarks/export_parts.py write BEFORE_DIR   # on the old code
    .venv/bin/python benchmarks/export_parts.py write AFTER_DIR    # on the new code
    .venv/bin/python benchmarks/export_parts.py compare BEFORE_DIR AFTER_DIR

The example is grown as benchmarks/exports.py grows it (500 points, 50 invitees, 40 actions).
Each kind's file is unpacked into <dir>/<kind>/: every zip member by name, plus
'_members.txt' (the members in order with their compression). The one part that changes
from run to run, docProps/core.xml, has its created and modified times blanked; the
database is made in one fixed folder, since the DPIA names it. `compare`
names every member that differs and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.exports import each_kind, grown_example  # noqa: E402

_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def write(out: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    # One fixed folder, since the DPIA names the data folder.
    folder = Path(tempfile.gettempdir()) / "csfacilitator-export-parts"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    try:
        db, conference_id = grown_example(folder)
        for kind, _meeting, data, suffix in each_kind(db, conference_id, []):
            path = kind.write(data, folder / f"{kind.key}{suffix}")
            target = out / kind.key
            target.mkdir(parents=True, exist_ok=True)
            if suffix == ".csv":
                (target / "file.csv").write_bytes(path.read_bytes())
                continue
            with zipfile.ZipFile(path) as archive:
                members = [f"{i.filename} {i.compress_type}" for i in archive.infolist()]
                (target / "_members.txt").write_text("\n".join(members) + "\n")
                for info in archive.infolist():
                    data_bytes = archive.read(info)
                    if info.filename == "docProps/core.xml":
                        data_bytes = _TIMES.sub(rb"\1\2", data_bytes)
                    member = target / info.filename
                    member.parent.mkdir(parents=True, exist_ok=True)
                    member.write_bytes(data_bytes)
        db.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def compare(before: Path, after: Path) -> int:
    names = {p.relative_to(before) for p in before.rglob("*") if p.is_file()}
    names |= {p.relative_to(after) for p in after.rglob("*") if p.is_file()}
    differ = 0
    for name in sorted(names):
        a, b = before / name, after / name
        if not a.exists() or not b.exists() or a.read_bytes() != b.read_bytes():
            print(f"differs: {name}")
            differ += 1
    kinds = sorted({name.parts[0] for name in names})
    print(
        f"{len(names)} parts of {len(kinds)} kinds compared ({', '.join(kinds)}): {differ} differ"
    )
    return 1 if differ else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("write").add_argument("out", type=Path)
    compare_parser = sub.add_parser("compare")
    compare_parser.add_argument("before", type=Path)
    compare_parser.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "write":
        write(args.out)
    else:
        sys.exit(compare(args.before, args.after))


if __name__ == "__main__":
    main()
