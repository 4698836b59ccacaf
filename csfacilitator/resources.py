"""Finds files under resources/ from a source checkout, an installed wheel or a frozen bundle."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def resource_root() -> Path:
    candidates = []
    if getattr(sys, "frozen", False) and hasattr(sys, "_MEIPASS"):
        candidates.append(Path(sys._MEIPASS) / "csfacilitator" / "_resources")
    candidates += [_PACKAGE / "_resources", _PACKAGE.parent / "resources"]
    for candidate in candidates:
        if (candidate / "icons").is_dir():
            return candidate
    raise FileNotFoundError("CS Facilitator's resources folder is missing from this installation.")


def resource_path(*parts: str) -> Path:
    return resource_root().joinpath(*parts)
