"""Small JSON notes left in the data folder for later: a purge to finish (storage/purge.py), a
damaged database a command set aside that the app has yet to tell (storage/recovery.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

_Note = TypeVar("_Note")


def read_note(
    path: Path,
    build: Callable[[Any], _Note],
    *,
    about: str,
    clear: Callable[[], None],
    log: logging.Logger,
) -> _Note | None:
    """The note at `path` as `build` makes it from its JSON; None when there is none. A note
    that cannot be read or built is logged ("Ignoring an unreadable note about <about>"),
    cleared and taken as none."""
    import json

    try:
        return build(json.loads(path.read_text("utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("Ignoring an unreadable note about %s: %s", about, exc)
        clear()
        return None
