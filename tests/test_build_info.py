"""Help -> About says which version this is and, in a bundle, the date it was built: with no
internet, that is how a coordinator (and support) tells an old copy from a new one."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QLabel

from csfacilitator import __version__, build_info
from csfacilitator.gui.dialogs.help_dialogs import AboutDialog, diagnostics


@pytest.fixture
def built_on_2026_05_01(tmp_path, monkeypatch):
    info = tmp_path / "_build_info.json"
    info.write_text(json.dumps({"version": __version__, "built": "2026-05-01"}))
    monkeypatch.setattr(build_info, "BUILD_INFO", info)


def about_version(qtbot, paths) -> str:
    dialog = AboutDialog(paths)
    qtbot.addWidget(dialog)
    return dialog.findChild(QLabel, "aboutVersion").text()


def test_about_shows_the_version_and_the_build_date_in_a_bundle(qtbot, paths, built_on_2026_05_01):
    assert f"Version {__version__}, built 2026-05-01" in about_version(qtbot, paths)
    assert diagnostics(paths).startswith(f"CS Facilitator {__version__}, built 2026-05-01\n")


def test_about_says_run_from_source_without_a_build_date(qtbot, paths, tmp_path, monkeypatch):
    monkeypatch.setattr(build_info, "BUILD_INFO", tmp_path / "absent.json")
    assert f"Version {__version__} (run from source)" in about_version(qtbot, paths)


def test_the_source_tree_carries_no_build_date():
    # Written into the bundle by the spec only; a committed one would date every copy.
    assert not build_info.BUILD_INFO.exists()
    assert build_info.build_date() is None


@pytest.mark.parametrize("content", ["", "not json", "[]", '{"built": 7}', "{}"])
def test_a_damaged_build_file_reads_as_no_date(tmp_path, content):
    info = tmp_path / "_build_info.json"
    info.write_text(content)
    assert build_info.build_date(info) is None
