"""The conference file's format: serialise, parse and validate, with no database.

One conference handed to a colleague or an admin as one JSON file, described by
resources/schema/conference-bundle.schema.json and docs/bundle-format.md. No row's identity in
a database (its id, or the uid of a synced table) is in the file, only the conference's uid:
meetings, agenda items, board points and priorities are named by file-local refs ("m1", "a1",
"p1", "r1"), and order is the order of each list. Which columns a row carries comes from the
model's columns (core/model.py), but nothing here opens a database or a session: core/bundle.py
reads and writes the rows, the files and the transaction.

- serialise: row_dict, export_board, weighting_data, to_bytes;
- parse: parse (a file's bytes to a JSON value, strictly);
- validate: check (everything, older versions upgraded first by core/bundle_upgrades.py),
  validate_bundle, and checked (a CheckedBundle: content checked once, imported without
  checking it again).

Long because a hand-over file comes from another computer: every value is bounded and every
ref resolved before anything is written, and any damage is a one-line refusal
(tests/test_bundle_hostile.py, test_bundle_fuzz.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import math
import re
from collections.abc import Container, Iterator, Sized
from dataclasses import InitVar, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import inspect

from csfacilitator.core import vocab
from csfacilitator.core.bundle_upgrades import UPGRADES
from csfacilitator.core.bundle_values import (
    damaged,
    decode_value,
    one_line,
    short,
)
from csfacilitator.core.model import (
    ActionUpdate,
    AgendaItem,
    Base,
    BoardPoint,
    Conference,
    ContextWeighting,
    Dissent,
    Intervention,
    Invitee,
    MeasureValue,
    Meeting,
    Need,
    OutcomeGoal,
    OutcomeMeasure,
    Priority,
    Referral,
    YoungVoice,
)
from csfacilitator.core.safety_map_bundle import decode_section as decode_safety_map
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import BundleError

log = logging.getLogger(__name__)

FORMAT = "csfacilitator-conference"
FORMAT_VERSION = 8  # 5: a meeting's `dissent` (issue 20); 6: `outcomes` (issue 19);
# 7: `context`, the context register's other names and map reference (issue 20);
# 8: `voices`, young people's voice (issue 19)
FILE_SUFFIX = ".csfconf"
SCHEMA_NAME = "conference-bundle.schema.json"
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_POINT_DEPTH = 40  # sub-points nested deeper than this are refused (the board shows ~3)
# Lists and objects nested deeper than this anywhere are refused before anything recursive sees
# them (the deepest legitimate place is the board: two levels per sub-point, plus the frame).
MAX_NESTING = 2 * MAX_POINT_DEPTH + 20
# No number in the format comes near these; anything beyond is damage, refused before the schema.
MAX_NUMBER = 2**53
MAX_TEXT_CHARS = 1_000_000  # the app's own longest field (a board point, an assessment section)
# The years a date or date-time may have: the app adds months and time zones to them, which
# overflows near the years 1 and 9999.

# A row's identities in one database are never carried: an import makes new rows, which get
# new ones (ids, and the uids of the synced tables), and the file names rows by file-local refs
# instead. The one identity carried is the conference's uid: an import matches it to find the
# same conference (refuse, copy or replace).
_IDENTITIES = frozenset({"id", "uid", "uuid"})
_CARRIED_IDENTITY = frozenset({(Conference, "uid")})
# Columns that are not content: links rebuilt from refs, positions given by list order.
_SKIP = {
    Conference: set(),
    Meeting: {"conference_id", "current_item_id"},
    AgendaItem: {"meeting_id", "position"},
    BoardPoint: {"meeting_id", "column", "parent_id", "position"},
    Referral: {"meeting_id"},
    Invitee: {"conference_id", "position"},
    Need: {"conference_id", "position", "priority_id"},
    Priority: {"conference_id", "position"},
    ContextWeighting: {"conference_id", "meeting_id", "data"},
    Intervention: {"need_id", "position", "board_point_id"},
    ActionUpdate: {"intervention_id", "meeting_id"},
    Dissent: {"meeting_id", "invitee_id", "agenda_item_id", "position"},
    OutcomeGoal: {"conference_id", "position", "priority_id", "need_id"},
    OutcomeMeasure: {"goal_id", "position"},
    MeasureValue: {"measure_id", "meeting_id"},
    YoungVoice: {"conference_id", "position", "need_id", "intervention_id"},
}
# Text kept on several lines; all other text is single-line (as the app's own editors keep it).
_MULTILINE = {
    (Conference, "threshold_rationale"),
    (Conference, "names_to_keep_out"),
    (Conference, "invitation_template"),
    (Conference, "outcome_summary"),
    (Conference, "outcome_measures"),
    (Conference, "partner_feedback"),
    (Meeting, "purpose"),
    (Meeting, "decisions"),
    (Invitee, "notes"),
    (Need, "text"),
    (Intervention, "text"),
    (Intervention, "progress"),
    (ActionUpdate, "note"),
    (Dissent, "statement"),
    (OutcomeMeasure, "baseline_text"),
    (MeasureValue, "text"),
    (MeasureValue, "note"),
    (YoungVoice, "text"),
    (YoungVoice, "we_did"),
}


# ---------------------------------------------------------------- values in and out of JSON


@functools.cache
def _fields(model: type[Base]) -> tuple[tuple[str, str], ...]:
    """(attribute, kind) for every content column of a model, in column order."""
    result: list[tuple[str, str]] = []
    for attr in inspect(model).column_attrs:
        if attr.key in _SKIP[model]:
            continue
        if attr.key in _IDENTITIES and (model, attr.key) not in _CARRIED_IDENTITY:
            continue
        python_type = attr.columns[0].type.python_type
        if python_type is dt.datetime:
            kind = "datetime"
        elif python_type is dt.date:
            kind = "date"
        elif python_type is dt.time:
            kind = "time"
        elif python_type is bool:
            kind = "bool"
        elif python_type is int:
            kind = "int"
        elif python_type is float:
            kind = "float"
        else:
            kind = "mtext" if (model, attr.key) in _MULTILINE else "text"
        result.append((attr.key, kind))
    return tuple(result)


def encode(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "datetime":
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value.isoformat() + "Z"
    if kind in ("date", "time"):
        return value.isoformat()
    if kind in ("text", "mtext"):
        return clean_text(value, multiline=kind == "mtext")
    return value


def row_dict(row: Base) -> dict[str, Any]:
    return {name: encode(getattr(row, name), kind) for name, kind in _fields(type(row))}


def _row_values(model: type, data: dict, where: str, source: str) -> dict[str, Any]:
    return {
        name: decode_value(data[name], kind, f"{where}.{name}", source)
        for name, kind in _fields(model)
    }


def export_board(points: list[BoardPoint], refs: dict[int, str]) -> dict[str, list]:
    """The meeting's points as a tree per column; refs are numbered across the conference."""
    ids = {p.id for p in points}
    children: dict[int | None, list[BoardPoint]] = {}
    for point in points:
        parent = point.parent_id if point.parent_id in ids else None
        children.setdefault(parent, []).append(point)

    def build(point: BoardPoint) -> dict:
        refs[point.id] = f"p{len(refs) + 1}"
        out = {"ref": refs[point.id], **row_dict(point), "children": []}
        out["children"] = [build(c) for c in children.get(point.id, []) if c.id not in refs]
        return out

    board: dict[str, list] = {key: [] for key in vocab.BOARD_COLUMNS}
    for point in children.get(None, []):
        board.setdefault(point.column, []).append(build(point))
    # A point whose parent chain loops never hangs from a root: keep it as a top-level point.
    for point in points:
        if point.id not in refs:
            board.setdefault(point.column, []).append(build(point))
    return board


def weighting_data(text: str) -> dict:
    """The stored picture as the app itself reads it (core/weighting.py), so the file holds only
    what an import accepts; a damaged one travels as an empty picture."""
    from csfacilitator.core import weighting

    fallback = weighting.Weighting((weighting.Context("?", 1.0),))
    try:
        picture = weighting.from_json(text, fallback)
        if picture is fallback:
            return {}
        return json.loads(weighting.to_json(picture))
    except Exception:  # noqa: BLE001 - whatever breaks the reader, the export must go on
        log.warning(
            "A stored context weighting could not be read; exported as empty", exc_info=True
        )
        return {}


def _weighting_text(data: dict, where: str, source: str) -> str:
    """The picture from a file (already through the schema) as the app stores it: read with the
    app's own reader and written back, so every later read gives the same picture."""
    if not data:
        return "{}"
    from csfacilitator.core import weighting

    fallback = weighting.Weighting((weighting.Context("?", 1.0),))
    try:
        # ensure_ascii keeps a lone surrogate as an escape; the reader cleans names.
        picture = weighting.from_json(json.dumps(data, ensure_ascii=True), fallback)
        if picture is not fallback:
            text = weighting.to_json(picture)
            text.encode("utf-8")
            # Every read path: the stored text, percentages, the sentence, the layout.
            if weighting.from_json(text, fallback) == picture:
                weighting.describe(picture)
                weighting.layout(picture, 640.0, 480.0)
                return text
    except Exception:  # noqa: BLE001 - any failure of the reader is a picture it cannot show
        log.warning("A context weighting in %s cannot be read", source, exc_info=True)
    raise damaged(source, where, "the context weighting picture cannot be read")


def to_bytes(data: dict) -> bytes:
    """A conference dict as the bytes of a conference file (UTF-8 JSON, one space per level)."""
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# ---------------------------------------------------------------- parsing


def parse(raw: bytes, source: str) -> Any:
    """The JSON value in a file's bytes, read strictly (no duplicate names, no NaN, no
    numbers out of range); BundleError (one line) if it is no JSON. Not yet validated: see
    check()."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BundleError(
            one_line(f"{source} is not a CS Facilitator conference file (it is not UTF-8 text).")
        ) from exc
    try:
        data = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_no_constants,
            parse_float=_finite_float,
            parse_int=_bounded_int,
        )
    except json.JSONDecodeError as exc:
        raise BundleError(
            one_line(
                f"{source} is not a CS Facilitator conference file, or it is damaged "
                f"(not valid JSON at line {exc.lineno}, column {exc.colno})."
            )
        ) from exc
    except _BadJson as exc:
        raise BundleError(one_line(f"{source} is damaged: {exc}.")) from exc
    except RecursionError as exc:
        raise BundleError(one_line(f"{source} is damaged: it is nested too deeply.")) from exc
    except (ValueError, OverflowError, TypeError) as exc:
        log.warning("%s could not be parsed", source, exc_info=True)
        raise BundleError(
            one_line(f"{source} is damaged: it holds a value that cannot be read.")
        ) from exc
    return data


class _BadJson(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    result = {}
    for key, value in pairs:
        if key in result:
            raise _BadJson(f"the name '{short(key)}' appears twice in one object")
        result[key] = value
    return result


def _no_constants(name: str) -> None:
    raise _BadJson(f"it contains {name}, which is not a number")


def _finite_float(text: str) -> float:
    """A JSON number with a fraction or exponent; 1e400 would be infinity, which is refused."""
    value = float(text)
    if not math.isfinite(value) or abs(value) > MAX_NUMBER:
        raise _BadJson(f"it contains the number {short(text, 30)}, which is far too large")
    return value


def _bounded_int(text: str) -> int:
    """A JSON whole number; more than 16 digits is no number this format has (and thousands
    of digits would make int() itself refuse)."""
    if len(text.lstrip("-")) > 16:
        raise _BadJson(f"it contains the number {short(text, 30)}, which is far too large")
    return int(text)


# ---------------------------------------------------------------- validation


def validate_bundle(data: Any, *, source: str = "The conference file") -> None:
    """Check a bundle dict as fully as read_bundle does; BundleError (one line) if unusable."""
    check(data, source)


_MADE_HERE = object()  # only checked() makes a CheckedBundle


@dataclass(frozen=True, eq=False)
class CheckedBundle:
    """A conference's content that has passed check(): what the import writes, so it is not
    checked a second time. Only checked() makes one; a plain dict handed to the import is
    checked there, as before. The content is the import's to read, never to change."""

    content: dict = field(repr=False)
    source: str
    made_by: InitVar[object] = None  # not kept, so dataclasses.replace cannot carry it over

    def __post_init__(self, made_by: object) -> None:
        if made_by is not _MADE_HERE:
            raise TypeError("A CheckedBundle is made only by bundle_format.checked().")

    @property
    def uid(self) -> str:
        """The conference's uid, as the file names it."""
        return self.content["conference"]["uid"]


def checked(data: Any, source: str) -> CheckedBundle:
    """check() `data` and keep the result as a CheckedBundle; BundleError (one line) if unusable."""
    return CheckedBundle(check(data, source), source, _MADE_HERE)


def check(data: Any, source: str) -> dict:
    """Validate everything; return the content with Python values, ready to be written.

    Whatever a damaged file makes the checks trip over is the one-line refusal, never a crash.
    """
    try:
        return _checked_unguarded(data, source)
    except BundleError:
        raise
    except (
        ValueError,
        OverflowError,
        UnicodeError,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
        RecursionError,
    ) as exc:
        log.warning("%s could not be read", source, exc_info=True)
        raise BundleError(
            one_line(f"{source} is damaged: part of it cannot be read ({type(exc).__name__}).")
        ) from exc


def _checked_unguarded(data: Any, source: str) -> dict:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BundleError(one_line(f"{source} is not a CS Facilitator conference file."))
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BundleError(
            one_line(f"{source} is damaged: its format version is missing or not a whole number.")
        )
    if version > FORMAT_VERSION:
        raise BundleError(
            one_line(
                f"{source} was made by a newer version of CS Facilitator (format version "
                f"{version}; this version reads up to {FORMAT_VERSION}). Install the newer "
                "version to import it."
            )
        )
    # Older formats are upgraded one version at a time, before the schema check; hostile
    # values are refused before an upgrade walks them.
    _check_values(data, source)
    upgraded = False
    for old_version, upgrade in enumerate(UPGRADES, start=1):
        if data["format_version"] == old_version:
            data, upgraded = upgrade(data), True
    _check_depth(data, source)
    if upgraded:  # what an upgrade added is walked too (a file of this version was, just now)
        _check_values(data, source)
    validator = _validator()
    from jsonschema.exceptions import best_match

    try:
        error = best_match(validator.iter_errors(data))
    except RecursionError:
        raise BundleError(one_line(f"{source} is damaged: it is nested too deeply.")) from None
    if error is not None:
        raise damaged(source, _json_path(error.absolute_path), _describe(error))
    return _decoded(data, source)


def _check_depth(data: dict, source: str) -> None:
    """Refuse absurdly deep sub-point trees before the (recursive) schema check sees them."""
    meetings = data.get("meetings")
    if not isinstance(meetings, list):
        return
    for m_index, meeting in enumerate(meetings):
        board = meeting.get("board") if isinstance(meeting, dict) else None
        if not isinstance(board, dict):
            continue
        stack = [(points, 1, f"$.meetings[{m_index}].board.{key}") for key, points in board.items()]
        while stack:
            points, depth, where = stack.pop()
            if not isinstance(points, list) or not points:
                continue
            if depth > MAX_POINT_DEPTH:
                raise damaged(
                    source, where, f"sub-points are nested more than {MAX_POINT_DEPTH} deep"
                )
            for index, point in enumerate(points):
                if isinstance(point, dict):
                    # Name the top-level point: the full path down would be hundreds of characters.
                    root = f"{where}[{index}]" if depth == 1 else where
                    stack.append((point.get("children"), depth + 1, root))


def _check_values(data: Any, source: str) -> None:
    """Walk everything once, without recursion: only JSON values, nested at most MAX_NESTING,
    finite numbers of sensible size and text of bounded length (a dict handed to
    import_conference has not been through read_bundle's parser). A value's place is kept as
    (the place above, its name or index), written out as a JSON path only for a refusal."""
    stack: list[tuple[Any, int, Any]] = [(data, 0, None)]
    while stack:
        value, depth, place = stack.pop()
        kind = type(value)  # the plain kinds of nearly every value first; any other as below
        if kind is str:
            if len(value) > MAX_TEXT_CHARS:
                raise damaged(
                    source, _where(place), f"the text is over {MAX_TEXT_CHARS:,} characters"
                )
            continue
        if value is None or kind is bool:
            continue
        if kind is int or kind is float:
            if abs(value) > MAX_NUMBER or not math.isfinite(value):
                raise damaged(source, _where(place), f"{_number(value)} is not a usable number")
            continue
        if isinstance(value, bool):
            continue
        if isinstance(value, str):
            if len(value) > MAX_TEXT_CHARS:
                raise damaged(
                    source, _where(place), f"the text is over {MAX_TEXT_CHARS:,} characters"
                )
            continue
        if isinstance(value, (int, float)):
            if abs(value) > MAX_NUMBER or not math.isfinite(value):
                raise damaged(source, _where(place), f"{_number(value)} is not a usable number")
            continue
        if depth >= MAX_NESTING:
            raise damaged(source, _where(place), f"it is nested more than {MAX_NESTING} deep")
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str) or len(key) > 200:
                    raise damaged(
                        source, _where(place), "a name in it is not text of sensible length"
                    )
                stack.append((item, depth + 1, (place, key)))
        elif isinstance(value, list):
            stack.extend((item, depth + 1, (place, i)) for i, item in enumerate(value))
        else:
            raise damaged(
                source, _where(place), f"a {type(value).__name__} is not part of this format"
            )


def _where(place: Any) -> str:
    """The JSON path of a place _check_values keeps: `$`, then `.name` (cut to 20 characters)
    or `[index]` for each step down."""
    steps = []
    while place is not None:
        place, key = place
        steps.append(f"[{key}]" if isinstance(key, int) else f".{short(key, 20)}")
    return "$" + "".join(reversed(steps))


def _number(value: int | float) -> str:
    if isinstance(value, int) and abs(value) > MAX_NUMBER:
        return "a number of more than 15 digits"
    return short(repr(value), 30)


def _decoded(data: dict, source: str) -> dict:
    """Check refs and dates, and turn the file's content into Python values."""
    meeting_refs: set[str] = set()
    agenda_refs: set[str] = set()
    point_refs: set[str] = set()

    def claim(ref: str, seen: set[str], where: str) -> str:
        if ref in seen:
            raise damaged(source, where, f"the ref '{ref}' is used twice")
        seen.add(ref)
        return ref

    def known(ref: str | None, refs: set[str], where: str, kind: str) -> str | None:
        return _known(ref, refs, where, kind, source)

    meetings = []
    for m_index, meeting in enumerate(data["meetings"]):
        where = f"$.meetings[{m_index}]"
        ref = claim(meeting["ref"], meeting_refs, f"{where}.ref")
        own_agenda = set()
        agenda = []
        for a_index, item in enumerate(meeting["agenda"]):
            a_where = f"{where}.agenda[{a_index}]"
            own_agenda.add(claim(item["ref"], agenda_refs, f"{a_where}.ref"))
            agenda.append({"ref": item["ref"], **_row_values(AgendaItem, item, a_where, source)})
        current = meeting["current_item"]
        if current is not None and current not in own_agenda:
            raise damaged(
                source,
                f"{where}.current_item",
                f"refers to agenda item '{current}', which is not in this meeting's agenda",
            )
        board = {}
        for column, points in meeting["board"].items():
            board[column] = _decoded_points(
                points, f"{where}.board.{column}", point_refs, claim, source
            )
        meetings.append(
            {
                "ref": ref,
                "values": _row_values(Meeting, meeting, where, source),
                "current_item": current,
                "agenda": agenda,
                "board": board,
                "referrals": [
                    _row_values(Referral, r, f"{where}.referrals[{i}]", source)
                    for i, r in enumerate(meeting["referrals"])
                ],
                "dissent": [
                    _decoded_dissent(d, f"{where}.dissent[{i}]", own_agenda, data, source)
                    for i, d in enumerate(meeting["dissent"])
                ],
            }
        )

    invitees = []
    for i_index, invitee in enumerate(data["invitees"]):
        where = f"$.invitees[{i_index}]"
        for ref in invitee["attendance"]:
            known(ref, meeting_refs, f"{where}.attendance", "meeting")
        invitees.append(
            {
                "values": _row_values(Invitee, invitee, where, source),
                "attendance": dict(invitee["attendance"]),
            }
        )

    priority_refs: set[str] = set()
    priorities = []
    for p_index, priority in enumerate(data["priorities"]):
        where = f"$.priorities[{p_index}]"
        priorities.append(
            {
                "ref": claim(priority["ref"], priority_refs, f"{where}.ref"),
                "values": _row_values(Priority, priority, where, source),
            }
        )
    weightings = []
    for w_index, weighting in enumerate(data["weightings"]):
        where = f"$.weightings[{w_index}]"
        weightings.append(
            {
                "meeting": known(weighting["meeting"], meeting_refs, f"{where}.meeting", "meeting"),
                "values": {
                    **_row_values(ContextWeighting, weighting, where, source),
                    "data": _weighting_text(weighting["data"], f"{where}.data", source),
                },
            }
        )

    plan = []
    for n_index, need in enumerate(data["plan"]):
        where = f"$.plan[{n_index}]"
        known(need["priority"], priority_refs, f"{where}.priority", "priority")
        interventions = []
        for i_index, intervention in enumerate(need["interventions"]):
            i_where = f"{where}.interventions[{i_index}]"
            point = known(
                intervention["board_point"], point_refs, f"{i_where}.board_point", "board point"
            )
            updates = []
            for u_index, update in enumerate(intervention["updates"]):
                u_where = f"{i_where}.updates[{u_index}]"
                updates.append(
                    {
                        "meeting": known(
                            update["meeting"], meeting_refs, f"{u_where}.meeting", "meeting"
                        ),
                        "values": _row_values(ActionUpdate, update, u_where, source),
                    }
                )
            interventions.append(
                {
                    "values": _row_values(Intervention, intervention, i_where, source),
                    "board_point": point,
                    "updates": updates,
                }
            )
        plan.append(
            {
                "values": _row_values(Need, need, where, source),
                "priority": need["priority"],
                "interventions": interventions,
            }
        )

    conference = _row_values(Conference, data["conference"], "$.conference", source)
    if not conference["title"]:
        conference["title"] = "Imported conference"
    return {
        "conference": conference,
        "sections": {
            key: clean_text(body, multiline=True)
            for key, body in data["assessment_sections"].items()
        },
        "meetings": meetings,
        "invitees": invitees,
        "plan": plan,
        "priorities": priorities,
        "weightings": weightings,
        "outcomes": _decoded_outcomes(data, priority_refs, meeting_refs, source),
        "voices": _decoded_voices(data, source),  # format 8
        "safety_map": decode_safety_map(data.get("safety_map"), meeting_refs, source),  # format 8
        "context": {  # format 7
            "aliases": [
                " ".join(clean_text(alias, multiline=False).split())
                for alias in data["context"]["aliases"]
                if alias.strip()
            ],
            "map_ref": " ".join(clean_text(data["context"]["map_ref"], multiline=False).split()),
        },
    }


def _known(ref: str | None, refs: Container[str], where: str, kind: str, source: str) -> str | None:
    """The ref itself if it is None or names a `kind` the file holds (read before it)."""
    if ref is not None and ref not in refs:
        raise damaged(source, where, f"refers to {kind} '{ref}', which is not in the file")
    return ref


def _known_index(index: int | None, rows: Sized, where: str, kind: str, source: str) -> int | None:
    """The position itself if it is None or names one of the file's `rows` (a `kind`)."""
    if index is not None and index >= len(rows):
        raise damaged(source, where, f"refers to {kind} {index}, not in the file")
    return index


def _decoded_voices(data: dict, source: str) -> list:
    """Young people's voice (format 8): a voice names its need by position in `plan`, or an
    action by its need's position and its own among that need's actions (core/voice.py)."""
    from csfacilitator.core.voice import METHOD_LABELS

    voices = []
    for index, item in enumerate(data["voices"]):
        where = f"$.voices[{index}]"
        values = _row_values(YoungVoice, item, where, source)
        if values["method"] not in METHOD_LABELS:
            raise damaged(source, f"{where}.method", f"'{short(values['method'])}' is not a "
                           "way of gathering young people's views")  # fmt: skip
        need, action = item["need"], item["action"]
        _known_index(need, data["plan"], f"{where}.need", "need", source)
        if action is not None:
            if need is None:
                raise damaged(source, f"{where}.action", "names an action but not its need")
            if action >= len(data["plan"][need]["interventions"]):
                raise damaged(source, f"{where}.action", f"refers to action {action} of need "
                               f"{need}, not in the file")  # fmt: skip
        voices.append({"values": values, "need": need, "action": action})
    return voices


def _decoded_outcomes(data: dict, priorities: set[str], meetings: set[str], source: str) -> list:
    """Outcome goals (format 6): a goal names its priority by ref and its need by position in
    `plan`; each measure's kind is known and every value fits it (core/outcomes.py)."""
    from csfacilitator.core.outcomes import KIND_LABELS, format_value, parse_value
    from csfacilitator.errors import UserError

    def fits(kind: str, value: float | None, where: str) -> None:
        if value is None:
            return
        try:
            parse_value(kind, format_value(kind, value) if kind != "yes_no" else
                        ("yes" if value == 1 else "no" if value == 0 else "?"))  # fmt: skip
        except UserError as exc:
            raise damaged(source, where, str(exc)) from None

    goals = []
    for g_index, goal in enumerate(data["outcomes"]):
        where = f"$.outcomes[{g_index}]"
        priority = _known(goal["priority"], priorities, f"{where}.priority", "priority", source)
        need = _known_index(goal["need"], data["plan"], f"{where}.need", "need", source)
        measures = []
        for m_index, measure in enumerate(goal["measures"]):
            m_where = f"{where}.measures[{m_index}]"
            values = _row_values(OutcomeMeasure, measure, m_where, source)
            if values["kind"] not in KIND_LABELS:
                raise damaged(source, f"{m_where}.kind", f"'{short(values['kind'])}' is not a "
                               "kind of measure")  # fmt: skip
            fits(values["kind"], values["baseline_value"], f"{m_where}.baseline_value")
            taken = []
            seen: set[str] = set()
            for v_index, value in enumerate(measure["values"]):
                v_where = f"{m_where}.values[{v_index}]"
                ref = value["meeting"]
                if ref not in meetings:
                    raise damaged(source, f"{v_where}.meeting", f"refers to meeting '{ref}', "
                                   "which is not in the file")  # fmt: skip
                if ref in seen:
                    raise damaged(source, f"{v_where}.meeting", f"meeting '{ref}' is given twice")
                seen.add(ref)
                row = _row_values(MeasureValue, value, v_where, source)
                fits(values["kind"], row["value"], f"{v_where}.value")
                taken.append({"meeting": ref, "values": row})
            measures.append({"values": values, "values_taken": taken})
        goals.append(
            {
                "values": _row_values(OutcomeGoal, goal, where, source),
                "priority": priority,
                "need": need,
                "measures": measures,
            }
        )
    return goals


def _decoded_dissent(item: dict, where: str, agenda: set[str], data: dict, source: str) -> dict:
    """A disagreement names its meeting's agenda item by ref and its invitee by position."""
    invitee = _known_index(item["invitee"], data["invitees"], f"{where}.invitee", "invitee", source)
    agenda_item = item["agenda_item"]
    if agenda_item is not None and agenda_item not in agenda:
        raise damaged(
            source,
            f"{where}.agenda_item",
            f"refers to agenda item '{agenda_item}', which is not in this meeting's agenda",
        )
    return {
        "invitee": invitee,
        "agenda_item": agenda_item,
        "values": _row_values(Dissent, item, where, source),
    }


def _decoded_points(points: list, where: str, seen: set[str], claim, source: str) -> list[dict]:
    result = []
    for index, point in enumerate(points):
        p_where = f"{where}[{index}]"
        result.append(
            {
                "ref": claim(point["ref"], seen, f"{p_where}.ref"),
                "values": _row_values(BoardPoint, point, p_where, source),
                "children": _decoded_points(
                    point["children"], f"{p_where}.children", seen, claim, source
                ),
            }
        )
    return result


@functools.cache
def _validator():
    import jsonschema

    try:
        schema = json.loads(schema_path().read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BundleError(
            "The description of the conference file format is missing from this installation; "
            "reinstall CS Facilitator."
        ) from exc
    return jsonschema.Draft202012Validator(schema)


def schema_path() -> Path:
    from csfacilitator.resources import resource_path

    return resource_path("schema", SCHEMA_NAME)


def _describe(error) -> str:
    """A short description of one schema error (never the whole offending value)."""
    kind = error.validator
    if kind == "required":
        return error.message
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        known = error.schema.get("properties", {})
        extra = sorted(str(key) for key in error.instance if key not in known)
        return f"'{short(extra[0] if extra else '?')}' is not part of this format"
    if kind == "type":
        expected = error.validator_value
        if isinstance(expected, list):
            expected = " or ".join(expected)
        return f"should be of type {expected}"
    if kind == "enum":
        allowed = ", ".join(repr(v) for v in error.validator_value)
        return f"'{short(error.instance)}' is not one of {allowed}"
    if kind == "const":
        return f"should be {error.validator_value!r}"
    if kind == "pattern":
        return f"'{short(error.instance)}' should be {error.schema.get('description', 'in the expected form')}"
    if kind == "minLength" and error.validator_value == 1:
        return "should not be empty"
    return short(error.message, 120)


def _json_path(parts: Iterator[Any]) -> str:
    text = "$"
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part):
            text += f".{part}"
        else:
            text += f"[{json.dumps(short(part))}]"
    return text
