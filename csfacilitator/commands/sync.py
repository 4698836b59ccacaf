"""`csfacilitator sync`: push this laptop's waiting changes to the team store and pull the
others', in one line: pushed N, pulled M, conflicts K (docs/sync.md)."""

from __future__ import annotations


def register(commands, export_kinds) -> None:
    parser = commands.add_parser(
        "sync", help="sync shared conferences with the team store (push, then pull)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.set_defaults(run=run_sync, writes=True)


def run_sync(db, args, paths) -> int:
    import json

    from csfacilitator.core import sync
    from csfacilitator.storage import team_store

    engine = team_store.team_engine(db)
    try:
        with team_store.classified(engine):
            result = sync.sync_now(db, engine)
    finally:
        engine.dispose()
    if args.json:
        payload = {
            "pushed": result.pushed,
            "pulled": result.pulled,
            "conflicts": result.conflicts,
            "new_conflicts": result.new_conflicts,
            "changed_conferences": sorted(result.changed.conference_ids),
            "removed_conferences": sorted(result.changed.removed_conference_ids),
            "no_longer_shared": [
                {"id": c.conference_id, "title": c.title, "since": c.since.isoformat()}
                for c in result.no_longer_shared
            ],
            "removed_by_team": [
                {"id": r.conference_id, "title": r.title, "by": r.by, "retention": r.retention}
                for r in result.removed_by_team
            ],
        }
        print(json.dumps(payload))
        return 0
    line = f"Synced: {result.summary()}."
    if result.conflicts:
        line += " See them with `csfacilitator conflicts`."
    print(line)
    from csfacilitator.commands.team_leaving import no_longer_shared_lines

    for removed in result.removed_by_team:
        print(removed.sentence())
    for text in no_longer_shared_lines(result.no_longer_shared):
        print(text)
    return 0
