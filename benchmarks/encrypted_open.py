"""CPU time to open an encrypted database: open_database, and create_window on it.

SQLCipher derives the key from the passphrase (PBKDF2-HMAC-SHA512, 256,000 rounds) for every
connection keyed with the passphrase; the app derives it once per database and keys the other
connections with the raw key. The baseline in the same run is the same database unencrypted.

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
    from PySide6.QtWidgets import QApplication

    from csfacilitator.app import create_window
    from csfacilitator.paths import resolve
    from csfacilitator.storage import open_database

    app = QApplication.instance() or QApplication([])
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as tmp:
        folders = {}
        for name, passphrase in (("plain", None), ("encrypted", PASSPHRASE)):
            paths = resolve(Path(tmp) / name)
            open_database(paths, passphrase).close()
            folders[name] = (paths, passphrase)

        def opened(name: str) -> None:
            paths, passphrase = folders[name]
            open_database(paths, passphrase).close()

        def window(name: str) -> None:
            paths, passphrase = folders[name]
            w = create_window(paths=paths, passphrase=passphrase)
            w.close()
            w.deleteLater()
            app.processEvents()

        for label, fn in (("open_database", opened), ("create_window", window)):
            times = {
                n: statistics.median(_cpu(lambda n=n, fn=fn: fn(n)) for _ in range(rounds))
                for n in folders
            }
            ratio = times["encrypted"] / times["plain"]
            print(
                f"{label:14} plain {times['plain'] * 1000:7.0f} ms CPU   encrypted "
                f"{times['encrypted'] * 1000:7.0f} ms CPU   ratio {ratio:4.1f}x"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
