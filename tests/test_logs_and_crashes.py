"""When things go wrong: logs in the log folder, a dialog with details, native crashes traced."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from csfacilitator.errors import StorageError
from csfacilitator.gui.dialogs import crash_dialog


def _raise(exc: BaseException):
    try:
        raise exc
    except BaseException as caught:  # noqa: BLE001
        return type(caught), caught, caught.__traceback__


def test_uncaught_error_shows_log_path_and_copies_details(qtbot, tmp_path, monkeypatch):
    log_path = tmp_path / "logs" / "csfacilitator.log"
    seen = {}

    def fake_exec(box):
        seen["text"] = box.text()
        seen["info"] = box.informativeText()
        seen["details"] = box.detailedText()
        copy = next(b for b in box.buttons() if b.text() == "Copy details")
        seen["copy_name"] = copy.accessibleName()
        copy.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    old_hook = sys.excepthook
    crash_dialog.install_excepthook(log_path)
    try:
        sys.excepthook(*_raise(RuntimeError("boom in a slot")))
    finally:
        sys.excepthook = old_hook
    assert seen["text"] == "Something went wrong in CS Facilitator."
    assert str(log_path) in seen["info"]
    assert "RuntimeError: boom in a slot" in seen["details"]
    assert seen["copy_name"] == "Copy details"
    assert "boom in a slot" in QApplication.clipboard().text()


def test_user_errors_are_shown_plainly_without_a_traceback(qtbot, tmp_path, monkeypatch):
    seen = {}
    monkeypatch.setattr(
        QMessageBox, "exec", lambda box: seen.update(text=box.text(), details=box.detailedText())
    )
    old_hook = sys.excepthook
    crash_dialog.install_excepthook(tmp_path / "x.log")
    try:
        sys.excepthook(*_raise(StorageError("The disk is full, so nothing can be saved.")))
    finally:
        sys.excepthook = old_hook
    assert seen == {"text": "The disk is full, so nothing can be saved.", "details": ""}


def test_logging_goes_to_a_private_file_and_native_crashes_are_traced(tmp_path):
    script = (
        "import logging, ctypes\n"
        "from csfacilitator.paths import resolve, prepare\n"
        f"paths = prepare(resolve({str(tmp_path / 'data')!r}))\n"
        "from csfacilitator.logs import setup_logging\n"
        "setup_logging(paths)\n"
        "logging.getLogger('csfacilitator.test').warning('hello log')\n"
        "ctypes.string_at(0)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert result.returncode != 0  # it really crashed
    logs = tmp_path / "data" / "logs"
    assert "hello log" in (logs / "csfacilitator.log").read_text()
    crash = (logs / "native-crash.log").read_text()
    assert "Segmentation fault" in crash or "Fatal Python error" in crash
    assert oct((logs / "csfacilitator.log").stat().st_mode & 0o777) == "0o600"


def test_records_before_the_log_file_opens_are_written_to_it_first(tmp_path):
    """The window starts with start_logging (no file yet) and opens the file after its first
    paint; what was logged between goes into the file, in order, and so it does if the process
    ends before the file was opened."""
    script = (
        "import logging, sys\n"
        "from csfacilitator.paths import resolve, prepare\n"
        f"paths = prepare(resolve({str(tmp_path / 'data')!r}))\n"
        "from csfacilitator.logs import setup_logging, start_logging\n"
        "start_logging(paths)\n"
        "assert 'logging.handlers' not in sys.modules\n"
        "logging.getLogger('csfacilitator.test').warning('before the paint')\n"
        "if sys.argv[1] == 'painted':\n"
        "    setup_logging(paths)\n"
        "    logging.getLogger('csfacilitator.test').warning('after the paint')\n"
    )
    logs = tmp_path / "data" / "logs"
    for run in ("painted", "ended early"):
        result = subprocess.run(
            [sys.executable, "-c", script, run], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""  # nothing went to the console instead
    lines = (logs / "csfacilitator.log").read_text().splitlines()
    said = [line.split(": ", 1)[1] for line in lines]
    assert said == [
        "Started (pid " + lines[0].split("(pid ")[1],
        "before the paint",
        "after the paint",
        "Started (pid " + lines[3].split("(pid ")[1],
        "before the paint",
    ]
    assert oct((logs / "csfacilitator.log").stat().st_mode & 0o777) == "0o600"
