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
JOINED_UP = ("example", "joined_up.json")
SOURCE = "The example conference"
STAMPS = ("created_at", "updated_at")

__all__ = ["BASE_DATE", "EXAMPLE_TITLE", "add_example", "stamp"]


def add_example(db: Database, *, joined_up: bool = False) -> int:
    """Add the example conference with every tab filled in; returns its id.

    `joined_up` (what the app and `csfacilitator example` add) gives it what a hand-over file
    cannot carry (issue 20): the neighbouring conference it is linked to, and the record of the
    papers it shared, with whom and on what basis — so its full minutes show late. Tests that
    count conferences or export-log entries take the example alone."""
    data = copy.deepcopy(_file_data())
    stamp(data, encode(utcnow(), "datetime"))
    conference_id = bundle.add_as_new(db, data, source=SOURCE, titled=_numbered)
    from csfacilitator.core.export_log import EXAMPLE_ANSWER, remember_answer  # issue 20

    remember_answer(db, conference_id, EXAMPLE_ANSWER)  # its partners signed the agreement
    if joined_up:
        _join_up(db, conference_id)
    return conference_id


def _join_up(db: Database, conference_id: int) -> None:
    """The neighbouring conference (added once, then linked to every copy of the example) and
    the example's sharing record, as resources/example/joined_up.json describes them."""
    import json
    from pathlib import Path

    from csfacilitator.core import conferences, documents, related
    from csfacilitator.core.export_log import checked_answer, record_export
    from csfacilitator.core.meetings import list_meetings
    from csfacilitator.resources import resource_path

    spec = json.loads(resource_path(*JOINED_UP).read_text(encoding="utf-8"))
    neighbour_data = _file_data(FILE[0], spec["neighbour"])
    title = neighbour_data["conference"]["title"]
    known = [c.id for c in conferences.list_conferences(db) if c.title == title]
    if known:
        neighbour = known[0]
    else:
        data = copy.deepcopy(neighbour_data)
        stamp(data, encode(utcnow(), "datetime"))
        neighbour = bundle.add_as_new(db, data, source=SOURCE, titled=_numbered)
    related.add_link(db, conference_id, neighbour, spec["link"]["reason"], spec["link"]["note"])
    meeting = next(m.id for m in list_meetings(db, conference_id) if m.kind == "conference")
    example_title = conferences.get_conference(db, conference_id).title
    folder = Path.home().joinpath(*spec["folder"])
    for shared in spec["shared"]:
        kind = shared["kind"]
        answer = checked_answer(
            shared["with"], shared["basis"], shared["reason"], shared["consent"]
        )
        name = f"{example_title} - {documents.label(kind).lower()}.docx"
        about = meeting if documents.kind(kind).per_meeting or kind == "plan" else None
        record_export(db, conference_id, kind, folder / name, sharing=answer, meeting_id=about)


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
def _file_data(*where: str) -> Any:
    """A hand-over file's JSON as read (not yet checked: the import checks it, every time);
    the example's own file unless another under resources/ is named."""
    from csfacilitator.resources import resource_path

    try:
        raw = resource_path(*(where or FILE)).read_bytes()
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
