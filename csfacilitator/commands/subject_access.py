"""`csfacilitator subject-access "TEXT" [--out FILE.docx]`: every stored mention of a name or
phrase, across all conferences (core/subject_access.py), printed and, with --out, written as a
redaction-ready Word document."""

from __future__ import annotations


def register(commands, export_kinds) -> None:
    parser = commands.add_parser(
        "subject-access",
        help="find every stored mention of a name or phrase (for a subject access request)",
    )
    parser.add_argument("phrase", metavar="TEXT", help="the name or phrase, in quotes")
    parser.add_argument("--out", metavar="FILE", help="write a redaction-ready Word document")
    parser.set_defaults(run=run_subject_access)


def run_subject_access(db, args, paths) -> int:
    from pathlib import Path

    from csfacilitator.core.dates import format_date
    from csfacilitator.core.subject_access import search

    result = search(db, args.phrase)
    if not result.mentions:
        print(f"No mention of “{result.phrase}” is stored.")
    for m in result.mentions:
        day = format_date(m.date) if m.date else "no date"
        print(
            f"{m.conference_title or '(no conference)'} | {m.where} | {day} | "
            f"{m.before}{m.match}{m.after}"
        )
    if args.out:
        from csfacilitator.core.export_log import record_export
        from csfacilitator.export.subject_access_doc import save

        written = save(result, Path(args.out))
        print(f"Wrote {written}")
        record_export(db, None, "subject_access", written)
    return 0
