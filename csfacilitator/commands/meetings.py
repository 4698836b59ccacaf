"""`csfacilitator meetings CONF [--json]`: a conference's meetings with their ids, kinds and
dates, and which one the papers are about by default."""

from __future__ import annotations


def register(commands, export_kinds) -> None:
    parser = commands.add_parser(
        "meetings", help="list a conference's meetings (ids for --meeting), in date order"
    )
    parser.add_argument("conference", metavar="CONF", help="conference id or exact title")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.set_defaults(run=run_meetings)


def run_meetings(db, args, paths) -> int:
    import json

    from csfacilitator.core import conferences, vocab
    from csfacilitator.core.dates import format_time
    from csfacilitator.core.key_meetings import focus_meeting, key_dates
    from csfacilitator.core.meetings import list_meetings, meeting_label

    conference_id = conferences.find_conference(db, args.conference)
    records = list_meetings(db, conference_id)
    focus = focus_meeting(db, conference_id)
    with db.session() as s:
        next_review = key_dates(s, conference_id).next_review_id
    if args.json:
        payload = [
            {
                "id": m.id,
                "kind": m.kind,
                "label": meeting_label(m, records),
                "date": m.date.isoformat() if m.date else None,
                "time": m.time.strftime("%H:%M") if m.time else None,
                "venue": m.venue,
                "in_focus": m.id == focus,
                "next_review": m.id == next_review,
            }
            for m in records
        ]
        print(json.dumps(payload, ensure_ascii=False, indent=1))
        return 0
    if not records:
        print("This conference has no meetings yet.")
        return 0
    print(f"{'ID':>4}  {'KIND':<12}  {'DATE':<10}  {'TIME':<5}  VENUE")
    for m in records:
        mark = "  <- papers are about this one" if m.id == focus else ""
        kind = vocab.label(vocab.MEETING_KINDS, m.kind)
        date = m.date.isoformat() if m.date else "-"
        print(
            f"{m.id:>4}  {kind:<12}  {date:<10}  {format_time(m.time) or '-':<5}  {m.venue}{mark}"
        )
    return 0
