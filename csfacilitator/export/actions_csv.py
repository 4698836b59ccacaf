"""The plan's actions as a CSV file for spreadsheets (rows gathered by core.papers.actions).

UTF-8 with a byte-order mark and CRLF line ends, which is what Excel needs to read accents,
emoji and right-to-left text correctly when the file is double-clicked. Coordinators open it in
Excel, so any cell that starts like a formula gets a leading apostrophe (core.formula_guard,
shared with the invite list): the text shows, nothing runs. Dates are DD/MM/YYYY.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from csfacilitator.core.formula_guard import guard_formula
from csfacilitator.core.papers.actions import COLUMNS, ActionsData, uk_date  # noqa: F401
from csfacilitator.core.textclean import clean_text


def spreadsheet_safe(value: object) -> str:
    """Clean text that a spreadsheet will show as text, never run as a formula."""
    return guard_formula(clean_text(value))


def to_csv_bytes(rows: Iterable[Iterable[object]], columns: Sequence[str] = COLUMNS) -> bytes:
    """The header row and the rows as CSV for Excel: UTF-8 with BOM, CRLF, formulas harmless."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def save_rows(
    rows: Iterable[Iterable[object]],
    path: str | os.PathLike[str],
    columns: Sequence[str] = COLUMNS,
) -> Path:
    """Write rows under `columns` as CSV to `path` (".csv" added if missing), atomically and
    private (0600)."""
    from csfacilitator.atomic_file import write_atomic

    target = Path(path)
    if target.suffix.lower() != ".csv":
        target = target.with_name(target.name + ".csv")
    return write_atomic(to_csv_bytes(rows, columns), target, kind="CSV file")


def filename(data: ActionsData) -> str:
    """'Actions - Wrenmoor Park.csv'."""
    from csfacilitator.export.papers_common import suggested_filename

    return suggested_filename("Actions", data.title, suffix=".csv")


def save(data: ActionsData, path: str | os.PathLike[str]) -> Path:
    """Write the actions to `path` (".csv" added if missing), atomically and private (0600)."""
    return save_rows(data.rows, path)
