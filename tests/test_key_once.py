"""An encrypted database's key is derived once per open database, not once per connection.

SQLCipher derives the key from the passphrase (PBKDF2, 256,000 rounds) on every connection keyed
with it; storage/encryption.py derives it once, from the salt and settings SQLCipher reports for
the file, and keys the other connections with the raw key. What a passphrase opens is unchanged.
"""

from __future__ import annotations

import pytest

from csfacilitator.storage import encryption, open_database
from tests.conftest import PASSPHRASE

pytest.importorskip("sqlcipher3")


class _Derivations:
    """Counts full key derivations: ours (encryption.derive_key) and SQLCipher's, i.e. each
    connection that reads the file while it is keyed with a passphrase rather than a raw key."""

    def __init__(self, monkeypatch):
        self.ours = 0
        self.sqlcipher = 0
        real_derive = encryption.derive_key
        real_module = encryption.dbapi()
        counter = self

        def derive_key(*args):
            counter.ours += 1
            return real_derive(*args)

        class Module:
            def __getattr__(self, name):
                return getattr(real_module, name)

            def connect(self, *args, **kw):
                connection = real_module.connect(*args, **kw)
                state = {"key": None, "derived": False}

                def trace(sql: str) -> None:
                    text = sql.strip()
                    upper = text.upper()
                    if upper.startswith("PRAGMA KEY"):
                        state["key"] = text
                        state["derived"] = False
                    elif upper.startswith(("PRAGMA CIPHER", "PRAGMA KDF_ITER")):
                        pass  # settings and salt: SQLCipher derives nothing for these
                    elif state["key"] is not None and not state["derived"]:
                        state["derived"] = True
                        if "x'" not in state["key"]:
                            counter.sqlcipher += 1

                connection.set_trace_callback(trace)
                return connection

        monkeypatch.setattr(encryption, "derive_key", derive_key)
        monkeypatch.setattr(encryption, "dbapi", lambda: Module())

    @property
    def total(self) -> int:
        return self.ours + self.sqlcipher


@pytest.fixture
def encrypted(paths, templates):
    """Makes the test's database encrypted with a passphrase and holding one conference. The
    file is a copy of the session's encrypted template (tests/conftest.py): creating and
    migrating an encrypted file is tests/test_encryption.py's matter, not this file's."""

    def make(passphrase: str = PASSPHRASE) -> None:
        from csfacilitator.core import conferences

        templates.seed(paths, passphrase)
        db = open_database(paths, passphrase)
        try:
            conferences.create_conference(db, title="Riverside estate")
        finally:
            db.close()

    return make


def _sqlcipher_connection(path, passphrase: str):
    """Keyed the way SQLCipher alone would key it: with the passphrase."""
    connection = encryption.dbapi().connect(str(path))
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(f"PRAGMA key = {encryption.sql_string(passphrase)}")
    return connection


def _contents(connection) -> dict[str, list]:
    names = [
        r[0]
        for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        )
    ]
    return {n: sorted(map(repr, connection.execute(f'SELECT * FROM "{n}"'))) for n in names}


@pytest.mark.parametrize("passphrase", [PASSPHRASE, "café über naïve 🔑 passphrase"])
def test_the_raw_key_reads_what_the_passphrase_reads(paths, passphrase, encrypted):
    encrypted(passphrase)
    by_passphrase = _sqlcipher_connection(paths.database, passphrase)
    derived = encryption.open_raw_connection(paths.database, passphrase)
    try:
        assert _contents(derived) == _contents(by_passphrase)
        assert _contents(derived)["conference"]  # something to compare
    finally:
        derived.close()
        by_passphrase.close()
    # The key alone (salt read from the file), derived here, opens it too.
    salt = paths.database.read_bytes()[:16]
    key = encryption.derive_key(encryption.normalize_passphrase(passphrase), salt, "sha512", 256000)
    raw = encryption.dbapi().connect(str(paths.database))
    try:
        raw.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        assert raw.execute("SELECT count(*) FROM conference").fetchone()[0] == 1
    finally:
        raw.close()


def test_a_wrong_passphrase_is_refused_as_before_and_its_key_not_kept(
    paths, monkeypatch, encrypted
):
    encrypted()
    counted = _Derivations(monkeypatch)
    for _attempt in range(2):
        with pytest.raises(encryption.WrongPassphrase) as refused:
            open_database(paths, "not the right passphrase")
        assert str(refused.value) == encryption.WRONG_PASSPHRASE
        with pytest.raises(encryption.WrongPassphrase) as refused:
            encryption.check_passphrase(paths.database, "not the right passphrase")
        assert str(refused.value) == encryption.WRONG_PASSPHRASE
    assert counted.ours == 4  # a wrong key is never remembered: each try derives again
    open_database(paths, PASSPHRASE).close()  # and the right one still opens it


def test_opening_an_encrypted_database_derives_its_key_once(paths, monkeypatch, encrypted):
    encrypted()
    counted = _Derivations(monkeypatch)
    db = open_database(paths, PASSPHRASE)
    try:
        from csfacilitator.core import conferences

        assert len(conferences.list_conferences(db)) == 1  # the engine's connections too
        with db.engine.connect() as one, db.engine.connect() as two:
            assert one is not two
    finally:
        db.close()
    assert (counted.ours, counted.sqlcipher) == (1, 0)


def test_opening_the_window_on_an_encrypted_database_derives_its_key_once(
    qtbot, paths, monkeypatch, encrypted
):
    from csfacilitator.app import create_window

    encrypted()
    counted = _Derivations(monkeypatch)
    encryption.check_passphrase(paths.database, PASSPHRASE)  # the start dialog checks it first
    later: list = []
    window = create_window(paths=paths, passphrase=PASSPHRASE, later=later)
    qtbot.addWidget(window)
    assert window.db.encrypted
    assert (counted.ours, counted.sqlcipher) == (1, 0)  # on the path to the board: one
    assert len(later) == 1
    later[0]()  # the start backup, a new file: SQLCipher gives it its own salt and key
    assert (counted.ours, counted.sqlcipher) == (1, 1)


def test_a_backup_made_with_the_raw_key_opens_with_the_passphrase_alone(paths, encrypted):
    from csfacilitator.storage.backup import backup_database

    encrypted()
    backup = backup_database(paths.database, paths.backups, "manual", passphrase=PASSPHRASE)
    connection = _sqlcipher_connection(backup, PASSPHRASE)
    try:
        assert connection.execute("SELECT count(*) FROM conference").fetchone()[0] == 1
    finally:
        connection.close()


def test_a_passphrase_that_looks_like_a_raw_key_is_given_to_sqlcipher_as_it_is(tmp_path):
    path = tmp_path / "raw.db"
    passphrase = "x'" + "ab" * 32 + "'"
    connection = _sqlcipher_connection(path, passphrase)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    assert (
        encryption._key_derived_once(  # noqa: SLF001 - the rule under test
            encryption.dbapi().connect(str(path)), path, passphrase
        )
        is None
    )
    encryption.open_raw_connection(path, passphrase).close()


def test_closing_the_database_forgets_the_key(paths, encrypted):
    encrypted()
    db = open_database(paths, PASSPHRASE)
    assert encryption._derived  # noqa: SLF001 - held in memory while it is open
    db.close()
    assert not encryption._derived  # noqa: SLF001


def test_a_derivation_this_version_does_not_know_is_left_to_sqlcipher(
    paths, monkeypatch, encrypted
):
    encrypted()
    monkeypatch.setattr(encryption, "_KDF_HASHES", {})  # as if SQLCipher changed its default
    counted = _Derivations(monkeypatch)
    db = open_database(paths, PASSPHRASE)
    db.close()
    assert counted.ours == 0 and counted.sqlcipher >= 1  # slower, as before, but it opens
    with pytest.raises(encryption.WrongPassphrase):
        open_database(paths, "not the right passphrase")
