"""The team store: a PostgreSQL database holding the team's shared conferences.

Same SQLAlchemy models and Alembic migrations as the laptop's SQLite file. This module opens
engines on it, creates its schema (`init_team_store`), checks a server before the laptop joins
it (`check_team_store`), and turns psycopg's errors into one-line messages by SQLSTATE
(`TeamStoreError`). psycopg is loaded only here, by name, and only when a team store is
used (`_optional`: it is the optional extra `csfacilitator[team]`). `TeamReader` lets the
core's read-only rules (the dashboard) run on the team store through one login.

The password is never part of a stored URL: `team_password()` finds it (the
CSFACILITATOR_TEAM_PASSWORD variable, else the OS keyring), and `make_team_engine` adds it.

Long because it is psycopg's only door: URLs and passwords, engines and the classification of
its errors, and the schema checks all turn on the same connection handling.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url

from csfacilitator.errors import UserError
from csfacilitator.storage.schema_version import HEAD, KNOWN_REVISIONS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

ENV_PASSWORD = "CSFACILITATOR_TEAM_PASSWORD"
KEYRING_SERVICE = "csfacilitator-team-store"
#: The setting (local database) holding the team store's URL, without its password.
SETTING_URL = "team.url"
MIN_SERVER_VERSION = 150000  # PostgreSQL 15
CONNECT_TIMEOUT = 10  # seconds


class TeamStoreError(UserError):
    """The team store cannot be used; the message is one line a coordinator can act on."""


class TeamStoreUnreachable(TeamStoreError):
    pass


class TeamStoreRefused(TeamStoreError):
    """Wrong password, unknown login, or no right to connect."""


class TeamStoreTooNew(TeamStoreError):
    pass


class TeamStoreNotEmpty(TeamStoreError):
    pass


class TeamStoreUnsupported(TeamStoreError):
    """Not PostgreSQL, or an older PostgreSQL than 15."""


# --- URLs and passwords -------------------------------------------------------------------


def parse_url(url: str) -> URL:
    """A postgresql URL for SQLAlchemy's psycopg 3 driver; refuses anything else in one line."""
    try:
        parsed = make_url(url.strip())
    except (sa_exc.ArgumentError, ValueError) as exc:
        raise TeamStoreUnsupported(
            f"'{redact(url)}' is not a database URL (postgresql://user@host/database)."
        ) from exc
    backend = parsed.get_backend_name()
    if backend not in ("postgresql", "postgres"):
        raise TeamStoreUnsupported(
            f"The team store must be PostgreSQL 15 or newer, not '{backend}' "
            "(postgresql://user@host/database)."
        )
    if not parsed.database:
        raise TeamStoreUnsupported(
            "The team store's URL names no database (postgresql://user@host/database)."
        )
    return parsed.set(drivername="postgresql+psycopg")


def redact(url: str | URL) -> str:
    """The URL as it may be shown or stored: never with its password."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except (sa_exc.ArgumentError, ValueError):
        return "(not a URL)"
    # URL.set() ignores None: the named tuple's own _replace clears the field.
    return parsed._replace(password=None).render_as_string(hide_password=False)


def url_for_storage(url: str) -> str:
    """The URL stored in the local settings: the psycopg driver, no password."""
    return redact(parse_url(url))


def url_login(url: str | URL) -> str:
    parsed = make_url(url) if isinstance(url, str) else url
    return parsed.username or os.environ.get("PGUSER") or os.environ.get("USER") or ""


def _optional(name: str):
    """An optional extra's module ('csfacilitator[team]': psycopg, keyring), loaded by name.
    The desktop bundle is analysed for import statements; loaded this way they stay out of
    it unless packaging/ adds them (docs/team-store.md), and a copy without them says so."""
    return importlib.import_module(name)


def psycopg_module():
    """psycopg 3, or a one-line refusal when this copy was installed without it."""
    try:
        return _optional("psycopg")
    except ImportError as exc:
        raise TeamStoreUnsupported(
            "This copy of CS Facilitator cannot reach a team store: install it with "
            "pip install 'csfacilitator[team]'."
        ) from exc


def _keyring():
    try:
        return _optional("keyring"), _optional("keyring.errors").KeyringError
    except ImportError:
        return None, None


def keyring_password(url: str | URL) -> str | None:
    """The password saved in the OS keyring for this URL's login and server, if any."""
    keyring, keyring_error = _keyring()
    if keyring is None:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, _keyring_user(url))
    except (keyring_error, RuntimeError, OSError):
        return None


def save_keyring_password(url: str | URL, password: str) -> bool:
    """Keep the password in the OS keyring; False when there is no usable keyring."""
    keyring, keyring_error = _keyring()
    if keyring is None:
        return False
    try:
        keyring.set_password(KEYRING_SERVICE, _keyring_user(url), password)
    except (keyring_error, RuntimeError, OSError):
        return False
    return True


def _keyring_user(url: str | URL) -> str:
    parsed = make_url(url) if isinstance(url, str) else url
    return redact(parsed)


def team_password(url: str | URL) -> str | None:
    """The password for a stored URL: CSFACILITATOR_TEAM_PASSWORD, else the OS keyring."""
    return os.environ.get(ENV_PASSWORD) or keyring_password(url)


# --- Engines ------------------------------------------------------------------------------


def make_team_engine(url: str | URL, password: str | None = None, **kwargs) -> Engine:
    """An engine on the team store. `password` (or the one in the URL, or team_password())
    is given to the driver, never kept in a stored URL. Connections time out after
    CONNECT_TIMEOUT seconds instead of hanging on an unreachable host."""
    parsed = parse_url(url) if isinstance(url, str) else url
    psycopg_module()
    if password is None and parsed.password is None:
        password = team_password(parsed)
    if password is not None:
        parsed = parsed.set(password=password)
    connect_args = {"connect_timeout": CONNECT_TIMEOUT, "application_name": "csfacilitator"}
    connect_args.update(kwargs.pop("connect_args", {}))
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(parsed, connect_args=connect_args, **kwargs)


@contextmanager
def classified(engine: Engine | None = None) -> Iterator[None]:
    """psycopg's errors as TeamStoreError, decided by SQLSTATE; a connection that failed
    before the server said why (libpq gives no SQLSTATE then) is diagnosed by pinging the
    server (`engine` names it). Anything else goes on as it is: a bug."""
    try:
        yield
    except sa_exc.DBAPIError as exc:
        error = classify(exc, engine)
        if error is None:
            raise
        raise error from exc


def classify(exc: BaseException, engine: Engine | None = None) -> TeamStoreError | None:
    """A TeamStoreError for an error the environment caused, None for a bug."""
    orig = getattr(exc, "orig", exc)
    sqlstate = getattr(orig, "sqlstate", None)
    try:
        psycopg = _optional("psycopg")
    except ImportError:  # pragma: no cover - psycopg is there whenever we got here
        return None
    if sqlstate is None:
        if isinstance(orig, psycopg.OperationalError):
            return _connection_failure(orig, engine)
        return None
    klass = sqlstate[:2]
    if klass == "28":  # invalid_authorization_specification, invalid_password
        return TeamStoreRefused(
            "The team store refused the login or password: check them with your team's "
            "administrator."
        )
    if sqlstate == "3D000":  # invalid_catalog_name
        return TeamStoreUnreachable("The team store's database does not exist on that server.")
    if sqlstate == "42501":  # insufficient_privilege (a right or a row-level policy)
        return TeamStoreRefused(
            f"The team store refused this: your login has no right to do it ({_first_line(orig)})."
        )
    if klass == "08":  # connection_exception
        return TeamStoreUnreachable(
            "The connection to the team store was lost; nothing was changed on this laptop. "
            "Try again when the network is back."
        )
    if klass in ("57", "53"):  # operator intervention (shutdown), insufficient resources
        return TeamStoreUnreachable(
            "The team store is not accepting work right now (it is shutting down or full); "
            "try again later."
        )
    return None


def _first_line(orig: BaseException) -> str:
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    return lines[0] if lines else type(orig).__name__


# libpq's PQping answers (psycopg.pq.Ping): the server answered, or nothing answered.
_PING_OK, _PING_REJECT = 0, 1


def _ping(engine: Engine, **overrides) -> int | None:
    try:
        conninfo, pq = _optional("psycopg.conninfo"), _optional("psycopg.pq")

        _args, kwargs = engine.dialect.create_connect_args(engine.url)
        kwargs.update(overrides)
        kwargs.pop("application_name", None)
        info = conninfo.make_conninfo(
            **{k: v for k, v in kwargs.items() if isinstance(v, str | int)}
        )
        return int(pq.PGconn.ping(info.encode()))
    except Exception:  # noqa: BLE001 - a diagnosis must not hide the first error
        return None


def _connection_failure(orig: BaseException, engine: Engine | None) -> TeamStoreError:
    """libpq reports a failed connection without a SQLSTATE. A ping tells which: the server
    answered (so it refused this login, password or database), answers only without TLS
    (which the URL asks for), or did not answer at all. libpq's own line follows ours."""
    detail = " ".join(str(orig).split())
    if engine is None:
        return TeamStoreUnreachable(f"The team store could not be reached ({detail}).")
    answer = _ping(engine)
    if answer in (_PING_OK, _PING_REJECT):
        return TeamStoreRefused(
            "The team store refused the connection (login, password or database); check them "
            f"with your team's administrator ({detail})."
        )
    sslmode = str(engine.url.query.get("sslmode", ""))
    if sslmode in ("require", "verify-ca", "verify-full") and _ping(engine, sslmode="disable") in (
        _PING_OK,
        _PING_REJECT,
    ):
        return TeamStoreUnreachable(
            f"The team store's URL asks for TLS (sslmode={sslmode}) but the server would not "
            f"set it up; ask its administrator to enable TLS ({detail})."
        )
    return TeamStoreUnreachable(f"The team store could not be reached ({detail}).")


# --- Schema and status --------------------------------------------------------------------


@dataclass(frozen=True)
class TeamStatus:
    """What `team status` says. Sync adds its figures through `STATUS_PARTS`."""

    url: str
    reachable: bool
    message: str = ""
    server_version: str = ""
    schema: str | None = None
    login: str = ""
    role: str | None = None
    extra: tuple[tuple[str, str], ...] = ()

    def lines(self) -> list[str]:
        out = [f"Team store: {self.url}"]
        if not self.reachable:
            out.append(f"Not reachable: {self.message}")
        else:
            out.append(
                f"Reachable: PostgreSQL {self.server_version}, schema {self.schema or 'none'}"
            )
            if self.login:
                out.append(f"Login: {self.login}" + (f" ({self.role})" if self.role else ""))
        out.extend(f"{label}: {value}" for label, value in self.extra)
        return out


#: Functions `(local Database or None, TeamStatus) -> [(label, value), ...]` adding lines to
#: `team status` (and the window's status line): sync registers last synced, changes waiting
#: and conflicts here. They are called whether or not the team store is reachable.
STATUS_PARTS: list[Callable] = []


def stored_revision(connection) -> str | None:
    """The Alembic revision the team store is at, None when it has no schema."""
    exists = connection.execute(text("SELECT to_regclass('public.alembic_version')")).scalar()
    if exists is None:
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _check_server(connection) -> str:
    """The server's version ('15.4'); refuses anything but PostgreSQL 15 or newer."""
    try:
        number = int(connection.execute(text("SHOW server_version_num")).scalar())
    except (sa_exc.DBAPIError, TypeError, ValueError) as exc:
        raise TeamStoreUnsupported(
            "That server is not PostgreSQL (it does not report server_version_num)."
        ) from exc
    shown = str(connection.execute(text("SHOW server_version")).scalar()).split()[0]
    if number < MIN_SERVER_VERSION:
        raise TeamStoreUnsupported(
            f"The team store runs PostgreSQL {shown}; CS Facilitator needs 15 or newer."
        )
    return shown


def check_revision(revision: str | None) -> None:
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise TeamStoreTooNew(
            f"The team store is at a newer schema ({revision}) than this version of CS "
            "Facilitator knows: install the newer version."
        )


def _role_of(connection) -> str | None:
    from csfacilitator.storage import team_security

    return team_security.role_of(connection)


def check_team_store(url: str | URL, password: str | None = None) -> TeamStatus:
    """Connect and check everything before a laptop joins or syncs: PostgreSQL 15 or newer, a
    schema this version knows (not newer, not missing). Raises TeamStoreError (one line)."""
    engine = make_team_engine(url, password, poolclass=_null_pool())
    try:
        with classified(engine), engine.connect() as connection:
            version = _check_server(connection)
            revision = stored_revision(connection)
            check_revision(revision)
            if revision is None:
                raise TeamStoreNotEmpty(
                    "That database holds no team store yet: run `csfacilitator team init URL` "
                    "first (an administrator, once)."
                )
            if revision != HEAD:
                raise TeamStoreTooNew(
                    f"The team store is at an older schema ({revision}) than this version of "
                    f"CS Facilitator ({HEAD}): ask its administrator to run `csfacilitator team upgrade URL`."
                )
            login = connection.execute(text("SELECT session_user")).scalar()
            role = _role_of(connection)
    finally:
        engine.dispose()
    return TeamStatus(
        url=redact(engine.url),
        reachable=True,
        server_version=version,
        schema=revision,
        login=str(login),
        role=role,
    )


def _null_pool():
    from sqlalchemy.pool import NullPool

    return NullPool


def init_team_store(url: str | URL, password: str | None = None) -> str:
    """Create the schema in an empty PostgreSQL database (the same Alembic migrations as the
    laptop's file), then the team's roles, row-level security and audit trail
    (storage/team_security.py). Refuses a database that already holds tables. Returns the
    schema revision. Needs a login that may create roles (the database's owner with
    CREATEROLE, or a superuser)."""
    from csfacilitator.storage.migrations.runner import upgrade_to_head

    engine = make_team_engine(url, password, poolclass=_null_pool())
    try:
        with classified(engine):
            with engine.connect() as connection:
                _check_server(connection)
                tables = connection.execute(
                    text(
                        "SELECT count(*) FROM pg_tables "
                        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
                    )
                ).scalar()
                revision = stored_revision(connection)
            if tables:
                check_revision(revision)
                raise TeamStoreNotEmpty(
                    "That database already holds tables"
                    + (f" (a team store at schema {revision})" if revision else "")
                    + ": team init needs an empty database."
                )
            upgrade_to_head(engine)
            _apply_security(engine)
    finally:
        engine.dispose()
    return HEAD


def upgrade_team_store(url: str | URL, password: str | None = None) -> tuple[str | None, str]:
    """Bring a team store to this version's schema (the same migrations), then renew its
    roles, policies and audit triggers so new tables are covered. An administrator's job, run
    when a new CS Facilitator version's laptops find the store at an older schema. Returns
    (revision before, revision after)."""
    from csfacilitator.storage.migrations.runner import upgrade_to_head

    engine = make_team_engine(url, password, poolclass=_null_pool())
    try:
        with classified(engine):
            with engine.connect() as connection:
                _check_server(connection)
                before = stored_revision(connection)
            check_revision(before)
            if before is None:
                raise TeamStoreNotEmpty(
                    "That database holds no team store yet: run `csfacilitator team init URL`."
                )
            upgrade_to_head(engine)
            _apply_security(engine)
    finally:
        engine.dispose()
    return before, HEAD


def _apply_security(engine: Engine) -> None:
    from csfacilitator.storage import team_security

    team_security.apply(engine)


# --- Reading the team store with the core's own rules ------------------------------------


class TeamReader:
    """The team store seen through one login, shaped like the laptop's Database for the core's
    read-only queries: `core.dashboard.build_dashboard(TeamReader(engine))` gives a manager
    the home page's rules across the whole team, and a coordinator across what is shared with
    them; the server's row-level security decides which rows those are. Every transaction is
    READ ONLY, so nothing can be changed through it."""

    def __init__(self, engine: Engine):
        self.engine = engine

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        from sqlalchemy.orm import Session

        with classified(self.engine), Session(self.engine) as s, s.begin():
            s.execute(text("SET TRANSACTION READ ONLY"))
            yield s

    session = read_session


# --- The laptop's side: its stored URL -----------------------------------------------------


def stored_team_url(db) -> str | None:  # noqa: ANN001 - storage.database.Database
    """The team store this laptop joined (`team connect`), without password; None if none."""
    from csfacilitator.core.model import Setting

    with db.read_session() as s:
        row = s.get(Setting, SETTING_URL)
        return row.value if row is not None and row.value else None


def save_team_url(db, url: str) -> str:  # noqa: ANN001
    """Remember the team store's URL (never its password) in the local settings."""
    from csfacilitator.core.rows import put_setting

    stored = url_for_storage(url)
    with db.session() as s:
        put_setting(s, SETTING_URL, stored)
    return stored


def connect_team_store(db, url: str, password: str | None = None) -> TeamStatus:  # noqa: ANN001
    """`team connect`: check the team store first; only when every check passes is its URL
    (without password) stored. A refused check raises and changes nothing locally."""
    parsed = parse_url(url)
    status = check_team_store(parsed, password)
    save_team_url(db, url)
    return status


def team_engine(db, password: str | None = None, **kwargs) -> Engine:  # noqa: ANN001
    """An engine on the team store this laptop joined (for sync): the stored URL with the
    password from `password`, CSFACILITATOR_TEAM_PASSWORD or the OS keyring."""
    url = stored_team_url(db)
    if url is None:
        raise TeamStoreError(
            "This laptop has not joined a team store: run `csfacilitator team connect URL`."
        )
    return make_team_engine(url, password, **kwargs)


def team_status(db, password: str | None = None) -> TeamStatus | None:  # noqa: ANN001
    """The team store's state for `team status` and the window: None when this laptop has not
    joined one. Never raises for an unreachable or refusing server: `reachable` is False and
    `message` says why."""
    url = stored_team_url(db)
    if url is None:
        return None
    try:
        status = check_team_store(url, password)
    except TeamStoreError as exc:
        status = TeamStatus(url=url, reachable=False, message=str(exc))
    extra: list[tuple[str, str]] = []
    for part in STATUS_PARTS:
        extra.extend(part(db, status))
    return replace(status, extra=tuple(extra))
