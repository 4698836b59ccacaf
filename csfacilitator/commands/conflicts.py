"""`csfacilitator conflicts [--json] [--conference CONF]`: fields changed here and on the team
to different values; `conflicts resolve ID --take mine|theirs` or `--value TEXT` settles one
(the next sync takes the choice to the team)."""

from __future__ import annotations

from csfacilitator.commands.common import add_json, listed


def register(commands, export_kinds) -> None:
    parser = commands.add_parser(
        "conflicts", help="list sync conflicts, or resolve one (conflicts resolve ID --take ...)"
    )
    add_json(parser)
    parser.add_argument(
        "--conference", metavar="CONF", help="only this conference (id or exact title)"
    )
    parser.set_defaults(run=run_list)
    actions = parser.add_subparsers(dest="conflicts_action", metavar="ACTION")
    resolve = actions.add_parser("resolve", help="settle one conflict")
    resolve.add_argument("id", type=int, metavar="ID", help="the conflict's id (from the list)")
    how = resolve.add_mutually_exclusive_group(required=True)
    how.add_argument(
        "--take", choices=("mine", "theirs"), help="keep this laptop's value, or take the team's"
    )
    how.add_argument("--value", metavar="TEXT", help="a third value instead of either")
    resolve.set_defaults(run=run_resolve, writes=True)


def _show(value) -> str:  # noqa: ANN001
    import datetime as dt

    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _lines(words: str) -> str:
    """A value in words, a line each, under its heading."""
    return "".join(f"\n    {line}" for line in words.splitlines())


def _json_value(value):  # noqa: ANN001, ANN202
    import datetime as dt

    if isinstance(value, (dt.date, dt.time, dt.datetime)):
        return value.isoformat()
    return value


def run_list(db, args, paths) -> int:
    from csfacilitator.core import conferences, sync

    conference_id = conferences.find_conference(db, args.conference) if args.conference else None
    found = sync.list_conflicts(db, conference_id)
    if listed(
        found,
        as_json=args.json,
        to_json=lambda c: {
            "id": c.id,
            "conference_id": c.conference_id,
            "conference": c.conference_title,
            "entity": c.entity,
            "row": c.row_label,
            "field": c.field,
            "mine": _json_value(c.mine),
            "theirs": _json_value(c.theirs),
            "mine_by": c.mine_person,
            "mine_at": _json_value(c.mine_at),
            "theirs_by": c.theirs_person,
            "theirs_at": _json_value(c.theirs_at),
            "structured": c.structured,
            "mine_summary": c.mine_words or _show(c.mine),
            "theirs_summary": c.theirs_words or _show(c.theirs),
        },
        empty="No conflicts.",
    ):
        return 0
    from csfacilitator.core.sync.conflicts import structured_reason

    for c in found:
        when = {
            "mine": c.mine_at.strftime("%Y-%m-%d %H:%M") if c.mine_at else "?",
            "theirs": c.theirs_at.strftime("%Y-%m-%d %H:%M") if c.theirs_at else "?",
        }
        # A structured field names its row in brackets ("Context weighting (working copy)").
        row = f" ({c.row_label})" if c.structured else f" “{c.row_label}”"
        print(f"Conflict {c.id}: {c.conference_title} — {c.entity_label}{row}, {c.field_label}")
        mine = _lines(c.mine_words) if c.structured else f" {_show(c.mine)}"
        theirs = _lines(c.theirs_words) if c.structured else f" {_show(c.theirs)}"
        print(f"  mine (kept here, {c.mine_person or 'this laptop'}, {when['mine']}):{mine}")
        print(f"  theirs ({c.theirs_person or 'the team'}, {when['theirs']}):{theirs}")
        if c.structured:
            print(f"  {structured_reason(c.entity, c.field)}")
    print(
        "Resolve one with `csfacilitator conflicts resolve ID --take mine|theirs` "
        "or `--value TEXT`."
    )
    return 0


def run_resolve(db, args, paths) -> int:
    from csfacilitator.core import sync
    from csfacilitator.core.sync.conflicts import is_structured

    before = {c.id: c for c in sync.list_conflicts(db)}.get(args.id)
    value = sync.resolve_conflict(db, args.id, take=args.take, value=args.value)
    if before is not None and is_structured(before.entity, before.field):
        chosen = {"mine": "this laptop's", "theirs": "the team's"}.get(args.take or "", "the given")
        shown = f"{chosen} {before.entity_label.lower()} ({before.row_label})"
    else:
        shown = _show(value)
    print(f"Conflict {args.id} resolved: {shown}. The next sync tells the team.")
    return 0
