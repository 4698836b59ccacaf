"""`csfacilitator team remove-copies` and `team retention`: leaving the team and retention
across it (core/sync/leaving.py, core/sync/team_retention.py). The rest of `team` is in
commands/team.py, which registers these two."""

from __future__ import annotations

from csfacilitator.errors import UserError


def no_longer_shared_lines(conferences) -> list[str]:  # noqa: ANN001 - NoLongerShared records
    """What `sync` and `team remove-copies` say about copies no longer shared with you."""
    if not conferences:
        return []
    n = len(conferences)
    lines = [
        f"No longer shared with you on the team store ({n} conference"
        f"{'s' if n != 1 else ''}); {'they' if n != 1 else 'it'} no longer sync"
        f"{'' if n != 1 else 's'}, and the cop{'ies stay' if n != 1 else 'y stays'} here until "
        "you remove or keep them:"
    ]
    for c in conferences:
        lines.append(f"  {c.conference_id}  {c.title}  (since {c.since:%d/%m/%Y})")
    lines.append(
        "Remove the copies from this laptop: csfacilitator team remove-copies --yes "
        "(or name some of them)."
    )
    return lines


def run_remove_copies(db, args, paths) -> int:  # noqa: ANN001, ARG001
    from csfacilitator.core.conferences import find_conference
    from csfacilitator.core.sync import leaving

    listed = leaving.no_longer_shared(db)
    if not listed:
        print("No conference on this laptop is marked as no longer shared with you.")
        return 0
    ids = None
    if args.conferences:
        ids = [find_conference(db, ref) for ref in args.conferences]
        known = {c.conference_id for c in listed}
        for ref, conference_id in zip(args.conferences, ids, strict=True):
            if conference_id not in known:
                raise UserError(
                    f"'{ref}' is still shared with you (or never was on the team store): only "
                    "copies no longer shared are removed here."
                )
        listed = [c for c in listed if c.conference_id in ids]
    if not args.yes:
        for line in no_longer_shared_lines(listed)[:-1]:
            print(line)
        raise UserError(
            "Nothing was removed. Run again with --yes to remove "
            f"{'these copies' if len(listed) != 1 else 'this copy'} from this laptop for good."
        )
    if not args.purge_backups:
        removed = leaving.remove_copies(db, ids)
        _print_removed(removed)
        print(
            "Older backups still hold them until they are thinned out; add --purge-backups to "
            "remove those now."
        )
        return 0
    from csfacilitator.commands.backup import _print_purged
    from csfacilitator.storage import purge
    from csfacilitator.storage.encryption import conversion_lock

    first = listed[0]
    pending = purge.PendingPurge(
        uid=first.uid, title=first.title, conference_id=first.conference_id
    )
    with conversion_lock(paths):  # as `delete --purge-backups`: resumable from the note on
        purge.note_pending(paths, pending)
        removed = leaving.remove_copies(db, [c.conference_id for c in listed])
        _print_removed(removed)
        purged = purge.purge(db, pending, reclaim=False)
    _print_purged(paths, purged)
    return 0


def _print_removed(removed) -> None:  # noqa: ANN001 - RemovedCopy records
    for copy in removed:
        print(f"Removed '{copy.title}' from this laptop; the database file keeps no trace of it.")


def run_retention(db, args, paths, admin_engine) -> int:  # noqa: ANN001, ARG001
    """`team retention`; `admin_engine(db, url)` opens the team store as commands/team.py does
    (passed in, so this module does not import that one, which registers it)."""
    from csfacilitator.core.retention import retention_months
    from csfacilitator.core.sync import team_retention
    from csfacilitator.storage import team_store

    months = retention_months(db)
    engine = admin_engine(db, args.url)
    try:
        with team_store.classified(engine):
            if args.action == "list":
                if args.conference:
                    raise UserError(
                        "Name a conference only to delete it: team retention delete CONF."
                    )
                due = team_retention.due_across_team(engine, months)
                if not due:
                    print(
                        f"No conference on the team store is past its retention date ({months} "
                        "months after closing; legal holds are never due)."
                    )
                for d in due:
                    who = ", ".join(d.shared_with) or "no one"
                    print(
                        f"{d.title}  closed {d.closed_on:%d/%m/%Y}, due for deletion "
                        f"{d.due_on:%d/%m/%Y}; shared with {who}  [{d.uid}]"
                    )
                return 0
            if not args.conference:
                raise UserError("Name the conference to delete: team retention delete CONF --yes.")
            if not args.yes:
                due = team_retention.due_across_team(engine, months)
                found = [d for d in due if args.conference.strip() in (d.uid, d.title)]
                what = f"'{found[0].title}'" if found else f"'{args.conference}'"
                raise UserError(
                    f"This would delete {what} from the team store and, at their next sync, "
                    "from every laptop that has it, for good. Run again with --yes to delete it."
                )
            deleted = team_retention.delete_due(db, engine, args.conference, months)
    finally:
        engine.dispose()
    print(
        f"Deleted '{deleted.title}' from the team store (its retention period has ended); every "
        "laptop that has it removes it at its next sync, and the audit trail records it."
    )
    if deleted.removed_here:
        print("This laptop's copy was removed too; the database file keeps no trace of it.")
    return 0
