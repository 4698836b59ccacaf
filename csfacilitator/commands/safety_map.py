"""`csfacilitator safety-map CONF`: the conference's safety map in words (core/safety_map.py):
the picture, each mapping session and its marks, the meetings they inform and what changed at
the latest review; `--import FILE` imports the map picture (the same operation as the
Assessment tab's Import map…), `--add-session NAME` adds a session (with `--day DATE`)."""

from __future__ import annotations


def register(commands, export_kinds) -> None:  # noqa: ANN001
    parser = commands.add_parser(
        "safety-map", help="the safety map in words (--import FILE imports its picture)"
    )
    parser.add_argument("conference", metavar="CONF", help="conference id or exact title")
    parser.add_argument("--import", dest="picture", metavar="FILE",
                        help="a PNG or JPEG picture of the area (a screenshot or a drawing)")  # fmt: skip
    parser.add_argument("--caption", metavar="TEXT", help="where the picture came from")
    parser.add_argument("--add-session", metavar="NAME", help="add a mapping session")
    parser.add_argument("--day", metavar="DATE", help="when the session was held (5 Nov 2026)")
    parser.add_argument("--json", action="store_true", help="print the map as JSON")
    parser.set_defaults(run=run_safety_map, writes=True)  # --import, --add-session


def run_safety_map(db, args, paths) -> int:  # noqa: ANN001
    import json

    from csfacilitator.core import conferences, safety_map

    conference_id = conferences.find_conference(db, args.conference)
    if args.picture:
        image = safety_map.import_map_file(db, conference_id, args.picture, args.caption)
        print(f"Map imported: {image.width} × {image.height} pixels ({image.image_type}).")
    if args.add_session:
        session = safety_map.add_session(db, conference_id, args.add_session, held_on=args.day)
        print(f"Session {session.letter} added: {session.title}.")
    view = safety_map.get_safety_map(db, conference_id)
    if args.json:
        print(json.dumps(_as_json(view), ensure_ascii=False, indent=2))
        return 0
    if view.image is None:
        print("No map picture yet (safety-map CONF --import FILE).")
    else:
        caption = f"“{view.image.caption}”, " if view.image.caption else ""
        print(f"Map: {caption}{view.image.width} × {view.image.height} pixels.")
    for session in view.sessions:
        marks = session.marks
        print(f"\n{session.letter}: {session.title} — {len(marks)} marks "
              f"({safety_map.counts_words(marks)})")  # fmt: skip
        for mark in marks:
            print(f"   {safety_map.describe_mark(mark)}")
    compared = view.comparison()
    if compared is not None:
        earlier, later = compared
        print(f"\nWhat changed from {earlier.label} to {later.label}:")
        for line in safety_map.changes_between(
            [m for _s, m in view.marks(set(earlier.session_ids))],
            [m for _s, m in view.marks(set(later.session_ids))],
        ):
            print(f"   {line}")
    return 0


def _as_json(view) -> dict:  # noqa: ANN001 - a SafetyMapView
    image = view.image
    return {
        "image": None
        if image is None
        else {
            "width": image.width,
            "height": image.height,
            "type": image.image_type,
            "caption": image.caption,
        },  # fmt: skip
        "sessions": [
            {
                "letter": s.letter,
                "name": s.name,
                "held_on": s.held_on.isoformat() if s.held_on else None,
                "meeting": s.meeting_label or None,
                "marks": [
                    {
                        "code": m.code,
                        "shape": m.shape,
                        "points": [list(p) for p in m.points],
                        "rating": m.rating,
                        "time_of_day": m.time_of_day,
                        "label": m.label,
                        "note": m.note,
                    }  # fmt: skip
                    for m in s.marks
                ],
            }
            for s in view.sessions
        ],
        "rounds": [{"meeting": r.label, "sessions": len(r.session_ids)} for r in view.rounds],
    }
