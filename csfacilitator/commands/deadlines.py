"""`csfacilitator deadlines [CONF] [--json]`: what is due, late or done, derived from the
meetings' dates under the time limits in Preferences (core/deadlines.py)."""

from __future__ import annotations


def register(commands, export_kinds) -> None:
    parser = commands.add_parser(
        "deadlines", help="what is due, late or done: papers, reviews and actions"
    )
    parser.add_argument(
        "conference", metavar="CONF", nargs="?", help="conference id or exact title (default: all)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.set_defaults(run=run_deadlines)


def run_deadlines(db, args, paths) -> int:
    import datetime as dt
    import json

    from csfacilitator.core import conferences, deadlines
    from csfacilitator.core.dates import format_date

    today = dt.date.today()
    if args.conference:
        ids = [conferences.find_conference(db, args.conference)]
        items = deadlines.deadlines_for(db, ids, today)
    else:
        items = deadlines.deadlines_for(db, today=today, open_only=True)
    if args.json:
        payload = [
            {
                "conference_id": d.conference_id,
                "conference": d.conference_title,
                "kind": d.kind,
                "title": d.title,
                "due": d.due.isoformat(),
                "state": d.state,
                "words": d.words(today),
                "done_on": d.done_on.isoformat() if d.done_on else None,
                "meeting_id": d.meeting_id,
                "scheduled": d.scheduled.isoformat() if d.scheduled else None,
            }
            for d in items
        ]
        print(json.dumps(payload, ensure_ascii=False, indent=1))
        return 0
    if not items:
        print("Nothing is due: no conference has a conference date or an action due date.")
        return 0
    print(f"{'DUE':<11}  {'STATE':<16}  {'WHAT':<32}  CONFERENCE")
    for d in items:
        what = f"Action: {d.title}" if d.kind == deadlines.ACTION else d.title
        if len(what) > 32:
            what = what[:31] + "…"
        print(f"{format_date(d.due):<11}  {d.words(today):<16}  {what:<32}  {d.conference_title}")
    return 0
