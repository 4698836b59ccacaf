"""CPU time to open an encrypted database: open_database, and create_window on it.

SQLCipher derives the key from the passphrase (PBKDF2-HMAC-SHA512, 256,000 rounds) for every
connection keyed with the passphrase; the app derives it once per database and keys the other
connections with the raw key. The baselines in the same run: the same database unencrypted,
and the encrypted one keyed with the passphrase on every connection (as before issue 14).

    PYTHONPATH=$PWD python benchmarks/encrypted_open.py [rounds]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PASSPHRASE = "correct horse battery staple"


def _cpu(fn) -> float:  # noqa: ANN001
    start = time.process_time()
    fn()
    return time.process_time() - start


def main() -> int:
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from csfacilitator.app import create_window
    from csfacilitator.paths import resolve
    from csfacilitator.storage import encryption, open_database

    app = QApplication.instance() or QApplication([])
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    once = encryption._key_derived_once  # noqa: SLF001 - switched off for the "before" row

    def per_connection(*_args):  # noqa: ANN002, ANN202
        return None  # every connection keeps the passphrase: SQLCipher derives on each

    with tempfile.TemporaryDirectory() as tmp:
        folders = {}
        for name, passphrase in (("plain", None), ("encrypted", PASSPHRASE)):
            paths = resolve(Path(tmp) / name)
            open_database(paths, passphrase).close()
            folders[name] = (paths, passphrase)
        variants = (
            ("plain", "plain", once),
            ("per connection", "encrypted", per_connection),
            ("derived once", "encrypted", once),
        )

        def opened(name: str) -> None:
            paths, passphrase = folders[name]
            open_database(paths, passphrase).close()

        def window(name: str, later: list | None = None) -> None:
            paths, passphrase = folders[name]
            w = create_window(paths=paths, passphrase=passphrase, later=later)
            w.close()
            w.deleteLater()
            app.processEvents()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

        cases = (
            ("open_database", opened),
            ("window, start backup on the path", window),
            ("window, start backup later (main)", lambda name: window(name, [])),
        )
        print(f"median CPU of {rounds} rounds, ms; ratio against plain")
        for label, fn in cases:
            row = []
            for variant, name, keying in variants:
                encryption._key_derived_once = keying  # noqa: SLF001
                try:
                    cpu = statistics.median(_cpu(lambda: fn(name)) for _ in range(rounds))  # noqa: B023
                finally:
                    encryption._key_derived_once = once  # noqa: SLF001
                row.append((variant, cpu))
            plain = row[0][1]
            cells = "   ".join(f"{v} {c * 1000:5.0f} ({c / plain:4.1f}x)" for v, c in row)
            print(f"{label:36} {cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
