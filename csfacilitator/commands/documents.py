"""`csfacilitator export KIND CONF --out FILE`: every kind of document in the registry
(core/documents.py), with the same checks as the window: points that look like personal
details refuse the export (exit 2) unless --allow-flagged is given, which the export log
records; a paper for a meeting already held is written with a warning."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger(__name__)


def register(commands, export_kinds) -> None:
    from csfacilitator.core.documents import KINDS, PERSONAL_DETAILS

    for kind in KINDS:
        parser = export_kinds.add_parser(kind.key, help=kind.cli_help)
        parser.add_argument("conference", metavar="CONF", help="conference id or exact title")
        if kind.per_meeting:
            parser.add_argument(
                "--meeting",
                type=int,
                metavar="ID",
                help="meeting id, see 'csfacilitator meetings CONF' (default: the meeting in "
                "focus: the one the board last showed, else the latest held, else the next)",
            )
        parser.add_argument("--out", required=True, metavar="FILE")
        if kind.per_person is not None:
            parser.add_argument(
                "--each",
                action="store_true",
                help="one file per person, named for them, in the folder given by --out",
            )
        if PERSONAL_DETAILS in kind.checks:
            parser.add_argument(
                "--allow-flagged",
                action="store_true",
                help="write it although points look like personal details (recorded in the "
                "export log)",
            )
        add_sharing_arguments(parser)  # issue 20: the information-sharing record
        parser.set_defaults(run=run_export)


def add_sharing_arguments(parser) -> None:
    from csfacilitator.core.lawful_bases import BASES

    keys = ", ".join(key for key, _ in BASES)
    parser.add_argument(
        "--shared-with",
        metavar="TEXT",
        help="who it is being shared with (needed unless this conference has an earlier answer, "
        "which is used again)",
    )
    parser.add_argument("--basis", metavar="KEY", help=f"the lawful basis: {keys}")
    parser.add_argument("--reason", metavar="TEXT", default="", help="why (needed for 'other')")
    parser.add_argument(
        "--consent",
        choices=("given", "not-given"),
        help="with --basis consent: whether consent was given",
    )


def sharing_answer(db, conference_id: int, args):
    """The sharing answer from the arguments, else the conference's remembered one; a one-line
    refusal when there is neither."""
    from csfacilitator.core.export_log import checked_answer, remembered_answer
    from csfacilitator.errors import UserError

    given = (args.shared_with, args.basis, args.consent)
    if any(value is not None for value in given) or args.reason:
        remembered = remembered_answer(db, conference_id)
        consent = None if args.consent is None else args.consent == "given"
        return checked_answer(
            args.shared_with
            if args.shared_with is not None
            else (remembered.shared_with if remembered else ""),
            args.basis if args.basis is not None else (remembered.basis if remembered else ""),
            args.reason,
            consent,
        )
    remembered = remembered_answer(db, conference_id)
    if remembered is None:
        raise UserError(
            "Say who this is shared with and why: --shared-with TEXT --basis KEY (and --reason "
            "TEXT for 'other', --consent given|not-given for consent)."
        )
    return remembered


def run_export(db, args, paths) -> int:
    from csfacilitator.core import documents, export_checks
    from csfacilitator.core.conferences import find_conference
    from csfacilitator.core.dates import format_date
    from csfacilitator.errors import UserError

    kind = documents.kind(args.kind)
    conference_id = find_conference(db, args.conference)
    meeting_id = export_checks.meeting_for(db, kind, conference_id, getattr(args, "meeting", None))
    sharing = sharing_answer(db, conference_id, args)
    data = kind.gather_data(db, conference_id, meeting_id)
    findings = export_checks.personal_details(db, kind, conference_id, meeting_id)
    allowed = getattr(args, "allow_flagged", False)
    if findings and not allowed:
        raise UserError(
            f"{export_checks.findings_sentence(findings)}. Reword them, or run again with "
            "--allow-flagged."
        )
    passed = export_checks.meeting_passed(db, kind, conference_id, meeting_id)
    if passed is not None:
        print(
            f"csfacilitator: note: this meeting was on {format_date(passed)}, so the "
            f"{kind.label.lower()} are for a meeting that has already happened.",
            file=sys.stderr,
        )
    if getattr(args, "each", False):
        written = kind.function("per_person")(data, Path(args.out))
    else:
        written = [kind.write(data, Path(args.out))]
    return report_export(
        db,
        conference_id,
        kind.key,
        written,
        flags_allowed=bool(findings),
        sharing=sharing,
        meeting_id=meeting_id,
    )


def report_export(
    db,
    conference_id: int,
    kind: str,
    written: Path | Sequence[Path],
    *,
    flags_allowed: bool = False,
    sharing=None,
    meeting_id: int | None = None,
) -> int:
    """Record an export (a file, or the files of one per person) in the sharing record and
    tell the user where it went."""
    from csfacilitator.core.export_log import record_exports
    from csfacilitator.errors import StorageError

    files = [written] if isinstance(written, Path) else list(written)
    for path in files:
        print(f"Wrote {path}")
    try:
        record_exports(
            db,
            conference_id,
            kind,
            files,
            flags_allowed=flags_allowed,
            sharing=sharing,
            meeting_id=meeting_id,
        )
    except StorageError as exc:
        # The documents are written (perhaps to another disk); only the log entries are missing.
        log.warning("Wrote %s but could not record it in the export log: %s", files, exc)
        print(f"csfacilitator: not recorded in the export log: {exc}", file=sys.stderr)
    else:
        for path in files:
            log.info("Exported %s of conference %s to %s", kind, conference_id, path)
    return 0
