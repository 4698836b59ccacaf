"""The conference file's operations: export a conference from the database, write it to a file,
read a file, and import a conference into the database.

The format itself (what the file holds, how it is parsed and validated) is core/bundle_format.py,
which never touches a database. A file is written through the one atomic writer
(csfacilitator.atomic_file). Import validates the whole file before it writes anything, then
writes it in one transaction.

Long because export and import must each name every table a conference holds, in the order
the file keeps them; the format itself (parse, validate) is core/bundle_format.py.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import delete, func, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

import csfacilitator
from csfacilitator.core.bundle_format import (
    FILE_SUFFIX,
    FORMAT,
    FORMAT_VERSION,
    MAX_FILE_BYTES,
    CheckedBundle,
    check,
    checked,
    encode,
    export_board,
    one_line,
    parse,
    row_dict,
    short,
    to_bytes,
    validate_bundle,
    weighting_data,
)
from csfacilitator.core.model import (
    ActionUpdate,
    AgendaItem,
    AssessmentSection,
    Attendance,
    BoardPoint,
    Conference,
    ContextEntry,
    ContextWeighting,
    Dissent,
    Draft,
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
    new_uid,
    utcnow,
)
from csfacilitator.core.rows import conference_in, in_order
from csfacilitator.core.safety_map_bundle import export_section as export_safety_map
from csfacilitator.core.safety_map_bundle import import_section as import_safety_map
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import BundleError, ExportError
from csfacilitator.storage.database import Database

# FILE_SUFFIX, CheckedBundle and validate_bundle are the format's, named here too for the callers
# of this module.
__all__ = [
    "CONFLICT_CHOICES",
    "CheckedBundle",
    "FILE_SUFFIX",
    "add_as_new",
    "export_conference",
    "find_existing",
    "import_conference",
    "read_bundle",
    "read_checked",
    "validate_bundle",
    "write_bundle",
]

log = logging.getLogger(__name__)

CONFLICT_CHOICES = ("refuse", "copy", "replace")
COPY_SUFFIX = " (imported copy)"

_Ref = TypeVar("_Ref")


def _ref(refs: Mapping[int, _Ref], row_id: int | None) -> _Ref | None:
    """How the file names the row with this id: None for no row or one left out of the file."""
    return None if row_id is None else refs.get(row_id)


# ---------------------------------------------------------------- export


def export_conference(db: Database, conference_id: int) -> dict:
    """Everything of one conference as a JSON-ready dict (one consistent read)."""
    with db.session() as s:
        conference = conference_in(s, conference_id)
        return _export(s, conference)


def _export(s: Session, conference: Conference) -> dict:
    cid = conference.id
    meetings = list(
        s.scalars(select(Meeting).where(Meeting.conference_id == cid).order_by(Meeting.id))
    )
    meeting_refs = {m.id: f"m{n}" for n, m in enumerate(meetings, 1)}
    # A disagreement names its invitee by position in the file's invite list (format 5).
    invitee_index = {
        invitee_id: n
        for n, invitee_id in enumerate(
            s.scalars(
                select(Invitee.id)
                .where(Invitee.conference_id == cid)
                .order_by(Invitee.position, Invitee.id)
            )
        )
    }
    point_refs: dict[int, str] = {}
    agenda_count = 0
    meetings_out = []
    for meeting in meetings:
        agenda = list(in_order(s, AgendaItem, AgendaItem.meeting_id == meeting.id))
        agenda_refs = {}
        agenda_out = []
        for item in agenda:
            agenda_count += 1
            agenda_refs[item.id] = f"a{agenda_count}"
            agenda_out.append({"ref": agenda_refs[item.id], **row_dict(item)})
        points = list(in_order(s, BoardPoint, BoardPoint.meeting_id == meeting.id))
        referrals = s.scalars(
            select(Referral).where(Referral.meeting_id == meeting.id).order_by(Referral.id)
        )
        dissent = s.scalars(  # issue 20: format 5
            select(Dissent)
            .where(Dissent.meeting_id == meeting.id)
            .order_by(Dissent.position, Dissent.id)
        )
        meetings_out.append(
            {
                "ref": meeting_refs[meeting.id],
                **row_dict(meeting),
                "current_item": _ref(agenda_refs, meeting.current_item_id),
                "agenda": agenda_out,
                "board": export_board(points, point_refs),
                "referrals": [row_dict(r) for r in referrals],
                "dissent": [
                    {
                        "invitee": _ref(invitee_index, d.invitee_id),
                        "agenda_item": _ref(agenda_refs, d.agenda_item_id),
                        **row_dict(d),
                    }
                    for d in dissent
                ],
            }
        )

    sections = s.scalars(
        select(AssessmentSection)
        .where(AssessmentSection.conference_id == cid)
        .order_by(AssessmentSection.key)
    )
    invitees_out = []
    invitees = in_order(s, Invitee, Invitee.conference_id == cid)
    for invitee in invitees:
        attendance = s.scalars(
            select(Attendance)
            .where(Attendance.invitee_id == invitee.id)
            .order_by(Attendance.meeting_id)
        )
        invitees_out.append(
            {
                **row_dict(invitee),
                "attendance": {
                    meeting_refs[a.meeting_id]: a.state
                    for a in attendance
                    if a.meeting_id in meeting_refs
                },
            }
        )
    priorities = in_order(s, Priority, Priority.conference_id == cid)
    priority_refs: dict[int, str] = {}
    priorities_out = []
    for priority in priorities:
        priority_refs[priority.id] = f"r{len(priority_refs) + 1}"
        priorities_out.append({"ref": priority_refs[priority.id], **row_dict(priority)})
    weightings = s.scalars(
        select(ContextWeighting)
        .where(ContextWeighting.conference_id == cid)
        .order_by(ContextWeighting.id)
    )
    weightings_out = [
        {
            "meeting": _ref(meeting_refs, w.meeting_id),
            **row_dict(w),
            "data": weighting_data(w.data),
        }
        for w in weightings
        if w.meeting_id is None or w.meeting_id in meeting_refs
    ]
    plan_out = []
    needs = in_order(s, Need, Need.conference_id == cid)
    for need in needs:
        interventions_out = []
        interventions = in_order(s, Intervention, Intervention.need_id == need.id)
        for intervention in interventions:
            updates = s.scalars(
                select(ActionUpdate)
                .where(ActionUpdate.intervention_id == intervention.id)
                .order_by(ActionUpdate.id)
            )
            interventions_out.append(
                {
                    **row_dict(intervention),
                    "board_point": _ref(point_refs, intervention.board_point_id),
                    "updates": [
                        {"meeting": meeting_refs[u.meeting_id], **row_dict(u)}
                        for u in updates
                        if u.meeting_id in meeting_refs
                    ],
                }
            )
        plan_out.append(
            {
                **row_dict(need),
                "priority": _ref(priority_refs, need.priority_id),
                "interventions": interventions_out,
            }
        )

    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": csfacilitator.__version__,
        "exported_at": encode(utcnow(), "datetime"),
        "conference": row_dict(conference),
        "assessment_sections": {sec.key: clean_text(sec.body, multiline=True) for sec in sections},
        "meetings": meetings_out,
        "invitees": invitees_out,
        "plan": plan_out,
        "priorities": priorities_out,
        "weightings": weightings_out,
        "outcomes": _export_outcomes(s, cid, priority_refs, meeting_refs),  # format 6
        "context": _export_context(s, cid),  # format 7
        "voices": _export_voices(s, cid),  # format 8
        "safety_map": export_safety_map(s, cid, meeting_refs),  # format 8 (core/safety_map_bundle)
    }


def _export_voices(s: Session, cid: int) -> list:
    """Young people's voices, each naming its need by position in `plan`, or its action by
    that need's position and the action's own among the need's actions (core/voice.py)."""
    need_index: dict[int, int] = {}
    action_index: dict[int, tuple[int, int]] = {}
    needs = s.scalars(
        select(Need.id).where(Need.conference_id == cid).order_by(Need.position, Need.id)
    )
    for n, need_id in enumerate(needs):
        need_index[need_id] = n
        actions = s.scalars(
            select(Intervention.id)
            .where(Intervention.need_id == need_id)
            .order_by(Intervention.position, Intervention.id)
        )
        for i, action_id in enumerate(actions):
            action_index[action_id] = (n, i)
    out = []
    for item in in_order(s, YoungVoice, YoungVoice.conference_id == cid):
        need, action = _ref(need_index, item.need_id), None
        if item.intervention_id in action_index:
            need, action = action_index[item.intervention_id]
        out.append({**row_dict(item), "need": need, "action": action})
    return out


def _export_context(s: Session, cid: int) -> dict:
    """The context register's other names and map reference (core/related.py); links to other
    conferences stay behind (the other conference is not in the file)."""
    entry = s.scalars(select(ContextEntry).where(ContextEntry.conference_id == cid)).first()
    if entry is None:
        return {"aliases": [], "map_ref": ""}
    return {
        "aliases": [line for line in entry.aliases.splitlines() if line],
        "map_ref": entry.map_ref,
    }


def _export_outcomes(
    s: Session, cid: int, priority_refs: dict[int, str], meeting_refs: dict[int, str]
) -> list:
    """Outcome goals, each naming its priority by ref and its need by position in `plan`."""
    need_index = {
        need_id: n
        for n, need_id in enumerate(
            s.scalars(
                select(Need.id).where(Need.conference_id == cid).order_by(Need.position, Need.id)
            )
        )
    }
    goals = in_order(s, OutcomeGoal, OutcomeGoal.conference_id == cid)
    out = []
    for goal in goals:
        measures = in_order(s, OutcomeMeasure, OutcomeMeasure.goal_id == goal.id)
        out.append(
            {
                **row_dict(goal),
                "priority": _ref(priority_refs, goal.priority_id),
                "need": _ref(need_index, goal.need_id),
                "measures": [
                    {
                        **row_dict(m),
                        "values": [
                            {"meeting": meeting_refs[v.meeting_id], **row_dict(v)}
                            for v in s.scalars(
                                select(MeasureValue)
                                .where(MeasureValue.measure_id == m.id)
                                .order_by(MeasureValue.id)
                            )
                            if v.meeting_id in meeting_refs
                        ],
                    }
                    for m in measures
                ],
            }
        )
    return out


# ---------------------------------------------------------------- writing and reading files


def write_bundle(db: Database, conference_id: int, path: str | os.PathLike[str]) -> Path:
    """Write the conference file atomically and privately (csfacilitator.atomic_file)."""
    from csfacilitator.atomic_file import write_atomic

    path = Path(path)
    data = export_conference(db, conference_id)
    payload = to_bytes(data)
    try:
        write_atomic(payload, path, kind="conference file")
    except ExportError as exc:
        raise BundleError(one_line(str(exc))) from exc
    return path


def read_bundle(path: str | os.PathLike[str]) -> dict:
    """Read a conference file and check all of it; BundleError (one line) if it is not usable.

    Returns the file's JSON as read, which import_conference checks again; to import a file,
    read_checked is the one to use (checked once)."""
    data, source = _read_json(path)
    check(data, source)
    return data


def read_checked(path: str | os.PathLike[str]) -> CheckedBundle:
    """Read a conference file and check all of it, once; BundleError (one line) if it is not
    usable. import_conference and find_existing take the result without checking it again."""
    data, source = _read_json(path)
    return checked(data, source)


def _read_json(path: str | os.PathLike[str]) -> tuple[Any, str]:
    """A conference file's JSON value (parsed strictly, not yet checked) and how a refusal
    names the file; BundleError (one line) if it cannot be read or is no JSON."""
    path = Path(path)
    source = f"The file {path.name}"
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise BundleError(one_line(f"{path} is a folder, not a conference file."))
        if size > MAX_FILE_BYTES:
            raise BundleError(
                one_line(
                    f"{source} is too large ({size // (1024 * 1024)} MB) to be a CS Facilitator "
                    "conference file."
                )
            )
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError as exc:
        raise BundleError(one_line(f"There is no file {path}.")) from exc
    except OSError as exc:
        raise BundleError(one_line(f"{source} cannot be read: {_reason(exc)}.")) from exc
    return parse(raw, source), source


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).rstrip(".")


# ---------------------------------------------------------------- import


def find_existing(db: Database, data: dict | CheckedBundle) -> int | None:
    """The id of the conference in this database with the same uid as the file's, if any."""
    uid: object = None
    if isinstance(data, CheckedBundle):
        uid = data.uid
    elif isinstance(data, dict):
        uid = (data.get("conference") or {}).get("uid")
    if not isinstance(uid, str):
        return None
    with db.session() as s:
        return s.scalar(select(Conference.id).where(Conference.uid == uid))


def import_conference(
    db: Database, data: dict | CheckedBundle, *, on_conflict: str = "refuse"
) -> int:
    """Add the conference in `data`; returns its id. Nothing is written unless all of it is valid.

    A CheckedBundle (read_checked) was checked when it was read and is not checked again; any
    other data (a dict handed in) is checked in full here.

    If a conference with the same uid exists, on_conflict decides: "refuse" (BundleError),
    "copy" (a new conference with a new uid) or "replace" (that conference's content is
    replaced in place, keeping its id, after a backup of the database).
    """
    if on_conflict not in CONFLICT_CHOICES:
        raise ValueError(f"on_conflict must be one of {CONFLICT_CHOICES}, not {on_conflict!r}")
    content = _checked_content(data, "The conference data")
    existing = find_existing(db, data)
    if existing is not None and on_conflict == "replace":
        from csfacilitator.storage.backup import backup_database

        # An encrypted database is backed up encrypted, with its own key.
        backup_database(
            db.paths.database,
            db.paths.backups,
            "before-replace-import",
            passphrase=db.passphrase,
        )
    return _store(db, content, on_conflict)


def add_as_new(
    db: Database,
    data: dict | CheckedBundle,
    *,
    source: str,
    titled: Callable[[str, int], str],
) -> int:
    """Add the conference in `data` as a new conference, whatever is stored; returns its id.

    It gets a new uid, and keeps its title unless a conference has it: then it is titled
    titled(title, n) for the first n = 1, 2, … that no conference has. Validated in full first,
    as import_conference does (a CheckedBundle is not checked again); `source` names the data
    in a refusal.
    """
    return _store(db, _checked_content(data, source), "new", titled)


def _checked_content(data: object, source: str) -> dict:
    """The content to write: a CheckedBundle's as it was checked, anything else checked now."""
    if isinstance(data, CheckedBundle):
        return data.content
    return check(data, source)


def _store(
    db: Database, content: dict, on_conflict: str, titled: Callable[[str, int], str] | None = None
) -> int:
    """Write checked content in one transaction; a failure is a BundleError, nothing written."""
    try:
        with db.session() as s:
            return _write(s, content, on_conflict, titled or _imported_copy)
    except sa_exc.IntegrityError as exc:
        raise BundleError(
            "The conference could not be imported because it clashes with data already stored; "
            "nothing was changed."
        ) from exc
    except (ValueError, OverflowError, UnicodeError, TypeError, KeyError) as exc:
        # The checks should have refused whatever gets here; refuse it too rather than crash.
        log.error("A checked conference could not be stored", exc_info=True)
        raise BundleError(
            "The conference could not be imported because part of it cannot be stored; "
            "nothing was changed."
        ) from exc


def _write(s: Session, content: dict, on_conflict: str, titled: Callable[[str, int], str]) -> int:
    values = dict(content["conference"])
    row = s.scalar(select(Conference).where(Conference.uid == values["uid"]))
    if row is not None and on_conflict == "refuse":
        raise BundleError(
            one_line(
                f"The conference '{short(row.title, 60)}' already exists (id {row.id}). "
                "Use --as-copy to import it as a new conference or --replace to overwrite it."
            )
        )
    if on_conflict == "new" or (row is not None and on_conflict == "copy"):
        values["uid"] = new_uid()
        values["title"] = _free_title(s, values["title"], titled)
        row = None
    if row is None:
        row = Conference(**values)
        s.add(row)
        s.flush()
    else:
        _clear(s, row.id)
        for name, value in values.items():
            setattr(row, name, value)
        s.flush()
    _write_content(s, row.id, content)
    return row.id


def _imported_copy(title: str, number: int) -> str:
    """' (imported copy)', then ' (imported copy 2)' and so on."""
    return title + COPY_SUFFIX if number == 1 else f"{title} (imported copy {number})"


def _free_title(s: Session, title: str, titled: Callable[[str, int], str]) -> str:
    """The title itself if no conference has it, else titled(title, n) for the first free n."""

    def taken(candidate: str) -> bool:
        return bool(
            s.scalar(select(func.count(Conference.id)).where(Conference.title == candidate))
        )

    candidate, number = title, 0
    while taken(candidate):
        number += 1
        candidate = titled(title, number)
    return candidate


def _clear(s: Session, conference_id: int) -> None:
    """Remove a conference's content (the database cascades to rows beneath these)."""
    meeting_ids = select(Meeting.id).where(Meeting.conference_id == conference_id)
    need_ids = select(Need.id).where(Need.conference_id == conference_id)
    invitee_ids = select(Invitee.id).where(Invitee.conference_id == conference_id)
    # Delete leaves first, so nothing depends on the database's cascades being switched on.
    intervention_ids = select(Intervention.id).where(Intervention.need_id.in_(need_ids))
    goal_ids = select(OutcomeGoal.id).where(OutcomeGoal.conference_id == conference_id)
    measure_ids = select(OutcomeMeasure.id).where(OutcomeMeasure.goal_id.in_(goal_ids))
    for statement in (
        delete(YoungVoice).where(YoungVoice.conference_id == conference_id),
        delete(MeasureValue).where(MeasureValue.measure_id.in_(measure_ids)),
        delete(OutcomeMeasure).where(OutcomeMeasure.goal_id.in_(goal_ids)),
        delete(OutcomeGoal).where(OutcomeGoal.conference_id == conference_id),
        delete(ActionUpdate).where(ActionUpdate.intervention_id.in_(intervention_ids)),
        delete(Intervention).where(Intervention.need_id.in_(need_ids)),
        delete(Need).where(Need.conference_id == conference_id),
        delete(Priority).where(Priority.conference_id == conference_id),
        delete(ContextWeighting).where(ContextWeighting.conference_id == conference_id),
        delete(Draft).where(Draft.conference_id == conference_id),
        delete(Attendance).where(Attendance.invitee_id.in_(invitee_ids)),
        delete(Invitee).where(Invitee.conference_id == conference_id),
        delete(AssessmentSection).where(AssessmentSection.conference_id == conference_id),
        delete(Referral).where(Referral.meeting_id.in_(meeting_ids)),
        delete(Dissent).where(Dissent.meeting_id.in_(meeting_ids)),
        delete(AgendaItem).where(AgendaItem.meeting_id.in_(meeting_ids)),
        delete(BoardPoint).where(BoardPoint.meeting_id.in_(meeting_ids)),
        delete(Meeting).where(Meeting.conference_id == conference_id),
    ):
        s.execute(statement.execution_options(synchronize_session=False))
    s.expire_all()


def _write_content(s: Session, conference_id: int, content: dict) -> None:
    for key, body in content["sections"].items():
        s.add(AssessmentSection(conference_id=conference_id, key=key, body=body))

    meeting_ids: dict[str, int] = {}
    point_ids: dict[str, int] = {}
    dissent: list[tuple[int, dict[str, int], dict]] = []  # written once the invitees are
    for meeting in content["meetings"]:
        meeting_row = Meeting(conference_id=conference_id, **meeting["values"])
        s.add(meeting_row)
        s.flush()
        meeting_ids[meeting["ref"]] = meeting_row.id
        agenda_ids = {}
        for position, item in enumerate(meeting["agenda"]):
            agenda_row = AgendaItem(
                meeting_id=meeting_row.id, position=position, **_without(item, "ref")
            )
            s.add(agenda_row)
            s.flush()
            agenda_ids[item["ref"]] = agenda_row.id
        meeting_row.current_item_id = agenda_ids.get(meeting["current_item"])
        for column, points in meeting["board"].items():
            _write_points(s, meeting_row.id, column, points, point_ids)
        for referral in meeting["referrals"]:
            s.add(Referral(meeting_id=meeting_row.id, **referral))
        dissent.extend((meeting_row.id, agenda_ids, d) for d in meeting["dissent"])

    invitee_ids: list[int] = []
    for position, invitee in enumerate(content["invitees"]):
        invitee_row = Invitee(conference_id=conference_id, position=position, **invitee["values"])
        s.add(invitee_row)
        s.flush()
        invitee_ids.append(invitee_row.id)
        for ref, state in invitee["attendance"].items():
            s.add(Attendance(invitee_id=invitee_row.id, meeting_id=meeting_ids[ref], state=state))
    for position, (meeting_id, agenda_ids, item) in enumerate(dissent):
        s.add(
            Dissent(
                meeting_id=meeting_id,
                invitee_id=None if item["invitee"] is None else invitee_ids[item["invitee"]],
                agenda_item_id=agenda_ids.get(item["agenda_item"]),
                position=position,
                **item["values"],
            )
        )

    # One weighting per meeting (and one working copy) is named by them (model.weighting_uid);
    # a file from before that holds two keeps both, the last (the one shown) named.
    last_of = {weighting["meeting"]: n for n, weighting in enumerate(content["weightings"])}
    for n, weighting in enumerate(content["weightings"]):
        named = {} if last_of[weighting["meeting"]] == n else {"uid": new_uid()}
        s.add(
            ContextWeighting(
                conference_id=conference_id,
                meeting_id=meeting_ids.get(weighting["meeting"]),
                **named,
                **weighting["values"],
            )
        )
    priority_ids: dict[str, int] = {}
    for position, priority in enumerate(content["priorities"]):
        priority_row = Priority(
            conference_id=conference_id, position=position, **priority["values"]
        )
        s.add(priority_row)
        s.flush()
        priority_ids[priority["ref"]] = priority_row.id

    need_ids: list[int] = []
    action_ids: list[list[int]] = []
    for position, need in enumerate(content["plan"]):
        need_row = Need(
            conference_id=conference_id,
            position=position,
            priority_id=priority_ids.get(need["priority"]),
            **need["values"],
        )
        s.add(need_row)
        s.flush()
        need_ids.append(need_row.id)
        action_ids.append([])
        for i_position, intervention in enumerate(need["interventions"]):
            action_row = Intervention(
                need_id=need_row.id,
                position=i_position,
                board_point_id=point_ids.get(intervention["board_point"]),
                **intervention["values"],
            )
            s.add(action_row)
            s.flush()
            action_ids[-1].append(action_row.id)
            for update in intervention["updates"]:
                s.add(
                    ActionUpdate(
                        intervention_id=action_row.id,
                        meeting_id=meeting_ids[update["meeting"]],
                        **update["values"],
                    )
                )
    context = content.get("context") or {}  # format 7: the context register
    s.execute(delete(ContextEntry).where(ContextEntry.conference_id == conference_id))
    if context.get("aliases") or context.get("map_ref"):
        s.add(
            ContextEntry(
                conference_id=conference_id,
                aliases="\n".join(context.get("aliases", ())),
                map_ref=context.get("map_ref", ""),
            )
        )
    import_safety_map(s, conference_id, content.get("safety_map"), meeting_ids)  # format 8
    for position, item in enumerate(content.get("voices", ())):  # format 8
        need, action = item["need"], item["action"]
        s.add(
            YoungVoice(
                conference_id=conference_id,
                position=position,
                need_id=need_ids[need] if need is not None and action is None else None,
                intervention_id=action_ids[need][action] if action is not None else None,
                **item["values"],
            )
        )
    for position, goal in enumerate(content.get("outcomes", ())):  # format 6
        goal_row = OutcomeGoal(
            conference_id=conference_id,
            position=position,
            priority_id=priority_ids.get(goal["priority"]),
            need_id=None if goal["need"] is None else need_ids[goal["need"]],
            **goal["values"],
        )
        s.add(goal_row)
        s.flush()
        for m_position, measure in enumerate(goal["measures"]):
            measure_row = OutcomeMeasure(
                goal_id=goal_row.id, position=m_position, **measure["values"]
            )
            s.add(measure_row)
            s.flush()
            for taken in measure["values_taken"]:
                s.add(
                    MeasureValue(
                        measure_id=measure_row.id,
                        meeting_id=meeting_ids[taken["meeting"]],
                        **taken["values"],
                    )
                )
    s.flush()


def _write_points(
    s: Session, meeting_id: int, column: str, points: list[dict], ids: dict[str, int]
) -> None:
    """Insert a tree level by level: one flush per level gives the children their parent ids."""
    level = [(None, position, point) for position, point in enumerate(points)]
    while level:
        rows = []
        for parent_ref, position, point in level:
            row = BoardPoint(
                meeting_id=meeting_id,
                column=column,
                parent_id=ids[parent_ref] if parent_ref else None,
                position=position,
                **point["values"],
            )
            s.add(row)
            rows.append((point, row))
        s.flush()
        level = []
        for point, row in rows:
            ids[point["ref"]] = row.id
            level.extend((point["ref"], pos, child) for pos, child in enumerate(point["children"]))


def _without(mapping: dict, key: str) -> dict:
    return {k: v for k, v in mapping.items() if k != key}
