"""What the subcommands share: the CONF argument, the --json flag, and the shape every listing
has (JSON for scripts, else a sentence when there is nothing, else the subcommand's own lines).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

CONFERENCE_HELP = "conference id or exact title"
JSON_HELP = "print JSON for scripts"


def add_conference(
    parser: argparse.ArgumentParser, *, optional: bool = False, help: str = CONFERENCE_HELP
) -> None:
    """The CONF positional argument: a conference's id or its exact title."""
    if optional:
        parser.add_argument("conference", metavar="CONF", nargs="?", help=help)
    else:
        parser.add_argument("conference", metavar="CONF", help=help)


def add_json(parser: argparse.ArgumentParser, help: str = JSON_HELP) -> None:
    parser.add_argument("--json", action="store_true", help=help)


def iso(value: dt.date | dt.time | None) -> str | None:
    """A date or time as ISO text for JSON; None when there is none."""
    return value.isoformat() if value else None


def print_json(payload: Any, *, indent: int = 1) -> int:
    """Print JSON for scripts (non-ASCII kept as it is); returns the exit status, 0."""
    import json

    print(json.dumps(payload, ensure_ascii=False, indent=indent))
    return 0


def listed(
    items: Sequence[T],
    *,
    as_json: bool,
    to_json: Callable[[T], dict[str, Any]],
    empty: str,
    indent: int = 1,
) -> bool:
    """Print the items as JSON (with --json), or `empty` when there are none. True when that
    was everything to print; False when the caller prints the items its own way."""
    if as_json:
        print_json([to_json(item) for item in items], indent=indent)
        return True
    if not items:
        print(empty)
        return True
    return False
