"""`csfacilitator invitees import|export`: invite lists from and to CSV files (Excel)."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(commands, export_kinds) -> None:
    parser = commands.add_parser("invitees", help="import or export an invite list as CSV")
    actions = parser.add_subparsers(dest="invitees_command", metavar="ACTION", required=True)

    importing = actions.add_parser(
        "import",
        help="add the people in a CSV file to a conference's invite list",
        description="Columns are recognised by their headers (Name, Organisation, E-mail…). "
        "Rows without a name are listed and left out; e-mails that look wrong are flagged.",
    )
    importing.add_argument("conference", metavar="CONF", help="conference id or exact title")
    importing.add_argument("file", metavar="FILE.csv")
    importing.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="HEADER=FIELD",
        help="read the column HEADER as FIELD (e.g. 'Attendee=name'; FIELD 'ignore' skips it)",
    )
    importing.add_argument(
        "--dry-run", action="store_true", help="show what would be added, change nothing"
    )
    importing.add_argument(
        "--despite-warnings",
        action="store_true",
        help="import although the file may have been read wrongly (a quote never closed, "
        "an encoding other than UTF-8); without it such a file is refused",
    )
    importing.set_defaults(run=run_import, writes=True)

    exporting = actions.add_parser("export", help="write a conference's invite list as CSV")
    exporting.add_argument("conference", metavar="CONF", help="conference id or exact title")
    exporting.add_argument("--out", required=True, metavar="FILE.csv")
    from csfacilitator.commands.documents import add_sharing_arguments

    add_sharing_arguments(exporting)  # issue 20: every export is a sharing decision
    exporting.set_defaults(run=run_export)


def _apply_overrides(headers, mapping: dict[int, str], overrides: list[str]) -> dict[int, str]:
    from csfacilitator.core.invitee_csv import FIELD_LABELS
    from csfacilitator.errors import UserError

    by_header = {h.casefold(): i for i, h in enumerate(headers)}
    by_words = {label.casefold(): key for key, label in FIELD_LABELS.items()}
    for override in overrides:
        header, sep, field = override.rpartition("=")
        column = by_header.get(header.strip().casefold())
        if not sep or column is None:
            raise UserError(
                f"--column {override!r}: write HEADER=FIELD with a header of the file "
                f"({', '.join(headers)})."
            )
        field = field.strip()
        key = field if field in FIELD_LABELS else by_words.get(field.casefold())
        if field.casefold() == "ignore":
            mapping.pop(column, None)
            continue
        if key is None:
            raise UserError(f"--column {override!r}: FIELD is one of {', '.join(FIELD_LABELS)}.")
        mapping = {c: f for c, f in mapping.items() if f != key}
        mapping[column] = key
    return mapping


def run_import(db, args: argparse.Namespace, paths) -> int:
    from csfacilitator.core import conferences, invitee_csv, invitees
    from csfacilitator.errors import UserError

    conference_id = conferences.find_conference(db, args.conference)
    preview = invitee_csv.read_csv(Path(args.file))
    mapping = invitee_csv.suggest_mapping(preview.headers)
    mapping = _apply_overrides(preview.headers, mapping, args.column)
    rows = f"{len(preview.rows):,} row{'' if len(preview.rows) == 1 else 's'}"
    print(f"Read {rows} from {preview.path.name} ({preview.encoding}, {preview.delimiter_name}).")
    if not invitee_csv.has_name(mapping):
        raise UserError(
            f"{preview.path.name} has no column of names (its headers: "
            f"{', '.join(preview.headers)}). Name the column 'Name', or say which one it is "
            "with --column 'HEADER=name'. Nothing was imported."
        )
    for warning in preview.warnings:
        print(f"  Warning: {warning}")
    for column, field in sorted(mapping.items()):
        print(f"  {preview.headers[column]} -> {invitee_csv.FIELD_LABELS[field]}")
    ignored = [h for i, h in enumerate(preview.headers) if i not in mapping]
    if ignored:
        print(f"  Not imported: {', '.join(ignored)}")
    if args.dry_run:
        existing = invitees.list_invitees(db, conference_id)
        plan = invitee_csv.plan_import(preview, mapping, existing)
        print(f"Dry run, nothing changed: {plan.summary()}")
        _details(plan.bad_rows, plan.flagged, plan.duplicates)
        return 0
    if preview.warnings and not args.despite_warnings:
        # No one sees a preview here, so a file that may have been misread needs a yes.
        raise UserError(
            f"{preview.path.name} may have been read wrongly (see the warnings above). Nothing "
            "was imported. Check it with --dry-run, fix the file, or import it anyway with "
            "--despite-warnings."
        )
    result = invitee_csv.import_rows(db, conference_id, preview, mapping)
    title = conferences.get_conference(db, conference_id).title
    print(f"{result.summary()} Invite list of {title}.")
    _details(result.bad_rows, result.flagged, result.duplicates)
    return 0


def _details(bad_rows, flagged, duplicates) -> None:
    for line, reason in bad_rows:
        print(f"  Row {line} not imported: {reason}")
    for line, flag in flagged:
        print(f"  Row {line}: check {flag}")
    for line, name in duplicates:
        print(f"  Row {line} skipped: {name} is already on the list")


def run_export(db, args: argparse.Namespace, paths) -> int:
    from csfacilitator.commands.documents import report_export, sharing_answer
    from csfacilitator.core import conferences
    from csfacilitator.core.invitee_csv import export_csv

    conference_id = conferences.find_conference(db, args.conference)
    sharing = sharing_answer(db, conference_id, args)  # refused before anything is written
    written = export_csv(db, conference_id, Path(args.out))
    return report_export(db, conference_id, "invitees", written, sharing=sharing)
