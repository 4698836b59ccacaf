"""The command line, run as a user would run it: a separate process, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from csfacilitator import __version__
from csfacilitator.paths import resolve
from tests.harness.cli_runner import run_cli


def test_version():
    # A fresh interpreter: the entry point itself, as installed and started.
    result = run_cli("--version", fresh=True)
    assert result.returncode == 0
    assert result.stdout.strip() == f"csfacilitator {__version__}"


def test_example_then_list_as_text_and_json(tmp_path, templates):
    data = tmp_path / "d"
    templates.seed(resolve(data))  # migrated already: the first start is another test's
    added = run_cli("example", data_dir=data)
    assert added.returncode == 0, added.stderr
    assert "Added the example conference 1" in added.stdout
    assert "related: conference 2, Mill Road bus interchange (neighbouring place" in added.stdout
    listed = run_cli("list", data_dir=data)
    assert "Example:" in listed.stdout and "Under review" in listed.stdout
    rows = json.loads(run_cli("list", "--json", data_dir=data).stdout)
    assert [r["title"] for r in rows] == ["Mill Road bus interchange", rows[1]["title"]]
    rows = [r for r in rows if r["id"] == 1]
    assert set(rows[0]) >= {"id", "title", "context", "conference_date", "status"}
    assert rows[0]["status"] == "under_review"
    assert rows[0]["conference_date"] == "2026-11-05"


def test_environment_variable_chooses_the_data_folder(tmp_path):
    data = tmp_path / "from-env"
    result = run_cli("example", env={"CSFACILITATOR_DATA_DIR": str(data)})
    assert result.returncode == 0, result.stderr
    assert (data / "csfacilitator.sqlite3").exists()
    assert (data / "logs" / "csfacilitator.log").exists()


def test_bundle_round_trip_and_conflict_handling(tmp_path, templates):
    source, target = tmp_path / "a", tmp_path / "b"
    templates.seed(resolve(source), example=True)  # as `csfacilitator example` leaves it
    # The target is a folder never started: importing is the first thing it sees.
    out = tmp_path / "handover.csfconf"
    exported = run_cli("bundle", "export", "1", "--out", str(out), data_dir=source)
    assert exported.returncode == 0, exported.stderr
    logged = run_cli("exports", "1", data_dir=source)
    assert "Conference file" in logged.stdout and str(out) in logged.stdout
    assert "Nothing has been exported" in run_cli("exports", data_dir=target).stdout
    imported = run_cli("bundle", "import", str(out), data_dir=target)
    assert imported.returncode == 0, imported.stderr
    again = run_cli("bundle", "import", str(out), data_dir=target)
    assert again.returncode == 2
    assert "already exists" in again.stderr and "--as-copy" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    copy = run_cli("bundle", "import", str(out), "--as-copy", data_dir=target)
    assert copy.returncode == 0, copy.stderr
    assert len(json.loads(run_cli("list", "--json", data_dir=target).stdout)) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("bundle", "export", "99", "--out", "x.csfconf"),
            "No conference has the id or title '99'",
        ),
        (("bundle", "import", "missing.csfconf"), ""),
        (
            ("export", "minutes", "Nope", "--out", "m.docx"),
            "No conference has the id or title 'Nope'",
        ),
    ],
)
def test_errors_are_one_line_without_traceback(tmp_path, templates, args, message):
    templates.seed(resolve(tmp_path / "d"))
    result = run_cli(*args, data_dir=tmp_path / "d")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("csfacilitator: ")
    assert message in lines[0]


def test_too_new_database_is_refused_by_the_cli(tmp_path, templates):
    import sqlite3

    data = tmp_path / "d"
    templates.seed(resolve(data), example=True)
    with sqlite3.connect(data / "csfacilitator.sqlite3") as c:
        c.execute("UPDATE alembic_version SET version_num = '9999'")
    c.close()
    result = run_cli("list", data_dir=data)
    assert result.returncode == 2
    assert "newer version of CS Facilitator" in result.stderr
    assert "Traceback" not in result.stderr


def test_windowed_entry_point_without_console_streams_still_reports(tmp_path, templates):
    """The GUI entry point on Windows has sys.stdout/stderr set to None."""
    templates.seed(resolve(tmp_path / "d"))
    script = (
        "import sys\n"
        "sys.stdout = sys.stderr = None\n"
        "from csfacilitator.cli import main\n"
        f"raise SystemExit(main(['--data-dir', {str(tmp_path / 'd')!r}, 'bundle', 'import', 'nope']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
