"""`csfacilitator sharing [CONF] [--csv FILE] [--docx FILE]`: the information-sharing record
(core/export_log.py): what was shared, with whom, when, why and on what basis. It prints the
record, or writes it as CSV or Word. (`exports`, the export log's old name, still works.)"""

from __future__ import annotations


def register(commands, export_kinds) -> None:
    parser = commands.add_parser(
        "sharing",
        aliases=["exports"],
        help="the information-sharing record: what was shared, with whom, when and why",
    )
    parser.add_argument(
        "conference", nargs="?", metavar="CONF", help="only this conference (id or exact title)"
    )
    parser.add_argument("--csv", metavar="FILE", help="write the record as CSV for Excel")
    parser.add_argument("--docx", metavar="FILE", help="write the record as a Word document")
    parser.set_defaults(run=run_sharing)


def run_sharing(db, args, paths) -> int:
    from pathlib import Path

    from csfacilitator.core import conferences
    from csfacilitator.core.export_log import list_exports, row_texts

    conference_id = None
    if args.conference:
        conference_id = conferences.find_conference(db, args.conference)
    if args.csv or args.docx:
        from csfacilitator.core.papers.sharing import gather
        from csfacilitator.export import sharing_doc

        paper = gather(db, conference_id)
        if args.csv:
            print(f"Wrote {sharing_doc.save_csv(paper, Path(args.csv))}")
        if args.docx:
            print(f"Wrote {sharing_doc.save(paper, Path(args.docx))}")
        return 0
    entries = list_exports(db, conference_id)
    if not entries:
        print("Nothing has been exported yet.")
        return 0
    for entry in entries:
        when, label, title, meeting, who, basis, why, path = row_texts(entry)
        flagged = "  [written despite flagged personal details]" if entry.flags_allowed else ""
        about = f" ({meeting})" if meeting else ""
        reason = f" — {why}" if why else ""
        print(
            f"{when:<17}  {label:<20}  {entry.conference_title or '(deleted)'}{about}  "
            f"-> {path}{flagged}\n{'':<19}shared with {who}; basis: {basis}{reason}"
        )
    return 0
