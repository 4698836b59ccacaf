"""`csfacilitator related CONF`: other open or recent conferences about the same place or area
(core/related.py), with the reason."""

from __future__ import annotations

from csfacilitator.commands.common import add_conference


def register(commands, export_kinds) -> None:
    parser = commands.add_parser(
        "related", help="other open or recent conferences about the same place or area"
    )
    add_conference(parser)
    parser.add_argument("--link", metavar="OTHER", help="link this conference to another")
    parser.add_argument(
        "--reason",
        default="same_place",
        help="why they are linked: same_place, neighbouring_place, same_setting",
    )
    parser.add_argument("--note", default="", metavar="TEXT", help="a few words about the link")
    parser.add_argument(
        "--also-called", metavar="NAMES", help="other names for the context, separated by ;"
    )
    parser.add_argument("--map-ref", metavar="TEXT", help="the context's map reference")
    parser.set_defaults(run=run_related, writes=True)  # --link, --also-called, --map-ref


def run_related(db, args, paths) -> int:
    from csfacilitator.core import conferences
    from csfacilitator.core import related as register
    from csfacilitator.core.related import related_conferences

    conference_id = conferences.find_conference(db, args.conference)
    if args.also_called is not None or args.map_ref is not None:
        aliases = None
        if args.also_called is not None:
            aliases = "\n".join(part.strip() for part in args.also_called.split(";"))
        register.set_register(db, conference_id, aliases=aliases, map_ref=args.map_ref)
    if args.link:
        other = conferences.find_conference(db, args.link)
        register.add_link(db, conference_id, other, args.reason, args.note)
    links = register.list_links(db, conference_id)
    for link in links:
        print(f"{link.conference_id:>4}  {link.title}  (linked: {link.reason_text})")
    found = related_conferences(db, conference_id)
    if not found and not links:
        print("No open or recent conference names this context or area.")
    for related in found:
        print(f"{related.conference_id:>4}  {related.title}  ({related.reason})")
    return 0
