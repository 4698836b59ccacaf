"""A driver process started in `--serve` mode, its stdout lines timed as they arrive.

Shared by the crash tests (tests/test_crash_safety.py, tests/test_crash_operations.py): each
starts its fork server through this, waits for its own first line, and sends it one line per run.
"""

from __future__ import annotations

import queue
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from typing import IO


class ServedDriver:
    """A process whose stdout lines are read on a thread into a queue, each with the
    time.monotonic() it arrived at."""

    def __init__(
        self,
        argv: Sequence[str],
        env: Mapping[str, str],
        stderr: int | IO[str] = subprocess.DEVNULL,
    ):
        self.process = subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            encoding="utf-8",
            env=dict(env),
        )
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self.last: list[str] = []  # what came last, for a message
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put((time.monotonic(), line.rstrip("\n")))
            self.last = [*self.last[-2:], line]

    def next_line(self, timeout: float) -> tuple[float, str]:
        """The next line and the time it arrived; an AssertionError if none comes in time."""
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(
                f"the driver stopped answering (running: {self.process.poll() is None}; "
                f"last lines: {self.last!r})"
            ) from None

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def close(self) -> None:
        """Close its stdin (the server's signal to end) and wait for it; kill it if it lingers."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        self.process.stdout.close()
