"""The release workflow (.github/workflows/release.yml) passes actionlint and builds, smoke
tests and uploads on each of the three systems."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"


def actionlint() -> str | None:
    beside_python = Path(sys.executable).with_name("actionlint")
    return str(beside_python) if beside_python.is_file() else shutil.which("actionlint")


def test_release_workflow_passes_actionlint():
    program = actionlint()
    if program is None:
        if os.environ.get("CI"):
            pytest.fail("actionlint is not installed: pip install -e '.[test]'")
        pytest.skip("actionlint is not installed (it is in the test extra)")
    result = subprocess.run(
        [program, "-no-color", str(WORKFLOW)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_release_workflow_builds_smoke_tests_and_uploads_on_each_system():
    text = WORKFLOW.read_text(encoding="utf-8")
    for runner in ("ubuntu-22.04", "windows-latest", "macos-latest"):
        assert f"runs-on: {runner}" in text
    assert text.count("python packaging/smoke_test.py") >= 4  # Linux x2, Windows x2, macOS
    assert "--installer" in text  # Inno Setup, per user
    assert "hdiutil create" in text and ".AppImage" in text
    assert text.count("upload-artifact@") == 3
    assert "gh release create" in text and "refs/tags/v" in text
