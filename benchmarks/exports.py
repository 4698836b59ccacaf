"""Every document kind for the largest example, against python-docx writing the same text.

    .venv/bin/python benchmarks/exports.py [--runs 3]

The example conference (core.example) is grown to 500 board points on its conference meeting,
50 invitees and 40 actions, through the core. Then, for every kind in the registry
(core/documents.py) that is available for it, interleaved so drift hits both alike:
- app: gather the read model from the database and write the file, as the window and the CLI
  do (kind.gather_data, then kind.write);
- baseline: python-docx alone writing the same text — every string of the read model, found by
  walking it — as plain paragraphs, then saving. This is issue 14's baseline for every kind.
  A CSV kind is also set against csv.writer writing the same text to a file, a far stricter
  baseline (no database read, no durable write), printed beside it.
Prints the median per kind, the baseline and the ratio; targets: at most 2x and 1 s. The CPU
time of each (time.process_time, which waits for no other process) is measured alongside and
its ratio printed too: on a shared, busy machine the wall-clock ratio swings by half.

Garbage collection: each timing ends with gc.collect(), so each side pays for collecting what
it left for the collector, and neither for what the other left. python-docx's documents are
webs of reference cycles, so the baseline's document is freed only by a collection; without
this, that collection (and the freeing of its XML) came in whichever timing next triggered
one, usually the app's. The app's documents leave none (docx_base.release;
tests/test_speed_exports.py), so they are freed inside the app's timing as they are in the
app; what the app does leave (a few hundred objects of SQLAlchemy's) is printed, with the
baseline's, as "left for the collector". The heap built before the timings (the example, the
imports, one warm-up of each side) is frozen first (gc.freeze), as the app freezes its start
(app.main): a collection does not walk it, and a full collection over it (up to 80 ms) no
longer lands in one timing or another by chance.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def grow(db, conference_id: int) -> None:  # noqa: ANN001
    from csfacilitator.core import board, invitees, plan, vocab
    from csfacilitator.core.conferences import conference_meetings

    meeting = conference_meetings(db, conference_id)[0]
    tree = board.board_tree(db, meeting)
    have = sum(len(list(board.iter_points(tree.get(k, ())))) for k in vocab.BOARD_COLUMNS)
    columns = list(vocab.BOARD_COLUMNS)
    missing = max(0, 500 - have)
    for index, column in enumerate(columns):
        share = missing // len(columns) + (1 if index < missing % len(columns) else 0)
        if share:
            board.add_points(
                db,
                meeting,
                column,
                [
                    f"Point {column} {n}: what was said, in a sentence of ordinary length"
                    for n in range(share)
                ],
            )
    have_invitees = len(invitees.list_invitees(db, conference_id))
    invitees.add_invitees(
        db,
        conference_id,
        [
            {
                "name": f"Partner {n:02d}",
                "organisation": "Youth service",
                "email": f"p{n}@example.org",
            }
            for n in range(max(0, 50 - have_invitees))
        ],
    )
    need = plan.add_need(db, conference_id, "Benchmark need: a safer route home")
    have_actions = sum(len(n.interventions) for n in plan.get_plan(db, conference_id))
    for n in range(max(0, 40 - have_actions)):
        plan.add_intervention(db, need.id, f"Action {n}: someone does something by a date")


def strings(value, out: list[str]) -> list[str]:  # noqa: ANN001
    """Every string in a read model (frozen dataclasses, tuples, lists, dicts)."""
    if isinstance(value, str):
        if value.strip():
            out.append(value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            strings(getattr(value, field.name), out)
    elif isinstance(value, dict):
        for item in value.values():
            strings(item, out)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            strings(item, out)
    return out


def baseline(texts: list[str], path: Path) -> None:
    """python-docx writing `texts` as plain paragraphs, or csv.writer for a ".csv" path."""
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            for text in texts:
                writer.writerow([text])
        return
    from docx import Document

    doc = Document()
    for text in texts:
        doc.add_paragraph(text)
    doc.save(str(path))


def each_kind(db, conference_id: int, skipped: list[str]):  # noqa: ANN001, ANN201
    """Every document kind the conference can be exported as, with its meeting, its data and
    its file suffix; a kind that refuses (e.g. no young people's voices) goes in `skipped`."""
    from csfacilitator.core import documents, export_checks
    from csfacilitator.errors import UserError

    for kind in documents.KINDS:
        if not export_checks.available(db, kind, conference_id):
            continue
        meeting = export_checks.meeting_for(db, kind, conference_id, None)
        try:
            data = kind.gather_data(db, conference_id, meeting)
        except UserError as error:
            skipped.append(f"{kind.key} ({error})")
            continue
        yield kind, meeting, data, ".csv" if "*.csv" in kind.file_filter else ".docx"


def grown_example(folder: Path):  # noqa: ANN201 - (Database, conference id)
    """A database in `folder` holding the example grown as every figure here assumes."""
    from csfacilitator.core.example import add_example
    from csfacilitator.paths import resolve
    from csfacilitator.storage import open_database

    db = open_database(resolve(folder / "data"))
    conference_id = add_example(db)
    grow(db, conference_id)
    return db, conference_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    rows, skipped = [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db, conference_id = grown_example(folder)
        for kind, meeting, data, suffix in each_kind(db, conference_id, skipped):
            texts = strings(data, [])
            kind.write(data, folder / f"warm-{kind.key}{suffix}")  # imports, caches
            baseline(texts, folder / f"warm-base-{kind.key}.docx")
            if suffix == ".csv":
                baseline(texts, folder / f"warm-csv-{kind.key}.csv")
            gc.collect()
            gc.freeze()
            app_runs, base_runs, csv_runs, app_cpu, base_cpu = [], [], [], [], []
            app_left, base_left = [], []
            for number in range(args.runs):
                cpu, started = time.process_time(), time.perf_counter()
                baseline(texts, folder / f"base-{kind.key}-{number}.docx")
                base_left.append(gc.collect())
                base_runs.append(time.perf_counter() - started)
                base_cpu.append(time.process_time() - cpu)
                if suffix == ".csv":
                    started = time.perf_counter()
                    baseline(texts, folder / f"csv-{kind.key}-{number}.csv")
                    gc.collect()
                    csv_runs.append(time.perf_counter() - started)
                cpu, started = time.process_time(), time.perf_counter()
                data = kind.gather_data(db, conference_id, meeting)
                kind.write(data, folder / f"{kind.key}-{number}{suffix}")
                del data
                app_left.append(gc.collect())
                app_runs.append(time.perf_counter() - started)
                app_cpu.append(time.process_time() - cpu)
            rows.append(
                (
                    kind.key,
                    statistics.median(app_runs),
                    statistics.median(base_runs),
                    statistics.median(app_cpu) / max(statistics.median(base_cpu), 1e-9),
                    (statistics.median(app_left), statistics.median(base_left)),
                    statistics.median(csv_runs) if csv_runs else None,
                )
            )
        db.close()
    print(
        f"Exports of the grown example (500 points, 50 invitees, 40 actions), median of {args.runs}:"
    )
    summary, cpu_summary = {}, {}
    for key, app, base, cpu_ratio, (app_left, base_left), plain_csv in rows:
        ratio = app / base
        ok = "met" if ratio <= 2 and app <= 1 else "NOT MET"
        print(
            f"  {key:<12} app {app * 1000:7.0f} ms   python-docx same text {base * 1000:7.0f} ms"
            f"   {ratio:5.2f}x   (<= 2x and <= 1 s: {ok})   CPU {cpu_ratio:5.2f}x"
            f"   left for the collector: app {app_left:.0f}, baseline {base_left:.0f} objects"
        )
        if plain_csv is not None:
            print(
                f"  {'':<12} csv.writer same text {plain_csv * 1000:7.2f} ms:"
                f" {app / plain_csv:5.1f}x (no database read, no durable write)"
            )
        summary[key] = round(ratio, 2)
        cpu_summary[key] = round(cpu_ratio, 2)
    for line in skipped:
        print(f"  skipped: {line}")
    print(json.dumps(summary))
    print("CPU time ratios:", json.dumps(cpu_summary))


if __name__ == "__main__":
    main()
