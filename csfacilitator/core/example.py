"""The example conference: complete and fictional, what a new user opens first.

Its one home is the hand-over file resources/example/example.csfconf. It is added through the
same import as any hand-over file (core/bundle.py: add_as_new), so it is checked in full every
time it is added. To change the example, change that file: add the example in the app, edit it,
export it as a hand-over file and run `packaging/make_example.py --from THAT_FILE` (running it
without --from brings the shipped file up to the newest format).

Each time it is added it is a new conference: a new uid; the title EXAMPLE_TITLE, then
"EXAMPLE_TITLE (2)", "(3)"… so every copy has its own; and every time stamp in it (created, last
changed) is the moment it is added, so it heads the list of conferences. Its dates are the file's,
fixed and not moved relative to today: the conference is on BASE_DATE (5 November 2026), and the
example and its tests never drift.

Every place, organisation and person in it is invented for this project. The example follows the
practice: it describes places, groups, times and patterns, never an individual young person or
family.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from typing import Any

from csfacilitator.core import bundle
from csfacilitator.core.bundle_format import check, encode, parse
from csfacilitator.core.model import utcnow
from csfacilitator.errors import BundleError
from csfacilitator.storage.database import Database

FILE = ("example", "example.csfconf")  # under resources/
SOURCE = "The example conference"
STAMPS = ("created_at", "updated_at")

__all__ = ["BASE_DATE", "EXAMPLE_TITLE", "add_example", "stamp"]


def add_example(db: Database) -> int:
    """Add the example conference with every tab filled in; returns its id."""
    data = copy.deepcopy(_file_data())
    stamp(data, encode(utcnow(), "datetime"))
    conference_id = bundle.add_as_new(db, data, source=SOURCE, titled=_numbered)
    from csfacilitator.core.export_log import EXAMPLE_ANSWER, remember_answer  # issue 20

    remember_answer(db, conference_id, EXAMPLE_ANSWER)  # its partners signed the agreement
    return conference_id


def stamp(data: Any, moment: str) -> None:
    """Set every time stamp (created_at, updated_at) anywhere in a conference dict to `moment`."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for key in STAMPS:
                if key in value:
                    value[key] = moment
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def _numbered(title: str, number: int) -> str:
    return f"{title} ({number + 1})"


@functools.cache
def _file_data() -> Any:
    """The file's JSON as read (not yet checked: the import checks it, every time)."""
    from csfacilitator.resources import resource_path

    try:
        raw = resource_path(*FILE).read_bytes()
    except OSError as exc:
        raise BundleError(
            "The example conference is missing from this installation; reinstall CS Facilitator."
        ) from exc
    return parse(raw, SOURCE)


@functools.cache
def _content() -> dict:
    return check(copy.deepcopy(_file_data()), SOURCE)


def __getattr__(name: str) -> Any:
    """EXAMPLE_TITLE and BASE_DATE, read from the file (their one home) when first asked for."""
    if name == "EXAMPLE_TITLE":
        return _content()["conference"]["title"]
    if name == "BASE_DATE":
        (date,) = (
            m["values"]["date"]
            for m in _content()["meetings"]
            if m["values"]["kind"] == "conference"
        )
        return date
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


BASE_DATE: dt.date  # the conference's day (see __getattr__)
EXAMPLE_TITLE: str  # its title when no conference has it yet
