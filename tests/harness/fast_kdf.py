"""SQLCipher's key derivation cut short, for the harnesses that open encrypted files by the
hundred (tests/test_encrypt_resume.py), and `python -m csfacilitator` run with it.

SQLCipher derives each file's key from the passphrase with PBKDF2 (256,000 rounds of
HMAC-SHA512 by default), again for every connection: a quarter of a second each on a busy
2-core machine, and one run of `encrypt` opens some twenty. What those harnesses check (what a
kill leaves, what a second run finishes) does not depend on how many rounds there are, so
they set SQLCipher's process-wide default lower, in the test process and in every process
they start (the same count on both sides, or the files would not open): tests/test_encrypt_resume.py
and tests/test_passphrase_change.py. The production count is still what tests/test_encryption.py
(creating, opening, encrypting, the CLI, backups) and every `encrypted_too` test run with; no
code path of ours sets a count, so every conversion derives keys the same way.

    python tests/harness/fast_kdf.py ARG...       csfacilitator ARG..., rounds from ROUNDS_ENV;
                                                  with STEPS_ENV set, "STEP" on stdout (flushed)
                                                  as each file's conversion begins: the
                                                  database's, then each backup's
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

ROUNDS_ENV = "HARNESS_KDF_ITER"
STEPS_ENV = "HARNESS_SAY_STEPS"
# Any count derives and opens the same way (encryption.derive_key is SQLCipher's PBKDF2 with the
# file's count). At 4,000 each derivation cost ~2 ms of CPU, and each forked command derives
# afresh for every file it opens: an `encrypt` of the six files and the check of what it left
# took ~30-70 ms more CPU than at 64.
ROUNDS = 64


def set_default_rounds(rounds: int) -> int:
    """Make `rounds` SQLCipher's key derivation count for every connection this process opens
    from now on (PRAGMA key on a new file, and on one written with the same count); returns
    the count it replaced."""
    from sqlcipher3 import dbapi2

    connection = dbapi2.connect(":memory:")
    try:
        before = int(connection.execute("PRAGMA cipher_default_kdf_iter").fetchone()[0])
        connection.execute(f"PRAGMA cipher_default_kdf_iter = {int(rounds)}")
    finally:
        connection.close()
    return before


@contextlib.contextmanager
def fewer_rounds() -> Iterator[None]:
    """ROUNDS in this process for the duration (a test module's), then the count it had."""
    before = set_default_rounds(ROUNDS)
    try:
        yield
    finally:
        set_default_rounds(before)


def environment() -> dict[str, str]:
    """For a process a test starts: the same count."""
    return {ROUNDS_ENV: str(ROUNDS)}


def main(argv: list[str]) -> int:
    rounds = os.environ.get(ROUNDS_ENV)
    if rounds:
        set_default_rounds(int(rounds))
    if os.environ.get(STEPS_ENV):
        _say_steps()
    from csfacilitator import cli

    return cli.main(argv)


def _say_steps() -> None:
    from csfacilitator.storage import encryption

    def announced(convert):
        def step(*args, **kwargs):
            print("STEP", flush=True)
            return convert(*args, **kwargs)

        return step

    encryption._convert_live_database = announced(encryption._convert_live_database)
    encryption.convert_file = announced(encryption.convert_file)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
