"""The real command line in its own process, for the tests: `run_cli` (what `subprocess.run`
of `python -m csfacilitator ARG...` gives) and `start_cli` (a Popen-like handle, for a test that
reads a command's output as it runs or kills it half-way).

Each command runs in a process forked from a server that has already imported the app and its
libraries (tests/harness/cli_server.py, one per pytest process, started on first use and ended
with it), so a command costs what it does, not the 0.65 s of CPU a fresh interpreter spends
importing. It is still a separate process: its own pid, file descriptors, environment and
working folder, killable, its exit code and streams as `python -m csfacilitator` gives them.

A fresh interpreter is started instead
- when asked (`fresh=True`): for what depends on the interpreter's own start (the entry point,
  `--version`, what is imported at start, missing libraries);
- when the environment given differs from the server's in what an interpreter reads only as it
  starts (START_VARIABLES: PYTHON*, locale, LD_*, TZ, OpenSSL's configuration);
- for every command when CSF_TESTS_FRESH_CLI=1 is set (to compare the two ways).
"""

from __future__ import annotations

import atexit
import contextlib
import io
import json
import locale
import os
import select
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[2]
MODULE = "csfacilitator"
TIMEOUT = 180
FRESH_ENV = "CSF_TESTS_FRESH_CLI"
# Read by the interpreter (or a library it has loaded: the C library's locale and time zone,
# OpenSSL) only as it starts: a forked process would keep the server's.
START_VARIABLES = ("PYTHON", "LC_", "LANG", "LD_", "TZ", "OPENSSL_")
APP_VARIABLES = "CSFACILITATOR_"

PIPE = subprocess.PIPE
DEVNULL = subprocess.DEVNULL
STDOUT = subprocess.STDOUT


def cli_environment(
    env: Mapping[str, str | None] | None = None, *, clean: bool = False
) -> dict[str, str]:
    """This process's environment with `env`'s changes (None removes a variable); `clean`
    first removes every CSFACILITATOR_ variable (the passphrase, the data folder...)."""
    result = {k: v for k, v in os.environ.items() if not (clean and k.startswith(APP_VARIABLES))}
    for name, value in (env or {}).items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = value
    return result


def run_cli(
    *args: str | os.PathLike[str],
    data_dir: str | os.PathLike[str] | None = None,
    env: Mapping[str, str | None] | None = None,
    clean_env: bool = False,
    stdin: Any = DEVNULL,
    input: str | None = None,  # noqa: A002 - as subprocess.run names it
    timeout: float = TIMEOUT,
    cwd: str | os.PathLike[str] | None = None,
    module: str = MODULE,
    fresh: bool = False,
) -> subprocess.CompletedProcess[str]:
    """`python -m csfacilitator [--data-dir DIR] ARG...` run to its end, its output captured
    as text: as `subprocess.run(..., capture_output=True, text=True)` gives it.

    `env` changes this process's environment for the command (None removes a variable);
    `clean_env` first removes the CSFACILITATOR_ variables. `stdin` as subprocess takes it
    (by default nothing to read: a command never waits for typing; None: this process's own);
    `input` is written to a pipe instead."""
    argv = ([] if data_dir is None else ["--data-dir", str(data_dir)]) + [str(a) for a in args]
    process = start_cli(
        *argv,
        env=cli_environment(env, clean=clean_env),
        stdin=PIPE if input is not None else stdin,
        stdout=PIPE,
        stderr=PIPE,
        cwd=cwd,
        module=module,
        fresh=fresh,
    )
    with process:
        try:
            stdout, stderr = process.communicate(input, timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def start_cli(
    *argv: str | os.PathLike[str],
    env: Mapping[str, str] | None = None,
    stdin: Any = None,
    stdout: Any = None,
    stderr: Any = None,
    cwd: str | os.PathLike[str] | None = None,
    text: bool = True,
    module: str = MODULE,
    fresh: bool = False,
) -> subprocess.Popen | ForkedCli:
    """`python -m MODULE ARG...` started: a handle with what a test uses of subprocess.Popen
    (pid, stdin, stdout, stderr, poll, wait, communicate, kill, send_signal, returncode).
    `env` is the whole environment (default: this process's); stdin, stdout and stderr as
    subprocess takes them."""
    argv_text = [str(a) for a in argv]
    environment = dict(os.environ if env is None else env)
    folder = os.fspath(cwd) if cwd is not None else os.getcwd()
    streams = {"stdin": stdin, "stdout": stdout, "stderr": stderr, "text": text}
    if fresh or os.environ.get(FRESH_ENV) == "1" or not _server().can_run(environment):
        if module != MODULE:  # a harness module: find `tests` from any working folder
            path = environment.get("PYTHONPATH")
            environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), path]))
        command = [sys.executable, "-m", module, *argv_text]
        return subprocess.Popen(command, env=environment, cwd=folder, **streams)
    return ForkedCli(module, argv_text, env=environment, cwd=folder, **streams)


class ForkedCli:
    """A command running in a process forked by the server: as subprocess.Popen is used."""

    def __init__(
        self,
        module: str,
        argv: list[str],
        *,
        env: dict[str, str],
        cwd: str,
        stdin: Any,
        stdout: Any,
        stderr: Any,
        text: bool,
    ) -> None:
        self.args = [sys.executable, "-m", module, *argv]
        self.returncode: int | None = None
        self.stdin: IO[Any] | None = None
        self.stdout: IO[Any] | None = None
        self.stderr: IO[Any] | None = None
        self._encoding = locale.getpreferredencoding(False) if text else None
        to_close: list[int] = []
        try:
            child_in, mine = _ends(stdin, 0, to_close, reading=True)
            if mine is not None:
                self.stdin = self._wrap(mine, "w")
            child_out, mine = _ends(stdout, 1, to_close, reading=False)
            if mine is not None:
                self.stdout = self._wrap(mine, "r")
            if stderr == STDOUT:
                child_err = child_out
            else:
                child_err, mine = _ends(stderr, 2, to_close, reading=False)
                if mine is not None:
                    self.stderr = self._wrap(mine, "r")
            mask = os.umask(0o077)
            os.umask(mask)
            request = {"module": module, "argv": argv, "env": env, "cwd": cwd, "umask": mask}
            self._connection = _server().connect()
            try:
                socket.send_fds(
                    self._connection,
                    [json.dumps(request).encode()],
                    [child_in, child_out, child_err],
                )
            except OSError:
                self._connection.close()
                raise
        except BaseException:
            for stream in (self.stdin, self.stdout, self.stderr):
                if stream is not None:
                    stream.close()
            raise
        finally:
            for fd in to_close:
                os.close(fd)
        self.pid = int(self._receive()["pid"])

    def _wrap(self, fd: int, mode: str) -> IO[Any]:
        """This process's end of a pipe, as Popen wraps it (text: the locale's encoding)."""
        raw = open(fd, mode + "b")  # noqa: SIM115 - the handle closes it
        if self._encoding is None:
            return raw
        return io.TextIOWrapper(raw, encoding=self._encoding, write_through=mode == "w")

    def _receive(self, timeout: float | None = None) -> dict[str, int]:
        self._connection.settimeout(timeout)
        try:
            message = self._connection.recv(4096)
        except ConnectionError:
            message = b""
        if not message:
            self._connection.close()
            raise RuntimeError(f"the command line server ended: {_server().log_tail()}")
        return json.loads(message)

    def poll(self) -> int | None:
        if self.returncode is None:
            ready, _, _ = select.select([self._connection], [], [], 0)
            if ready:
                self._finished(self._receive())
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            try:
                answer = self._receive(timeout)
            except TimeoutError:
                raise subprocess.TimeoutExpired(self.args, timeout) from None
            self._finished(answer)
        assert self.returncode is not None
        return self.returncode

    def _finished(self, answer: dict[str, int]) -> None:
        self.returncode = os.waitstatus_to_exitcode(answer["status"])
        self._connection.close()

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:  # not a pid since reused
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def communicate(
        self,
        input: str | bytes | None = None,
        timeout: float | None = None,  # noqa: A002
    ) -> tuple[Any, Any]:
        """As Popen.communicate: `input` written, the output read to its end, then waited
        for; the text decoded, its newlines translated."""
        deadline = None if timeout is None else time.monotonic() + timeout
        chunks: dict[int, list[bytes]] = {}
        with selectors.DefaultSelector() as selector:
            if self.stdin is not None:
                self.stdin.flush()
                if input:
                    data = input.encode(self._encoding) if isinstance(input, str) else input
                    selector.register(self.stdin, selectors.EVENT_WRITE, memoryview(data))
                else:
                    self.stdin.close()
            for stream in (self.stdout, self.stderr):
                if stream is not None:
                    chunks[stream.fileno()] = []
                    selector.register(stream, selectors.EVENT_READ)
            while selector.get_map():
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise subprocess.TimeoutExpired(self.args, timeout)
                for key, _events in selector.select(left):
                    stream = key.fileobj
                    assert not isinstance(stream, int)
                    if stream is self.stdin:
                        rest = key.data
                        try:
                            written = os.write(stream.fileno(), rest[: select.PIPE_BUF])
                        except BrokenPipeError:
                            written = len(rest)
                        rest = rest[written:]
                        if rest:
                            selector.modify(stream, selectors.EVENT_WRITE, rest)
                        else:
                            selector.unregister(stream)
                            stream.close()
                    else:
                        data = os.read(stream.fileno(), 32768)
                        if data:
                            chunks[stream.fileno()].append(data)
                        else:
                            selector.unregister(stream)
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        self.wait(left)
        results = []
        for stream in (self.stdout, self.stderr):
            if stream is None:
                results.append(None)
                continue
            data = b"".join(chunks[stream.fileno()])
            stream.close()
            results.append(data if self._encoding is None else _text(data, self._encoding))
        return results[0], results[1]

    def __enter__(self) -> ForkedCli:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for stream in (self.stdin, self.stdout, self.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self.wait()


def _text(data: bytes, encoding: str) -> str:
    """As subprocess decodes a text-mode pipe's output: strict, universal newlines."""
    return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")


def _ends(
    spec: Any, standard: int, to_close: list[int], *, reading: bool
) -> tuple[int, int | None]:
    """The descriptor the command gets for a stream given as subprocess takes it, and this
    process's end of a new pipe (or None). Descriptors made here go in `to_close` (closed
    once sent: the command holds its own copy)."""
    if spec is None:
        try:
            os.fstat(standard)
        except OSError:  # closed here: the command gets nothing to read or write
            spec = DEVNULL
        else:
            return standard, None
    if spec == PIPE:
        read_end, write_end = os.pipe()
        if reading:
            to_close.append(read_end)
            return read_end, write_end
        to_close.append(write_end)
        return write_end, read_end
    if spec == DEVNULL:
        fd = os.open(os.devnull, os.O_RDONLY if reading else os.O_WRONLY)
        to_close.append(fd)
        return fd, None
    if isinstance(spec, int):
        return spec, None
    return spec.fileno(), None


class _Server:
    """The fork server of this process (tests/harness/cli_server.py)."""

    def __init__(self) -> None:
        import csfacilitator

        self.folder = tempfile.mkdtemp(prefix="csf-cli-", dir="/tmp")
        self.address = os.path.join(self.folder, "socket")
        self.log = os.path.join(self.folder, "server.log")
        self.environment = dict(os.environ)  # what its interpreter starts with
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        listener.bind(self.address)
        listener.listen(64)
        lifeline, self._lifeline = os.pipe()  # it ends when this process closes its end
        try:
            with open(self.log, "wb") as log:
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "tests.harness.cli_server"]
                    + [str(listener.fileno()), str(lifeline), csfacilitator.__file__],
                    pass_fds=(listener.fileno(), lifeline),
                    stdin=DEVNULL,
                    stdout=log,
                    stderr=log,
                    cwd=ROOT,
                )
        finally:
            listener.close()
            os.close(lifeline)
        atexit.register(self.close)

    def can_run(self, environment: Mapping[str, str]) -> bool:
        """Whether a forked process can have `environment`: the same in START_VARIABLES."""

        def at_start(env: Mapping[str, str]) -> dict[str, str]:
            return {k: v for k, v in env.items() if k.startswith(START_VARIABLES)}

        return at_start(environment) == at_start(self.environment)

    def connect(self) -> socket.socket:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            connection.connect(self.address)
        except OSError:
            connection.close()
            raise RuntimeError(f"the command line server ended: {self.log_tail()}") from None
        return connection

    def log_tail(self) -> str:
        try:
            return Path(self.log).read_text(errors="replace")[-3000:] or "(nothing logged)"
        except OSError as exc:
            return str(exc)

    def close(self) -> None:
        os.close(self._lifeline)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


_servers: dict[int, _Server] = {}


def _server() -> _Server:
    """This process's server, started on first use (one per pytest process; a process forked
    from this one starts its own)."""
    server = _servers.get(os.getpid())
    if server is None:
        server = _servers[os.getpid()] = _Server()
    return server
