"""The team store: a PostgreSQL database holding the team's shared conferences.

Same SQLAlchemy models and Alembic migrations as the laptop's SQLite file. This module opens
engines on it, creates its schema (`init_team_store`), checks a server before the laptop joins
it (`check_team_store`), and turns psycopg's errors into one-line messages by SQLSTATE
(`TeamStoreError`). psycopg is imported only here and only when a team store is used.

The password is never part of a stored URL: `team_password()` finds it (the
CSFACILITATOR_TEAM_PASSWORD variable, else the OS keyring), and `make_team_engine` adds it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine, create_engine, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url

from csfacilitator.errors import UserError
from csfacilitator.storage.schema_version import HEAD, KNOWN_REVISIONS

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
    return parsed.set(password=None).render_as_string(hide_password=False)


def url_for_storage(url: str) -> str:
    """The URL stored in the local settings: the psycopg driver, no password."""
    return redact(parse_url(url))


def url_login(url: str | URL) -> str:
    parsed = make_url(url) if isinstance(url, str) else url
    return parsed.username or os.environ.get("PGUSER") or os.environ.get("USER") or ""


def keyring_password(url: str | URL) -> str | None:
    """The password saved in the OS keyring for this URL's login and server, if any."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, _keyring_user(url))
    except (KeyringError, RuntimeError, OSError):
        return None


def save_keyring_password(url: str | URL, password: str) -> bool:
    """Keep the password in the OS keyring; False when there is no usable keyring."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return False
    try:
        keyring.set_password(KEYRING_SERVICE, _keyring_user(url), password)
    except (KeyringError, RuntimeError, OSError):
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
    if password is None and parsed.password is None:
        password = team_password(parsed)
    if password is not None:
        parsed = parsed.set(password=password)
    connect_args = {"connect_timeout": CONNECT_TIMEOUT, "application_name": "csfacilitator"}
    connect_args.update(kwargs.pop("connect_args", {}))
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(parsed, connect_args=connect_args, **kwargs)


@contextmanager
def classified() -> Iterator[None]:
    """psycopg's errors as TeamStoreError, decided by SQLSTATE (and libpq's connection
    failures, which carry none); anything else goes on as it is."""
    try:
        yield
    except sa_exc.DBAPIError as exc:
        error = classify(exc)
        if error is None:
            raise
        raise error from exc


def classify(exc: BaseException) -> TeamStoreError | None:
    """A TeamStoreError for an error the environment caused, None for a bug."""
    orig = getattr(exc, "orig", exc)
    sqlstate = getattr(orig, "sqlstate", None)
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is there whenever we got here
        return None
    if sqlstate is None:
        if isinstance(orig, psycopg.OperationalError):
            return _connection_failure(orig)
        return None
    klass = sqlstate[:2]
    if sqlstate in ("28P01", "28000"):  # invalid_password, invalid_authorization_specification
        return TeamStoreRefused(
            "The team store refused the login or password: check them with your team's "
            "administrator."
        )
    if sqlstate == "3D000":  # invalid_catalog_name
        return TeamStoreUnreachable("The team store's database does not exist on that server.")
    if sqlstate == "42501":  # insufficient_privilege
        return TeamStoreRefused(
            "The team store refused this change: your login has no right to make it."
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


def _connection_failure(orig: BaseException) -> TeamStoreError:
    """libpq reports a failed connection without a SQLSTATE; its message is shown on one line
    after our own sentence (it names the host, and whether TLS was refused)."""
    detail = " ".join(str(orig).split())
    if "SSL" in detail or "ssl" in detail:
        return TeamStoreUnreachable(
            f"The team store could not be reached over TLS, which its URL asks for ({detail})."
        )
    if "password" in detail and "no password supplied" in detail:
        return TeamStoreRefused(
            "The team store needs a password: type it, or set CSFACILITATOR_TEAM_PASSWORD."
        )
    return TeamStoreUnreachable(f"The team store could not be reached ({detail}).")


# --- Schema -------------------------------------------------------------------------------


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
            return out
        out.append(f"Reachable: PostgreSQL {self.server_version}, schema {self.schema or 'none'}")
        if self.login:
            out.append(f"Login: {self.login}" + (f" ({self.role})" if self.role else ""))
        out.extend(f"{label}: {value}" for label, value in self.extra)
        return out


#: Functions (local Database | None, TeamStatus) -> [(label, value)] adding lines to `team
#: status`: sync registers last synced, changes waiting and conflicts here.
STATUS_PARTS: list[Callable] = []


def stored_revision(connection) -> str | None:
    """The Alembic revision the team store is at, None when it has no schema."""
    exists = connection.execute(text("SELECT to_regclass('public.alembic_version')")).scalar()
    if exists is None:
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _check_server(connection) -> str:
    number = connection.execute(text("SHOW server_version_num")).scalar()
    if int(number) < MIN_SERVER_VERSION:
        shown = connection.execute(text("SHOW server_version")).scalar()
        raise TeamStoreUnsupported(
            f"The team store runs PostgreSQL {shown}; CS Facilitator needs 15 or newer."
        )
    return str(connection.execute(text("SHOW server_version")).scalar()).split()[0]


def check_revision(revision: str | None) -> None:
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise TeamStoreTooNew(
            f"The team store is at a newer schema ({revision}) than this version of CS "
            "Facilitator knows: install the newer version."
        )


def init_team_store(url: str | URL, password: str | None = None) -> str:
    """Create the schema in an empty PostgreSQL database (the same Alembic migrations as the
    laptop's file), then the team's roles, row-level security and audit trail. Refuses a
    database that already holds tables. Returns the schema revision."""
    from csfacilitator.storage.migrations.runner import upgrade_to_head

    engine = make_team_engine(url, password)
    try:
        with classified():
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


def _apply_security(engine: Engine) -> None:
    try:
        from csfacilitator.storage import team_security
    except ImportError:  # step 1: the roles and policies come in the next commit
        return
    team_security.apply(engine)
