"""A hand-over file is checked once on its way in (issue 14): read_checked checks it and the
import takes the CheckedBundle as it is, while a dict handed in is still checked in full."""

from __future__ import annotations

import dataclasses

import pytest

from csfacilitator.cli import main as cli_main
from csfacilitator.core import bundle, bundle_format, conferences
from csfacilitator.errors import BundleError


@pytest.fixture
def checks(monkeypatch) -> list[str]:
    """Every call of the full check, by the name of what it checked."""
    calls: list[str] = []
    real = bundle_format.check

    def counted(data, source):  # noqa: ANN001, ANN202
        calls.append(source)
        return real(data, source)

    monkeypatch.setattr(bundle_format, "check", counted)
    monkeypatch.setattr(bundle, "check", counted)
    return calls


@pytest.fixture
def handover(db, example_id, tmp_path):
    return bundle.write_bundle(db, example_id, tmp_path / "handover.csfconf")


def test_a_file_imported_from_the_command_line_is_checked_once(paths, db, handover, checks, capsys):
    code = cli_main(["--data-dir", str(paths.root), "bundle", "import", str(handover), "--as-copy"])
    assert code == 0 and "Imported conference" in capsys.readouterr().out
    assert checks == ["The file handover.csfconf"]
    assert len(conferences.list_conferences(db)) == 2


def test_a_file_imported_in_the_window_is_checked_once(window, monkeypatch, tmp_path, checks):
    from PySide6.QtWidgets import QFileDialog

    from csfacilitator.core.example import add_example

    example = add_example(window.db)
    target = bundle.write_bundle(window.db, example, tmp_path / "window.csfconf")
    checks.clear()  # adding the example checked its own file
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(target), ""))
    monkeypatch.setattr(window, "_ask_conflict", lambda title: "copy")
    window.import_bundle()
    assert checks == ["The file window.csfconf"]
    assert len(conferences.list_conferences(window.db)) == 2


def test_a_dict_handed_in_is_still_checked_in_full(db, example_id, checks):
    data = bundle.export_conference(db, example_id)
    data["conference"]["uid"] = "00000000-0000-4000-8000-000000000001"
    data["plan"][0]["priority"] = "r99"
    with pytest.raises(BundleError, match="priority 'r99'"):
        bundle.import_conference(db, data, on_conflict="copy")
    assert checks == ["The conference data"]
    assert len(conferences.list_conferences(db)) == 1


def test_a_checked_bundle_is_made_only_by_the_check(db, example_id, handover):
    content = bundle.export_conference(db, example_id)
    with pytest.raises(TypeError, match="only by"):
        bundle.CheckedBundle(content, "forged")
    checked = bundle.read_checked(handover)
    with pytest.raises(TypeError, match="only by"):
        dataclasses.replace(checked, content=content)
    with pytest.raises(dataclasses.FrozenInstanceError):
        checked.content = content  # type: ignore[misc]


def test_one_checked_bundle_imports_twice_alike(db, handover):
    checked = bundle.read_checked(handover)
    first = bundle.import_conference(db, checked, on_conflict="copy")
    second = bundle.import_conference(db, checked, on_conflict="copy")
    one, two = (bundle.export_conference(db, cid) for cid in (first, second))
    for data in (one, two):
        data.pop("exported_at")
        data["conference"].pop("uid")
        data["conference"].pop("title")
    assert one == two


def test_a_checked_bundle_finds_and_replaces_its_conference(db, example_id, handover):
    checked = bundle.read_checked(handover)
    assert bundle.find_existing(db, checked) == example_id
    with pytest.raises(BundleError, match="already exists"):
        bundle.import_conference(db, checked)
    assert bundle.import_conference(db, checked, on_conflict="replace") == example_id
    assert len(conferences.list_conferences(db)) == 1


@pytest.mark.parametrize(
    "payload",
    [
        b"{not json",
        b'{"format": "something else"}',
        b'{"format": "csfacilitator-conference", "format_version": 999}',
        b'{"format": "csfacilitator-conference", "format_version": 8, "conference": 1}',
        "\ud800".encode("utf-8", "surrogatepass"),
    ],
)
def test_read_checked_refuses_what_read_bundle_refuses_in_the_same_words(tmp_path, payload):
    path = tmp_path / "bad.csfconf"
    path.write_bytes(payload)
    with pytest.raises(BundleError) as plain:
        bundle.read_bundle(path)
    with pytest.raises(BundleError) as checked:
        bundle.read_checked(path)
    assert str(checked.value) == str(plain.value)
    with pytest.raises(BundleError) as missing:
        bundle.read_checked(tmp_path / "nowhere.csfconf")
    assert "There is no file" in str(missing.value)
