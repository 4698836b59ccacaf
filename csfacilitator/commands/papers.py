"""`csfacilitator export report|agenda|invitations|signin CONF --out FILE.docx`: the papers
that go out before a meeting."""

from __future__ import annotations

from pathlib import Path

PAPERS = {
    "report": ("the context assessment report (.docx)", False),
    "agenda": ("the agenda of a meeting (.docx)", True),
    "invitations": ("one invitation letter per invitee, declined left out (.docx)", True),
    "signin": ("the sign-in sheet for a meeting (.docx)", True),
}


def register(commands, export_kinds) -> None:
    for kind, (help_text, per_meeting) in PAPERS.items():
        parser = export_kinds.add_parser(kind, help=help_text)
        parser.add_argument("conference", metavar="CONF", help="conference id or exact title")
        if per_meeting:
            parser.add_argument(
                "--meeting",
                type=int,
                metavar="ID",
                help="meeting id (default: the next conference or review)",
            )
        parser.add_argument("--out", required=True, metavar="FILE")
        parser.set_defaults(run=run_paper)


def run_paper(db, args, paths) -> int:
    from csfacilitator.cli import report_export
    from csfacilitator.core import conferences

    conference_id = conferences.find_conference(db, args.conference)
    out = Path(args.out)
    meeting_id = getattr(args, "meeting", None)
    if args.kind == "report":
        from csfacilitator.export.report import export_report

        written = export_report(db, conference_id, out)
    elif args.kind == "agenda":
        from csfacilitator.export.agenda import export_agenda

        written = export_agenda(db, conference_id, out, meeting_id)
    elif args.kind == "invitations":
        from csfacilitator.export.invitations import export_invitations

        written = export_invitations(db, conference_id, out, meeting_id)
    else:
        from csfacilitator.export.signin import export_signin

        written = export_signin(db, conference_id, out, meeting_id)
    return report_export(db, conference_id, args.kind, written)
