"""`csfacilitator deadlines [CONF] [--json]`: what is due, late or done, derived from the
meetings' dates under the time limits in Preferences (core/deadlines.py)."""

from __future__ import annotations

from csfacilitator.commands.common import CONFERENCE_HELP, add_conference, add_json, iso, listed


def register(commands, export_kinds) -> None:
    parser = commands.add_parser(
        "deadlines", help="what is due, late or done: papers, reviews and actions"
    )
    add_conference(parser, optional=True, help=f"{CONFERENCE_HELP} (default: all)")
    add_json(parser)
    parser.set_defaults(run=run_deadlines)


def run_deadlines(db, args, paths) -> int:
    import datetime as dt

    from csfacilitator.core import conferences, deadlines
    from csfacilitator.core.dates import format_date
    from csfacilitator.core.textclean import shortened

    today = dt.date.today()
    if args.conference:
        ids = [conferences.find_conference(db, args.conference)]
        items = deadlines.deadlines_for(db, ids, today)
    else:
        items = deadlines.deadlines_for(db, today=today, open_only=True)
    if listed(
        items,
        as_json=args.json,
        to_json=lambda d: {
            "conference_id": d.conference_id,
            "conference": d.conference_title,
            "kind": d.kind,
            "title": d.title,
            "due": d.due.isoformat(),
            "state": d.state,
            "words": d.words(today),
            "done_on": iso(d.done_on),
            "meeting_id": d.meeting_id,
            "scheduled": iso(d.scheduled),
        },
        empty="Nothing is due: no conference has a conference date or an action due date.",
    ):
        return 0
    print(f"{'DUE':<11}  {'STATE':<16}  {'WHAT':<32}  CONFERENCE")
    for d in items:
        what = f"Action: {d.title}" if d.kind == deadlines.ACTION else d.title
        what = shortened(what, 32)
        print(f"{format_date(d.due):<11}  {d.words(today):<16}  {what:<32}  {d.conference_title}")
    return 0
