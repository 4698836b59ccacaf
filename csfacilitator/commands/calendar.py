"""`csfacilitator calendar CONF --out FILE.ics`: the conference's meetings, review dates,
paper deadlines and action due dates as a calendar file (core/calendar_file.py)."""

from __future__ import annotations


def register(commands, export_kinds) -> None:
    parser = commands.add_parser(
        "calendar", help="write a conference's meetings and deadlines as a calendar file (.ics)"
    )
    parser.add_argument("conference", metavar="CONF", help="conference id or exact title")
    parser.add_argument("--out", metavar="FILE.ics", required=True, help="where to write it")
    from csfacilitator.commands.documents import add_sharing_arguments

    add_sharing_arguments(parser)  # issue 20: every export is a sharing decision
    parser.set_defaults(run=run_calendar)


def run_calendar(db, args, paths) -> int:
    from pathlib import Path

    from csfacilitator.commands.documents import report_export, sharing_answer
    from csfacilitator.core import conferences
    from csfacilitator.core.calendar_file import write_calendar

    conference_id = conferences.find_conference(db, args.conference)
    sharing = sharing_answer(db, conference_id, args)  # refused before anything is written
    written = write_calendar(db, conference_id, Path(args.out))
    return report_export(db, conference_id, "calendar", written, sharing=sharing)
