"""`csfacilitator voices CONF`: young people's voices and what was done ("you said, we did";
core/voice.py), and `--add` to record one (the same operation as the Assessment tab's panel),
linked to the plan with `--need N` or `--action N.M` (need N's M-th action, as the plan numbers
them). A word that looks like a name is pointed out on stderr; it is never refused."""

from __future__ import annotations

from csfacilitator.commands.common import add_conference, add_json, iso, listed


def register(commands, export_kinds) -> None:
    parser = commands.add_parser(
        "voices", help="young people's voices and what was done (--add records one)"
    )
    add_conference(parser)
    parser.add_argument("--add", metavar="TEXT", help="what young people said, in their words")
    parser.add_argument(
        "--method",
        default="other",
        help="how it was gathered: survey, detached, school_council, worker, other",
    )
    parser.add_argument("--day", metavar="DATE", help="when it was gathered (5 Nov 2026)")
    parser.add_argument(
        "--by", default="", metavar="TEXT", help="who gathered it: a role or agency"
    )
    link = parser.add_mutually_exclusive_group()
    link.add_argument("--need", type=int, metavar="N", help="link to need N of the plan")
    link.add_argument("--action", metavar="N.M", help="link to action M of need N")
    parser.add_argument("--we-did", default="", metavar="TEXT", help="what was done, for them")
    add_json(parser, "print the voices as JSON")
    parser.set_defaults(run=run_voices, writes=True)  # --add


def _link(db, conference_id: int, need: int | None, action: str | None) -> dict:  # noqa: ANN001
    from csfacilitator.core.plan import get_plan
    from csfacilitator.errors import UserError

    if need is None and action is None:
        return {}
    needs = get_plan(db, conference_id)
    number, _, sub = (action or str(need)).partition(".")
    try:
        chosen = needs[int(number) - 1] if int(number) >= 1 else None
        if chosen is None:
            raise IndexError
        if not sub:
            return {"need_id": chosen.id}
        if int(sub) < 1:
            raise IndexError
        return {"intervention_id": chosen.interventions[int(sub) - 1].id}
    except (ValueError, IndexError):
        given = action if action is not None else str(need)
        raise UserError(
            f"The plan has no {'action' if action else 'need'} {given}: needs are numbered from "
            "1 as the plan shows them, actions as N.M (need N's M-th action)."
        ) from None


def run_voices(db, args, paths) -> int:  # noqa: ANN001
    import sys

    from csfacilitator.core import conferences, voice

    conference_id = conferences.find_conference(db, args.conference)
    if args.add is not None:
        record = voice.add_voice(
            db,
            conference_id,
            args.add,
            method=args.method,
            gathered_on=args.day,
            gathered_by=args.by,
            we_did=args.we_did,
            **_link(db, conference_id, args.need, args.action),
        )
        for warning in voice.name_warnings(
            db, conference_id, record.text, record.gathered_by, record.we_did
        ):
            print(f"Check for names: {warning.line()}", file=sys.stderr)
    voices = voice.list_voices(db, conference_id)
    if listed(
        voices,
        as_json=args.json,
        to_json=lambda v: {
            "id": v.id,
            "said": v.text,
            "method": v.method,
            "gathered_on": iso(v.gathered_on),
            "gathered_by": v.gathered_by,
            "linked_to": v.link_text,
            "we_did": v.we_did,
            "reply": v.reply,
        },
        empty="No young people's voices are recorded for this conference.",
        indent=2,
    ):
        return 0
    for number, v in enumerate(voices, start=1):
        print(f"{number:>3}. You said: “{v.text}”  ({v.how})")
        print(f"     We did: {v.reply}" + ("" if v.reply_written else "  [from the plan]"))
    return 0
