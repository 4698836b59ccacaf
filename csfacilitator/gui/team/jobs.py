"""Work on the team store off the GUI thread: a network call may wait up to the connect
timeout, and the window must keep answering meanwhile.

The laptop's SQLite writes a job makes go through the same `Database`: its engine opens one
connection per session (check_same_thread off, WAL, a busy timeout, BEGIN IMMEDIATE for
writes, storage/engine.py), so a sync's write transactions on this thread and the window's
on the GUI thread wait for each other instead of clashing."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal

from csfacilitator.errors import UserError

log = logging.getLogger(__name__)


class Job(QThread):
    """Runs `work()` once; `succeeded(result)` or `failed(one line)` arrive on the GUI thread."""

    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Callable[[], object], parent: QObject | None = None):
        super().__init__(parent)
        self._work = work
        self.error: BaseException | None = None
        #: Its outcome has reached the GUI thread (the thread runs on a moment after sending it).
        self.answered = False
        self.succeeded.connect(self._answered)
        self.failed.connect(self._answered)

    def _answered(self, *_outcome: object) -> None:
        self.answered = True

    def busy(self) -> bool:
        """Still at work: a new request waits only for a job whose outcome has not arrived."""
        return self.isRunning() and not self.answered

    def run(self) -> None:  # the job's thread
        try:
            result = self._work()
        except UserError as exc:  # TeamStoreError, SyncError, StorageError: said in one line
            self.error = exc
            self.failed.emit(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            return
        except Exception as exc:  # noqa: BLE001 - a bug: logged in full, one line shown
            self.error = exc
            log.exception("A team store job failed")
            self.failed.emit(f"Unexpected error ({type(exc).__name__}); see the log.")
            return
        self.succeeded.emit(result)


_RUNNING: set[Job] = set()


def start(receiver: QObject, work: Callable[[], object], done, failed) -> Job:  # noqa: ANN001
    """Start a job whose outcome goes to `receiver`'s slots. The job has no Qt parent and is
    kept here until it ends, so closing the window while it runs never destroys a running
    thread (its late answer then goes nowhere)."""
    job = Job(work)
    job.succeeded.connect(done)
    job.failed.connect(failed)
    _RUNNING.add(job)
    job.finished.connect(lambda: _RUNNING.discard(job))
    job.start()
    return job
