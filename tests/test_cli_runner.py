"""The tests' one way to run the command line (tests/harness/cli_runner.py): a process forked
from a server that has the app imported behaves as `python -m ...` started afresh would."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from tests.harness import cli_probe, cli_runner
from tests.harness.cli_runner import run_cli, start_cli

PROBE = cli_probe.__name__

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the server passes descriptors over a Unix socket"
)


@pytest.fixture(autouse=True)
def _served(monkeypatch):
    monkeypatch.delenv(cli_runner.FRESH_ENV, raising=False)  # these tests are of the server


def _show(**kwargs) -> dict:
    result = run_cli("show", module=PROBE, **kwargs)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_command_is_its_own_process_with_the_given_environment_folder_and_arguments(
    tmp_path,
):
    seen = _show(env={"PROBE_GIVEN": "yes", "PROBE_GONE": None}, cwd=tmp_path)
    assert seen["pid"] not in (os.getpid(), cli_runner._server().process.pid)
    assert seen["parent"] != os.getpid()  # forked by the server, not started here
    assert seen["variables"] == {"PROBE_GIVEN": "yes"}
    assert seen["cwd"] == str(tmp_path) == seen["path0"]
    assert seen["argv"] == [cli_probe.__file__, "show"] and seen["main"] == cli_probe.__file__
    assert seen["fds"] == [0, 1, 2]  # nothing of the server's, as close_fds leaves a child
    assert seen["threads"] == 1


def test_forked_and_fresh_processes_see_the_same(tmp_path, monkeypatch):
    monkeypatch.setenv("PROBE_GIVEN", "yes")
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # read again, not the server's choice
    mask = os.umask(0o027)  # this process's now, not the server's
    try:
        forked, fresh = _show(cwd=tmp_path), _show(cwd=tmp_path, fresh=True)
    finally:
        os.umask(mask)
    assert forked["umask"] == fresh["umask"] == 0o027
    assert fresh["parent"] == os.getpid() != forked["parent"]
    for key in ("cwd", "path0", "argv", "main", "variables", "fds", "streams", "threads", "umask"):
        assert forked[key] == fresh[key], key
    assert forked["tempdir"] == fresh["tempdir"] == str(tmp_path)


def test_exit_codes_at_exit_and_flushing_are_the_interpreters():
    unflushed = "buffered\n" if os.environ.get("PYTHONUNBUFFERED") else ""
    for fresh in (False, True):
        ended = run_cli("exit", "3", module=PROBE, fresh=fresh)
        assert (ended.returncode, ended.stdout) == (3, "buffered\nat exit\n")
        cut = run_cli("hard-exit", "4", module=PROBE, fresh=fresh)
        assert (cut.returncode, cut.stdout) == (4, unflushed)  # os._exit writes no buffer
        failed = run_cli("raise", module=PROBE, fresh=fresh)
        assert failed.returncode == 1
        assert failed.stderr.rstrip().endswith("RuntimeError: the probe fails")
        echoed = run_cli("echo", module=PROBE, input="line one\r\nline two\n", fresh=fresh)
        assert echoed.stdout == "line one\nline two\n"  # read as subprocess reads text


def test_a_running_command_can_be_killed_while_another_runs():
    waiting = start_cli("wait", module=PROBE, stdout=subprocess.PIPE)
    with waiting:
        assert waiting.stdout.readline() == "waiting\n"
        assert waiting.poll() is None
        assert run_cli("--version").returncode == 0  # served side by side
        with pytest.raises(subprocess.TimeoutExpired):
            waiting.wait(timeout=0.1)
        waiting.kill()
        assert waiting.wait(timeout=60) == -signal.SIGKILL
    with pytest.raises(ProcessLookupError):
        os.kill(waiting.pid, 0)


def test_an_environment_read_at_the_interpreters_start_gets_a_fresh_interpreter():
    seed = "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"
    seen = _show(env={"PYTHONHASHSEED": seed})
    assert seen["parent"] == os.getpid()


def test_the_command_line_gives_the_same_either_way(tmp_path):
    for args in (["--version"], ["list"], ["export", "minutes", "9"], ["nonsense"]):
        forked = run_cli(*args, data_dir=tmp_path / "d")
        fresh = run_cli(*args, data_dir=tmp_path / "d", fresh=True)
        assert (forked.returncode, forked.stdout, forked.stderr) == (
            fresh.returncode,
            fresh.stdout,
            fresh.stderr,
        ), args
