"""`csfacilitator related CONF`: other open or recent conferences about the same place or area
(core/related.py), with the reason."""

from __future__ import annotations


def register(commands, export_kinds) -> None:
    parser = commands.add_parser(
        "related", help="other open or recent conferences about the same place or area"
    )
    parser.add_argument("conference", metavar="CONF", help="conference id or exact title")
    parser.set_defaults(run=run_related)


def run_related(db, args, paths) -> int:
    from csfacilitator.core import conferences
    from csfacilitator.core.related import related_conferences

    conference_id = conferences.find_conference(db, args.conference)
    found = related_conferences(db, conference_id)
    if not found:
        print("No open or recent conference names this context or area.")
    for related in found:
        print(f"{related.conference_id:>4}  {related.title}  ({related.reason})")
    return 0
