"""Shared fixtures. Every test gets its own data folder; nothing touches the real user folders."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_data(tmp_path, monkeypatch):
    """Point every data path (and HOME) at a temporary folder for the test."""
    data = tmp_path / "data"
    monkeypatch.setenv("CSFACILITATOR_DATA_DIR", str(data))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "home" / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / "config"))
    return data


@pytest.fixture
def paths(_isolated_data):
    from csfacilitator.paths import resolve

    return resolve(_isolated_data)


@pytest.fixture
def db(paths):
    from csfacilitator.storage import open_database

    database = open_database(paths)
    yield database
    database.close()


@pytest.fixture
def example_id(db):
    from csfacilitator.core.example import add_example

    return add_example(db)
