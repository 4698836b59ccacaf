"""`csfacilitator team ...`: set up a PostgreSQL team store, join this laptop to it, manage who
may see what (roles and shares, enforced by PostgreSQL) and read its audit trail.

Passwords are never stored in plain text: a URL's password is used once and never kept; else
CSFACILITATOR_TEAM_PASSWORD (scripts), the OS keyring (`keyring`), or a prompt.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys

from csfacilitator.errors import UserError

ENV_NEW_USER_PASSWORD = "CSFACILITATOR_NEW_USER_PASSWORD"
ROLES = ("coordinator", "manager", "readonly")


def register(commands, export_kinds) -> None:  # noqa: ANN001, ARG001 - argparse subparsers
    from csfacilitator.commands.team_leaving import run_remove_copies

    team = commands.add_parser(
        "team", help="the team store (PostgreSQL): set up, join, people, sharing, audit"
    )
    actions = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)

    init = actions.add_parser(
        "init", help="create the team store's schema, roles and audit in an empty database"
    )
    init.add_argument("url", metavar="URL", help="postgresql://ADMIN@HOST/DATABASE")
    init.set_defaults(run=run_init)

    upgrade = actions.add_parser(
        "upgrade",
        help="bring a team store to this version's schema and renew its policies (administrator)",
    )
    upgrade.add_argument("url", metavar="URL", help="postgresql://ADMIN@HOST/DATABASE")
    upgrade.set_defaults(run=run_upgrade)

    connect = actions.add_parser(
        "connect", help="join this laptop to a team store (checked first; no password kept)"
    )
    connect.add_argument("url", metavar="URL", help="postgresql://YOU@HOST/DATABASE")
    connect.add_argument(
        "--no-keyring",
        action="store_true",
        help="do not keep a typed password in the OS keyring",
    )
    connect.set_defaults(run=run_connect, writes=True)

    status = actions.add_parser("status", help="is the team store reachable, at which schema")
    status.set_defaults(run=run_status)

    def admin_url(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--url",
            metavar="URL",
            help="the team store as an administrator (default: the one this laptop joined)",
        )

    add_user = actions.add_parser("add-user", help="give a person a login and a role")
    add_user.add_argument("name", metavar="NAME", help="their login name, e.g. jsmith")
    add_user.add_argument("--role", required=True, choices=ROLES)
    admin_url(add_user)
    add_user.set_defaults(run=run_add_user)

    remove_user = actions.add_parser(
        "remove-user", help="take a person out of the team (their login stops working)"
    )
    remove_user.add_argument("name", metavar="NAME")
    admin_url(remove_user)
    remove_user.set_defaults(run=run_remove_user)

    users = actions.add_parser("users", help="list the team's people and their roles")
    admin_url(users)
    users.set_defaults(run=run_users)

    share = actions.add_parser(
        "share",
        help="share a conference with the team (it syncs), or --with a person (they see it)",
    )
    share.add_argument("conference", metavar="CONF", help="conference id or exact title")
    share.add_argument("--with", dest="person", metavar="NAME", help="a team member's login")
    share.set_defaults(run=run_share, writes=True)

    unshare = actions.add_parser(
        "unshare", help="stop sharing a conference (with the team, or --with one person)"
    )
    unshare.add_argument("conference", metavar="CONF", help="conference id or exact title")
    unshare.add_argument("--with", dest="person", metavar="NAME")
    unshare.set_defaults(run=run_unshare, writes=True)

    audit = actions.add_parser("audit", help="print a conference's audit trail")
    audit.add_argument("conference", metavar="CONF", help="conference id, exact title or uid")
    audit.add_argument("--json", action="store_true", help="print JSON for scripts")
    audit.set_defaults(run=run_audit)

    verify = actions.add_parser(
        "verify-audit", help="check the audit trail's hash chain (an edit or a gap shows)"
    )
    verify.set_defaults(run=run_verify)

    copies = actions.add_parser(
        "remove-copies",
        help="remove this laptop's copies of conferences no longer shared with you",
    )
    copies.add_argument(
        "conferences",
        nargs="*",
        metavar="CONF",
        help="conference id or exact title (default: every one no longer shared with you)",
    )
    copies.add_argument("--yes", action="store_true", help="really remove them")
    copies.add_argument(
        "--purge-backups",
        action="store_true",
        help="also remove the older backups, which still hold them (after making a fresh one), "
        "as `delete --purge-backups` does",
    )
    copies.set_defaults(run=run_remove_copies, writes=True)

    keep = actions.add_parser(
        "retention",
        help="(team managers) conferences past their retention date across the team; "
        "delete CONF --yes deletes one from the team store and, at their next sync, every laptop",
    )
    keep.add_argument("action", nargs="?", choices=("list", "delete"), default="list")
    keep.add_argument("conference", nargs="?", metavar="CONF", help="uid or exact title")
    keep.add_argument("--yes", action="store_true", help="really delete it")
    admin_url(keep)
    keep.set_defaults(run=run_retention, writes=True)


# --- Passwords and engines ---------------------------------------------------------------


def _prompt(label: str) -> str | None:
    if not sys.stdin or not sys.stdin.isatty():
        return None
    import getpass

    return getpass.getpass(label)


def password_for(url) -> tuple[str, bool]:  # noqa: ANN001 - sqlalchemy URL
    """(password, typed): the URL's own, CSFACILITATOR_TEAM_PASSWORD, the OS keyring, or a
    prompt. Refuses in one line when none can be had (no terminal)."""
    from csfacilitator.storage import team_store

    if url.password is not None:
        return str(url.password), False
    found = team_store.team_password(url)
    if found:
        return found, False
    typed = _prompt(f"Password for {team_store.url_login(url)} on the team store: ")
    if typed is None:
        raise UserError(
            "The team store needs a password: set CSFACILITATOR_TEAM_PASSWORD (no terminal "
            "to ask on)."
        )
    return typed, True


def _admin_engine(db, url_arg: str | None):  # noqa: ANN001
    from csfacilitator.storage import team_store

    url = url_arg or team_store.stored_team_url(db)
    if url is None:
        raise UserError("Name the team store with --url, or join one first (team connect URL).")
    parsed = team_store.parse_url(url)
    password, _typed = password_for(parsed)
    return team_store.make_team_engine(parsed, password, poolclass=_null_pool())


def _null_pool():
    from sqlalchemy.pool import NullPool

    return NullPool


def run_retention(db, args, paths) -> int:  # noqa: ANN001
    from csfacilitator.commands.team_leaving import run_retention as retention

    return retention(db, args, paths, _admin_engine)


def _conference_uid(db, ref: str) -> str:  # noqa: ANN001
    """A local conference (id or exact title) by its uid; a uid is taken as it is."""
    import re

    from csfacilitator.core.conferences import find_conference
    from csfacilitator.core.model import Conference

    if re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", ref.strip()):
        return ref.strip()
    conference_id = find_conference(db, ref)
    with db.read_session() as s:
        return s.get(Conference, conference_id).uid


# --- Commands ----------------------------------------------------------------------------


def run_init(db, args, paths) -> int:  # noqa: ANN001, ARG001
    from csfacilitator.storage import team_store

    parsed = team_store.parse_url(args.url)
    password, _typed = password_for(parsed)
    revision = team_store.init_team_store(parsed, password)
    print(
        f"Created the team store at {team_store.redact(parsed)} (schema {revision}), with its "
        "roles, row-level security and audit trail. Next: team add-user NAME --role ..."
    )
    return 0


def run_upgrade(db, args, paths) -> int:  # noqa: ANN001, ARG001
    from csfacilitator.storage import team_store

    parsed = team_store.parse_url(args.url)
    password, _typed = password_for(parsed)
    before, after = team_store.upgrade_team_store(parsed, password)
    if before == after:
        print(f"The team store is at schema {after} already; its policies were renewed.")
    else:
        print(f"Upgraded the team store from schema {before} to {after}, and renewed its policies.")
    return 0


def run_connect(db, args, paths) -> int:  # noqa: ANN001, ARG001
    from csfacilitator.storage import team_store

    parsed = team_store.parse_url(args.url)
    password, typed = password_for(parsed)
    status = team_store.connect_team_store(db, args.url, password)
    print(f"This laptop joined the team store {status.url} (schema {status.schema}).")
    if typed and not args.no_keyring:
        if team_store.save_keyring_password(team_store.url_for_storage(args.url), password):
            print("The password is kept in the system keyring.")
        else:
            print(
                "No system keyring here: the password is not kept; you will be asked for it, "
                "or set CSFACILITATOR_TEAM_PASSWORD."
            )
    return 0


def run_status(db, args, paths) -> int:  # noqa: ANN001, ARG001
    from csfacilitator.storage import team_store

    url = team_store.stored_team_url(db)
    if url is None:
        print("This laptop has not joined a team store (team connect URL).")
        return 0
    with contextlib.suppress(ImportError):  # sync adds its figures to STATUS_PARTS
        import csfacilitator.core.sync  # noqa: F401
    password = None
    if not os.environ.get(team_store.ENV_PASSWORD) and not team_store.keyring_password(url):
        password = _prompt("Password for the team store: ")
    status = team_store.team_status(db, password)
    if status is None:  # it left the team store meanwhile
        print("This laptop has not joined a team store (team connect URL).")
        return 0
    for line in status.lines():
        print(line)
    return 0 if status.reachable else 2


def _new_password() -> str:
    found = os.environ.get(ENV_NEW_USER_PASSWORD)
    if found:
        return found
    first = _prompt("Their password (at least 8 characters): ")
    if first is None:
        raise UserError(
            f"The new login needs a password: set {ENV_NEW_USER_PASSWORD} (no terminal to ask on)."
        )
    if _prompt("Type it again: ") != first:
        raise UserError("The two passwords differ; nothing was changed.")
    return first


def run_add_user(db, args, paths) -> int:  # noqa: ANN001, ARG001
    from csfacilitator.storage import team_security, team_store

    engine = _admin_engine(db, args.url)
    try:
        password = _new_password()
        with team_store.classified(engine):
            team_security.add_user(engine, args.name, args.role, password)
    finally:
        engine.dispose()
    label = team_security.ROLE_LABELS[args.role]
    print(f"Added {args.name} as {label}. Share conferences with them: team share CONF --with NAME")
    return 0


def run_remove_user(db, args, paths) -> int:  # noqa: ANN001, ARG001
    from csfacilitator.storage import team_security, team_store

    engine = _admin_engine(db, args.url)
    try:
        with team_store.classified(engine):
            shares = team_security.remove_user(engine, args.name)
    finally:
        engine.dispose()
    print(
        f"Removed {args.name} from the team: their login no longer works, and {shares} "
        f"conference{'s are' if shares != 1 else ' is'} no longer shared with them."
    )
    return 0


def run_users(db, args, paths) -> int:  # noqa: ANN001, ARG001
    from csfacilitator.storage import team_security, team_store

    engine = _admin_engine(db, args.url)
    try:
        with team_store.classified(engine), engine.connect() as conn:
            members = team_security.list_users(conn)
    finally:
        engine.dispose()
    if not members:
        print("No one is in the team yet (team add-user NAME --role ...).")
    for member in members:
        print(f"{member.login}\t{team_security.ROLE_LABELS[member.role]}")
    return 0


def _with_team(db, work):  # noqa: ANN001
    from csfacilitator.storage import team_store

    engine = _admin_engine(db, None)
    try:
        with team_store.classified(engine), engine.begin() as conn:
            return work(conn)
    finally:
        engine.dispose()


def run_share(db, args, paths) -> int:  # noqa: ANN001, ARG001
    from csfacilitator.storage import team_security

    if args.person is None:
        return _share_with_team(db, args.conference)
    uid = _conference_uid(db, args.conference)
    added = _with_team(db, lambda conn: team_security.share(conn, uid, args.person))
    print(f"Shared with {args.person}." if added else f"It was shared with {args.person} already.")
    return 0


def run_unshare(db, args, paths) -> int:  # noqa: ANN001, ARG001
    from csfacilitator.storage import team_security

    if args.person is None:
        return _unshare_with_team(db, args.conference)
    uid = _conference_uid(db, args.conference)
    removed = _with_team(db, lambda conn: team_security.unshare(conn, uid, args.person))
    print(
        f"No longer shared with {args.person}."
        if removed
        else f"It was not shared with {args.person} (or you may not change who sees it)."
    )
    return 0


def _sync_share():
    try:
        from csfacilitator.core.sync import share
    except ImportError as exc:
        raise UserError("Sharing a conference with the team needs sync (core/sync).") from exc
    return share


def _share_with_team(db, ref: str) -> int:  # noqa: ANN001
    from csfacilitator.core.conferences import find_conference

    result = _sync_share().share_conference(db, find_conference(db, ref))
    if result.already:
        print("That conference is shared with the team already.")
    else:
        print(f"Shared with the team: {result.queued} changes wait for the next sync.")
    return 0


def _unshare_with_team(db, ref: str) -> int:  # noqa: ANN001
    from csfacilitator.core.conferences import find_conference

    dropped = _sync_share().unshare_conference(db, find_conference(db, ref))
    print(
        f"No longer synced from this laptop ({dropped} waiting changes dropped); the copy here "
        "stays."
    )
    return 0


def run_audit(db, args, paths) -> int:  # noqa: ANN001, ARG001
    from csfacilitator.storage import team_security

    uid = _conference_uid(db, args.conference)
    entries = _with_team(db, lambda conn: team_security.audit_entries(conn, uid))
    if args.json:
        print(json.dumps([_entry_json(e) for e in entries], indent=2, ensure_ascii=False))
        return 0
    if not entries:
        print("The team store has no audit entries for that conference (or you may not see it).")
    for entry in entries:
        for line in audit_lines(entry):
            print(line)
    return 0


def _entry_json(entry) -> dict:  # noqa: ANN001
    return {
        "id": entry.id,
        "at": entry.at + "Z",
        "who": entry.who,
        "conference_uid": entry.conference_uid,
        "entity": entry.entity,
        "row": entry.row_key,
        "action": entry.action,
        "changes": json.loads(entry.changes) if entry.changes else None,
        "hash": entry.hash,
    }


def audit_lines(entry) -> list[str]:  # noqa: ANN001 - team_security.AuditEntry
    """An entry as lines a person reads: one for the change, one per field changed."""
    when = entry.at.replace("T", " ")[:19] + " UTC"
    head = f"{when}  {entry.who}  {entry.action} {entry.entity} {entry.row_key}"
    if entry.action == "delete":
        return [head + "  (its text is not kept)"]
    if entry.changes is None:
        return [head + "  (values removed with the row, or not yours to see)"]
    lines = [head]
    for field, old, new in entry.fields():
        if entry.action == "insert":
            lines.append(f"    {field}: {_shown(new)}")
        else:
            lines.append(f"    {field}: {_shown(old)} -> {_shown(new)}")
    return lines


def _shown(value) -> str:  # noqa: ANN001
    if value is None:
        return "(empty)"
    text = str(value).replace("\n", " / ")
    return text if len(text) <= 80 else text[:77] + "..."


def run_verify(db, args, paths) -> int:  # noqa: ANN001, ARG001
    from csfacilitator.storage import team_security

    check = _with_team(db, team_security.verify_audit)
    if not check.intact:
        shown = "; ".join(check.problems[:5])
        more = f" (and {len(check.problems) - 5} more)" if len(check.problems) > 5 else ""
        raise UserError(f"The audit trail has been tampered with: {shown}{more}.")
    note = (
        f" ({check.unreadable} entries' values are not yours to read and were not checked)"
        if check.unreadable
        else ""
    )
    print(f"The audit trail is whole: {check.entries} entries, last hash {check.head}{note}.")
    return 0
