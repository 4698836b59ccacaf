"""`csfacilitator meetings CONF [--json]`: a conference's meetings with their ids, kinds and
dates, and which one the papers are about by default."""

from __future__ import annotations

from csfacilitator.commands.common import add_conference, add_json, iso, listed


def register(commands, export_kinds) -> None:
    parser = commands.add_parser(
        "meetings", help="list a conference's meetings (ids for --meeting), in date order"
    )
    add_conference(parser)
    add_json(parser)
    parser.set_defaults(run=run_meetings)


def run_meetings(db, args, paths) -> int:
    from csfacilitator.core import conferences, vocab
    from csfacilitator.core.dates import format_time
    from csfacilitator.core.key_meetings import focus_meeting, key_dates
    from csfacilitator.core.meetings import list_meetings, meeting_label

    conference_id = conferences.find_conference(db, args.conference)
    records = list_meetings(db, conference_id)
    focus = focus_meeting(db, conference_id)
    with db.session() as s:
        next_review = key_dates(s, conference_id).next_review_id
    if listed(
        records,
        as_json=args.json,
        to_json=lambda m: {
            "id": m.id,
            "kind": m.kind,
            "label": meeting_label(m, records),
            "date": iso(m.date),
            "time": m.time.strftime("%H:%M") if m.time else None,
            "venue": m.venue,
            "in_focus": m.id == focus,
            "next_review": m.id == next_review,
        },
        empty="This conference has no meetings yet.",
    ):
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
