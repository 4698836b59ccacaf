"""How a conference file of an older format version becomes the current one (core/bundle_format.py
calls these before its schema check): each step adds what the next version added, at its
empty value, or moves what a later version keeps elsewhere. Pure functions of the parsed JSON;
they meet only values bundle_format has already bounded, and leave anything unexpected for its
check to refuse.
"""

from __future__ import annotations


def _upgrade_from_v1(data: dict) -> dict:
    """A version 1 file with the fields version 2 added, at their empty values."""
    data = dict(data, format_version=2, priorities=[], weightings=[])
    if isinstance(data.get("conference"), dict):
        data["conference"] = {
            "invitation_template": "",
            "closed_on": None,
            "outcome_summary": "",
            "outcome_measures": "",
            "partner_feedback": "",
            "legal_hold": False,
            **data["conference"],
        }
    if isinstance(data.get("meetings"), list):
        data["meetings"] = [
            {"purpose": "", "decisions": "", **m} if isinstance(m, dict) else m
            for m in data["meetings"]
        ]
    if isinstance(data.get("plan"), list):
        data["plan"] = [{"priority": None, **n} if isinstance(n, dict) else n for n in data["plan"]]
    return data


_V2_MEETING_FIELDS = ("venue", "pre_meeting_date", "conference_date", "next_review_date")


def _upgrade_from_v2(data: dict) -> dict:
    """Version 2 kept the venue and three dates on the conference as well as on its meetings;
    version 3 keeps them on the meetings only (as the database does since schema 0005). They
    move to the meetings by the database migration's rules: a meeting keeps its own value, a
    differing one is written into the conference's notes, a missing pre-meeting or next
    review is added."""
    from csfacilitator.core.vocab import REVIEW_AGENDA

    conference = dict(data["conference"])
    moved = {name: conference.pop(name, None) for name in _V2_MEETING_FIELDS}
    meetings = [dict(m) for m in data["meetings"]]
    notes: list[str] = []
    refs = {m["ref"] for m in meetings} | {a["ref"] for m in meetings for a in m["agenda"]}

    def new_ref(prefix: str) -> str:
        number = 1
        while f"{prefix}{number}" in refs:
            number += 1
        refs.add(f"{prefix}{number}")
        return f"{prefix}{number}"

    def settle(meeting: dict, key: str, value, label: str) -> None:
        if value in (None, ""):
            return
        if meeting[key] in (None, ""):
            meeting[key] = value
        elif meeting[key] != value:
            notes.append(
                f"The Overview gave the {label} as {value}; the meeting's {meeting[key]} was kept."
            )

    def add(kind: str, date) -> None:
        agenda = REVIEW_AGENDA if kind == "review" else ()
        meetings.append(
            {
                "ref": new_ref("m"),
                "kind": kind,
                "date": date,
                "time": None,
                "venue": moved["venue"] or "",
                "started_at": None,
                "current_item": None,
                "agenda": [
                    {"ref": new_ref("a"), "title": t, "lead": lead, "started_at": None}
                    for t, lead in agenda
                ],
                "board": {"concerns": [], "complicating": [], "strengths": [], "safety_plan": []},
                "referrals": [],
                "purpose": "",
                "decisions": "",
            }
        )

    main = next((m for m in meetings if m["kind"] == "conference"), None)
    if main is None:
        add("conference", moved["conference_date"])
    else:
        settle(main, "date", moved["conference_date"], "conference date")
        settle(main, "venue", moved["venue"], "venue")
    pre = next((m for m in meetings if m["kind"] == "pre_meeting"), None)
    if pre is not None:
        settle(pre, "date", moved["pre_meeting_date"], "pre-meeting date")
    elif moved["pre_meeting_date"]:
        add("pre_meeting", moved["pre_meeting_date"])
    if moved["next_review_date"]:
        with_updates = {
            u["meeting"]
            for need in data["plan"]
            for i in need["interventions"]
            for u in i["updates"]
        }
        waiting = [
            m
            for m in meetings
            if m["kind"] == "review" and m["started_at"] is None and m["ref"] not in with_updates
        ]
        dated = sorted((m for m in waiting if m["date"]), key=lambda m: (m["date"], m["ref"]))
        review = dated[0] if dated else (waiting[0] if waiting else None)
        if review is not None:
            settle(review, "date", moved["next_review_date"], "next review date")
        else:
            add("review", moved["next_review_date"])
    conference.setdefault("notes", "\n".join(notes))
    conference.setdefault("coordinator_contact", "")
    return dict(data, format_version=3, conference=conference, meetings=meetings)


def _upgrade_from_v3(data: dict) -> dict:
    """Version 4 gives each invitee a job title apart from their role at the meeting."""
    invitees = data.get("invitees")
    if isinstance(invitees, list):
        invitees = [{"job_title": "", **i} if isinstance(i, dict) else i for i in invitees]
    return dict(data, format_version=4, invitees=invitees)


def _upgrade_from_v4(data: dict) -> dict:
    """Version 5 gives each meeting the disagreement recorded at it (none before)."""
    meetings = data.get("meetings")
    if isinstance(meetings, list):
        meetings = [{"dissent": [], **m} if isinstance(m, dict) else m for m in meetings]
    return dict(data, format_version=5, meetings=meetings)


def _upgrade_from_v5(data: dict) -> dict:
    """Version 6 adds the outcome goals and measures (none before)."""
    return dict(data, format_version=6, outcomes=[])


def _upgrade_from_v6(data: dict) -> dict:
    """Version 7 adds the context register's other names and map reference (none before)."""
    return dict(data, format_version=7, context={"aliases": [], "map_ref": ""})


def _upgrade_from_v7(data: dict) -> dict:
    """Version 8 adds young people's voice (none before)."""
    return dict(data, format_version=8, voices=[])


#: The upgrade from each older format version to the next (1 to 2, 2 to 3, ...).
UPGRADES = (
    _upgrade_from_v1,
    _upgrade_from_v2,
    _upgrade_from_v3,
    _upgrade_from_v4,
    _upgrade_from_v5,
    _upgrade_from_v6,
    _upgrade_from_v7,
)
