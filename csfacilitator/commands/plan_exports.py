"""`csfacilitator export plan|review|actions`: the intervention plan, a review record and the
actions as CSV, from the command line."""

from __future__ import annotations

from pathlib import Path


def register(commands, export_kinds) -> None:
    plan = export_kinds.add_parser("plan", help="the intervention plan (.docx)")
    plan.add_argument("conference", metavar="CONF", help="conference id or exact title")
    plan.add_argument("--out", required=True, metavar="FILE")
    plan.set_defaults(run=export_plan)

    review = export_kinds.add_parser("review", help="the record of a review meeting (.docx)")
    review.add_argument("conference", metavar="CONF", help="conference id or exact title")
    review.add_argument(
        "--meeting", type=int, metavar="ID", help="review meeting id (default: the latest review)"
    )
    review.add_argument("--out", required=True, metavar="FILE")
    review.set_defaults(run=export_review)

    actions = export_kinds.add_parser(
        "actions", help="the plan's actions for spreadsheets (.csv, opens in Excel)"
    )
    actions.add_argument("conference", metavar="CONF", help="conference id or exact title")
    actions.add_argument("--out", required=True, metavar="FILE")
    actions.set_defaults(run=export_actions)


def export_plan(db, args, paths) -> int:
    from csfacilitator.cli import report_export
    from csfacilitator.core.conferences import find_conference
    from csfacilitator.export.plan_doc import export_plan as write

    conference_id = find_conference(db, args.conference)
    return report_export(db, conference_id, "plan", write(db, conference_id, Path(args.out)))


def export_review(db, args, paths) -> int:
    from csfacilitator.cli import report_export
    from csfacilitator.core.conferences import find_conference
    from csfacilitator.export.review_doc import export_review as write

    conference_id = find_conference(db, args.conference)
    written = write(db, conference_id, Path(args.out), meeting_id=args.meeting)
    return report_export(db, conference_id, "review", written)


def export_actions(db, args, paths) -> int:
    from csfacilitator.cli import report_export
    from csfacilitator.core.conferences import find_conference
    from csfacilitator.export.actions_csv import export_actions as write

    conference_id = find_conference(db, args.conference)
    return report_export(db, conference_id, "actions", write(db, conference_id, Path(args.out)))
