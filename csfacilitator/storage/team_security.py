"""Who may see what in the team store, enforced by PostgreSQL itself, and its audit trail.

Applied by `team init` after the Alembic schema (a versioned step of its own, not a
migration: the roles are the server's, not the database's; the policies are generated from the
models as they are at that moment; and the laptop's SQLite file must never carry any of it).
`apply()` may be run again: it replaces the policies and triggers and records
SECURITY_VERSION in `team_meta`.

- **Roles**: three group roles (NOLOGIN) per team store, named after its database:
  `<db>_coordinator`, `<db>_manager`, `<db>_readonly` (recorded in team_meta, so a copy of the
  database keeps using them). Each person has a LOGIN role that is a member of one of them.
- **Shares**: `team_share(conference_uid, login)` says which conferences each login works on.
- **Row-level security** on every table that belongs to a conference (a `conference_uid`
  column, or a chain of foreign keys up to `conference`): a coordinator reads and changes
  only the conferences shared with them; a manager reads every conference (changes those
  shared with them, and may delete any conference: retention); read-only reads the
  conferences shared with them and cannot write at all (no INSERT/UPDATE/DELETE grant).
  The first login to write a conference the team store has never seen gets it shared with
  them (so a new conference can be pushed). Laptop-only tables get no grant at all.
- **Audit**: every insert, update and delete on those tables (and on team_share) adds a row to
  `team_audit` (who = the session's login, when, conference, entity, row, action, a SHA-256
  digest of the values, the previous entry's hash, and its own hash over all that). The values
  themselves (field: [old, new]) sit in `team_audit_value`, and are removed when their row is
  deleted ("deleting means gone"), which the chain survives since it hashes their digest.
  No app login may write either table (only the SECURITY DEFINER trigger does), and triggers
  refuse UPDATE, DELETE and TRUNCATE to everyone, the owner included.
  Writers are serialised by a transaction-level advisory lock (AUDIT_LOCK), and each entry
  reads the previous one's hash: write transactions must run at READ COMMITTED (the default);
  the trigger refuses any other level rather than fork the chain.

Long because the roles, the row-level security policies and the audit triggers are generated
together from the models and must agree; most of its lines are that SQL itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from csfacilitator.errors import UserError

SECURITY_VERSION = "1"
GROUPS = ("coordinator", "manager", "readonly")
ROLE_LABELS = {"coordinator": "coordinator", "manager": "team manager", "readonly": "read-only"}
#: pg_advisory_xact_lock key taken by every audited write (and by whoever wants the team
#: store's writes in one order: take it first).
AUDIT_LOCK = 7_236_452_417
#: Tables that only a laptop uses: no app login gets any right on them in the team store.
LOCAL_ONLY = frozenset(
    {"setting", "draft", "export_log", "change_log", "sync_state", "sync_share", "sync_conflict"}
)
#: The tables this module adds (not models: the laptop never has them).
OWN_TABLES = ("team_meta", "team_share", "team_audit", "team_audit_value")
NAME_RE = re.compile(r"^[a-z_][a-z0-9_.\-]{0,62}$")
SEP = "\x1f"  # between the fields an entry's hash covers


# --- Which conference a row belongs to ------------------------------------------------------


@dataclass(frozen=True)
class Path:
    """How a table reaches its conference: `column` holds the uid directly (conference.uid,
    team_change.conference_uid), or `hops` of (foreign-key column, parent table) lead to
    conference.id."""

    table: str
    column: str | None = None
    hops: tuple[tuple[str, str], ...] = ()

    def policy_expr(self) -> str:
        """The conference uid as an SQL expression inside the table's policies."""
        if self.column:
            return f'"{self.table}"."{self.column}"'
        return self._nested(f'"{self.table}"."{self.hops[0][0]}"', 0)

    def read_expr(self) -> str:
        """Who may read a row, as a policy: its conference is shared with the login (or the
        login is a manager); a child row, when its parent row may be read (the parent's own
        policy decides). Both are computed once per query, not per row."""
        if self.column:
            return (
                "(SELECT team_member_of('manager')) OR "
                f'"{self.table}"."{self.column}" IN (SELECT unnest(team_my_conferences()))'
            )
        column, parent = self.hops[0]
        return f'"{self.table}"."{column}" IN (SELECT id FROM "{parent}")'

    def record_expr(self, record: str) -> str:
        """The conference uid from a row held in a PL/pgSQL record (the audit triggers)."""
        if self.column:
            return f'{record}."{self.column}"'
        return self._nested(f'{record}."{self.hops[0][0]}"', 0)

    def _nested(self, value: str, depth: int) -> str:
        _column, parent = self.hops[depth]
        alias = f"p{depth}"
        if depth + 1 == len(self.hops):
            inner = f"{alias}.uid" if parent == "conference" else None
        else:
            inner = self._nested(f'{alias}."{self.hops[depth + 1][0]}"', depth + 1)
        return f'(SELECT {inner} FROM "{parent}" {alias} WHERE {alias}.id = {value})'


def conference_paths(metadata) -> dict[str, Path]:  # noqa: ANN001 - sqlalchemy MetaData
    """Every table that belongs to a conference, with its way to it (shortest; foreign keys
    that cannot be null first). Laptop-only tables are left out."""
    tables = metadata.tables
    paths: dict[str, Path] = {}
    if "conference" in tables:
        paths["conference"] = Path("conference", column="uid")
    for name, table in tables.items():
        if name not in paths and name not in LOCAL_ONLY and "conference_uid" in table.c:
            paths[name] = Path(name, column="conference_uid")
    changed = True
    while changed:
        changed = False
        for name, table in tables.items():
            if name in paths or name in LOCAL_ONLY:
                continue
            options = []
            for fk in table.foreign_keys:
                parent = fk.column.table.name
                if parent == name or parent not in paths or fk.column.name != "id":
                    continue
                base = paths[parent]
                if base.column and parent != "conference":
                    continue  # a conference_uid table's children: none today
                hops = ((fk.parent.name, parent),) + (() if parent == "conference" else base.hops)
                options.append((fk.parent.nullable, len(hops), hops))
            if options:
                options.sort()
                paths[name] = Path(name, hops=options[0][2])
                changed = True
    return paths


# --- Names -------------------------------------------------------------------------------


def check_name(name: str) -> str:
    """A login name: lower-case letters, digits, '_', '.', '-' (up to 63), as PostgreSQL keeps
    it without surprises. Refused in one sentence otherwise."""
    if not NAME_RE.match(name or ""):
        raise UserError(
            f"'{name}' cannot be a login name: use lower-case letters, digits, '_', '.' or "
            "'-', starting with a letter (at most 63)."
        )
    return name


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def group_prefix(database: str) -> str:
    cleaned = re.sub(r"[^a-z0-9_]", "_", database.lower())[:40]
    return cleaned or "team"


def group_roles(connection) -> dict[str, str]:
    """{'coordinator': role name, ...} of this team store (team_meta); {} before init."""
    if connection.execute(text("SELECT to_regclass('public.team_meta')")).scalar() is None:
        return {}
    rows = connection.execute(
        text("SELECT key, value FROM team_meta WHERE key LIKE 'role.%'")
    ).all()
    return {key.removeprefix("role."): value for key, value in rows}


def role_of(connection, login: str | None = None) -> str | None:
    """'coordinator', 'manager' or 'readonly' for the login (the session's by default); None
    when it is in no team group (an administrator, or not a team store)."""
    groups = group_roles(connection)
    if not groups:
        return None
    login = login or connection.execute(text("SELECT session_user")).scalar()
    for key in ("manager", "coordinator", "readonly"):
        role = groups.get(key)
        if (
            role
            and connection.execute(
                text(
                    "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :r) "
                    "AND pg_has_role(:u, :r, 'MEMBER')"
                ),
                {"u": login, "r": role},
            ).scalar()
        ):
            return key
    return None


# --- The DDL -----------------------------------------------------------------------------

_TABLES = """
CREATE TABLE IF NOT EXISTS team_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS team_share (
    conference_uid varchar(36) NOT NULL,
    login name NOT NULL,
    shared_at timestamptz NOT NULL DEFAULT now(),
    shared_by name NOT NULL DEFAULT session_user,
    PRIMARY KEY (conference_uid, login)
);
CREATE INDEX IF NOT EXISTS ix_team_share_login ON team_share (login);
CREATE TABLE IF NOT EXISTS team_audit (
    id bigint PRIMARY KEY,
    at timestamptz NOT NULL,
    who name NOT NULL,
    conference_uid varchar(36),
    entity text NOT NULL,
    row_key text NOT NULL,
    action text NOT NULL,
    digest text,
    prev_hash text,
    hash text NOT NULL
);
CREATE SEQUENCE IF NOT EXISTS team_audit_id_seq AS bigint OWNED BY team_audit.id;
CREATE INDEX IF NOT EXISTS ix_team_audit_conference_uid ON team_audit (conference_uid);
CREATE INDEX IF NOT EXISTS ix_team_audit_row ON team_audit (entity, row_key);
CREATE TABLE IF NOT EXISTS team_audit_value (
    entry_id bigint PRIMARY KEY REFERENCES team_audit (id),
    changes text NOT NULL
);
"""

_FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION team_role(key text) RETURNS name
LANGUAGE sql STABLE AS $$ SELECT value::name FROM team_meta WHERE team_meta.key = 'role.' || $1 $$;

CREATE OR REPLACE FUNCTION team_member_of(key text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce(pg_has_role(session_user, team_role($1), 'MEMBER'), false)
$$;

-- Shared with the session's login? SECURITY DEFINER: reads team_share past its own policies
-- (no recursion); VOLATILE: sees a share added earlier in the same statement (a claim).
CREATE OR REPLACE FUNCTION team_shared(conf varchar) RETURNS boolean
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM team_share WHERE conference_uid = $1 AND login = session_user)
$$;

-- The conferences shared with the session's login, once per query (the read policies).
-- VOLATILE for the same reason as team_shared: an INSERT ... RETURNING must see its claim.
CREATE OR REPLACE FUNCTION team_my_conferences() RETURNS varchar[]
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce(array_agg(conference_uid), '{}') FROM team_share WHERE login = session_user
$$;

CREATE OR REPLACE FUNCTION team_can_read(conf varchar) RETURNS boolean
LANGUAGE sql VOLATILE AS $$ SELECT team_member_of('manager') OR team_shared($1) $$;

CREATE OR REPLACE FUNCTION team_can_write(conf varchar) RETURNS boolean
LANGUAGE sql VOLATILE AS $$
    SELECT (team_member_of('coordinator') OR team_member_of('manager')) AND team_shared($1)
$$;

-- The first login to write a conference the team store has never seen written gets it shared
-- with them (BEFORE INSERT on the tables that carry the conference's uid themselves).
CREATE OR REPLACE FUNCTION team_claim() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    conf varchar := to_jsonb(NEW) ->> TG_ARGV[0];
BEGIN
    IF conf IS NULL OR NOT (team_member_of('coordinator') OR team_member_of('manager')) THEN
        RETURN NEW;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM team_share WHERE conference_uid = conf AND login = session_user)
       AND NOT EXISTS (SELECT 1 FROM team_audit
                       WHERE conference_uid = conf AND entity <> 'team_share') THEN
        INSERT INTO team_share (conference_uid, login) VALUES (conf, session_user)
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION team_audit_hash(
    id bigint, at timestamptz, who name, conf varchar, entity text, row_key text,
    action text, digest text, prev_hash text
) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(sha256(convert_to(concat_ws(chr(31),
        $1::text, to_char($2 AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), $3::text,
        coalesce($4, ''), $5, $6, $7, coalesce($8, ''), coalesce($9, '')), 'UTF8')), 'hex')
$$;

-- One audit entry for one row changed: called by each audited table's own trigger function
-- (made by _audit_triggers), which finds the row's conference with a query of its own.
-- `cascaded`: the row reaches its conference through parents, which a cascade may have
-- deleted already; then the conference its parent's entry named just before is used.
CREATE OR REPLACE FUNCTION team_audit_entry(
    op text, tbl text, o jsonb, n jsonb, conf varchar, cascaded boolean, keys text[]
) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    r jsonb := coalesce(n, o);
    rkey text;
    body text;
    dig text;
    prev text;
    entry bigint;
    stamp timestamptz := clock_timestamp();
    gone boolean := op = 'DELETE' OR coalesce((n ->> 'gone')::boolean, false);
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'team store writes must run at READ COMMITTED (the audit chain)'
            USING ERRCODE = '25001';
    END IF;
    IF conf IS NULL AND cascaded THEN
        conf := nullif(current_setting('team.audit_conference', true), '');
    END IF;
    IF conf IS NOT NULL THEN
        PERFORM set_config('team.audit_conference', conf, true);
    END IF;
    rkey := coalesce(r ->> 'row_uid', r ->> 'uid',
                     (SELECT string_agg(r ->> c, ',') FROM unnest(keys) c));
    IF op = 'UPDATE' THEN
        SELECT jsonb_object_agg(k, jsonb_build_array(o -> k, n -> k)) INTO body
        FROM jsonb_object_keys(n) k WHERE (o -> k) IS DISTINCT FROM (n -> k);
        IF body IS NULL THEN
            RETURN;
        END IF;
    ELSIF op = 'INSERT' THEN
        SELECT jsonb_object_agg(k, jsonb_build_array(NULL, v)) INTO body FROM jsonb_each(n) e(k, v);
    END IF;
    PERFORM pg_advisory_xact_lock(%(lock)s);
    IF gone THEN
        -- deleting means gone: the text of every earlier change to this row goes too (the
        -- chain keeps only its digest)
        PERFORM set_config('team.audit_purging', 'on', true);
        DELETE FROM team_audit_value v USING team_audit a
        WHERE v.entry_id = a.id AND a.entity = tbl AND a.row_key = rkey;
        PERFORM set_config('team.audit_purging', '', true);
        body := NULL;
    END IF;
    dig := CASE WHEN body IS NULL THEN NULL
                ELSE encode(sha256(convert_to(body, 'UTF8')), 'hex') END;
    SELECT hash INTO prev FROM team_audit ORDER BY id DESC LIMIT 1;
    entry := nextval('team_audit_id_seq');
    INSERT INTO team_audit (id, at, who, conference_uid, entity, row_key, action, digest,
                            prev_hash, hash)
    VALUES (entry, stamp, session_user, conf, tbl, rkey, lower(op), dig, prev,
            team_audit_hash(entry, stamp, session_user, conf, tbl, rkey, lower(op), dig, prev));
    IF body IS NOT NULL THEN
        INSERT INTO team_audit_value (entry_id, changes) VALUES (entry, body);
    END IF;
END $$;

CREATE OR REPLACE FUNCTION team_audit_refuse() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'team_audit_value' AND TG_OP = 'DELETE'
       AND current_setting('team.audit_purging', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = '42501';
END $$;
"""


def _ddl(conn, sql: str) -> None:
    """DDL text as it is: psycopg would read a '%' (plpgsql's RAISE) as a placeholder."""
    conn.exec_driver_sql(sql.replace("%", "%%"))


def _statements(script: str) -> list[str]:
    """Split on ';' at line ends outside $$ bodies."""
    out, current, in_body = [], [], False
    for line in script.splitlines():
        current.append(line)
        in_body ^= line.count("$$") % 2 == 1
        if not in_body and line.rstrip().endswith(";"):
            statement = "\n".join(current).strip()
            if statement and not all(
                part.strip().startswith("--") or not part.strip() for part in current
            ):
                out.append(statement)
            current = []
    return out


def apply(engine: Engine) -> None:
    """Create (or replace) the roles, shares, policies and audit of the team store. Run by
    `team init` with a login that owns the schema and may create roles."""
    from csfacilitator.core.model import Base

    with engine.begin() as conn:
        database = conn.execute(text("SELECT current_database()")).scalar_one()
        present = set(
            conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
            .scalars()
            .all()
        )
        # The models may be ahead of this store's schema (a store applied at an older
        # revision): cover the tables it has; `team upgrade` covers the rest.
        paths = {
            name: path
            for name, path in conference_paths(Base.metadata).items()
            if name in present and all(parent in present for _col, parent in path.hops)
        }
        for statement in _statements(_TABLES):
            _ddl(conn, statement)
        groups = group_roles(conn)
        prefix = group_prefix(database)
        for key in GROUPS:
            role = groups.get(key) or f"{prefix}_{key}"
            exists = conn.execute(
                text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}
            ).first()
            if not exists:
                _ddl(conn, f"CREATE ROLE {quote_ident(role)} NOLOGIN")
            conn.execute(
                text(
                    "INSERT INTO team_meta (key, value) VALUES (:k, :v) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                ),
                {"k": f"role.{key}", "v": role},
            )
            groups[key] = role
        for statement in _statements(_FUNCTIONS.replace("%(lock)s", str(AUDIT_LOCK))):
            _ddl(conn, statement)
        _grants(conn, database, groups, paths)
        _policies(conn, groups, paths)
        _audit_triggers(conn, paths)
        conn.execute(
            text(
                "INSERT INTO team_meta (key, value) VALUES ('security_version', :v) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            ),
            {"v": SECURITY_VERSION},
        )


def _grants(conn, database: str, groups: dict[str, str], paths: dict[str, Path]) -> None:
    everyone = ", ".join(quote_ident(groups[k]) for k in GROUPS)
    writers = ", ".join(quote_ident(groups[k]) for k in ("coordinator", "manager"))
    db = quote_ident(database)

    def run(sql: str) -> None:
        _ddl(conn, sql)

    run(f"REVOKE ALL ON DATABASE {db} FROM PUBLIC")
    run(f"GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {everyone}")
    run("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    run(f"GRANT USAGE ON SCHEMA public TO {everyone}")
    run(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC, {everyone}")
    run(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC, {everyone}")
    run("REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC")
    run(f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {everyone}")
    run(f"GRANT SELECT ON alembic_version, team_meta, team_audit, team_audit_value TO {everyone}")
    # Empty in a team store and written by no app login: readable so the core's rules that
    # read a preference (retention) find the default (team_store.TeamReader).
    run(f"GRANT SELECT ON setting TO {everyone}")
    run(f"GRANT SELECT ON team_share TO {everyone}")
    run(f"GRANT INSERT, DELETE ON team_share TO {writers}")
    for name in paths:
        run(f'GRANT SELECT ON "{name}" TO {everyone}')
        run(f'GRANT INSERT, UPDATE, DELETE ON "{name}" TO {writers}')
    run(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {writers}")
    run(f"REVOKE ALL ON team_audit_id_seq FROM {writers}")


def _policies(conn, groups: dict[str, str], paths: dict[str, Path]) -> None:
    def run(sql: str) -> None:
        _ddl(conn, sql)

    everyone = ", ".join(quote_ident(groups[k]) for k in GROUPS)
    writers = ", ".join(quote_ident(groups[k]) for k in ("coordinator", "manager"))
    manager = quote_ident(groups["manager"])

    def policy(table: str, name: str, command: str, to: str, using=None, check=None) -> None:
        run(f'DROP POLICY IF EXISTS {name} ON "{table}"')
        sql = f'CREATE POLICY {name} ON "{table}" FOR {command} TO {to}'
        if using:
            sql += f" USING ({using})"
        if check:
            sql += f" WITH CHECK ({check})"
        run(sql)

    for table, path in paths.items():
        conf = path.policy_expr()
        run(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
        policy(table, "team_read", "SELECT", everyone, using=path.read_expr())
        policy(table, "team_insert", "INSERT", writers, check=f"team_can_write({conf})")
        policy(
            table,
            "team_update",
            "UPDATE",
            writers,
            using=f"team_can_write({conf})",
            check=f"team_can_write({conf})",
        )
        policy(table, "team_delete", "DELETE", writers, using=f"team_can_write({conf})")
    if "conference" in paths:  # retention: the manager deletes any conference
        policy("conference", "team_retention", "DELETE", manager, using="true")

    run("ALTER TABLE team_share ENABLE ROW LEVEL SECURITY")
    policy(
        "team_share",
        "team_read",
        "SELECT",
        everyone,
        using="login = session_user OR team_can_read(conference_uid)",
    )
    policy("team_share", "team_insert", "INSERT", writers, check="team_can_write(conference_uid)")
    policy("team_share", "team_delete", "DELETE", writers, using="team_can_write(conference_uid)")
    policy("team_share", "team_manage", "ALL", manager, using="true", check="true")
    # Entries (no text) are readable by every member, so anyone can check the chain; their
    # values only where the conference may be read.
    run("ALTER TABLE team_audit ENABLE ROW LEVEL SECURITY")
    policy("team_audit", "team_read", "SELECT", everyone, using="true")
    run("ALTER TABLE team_audit_value ENABLE ROW LEVEL SECURITY")
    policy(
        "team_audit_value",
        "team_read",
        "SELECT",
        everyone,
        using="team_can_read((SELECT a.conference_uid FROM team_audit a "
        "WHERE a.id = team_audit_value.entry_id))",
    )


def _audit_triggers(conn, paths: dict[str, Path]) -> None:
    from csfacilitator.core.model import Base

    def run(sql: str) -> None:
        _ddl(conn, sql)

    audited = dict(paths)
    audited["team_share"] = Path("team_share", column="conference_uid")
    for table, path in audited.items():
        keys = (
            ["conference_uid", "login"]
            if table == "team_share"
            else [c.name for c in Base.metadata.tables[table].primary_key.columns]
        )
        function = quote_ident(f"team_audit__{table}")
        # A function per table, so finding the conference is a plain query PostgreSQL plans
        # once (a dynamic EXECUTE, planned on every row, cost about half the audit's time).
        run(
            f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    r record;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    PERFORM team_audit_entry(TG_OP, TG_TABLE_NAME, to_jsonb(OLD), to_jsonb(NEW),
        {path.record_expr("r")}, {"false" if path.column else "true"},
        {quote_literal("{" + ",".join(keys) + "}")}::text[]);
    IF TG_WHEN = 'BEFORE' THEN
        RETURN OLD;  -- the delete goes ahead
    END IF;
    RETURN NULL;
END $$"""
        )
        for name in ("team_audit_write", "team_audit_delete", "team_claim"):
            run(f'DROP TRIGGER IF EXISTS {name} ON "{table}"')
        run(
            f'CREATE TRIGGER team_audit_write AFTER INSERT OR UPDATE ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
        # Before the row goes, so a cascade's children still find the conference name set.
        run(
            f'CREATE TRIGGER team_audit_delete BEFORE DELETE ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
        if path.column and table != "team_share":
            run(
                f'CREATE TRIGGER team_claim BEFORE INSERT ON "{table}" '
                f"FOR EACH ROW EXECUTE FUNCTION team_claim({quote_literal(path.column)})"
            )
    for table in ("team_audit", "team_audit_value"):
        for name in ("team_append_only", "team_no_truncate"):
            run(f'DROP TRIGGER IF EXISTS {name} ON "{table}"')
        run(
            f'CREATE TRIGGER team_append_only BEFORE UPDATE OR DELETE ON "{table}" '
            "FOR EACH ROW EXECUTE FUNCTION team_audit_refuse()"
        )
        run(
            f'CREATE TRIGGER team_no_truncate BEFORE TRUNCATE ON "{table}" '
            "FOR EACH STATEMENT EXECUTE FUNCTION team_audit_refuse()"
        )


# --- People and shares -------------------------------------------------------------------


def scram_verifier(password: str, iterations: int = 4096) -> str:
    """PostgreSQL's SCRAM-SHA-256 verifier for an ASCII password, so CREATE/ALTER ROLE never
    carries the password itself (it could land in the server's log)."""
    salt = secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()
    b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def _password_sql(password: str) -> str:
    if password.isascii():
        return quote_literal(scram_verifier(password))
    return quote_literal(password)  # SASLprep applies: let the server hash it


def add_user(engine: Engine, name: str, role: str, password: str) -> None:
    """A LOGIN role for one person, member of the team's group for `role`."""
    check_name(name)
    if role not in GROUPS:
        raise UserError(f"The role must be one of: {', '.join(GROUPS)}.")
    if len(password) < 8:
        raise UserError("The password must be at least 8 characters.")
    with engine.begin() as conn:
        groups = _require_groups(conn)
        if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first():
            raise UserError(
                f"A login named '{name}' exists already on this server (a name once used stays "
                "reserved, so the audit trail's names keep meaning one person)."
            )
        _ddl(
            conn,
            f"CREATE ROLE {quote_ident(name)} LOGIN PASSWORD {_password_sql(password)} "
            f"IN ROLE {quote_ident(groups[role])}",
        )


def remove_user(engine: Engine, name: str) -> int:
    """Take a person out of the team: no login, no group, no shares (returns how many were
    removed). The role stays, disabled, so the name is never given to someone else."""
    check_name(name)
    with engine.begin() as conn:
        groups = _require_groups(conn)
        member = [k for k in GROUPS if _is_member(conn, name, groups[k])]
        if not member:
            raise UserError(f"'{name}' is not a member of this team store.")
        removed = conn.execute(
            text("DELETE FROM team_share WHERE login = :n"), {"n": name}
        ).rowcount
        for key in member:
            _ddl(conn, f"REVOKE {quote_ident(groups[key])} FROM {quote_ident(name)}")
        _ddl(conn, f"ALTER ROLE {quote_ident(name)} NOLOGIN")
        try:  # their open sessions end now, where this login may end them
            with conn.begin_nested():
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE usename = :n AND pid <> pg_backend_pid()"
                    ),
                    {"n": name},
                )
        except DBAPIError:
            pass
    return removed


@dataclass(frozen=True)
class Member:
    login: str
    role: str
    can_login: bool


def list_users(connection) -> list[Member]:
    groups = group_roles(connection)
    out: list[Member] = []
    for key in GROUPS:
        rows = connection.execute(
            text(
                "SELECT r.rolname, r.rolcanlogin FROM pg_auth_members m "
                "JOIN pg_roles r ON r.oid = m.member JOIN pg_roles g ON g.oid = m.roleid "
                "WHERE g.rolname = :g ORDER BY r.rolname"
            ),
            {"g": groups.get(key, "")},
        ).all()
        out.extend(Member(row[0], key, bool(row[1])) for row in rows)
    return out


def _is_member(conn, login: str, group: str) -> bool:
    return bool(
        conn.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM pg_auth_members m "
                "JOIN pg_roles r ON r.oid = m.member JOIN pg_roles g ON g.oid = m.roleid "
                "WHERE r.rolname = :u AND g.rolname = :g)"
            ),
            {"u": login, "g": group},
        ).scalar()
    )


def _require_groups(conn) -> dict[str, str]:
    groups = group_roles(conn)
    if set(groups) != set(GROUPS):
        raise UserError("That database is not a team store: run `csfacilitator team init` first.")
    return groups


def share(connection, conference_uid: str, login: str) -> bool:
    """Share a conference with a member; False when it was shared with them already."""
    check_name(login)
    groups = _require_groups(connection)
    if not any(_is_member(connection, login, groups[k]) for k in GROUPS):
        raise UserError(f"'{login}' is not a member of this team store (team add-user first).")
    result = connection.execute(
        text(
            "INSERT INTO team_share (conference_uid, login) VALUES (:c, :l) ON CONFLICT DO NOTHING"
        ),
        {"c": conference_uid, "l": login},
    )
    return result.rowcount == 1


def unshare(connection, conference_uid: str, login: str) -> bool:
    result = connection.execute(
        text("DELETE FROM team_share WHERE conference_uid = :c AND login = :l"),
        {"c": conference_uid, "l": login},
    )
    return result.rowcount == 1


@dataclass(frozen=True)
class Caseload:
    login: str
    role: str
    open_conferences: int  # shared with them, not closed and not archived


def caseloads(connection) -> list[Caseload]:
    """Open conferences shared with each member (a manager sees everyone's; a coordinator
    their own, as the server's policies allow)."""
    rows = connection.execute(
        text(
            "SELECT s.login::text, count(c.id) FROM team_share s "
            "LEFT JOIN conference c ON c.uid = s.conference_uid "
            "AND c.status <> 'closed' AND NOT c.archived "
            "GROUP BY s.login ORDER BY s.login"
        )
    ).all()
    return [Caseload(login, role_of(connection, login) or "", int(n)) for login, n in rows]


def shared_with(connection, conference_uid: str) -> list[str]:
    return list(
        connection.execute(
            text("SELECT login FROM team_share WHERE conference_uid = :c ORDER BY login"),
            {"c": conference_uid},
        ).scalars()
    )


# --- Reading and checking the audit trail ------------------------------------------------


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str  # UTC, ISO 8601 to the microsecond (the form the hash covers)
    who: str
    conference_uid: str | None
    entity: str
    row_key: str
    action: str
    digest: str | None
    prev_hash: str | None
    hash: str
    changes: str | None  # JSON {field: [old, new]}; None when deleted or not readable

    def fields(self) -> list[tuple[str, object, object]]:
        """(field, old, new) for each field the entry changed, by name; [] when its values
        were removed with the row, or may not be read by this login."""
        if not self.changes:
            return []
        import json

        return [(name, old, new) for name, (old, new) in sorted(json.loads(self.changes).items())]

    def canonical(self) -> str:
        return SEP.join(
            [
                str(self.id),
                self.at,
                self.who,
                self.conference_uid or "",
                self.entity,
                self.row_key,
                self.action,
                self.digest or "",
                self.prev_hash or "",
            ]
        )


_ENTRIES = """
SELECT a.id, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), a.who::text,
       a.conference_uid, a.entity, a.row_key, a.action, a.digest, a.prev_hash, a.hash, v.changes
FROM team_audit a LEFT JOIN team_audit_value v ON v.entry_id = a.id
"""


def audit_entries(connection, conference_uid: str | None = None) -> list[AuditEntry]:
    if conference_uid is None:
        rows = connection.execute(text(_ENTRIES + " ORDER BY a.id")).all()
    else:
        rows = connection.execute(
            text(_ENTRIES + " WHERE a.conference_uid = :c ORDER BY a.id"), {"c": conference_uid}
        ).all()
    return [AuditEntry(*row) for row in rows]


@dataclass(frozen=True)
class AuditCheck:
    entries: int
    head: str | None
    problems: tuple[str, ...]
    unreadable: int  # entries whose values this login may not read (not checked)

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_audit(connection) -> AuditCheck:
    """Recompute every entry's hash and link, in Python (not trusting the server's function):
    an edited entry, a removed one, or values changed behind the trigger's back show."""
    deleted = {
        (entity, key)
        for entity, key in connection.execute(
            text("SELECT DISTINCT entity, row_key FROM team_audit WHERE digest IS NULL")
        )
    }
    # Streamed (a server-side cursor), so a county's years of entries need not fit in memory.
    rows = connection.execute(
        text(_ENTRIES + " ORDER BY a.id").execution_options(stream_results=True, yield_per=5000)
    )
    can_read: dict[str | None, bool] = {}
    problems: list[str] = []
    previous: str | None = None
    unreadable = 0
    count = 0
    for row in rows:
        entry = AuditEntry(*row)
        count += 1
        expected = hashlib.sha256(entry.canonical().encode()).hexdigest()
        if entry.hash != expected:
            problems.append(f"entry {entry.id} was changed after it was written")
        if entry.prev_hash != previous:
            problems.append(
                f"entry {entry.id} does not follow the entry before it (an entry was removed "
                "or put in)"
            )
        previous = entry.hash
        if entry.digest is None:
            continue
        if entry.changes is not None:
            if hashlib.sha256(entry.changes.encode()).hexdigest() != entry.digest:
                problems.append(f"the values of entry {entry.id} were changed")
        elif (entry.entity, entry.row_key) not in deleted:
            if entry.conference_uid not in can_read:
                can_read[entry.conference_uid] = _may_read(connection, entry.conference_uid)
            if can_read[entry.conference_uid]:
                problems.append(
                    f"the values of entry {entry.id} are missing, but its row was never deleted"
                )
            else:
                unreadable += 1
    return AuditCheck(count, previous, tuple(problems), unreadable)


def _may_read(connection, conference_uid: str | None) -> bool:
    """Whether this login may read the values of a conference's entries (so their absence
    means they were removed, not hidden from it)."""
    return bool(
        connection.execute(
            text(
                "SELECT current_setting('is_superuser') = 'on' OR team_member_of('manager') "
                "OR (CAST(:c AS varchar) IS NOT NULL AND team_can_read(:c))"
            ),
            {"c": conference_uid},
        ).scalar()
    )
