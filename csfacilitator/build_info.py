"""When this copy was built: the date packaging/csfacilitator.spec writes into a bundle as
csfacilitator/_build_info.json. Run from source or a wheel there is no such file."""

from __future__ import annotations

import json
from pathlib import Path

BUILD_INFO = Path(__file__).with_name("_build_info.json")


def build_date(path: Path | None = None) -> str | None:
    """The bundle's build date (YYYY-MM-DD), or None when not running from a bundle."""
    try:
        built = json.loads((path or BUILD_INFO).read_text(encoding="utf-8"))["built"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return built if isinstance(built, str) else None


def version_line(version: str, path: Path | None = None) -> str:
    """'Version 0.1.0, built 2026-05-01' in a bundle; 'Version 0.1.0 (run from source)' else."""
    built = build_date(path)
    return f"Version {version}, built {built}" if built else f"Version {version} (run from source)"
