"""One compiled-SQL cache for every SQLite engine of a test process (issue 14).

SQLAlchemy keeps the SQL it compiled per engine (and per mapper, keyed by the engine's
dialect object), and each test opens its own engine on its own copy of the database: so
every test compiled again each statement it ran, the same strings every time, some 25-80 ms
of each test's CPU. The app opens one engine per data folder and keeps it, so there a
statement is compiled once; this plugin gives the tests the same: SQLite engines made alike
(the same driver module, the same SQLite library, the same dialect settings) share what they
compiled. Every statement is still executed on the test's own connection, with the test's
own parameters; only compiling it again is skipped. Other engines (PostgreSQL) keep their own
caches as SQLAlchemy makes them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import base as engine_base


def _alike(dialect: Any) -> tuple | None:
    """What makes two SQLite dialects compile a statement to the same SQL and processors;
    None for other dialects (they keep their own)."""
    if dialect.name != "sqlite":
        return None
    return (
        type(dialect),
        dialect.dbapi,
        dialect.server_version_info,
        dialect.paramstyle,
        dialect.positional,
        getattr(dialect, "_json_serializer", None),
        getattr(dialect, "_json_deserializer", None),
    )


class SharedCompiledCache:
    """A compiled cache whose SQLite keys name the kind of dialect instead of the dialect
    object; in front of `fallback`, the cache SQLAlchemy made, for every other key."""

    def __init__(self, shared: dict, fallback: Any) -> None:
        self._shared = shared
        self._fallback = fallback

    def _where(self, key: Any) -> tuple[Any, Any]:
        alike = _alike(key[0]) if isinstance(key, tuple) and key else None
        if alike is None:
            return self._fallback, key
        return self._shared, (alike, *key[1:])

    def get(self, key: Any, default: Any = None) -> Any:
        cache, key = self._where(key)
        return cache.get(key, default)

    def __getitem__(self, key: Any) -> Any:
        cache, key = self._where(key)
        return cache[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        cache, key = self._where(key)
        cache[key] = value

    def __contains__(self, key: Any) -> bool:
        cache, key = self._where(key)
        return key in cache

    def __len__(self) -> int:
        return len(self._shared) + len(self._fallback)

    def clear(self) -> None:
        self._fallback.clear()  # what one engine asks to forget; the shared SQL stays valid


_SHARED: dict = {}  # grows only with distinct statements: a few thousand in a whole run
_engine_init = engine_base.Engine.__init__


def _init(self: engine_base.Engine, *args: Any, **kwargs: Any) -> None:
    _engine_init(self, *args, **kwargs)
    if self._compiled_cache is not None:
        self._compiled_cache = SharedCompiledCache(_SHARED, self._compiled_cache)


engine_base.Engine.__init__ = _init  # type: ignore[method-assign]


def _share_mapper_caches() -> None:
    """The ORM's flush compiles its INSERT/UPDATE/DELETE into each mapper's own cache, keyed
    by the dialect object too."""
    from csfacilitator.core.model import Base

    for mapper in Base.registry.mappers:
        base = mapper.base_mapper
        if not isinstance(base.__dict__.get("_compiled_cache"), SharedCompiledCache):
            base.__dict__["_compiled_cache"] = SharedCompiledCache(_SHARED, base._compiled_cache)


_share_mapper_caches()
