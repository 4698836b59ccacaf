"""What a process started by tests/harness/cli_runner.py sees and how it ends, for
tests/test_cli_runner.py (run forked and as a fresh interpreter, the two must agree).

    python -m tests.harness.cli_probe show          one JSON line: pid, parent, folder, argv,
                                                    PROBE_* variables, open descriptors, ...
    python -m tests.harness.cli_probe exit N        "buffered" (not flushed), an atexit line,
                                                    then SystemExit(N)
    python -m tests.harness.cli_probe hard-exit N   "buffered" (not flushed), then os._exit(N)
    python -m tests.harness.cli_probe raise         an uncaught error
    python -m tests.harness.cli_probe echo          stdin to stdout
    python -m tests.harness.cli_probe wait          "waiting" (flushed), then sleeps
"""

from __future__ import annotations

import atexit
import json
import os
import sys
import tempfile
import time


def _open_fds() -> list[int]:
    listed = [int(name) for name in os.listdir("/proc/self/fd")]
    found = []
    for fd in listed:
        try:
            os.fstat(fd)
        except OSError:  # the descriptor the listing used
            continue
        found.append(fd)
    return sorted(found)


def _umask() -> int:
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def show() -> None:
    streams = {
        name: [s.encoding, s.errors, s.line_buffering, s.write_through, s.fileno()]
        for name, s in (("stdin", sys.stdin), ("stdout", sys.stdout), ("stderr", sys.stderr))
    }
    print(
        json.dumps(
            {
                "pid": os.getpid(),
                "parent": os.getppid(),
                "cwd": os.getcwd(),
                "argv": sys.argv,
                "path0": sys.path[0],
                "main": sys.modules["__main__"].__file__,
                "variables": {k: v for k, v in os.environ.items() if k.startswith("PROBE_")},
                "fds": _open_fds(),
                "tempdir": tempfile.gettempdir(),
                "streams": streams,
                "threads": len(os.listdir("/proc/self/task")),
                "umask": _umask(),
            }
        )
    )


def main(argv: list[str]) -> None:
    what = argv[0]
    if what == "show":
        show()
    elif what in ("exit", "hard-exit"):
        sys.stdout.write("buffered\n")
        if what == "hard-exit":
            os._exit(int(argv[1]))
        atexit.register(print, "at exit")
        raise SystemExit(int(argv[1]))
    elif what == "raise":
        raise RuntimeError("the probe fails")
    elif what == "echo":
        sys.stdout.write(sys.stdin.read())
    elif what == "wait":
        print("waiting", flush=True)
        time.sleep(120)


if __name__ == "__main__":
    main(sys.argv[1:])
