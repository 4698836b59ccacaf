"""Minutes export at scale: time per point at 500, 2,000 and 10,000 points, against python-docx.

    .venv/bin/python benchmarks/minutes_scale.py [--sizes 500,2000,10000] [--runs 3]

For each size a fresh data folder gets one conference whose conference meeting holds that many
points, written through the core in bulk (board.add_points: one transaction per batch): a
quarter in each column, three in four at the top level, the rest as sub-points under the
first ten and sub-sub-points under the first of those. After one untimed run of each,
interleaved so drift hits both alike, --runs times each:

- app: export_minutes() of the whole conference (read from the database, laid out, saved
  atomically to a .docx);
- baseline: python-docx alone writing the same texts, in the same order, as plain paragraphs in
  the four cells of one table (`cell.add_paragraph(text)`), then saving. No styles, no
  cleaning, no database: the floor of "put these texts in a Word table".

Prints the median time, the time per point and the ratio to the baseline for every size, and
how the time per point grows from the smallest size to the largest (1.0x is linear). Before
the fix in docx_base._fresh_paragraph the time per point grew with the size of the largest
column (lxml's len() walked every paragraph already in the cell for each new one).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

VOCABULARY = (
    "young people report being approached near the bus station after school by older males "
    "offering lifts vapes and cash lighting in the underpass is poor CCTV does not cover the "
    "back entrance youth workers have built trust with several of the group parents are worried"
)
WORDS = tuple(VOCABULARY.split())


def point_text(rng: random.Random, number: int) -> str:
    return f"{' '.join(rng.choices(WORDS, k=rng.randint(5, 24))).capitalize()} ({number})."


def fill(data_dir: Path, points: int) -> tuple[object, int]:
    """An open database with one conference of `points` points; returns (db, conference id)."""
    from csfacilitator.core import vocab
    from csfacilitator.core.board import add_points
    from csfacilitator.core.conferences import conference_meetings, create_conference
    from csfacilitator.paths import resolve
    from csfacilitator.storage import open_database

    rng = random.Random(points)
    db = open_database(resolve(data_dir))
    conference_id = create_conference(db, f"Benchmark: {points:,} points")
    meeting_id = conference_meetings(db, conference_id)[0]
    made = 0

    def texts(count: int) -> list[str]:
        nonlocal made
        made += count
        return [point_text(rng, made - count + i) for i in range(count)]

    per_column = points // len(vocab.BOARD_COLUMNS)
    for number, column in enumerate(vocab.BOARD_COLUMNS):
        count = per_column if number else points - per_column * (len(vocab.BOARD_COLUMNS) - 1)
        tops = add_points(db, meeting_id, column, texts(count * 3 // 4))
        rest = count - len(tops)
        deeper = rest // 4
        parents = tops[: min(10, len(tops))]
        share, extra = divmod(rest - deeper, len(parents))
        subs = []
        for index, parent in enumerate(parents):  # one transaction per parent
            many = share + (index < extra)
            if many:
                subs += add_points(db, meeting_id, column, texts(many), parent_id=parent.id)
        if deeper:
            add_points(db, meeting_id, column, texts(deeper), parent_id=subs[0].id)
    assert made == points, (made, points)
    return db, conference_id


def columns_of(db, conference_id: int) -> dict[str, list[str]]:
    from csfacilitator.core import vocab
    from csfacilitator.core.board import board_tree, iter_points
    from csfacilitator.core.conferences import conference_meetings

    tree = board_tree(db, conference_meetings(db, conference_id)[0])
    return {vocab.BOARD_COLUMNS[key]: [p.text for p in iter_points(tree[key])] for key in tree}


def baseline(columns: dict[str, list[str]], path: Path) -> None:
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=2, cols=len(columns))
    for cell, heading in zip(table.rows[0].cells, columns, strict=True):
        cell.text = heading
    for cell, texts in zip(table.rows[1].cells, columns.values(), strict=True):
        for text in texts:
            cell.add_paragraph(text)
    doc.save(str(path))


def export_minutes(db, conference_id: int, path: Path) -> None:  # noqa: ANN001
    """The minutes as the window and the CLI write them: the registry's gather, then save."""
    from csfacilitator.core import documents, export_checks

    kind = documents.kind("minutes")
    meeting = export_checks.meeting_for(db, kind, conference_id, None)
    kind.write(kind.gather_data(db, conference_id, meeting), path)


def measure(points: int, runs: int, folder: Path) -> dict:
    db, conference_id = fill(folder / f"data-{points}", points)
    columns = columns_of(db, conference_id)
    counted = sum(len(texts) for texts in columns.values())
    export_minutes(db, conference_id, folder / f"warm-up-{points}.docx")  # untimed
    baseline(columns, folder / f"warm-up-{points}-baseline.docx")
    app, base = [], []
    for run in range(runs):
        start = time.perf_counter()
        baseline(columns, folder / f"baseline-{points}-{run}.docx")
        base.append(time.perf_counter() - start)
        start = time.perf_counter()
        export_minutes(db, conference_id, folder / f"minutes-{points}-{run}.docx")
        app.append(time.perf_counter() - start)
    db.close()
    return {"points": counted, "app": statistics.median(app), "base": statistics.median(base)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,2000,10000", help="comma-separated point counts")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    with tempfile.TemporaryDirectory(prefix="csf-bench-") as tmp:
        folder = Path(tmp)
        os.environ["CSFACILITATOR_DATA_DIR"] = str(folder / "data")
        import docx  # noqa: F401 - imported before timing, as the GUI has by export time

        results = [measure(size, args.runs, folder) for size in sizes]

    print(f"Minutes export, median of {args.runs} runs (app: read + lay out + save .docx)")
    print(
        f"  {'points':>8} {'app':>9} {'per point':>10} {'baseline':>9} {'per point':>10} "
        f"{'ratio':>7}"
    )
    for r in results:
        n = r["points"]
        print(
            f"  {n:>8,} {r['app']:8.2f}s {r['app'] / n * 1e6:8.0f}us {r['base']:8.2f}s "
            f"{r['base'] / n * 1e6:8.0f}us {r['app'] / r['base']:6.2f}x"
        )
    first, last = results[0], results[-1]
    growth = (last["app"] / last["points"]) / (first["app"] / first["points"])
    base_growth = (last["base"] / last["points"]) / (first["base"] / first["points"])
    print(
        f"  time per point, {last['points']:,} vs {first['points']:,} points: app {growth:.2f}x, "
        f"baseline {base_growth:.2f}x (1.0x is linear)"
    )
    print(
        json.dumps(
            {
                "sizes": [r["points"] for r in results],
                "app_s": [round(r["app"], 3) for r in results],
                "ratio": [round(r["app"] / r["base"], 2) for r in results],
                "per_point_growth": round(growth, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
