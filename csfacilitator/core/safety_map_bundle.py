"""The safety map in the hand-over file (format 8's `safety_map`; core/bundle.py and
core/bundle_format.py call these). A file without the section has no map, as before.

    "safety_map": {
      "image": null | {"type": "png" | "jpeg", "width", "height", "caption",
                       "data": the picture's bytes, base64},
      "sessions": [{"name", "held_on": date | null, "meeting": a meeting ref | null,
                    "marks": [{"shape", "points": [[x, y], ...], "rating", "time_of_day",
                               "label", "note"}]}]
    }

The picture is at most core/safety_map.MAX_STORED_BYTES (base64 keeps it under the format's
text limit). A file's picture is opened with Pillow before anything is written: it must be the
PNG or JPEG it says, of the size it says, within the limits an import gives; marks are checked
by the same rules as the app's (core/safety_map.check_points and the rating and time lists).
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import warnings
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from csfacilitator.core import safety_map as core
from csfacilitator.core.bundle_values import damaged, decode_value
from csfacilitator.core.model import SafetyMap, SafetyMapSession, SafetyMark
from csfacilitator.core.rows import in_order
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import UserError

EMPTY: dict[str, Any] = {"image": None, "sessions": []}


def export_section(s: Session, conference_id: int, meeting_refs: dict[int, str]) -> dict:
    row = s.scalar(select(SafetyMap).where(SafetyMap.conference_id == conference_id))
    image = None
    if row is not None:
        image = {
            "type": row.image_type,
            "width": row.width,
            "height": row.height,
            "caption": row.caption,
            "data": base64.b64encode(bytes(row.image)).decode("ascii"),
        }
    sessions = []
    for session in in_order(s, SafetyMapSession, SafetyMapSession.conference_id == conference_id):
        marks = in_order(s, SafetyMark, SafetyMark.session_id == session.id)
        sessions.append(
            {
                "name": session.name,
                "held_on": session.held_on.isoformat() if session.held_on else None,
                "meeting": (
                    meeting_refs.get(session.meeting_id) if session.meeting_id is not None else None
                ),
                "marks": [
                    {
                        "shape": m.shape,
                        "points": json.loads(m.points or "[]"),
                        "rating": m.rating,
                        "time_of_day": m.time_of_day,
                        "label": m.label,
                        "note": m.note,
                    }
                    for m in marks
                ],
            }
        )
    return {"image": image, "sessions": sessions}


def decode_section(data: Any, meeting_refs: set[str], source: str) -> dict:
    """The section checked and turned into values ready to write (EMPTY when absent)."""
    if data is None:
        return {"image": None, "sessions": []}
    image = None
    if data.get("image") is not None:
        image = _decoded_image(data["image"], source)
    sessions = []
    for s_index, session in enumerate(data.get("sessions", ())):
        where = f"$.safety_map.sessions[{s_index}]"
        meeting = session.get("meeting")
        if meeting is not None and meeting not in meeting_refs:
            raise damaged(
                source,
                f"{where}.meeting",
                f"refers to meeting '{meeting}', which is not in the file",
            )
        name = " ".join(clean_text(session["name"], multiline=False).split()) or "Mapping session"
        marks = []
        for m_index, mark in enumerate(session.get("marks", ())):
            m_where = f"{where}.marks[{m_index}]"
            try:
                points = core.check_points(mark["shape"], mark["points"])
                rating = core._choice(mark["rating"], core.RATING_LABELS, "rating")
                time_of_day = core._choice(mark["time_of_day"], core.TIME_LABELS, "time of day")
            except UserError as exc:
                raise damaged(source, m_where, str(exc)) from None
            marks.append(
                {
                    "shape": mark["shape"],
                    "points": json.dumps([list(p) for p in points]),
                    "rating": rating,
                    "time_of_day": time_of_day,
                    "label": clean_text(mark["label"], multiline=False).strip(),
                    "note": clean_text(mark["note"], multiline=True).strip(),
                }
            )
        sessions.append(
            {
                "name": name,
                "held_on": decode_value(session.get("held_on"), "date", f"{where}.held_on", source),
                "meeting": meeting,
                "marks": marks,
            }
        )
    return {"image": image, "sessions": sessions}


def _decoded_image(image: dict, source: str) -> dict:
    from PIL import Image

    where = "$.safety_map.image"
    try:
        data = base64.b64decode(image["data"], validate=True)
    except (binascii.Error, ValueError):
        raise damaged(source, f"{where}.data", "the picture is not base64") from None
    if not data or len(data) > core.MAX_STORED_BYTES:
        raise damaged(source, f"{where}.data", "the picture is empty or larger than allowed")
    expected = {"png": "PNG", "jpeg": "JPEG"}.get(image["type"])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
        with probe:
            size, kind = probe.size, probe.format
            if kind != expected or size != (image["width"], image["height"]):
                raise damaged(source, where, "the picture is not what the file says it is")
            if max(size) > core.MAX_SIDE or min(size) < 1:
                raise damaged(source, where, "the picture is larger than allowed")
            probe.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise damaged(source, f"{where}.data", "the picture cannot be read") from None
    return {
        "image": data,
        "image_type": image["type"],
        "width": size[0],
        "height": size[1],
        "caption": " ".join(clean_text(image["caption"], multiline=False).split()),
    }


def import_section(
    s: Session, conference_id: int, content: dict | None, meeting_ids: dict[str, int]
) -> None:
    """Write the checked section as the conference's map (replacing any it had)."""
    content = content or EMPTY
    s.execute(delete(SafetyMapSession).where(SafetyMapSession.conference_id == conference_id))
    s.execute(delete(SafetyMap).where(SafetyMap.conference_id == conference_id))
    if content.get("image"):
        s.add(SafetyMap(conference_id=conference_id, **content["image"]))
    for position, session in enumerate(content.get("sessions", ())):
        row = SafetyMapSession(
            conference_id=conference_id,
            position=position,
            name=session["name"],
            held_on=session["held_on"],
            meeting_id=meeting_ids.get(session["meeting"]) if session["meeting"] else None,
        )
        s.add(row)
        s.flush()
        for m_position, mark in enumerate(session["marks"]):
            s.add(SafetyMark(session_id=row.id, position=m_position, **mark))
