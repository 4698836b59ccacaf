"""The installed wheel carries everything a checkout has: resources, schema, migrations."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: What building the wheel reads: pyproject.toml names the rest (the package, resources/ and
#: the README as its long description).
SOURCES = ("pyproject.toml", "README.md", "csfacilitator", "resources")

CHECK = r"""
import sys, tempfile
from pathlib import Path
import csfacilitator
from csfacilitator.resources import resource_path
from csfacilitator.paths import resolve
from csfacilitator.storage import open_database
from csfacilitator.core import conferences
assert Path(csfacilitator.__file__).resolve().is_relative_to(Path(sys.argv[1]).resolve()), csfacilitator.__file__
assert resource_path("icons", "csfacilitator.svg").is_file()
assert resource_path("schema", "conference-bundle.schema.json").is_file()
db = open_database(resolve(tempfile.mkdtemp()))
conferences.create_conference(db, "From the wheel")
from csfacilitator.core.example import add_example
add_example(db)  # the example is a hand-over file under resources/
print("WHEEL OK", resource_path("icons").parent)
"""


@pytest.mark.slow
def test_installed_wheel_finds_its_resources_and_migrates(tmp_path):
    # One pip run builds the wheel (with the build backend pyproject.toml names, in its own
    # build environment) and installs it alone; the dependencies are this environment's. Its
    # RECORD lists every file the wheel carried. No bytecode is compiled at install: the check
    # below compiles what it imports, as any first start does. It builds from a copy of the
    # sources: setuptools builds in the folder it is given, and in the checkout it would leave
    # build/ behind, whose stale copy of a module deleted since would go into the next wheel.
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(ROOT / name, source / name)
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-compile",
            "-q",
            "--target",
            str(target),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (record,) = target.glob("csfacilitator-*.dist-info/RECORD")
    names = {row.split(",")[0] for row in record.read_text(encoding="utf-8").splitlines()}
    assert "csfacilitator/_resources/icons/csfacilitator.svg" in names
    assert any(n.startswith("csfacilitator/storage/migrations/versions/0001") for n in names)
    sources = {p.relative_to(ROOT).as_posix() for p in (ROOT / "csfacilitator").rglob("*.py")}
    assert sources <= names, f"modules missing from the wheel: {sorted(sources - names)}"
    # Run away from the checkout, with only the installed copy of the package on the path first.
    result = subprocess.run(
        [sys.executable, "-c", CHECK, str(target)],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "WHEEL OK" in result.stdout
    assert "_resources" in result.stdout
