"""core.sync hands out each name from its module when first asked for (a start that never
joined a team store does not import the sync engine)."""

from __future__ import annotations

import subprocess
import sys
from importlib import import_module

import pytest

import csfacilitator.core.sync as sync


def test_every_listed_name_is_the_one_in_its_module():
    assert sorted(sync._HOMES) == sorted(sync.__all__)
    for name, home in sync._HOMES.items():
        module = import_module(f"csfacilitator.core.sync.{home}")
        assert getattr(sync, name) is getattr(module, name)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        sync.no_such_name  # noqa: B018


def test_asking_about_leaving_does_not_import_the_engine():
    script = (
        "import sys\n"
        "from csfacilitator.core.sync import leaving\n"
        "print(sorted(m for m in sys.modules if m.startswith('csfacilitator.core.sync.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert "csfacilitator.core.sync.leaving" in out
    assert "csfacilitator.core.sync.engine" not in out
    assert "csfacilitator.core.sync.merge" not in out
