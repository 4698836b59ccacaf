"""Fixed vocabularies of the practice: the values stored, and the words users see.

Stored values are short stable keys; labels may be reworded without a migration.
"""

from __future__ import annotations

from csfacilitator.errors import UserError

STATUSES: dict[str, str] = {
    "referral": "Referral",
    "assessment": "Assessment",
    "preparing": "Preparing",
    "conference_held": "Conference held",
    "under_review": "Under review",
    "closed": "Closed",
}

CONTEXT_TYPES: dict[str, str] = {
    "school": "School",
    "neighbourhood": "Neighbourhood / public space",
    "peer_group": "Peer group",
    "business": "Business or venue",
    "online": "Online space",
    "other": "Other",
}

THRESHOLDS: dict[str, str] = {
    "": "Not set",
    "universal": "Universal",
    "universal_plus": "Universal Plus",
    "complex_high_risk": "Complex and/or High Risk",
}

MEETING_KINDS: dict[str, str] = {
    "pre_meeting": "Pre-meeting",
    "conference": "Conference",
    "review": "Review",
}

ROLES: dict[str, str] = {
    "chair": "Independent chair",
    "lead_practitioner": "Lead practitioner",
    "coordinator_1": "Coordinator",
    "coordinator_2": "Second coordinator",
    "place_manager": "Place manager",
}

# (title, who leads it) — the suggested conference agenda.
DEFAULT_AGENDA: tuple[tuple[str, str], ...] = (
    ("Introduction and aim of the meeting", "Chair"),
    ("Current concerns", "Lead practitioner"),
    ("Contextual vulnerability, risk and resilience factors", ""),
    ("Contextual strengths", ""),
    ("Current professional involvement", ""),
    ("Agreed plan of priority actions", "Chair"),
)

REVIEW_AGENDA: tuple[tuple[str, str], ...] = (
    ("Introduction and aim of the review", "Chair"),
    ("Progress on each action", "Lead practitioner"),
    ("What has changed in the context", ""),
    ("Current concerns and strengths", ""),
    ("Updated plan and next review", "Chair"),
)

# The four flipchart headings, in board order.
BOARD_COLUMNS: dict[str, str] = {
    "concerns": "Current concerns / risks / vulnerabilities",
    "complicating": "Complicating factors",
    "strengths": "Strengths",
    "safety_plan": "Safety plan",
}

REPORT_STRUCTURES: dict[str, str] = {
    "thematic": "Thematic",
    "triangle": "Assessment triangle",
}

# Section keys and headings for each report structure (Appendix A of the guidance).
REPORT_SECTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "thematic": (
        ("summary", "Summary of concerns"),
        ("community", "The community affected"),
        ("young_people_views", "Young people's views"),
        ("thematic_issues", "Thematic contextual issues"),
        ("resources", "Resources, services and guardianship"),
        ("conclusion", "Conclusion: context weighting and priorities"),
        ("plan", "Suggested plan"),
        ("community_views", "Community views"),
    ),
    "triangle": (
        ("summary", "Summary of concerns"),
        ("needs", "Young people's needs in the context"),
        ("guardianship", "Guardianship in the context"),
        ("environment", "Environmental factors"),
        ("thematic_issues", "Thematic contextual issues"),
        ("young_people_views", "Young people's and parents' views"),
        ("conclusion", "Conclusion and context weighting"),
        ("plan", "Proposed plan"),
        ("community_views", "Community views"),
    ),
}

INVITEE_STATUSES: dict[str, str] = {
    "to_invite": "To invite",
    "invited": "Invited",
    "confirmed": "Confirmed",
    "declined": "Declined",
}

ATTENDANCE: dict[str, str] = {
    "": "Not recorded",
    "present": "Present",
    "apologies": "Apologies",
    "absent": "Absent",
}

# The four questions that decide who is invited.
INVITE_QUESTIONS: dict[str, str] = {
    "engaged": "Engaged in the assessment",
    "works_in_context": "Works in the context",
    "can_change": "Can make changes",
    "youth_voice": "Represents young people's voices",
}

# The suggested agency categories, in the order offered, each with whether the partner must
# sign an information-sharing agreement before they attend (not a statutory partner).
_AGENCIES: dict[str, bool] = {
    "Children's social care": False,
    "Local council": False,
    "Community safety": False,
    "Education / school": False,
    "Parents' forum": True,
    "Young people / school council": False,
    "Police": False,
    "Youth justice": False,
    "CAMHS": False,
    "Youth provision": False,
    "Voluntary and community organisation": True,
    "School nurse": False,
    "Sexual health": False,
    "Housing": False,
    "Local business": True,
    "Residents": True,
    "Residents' group": True,
    "Landlord": True,
    "Sports club": True,
    "Faith group": True,
}
AGENCY_CATEGORIES: tuple[str, ...] = tuple(_AGENCIES)
# Partners who must sign an information-sharing agreement before they attend.
NON_STATUTORY_CATEGORIES: frozenset[str] = frozenset(c for c, needs in _AGENCIES.items() if needs)

ACTION_STATUSES: dict[str, str] = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "done": "Done",
    "not_going_ahead": "Not going ahead",
}


def label(vocabulary: dict[str, str], key: str | None) -> str:
    """The user-facing word for a stored key; unknown keys are shown as they are."""
    if key is None:
        return ""
    return vocabulary.get(key, key)


def choice(vocabulary: dict[str, str], value: object, what: str) -> str:
    """`value` as one of the vocabulary's keys, or UserError saying it is not `what` ("an action
    status") and listing the words to choose from."""
    key = "" if value is None else str(value)
    if key not in vocabulary:
        allowed = ", ".join(vocabulary.values())
        raise UserError(f"'{value}' is not {what} ({allowed}).")
    return key


# --- agency categories, compared the one way ---------------------------------------------------

_APOSTROPHES = str.maketrans("", "", "'’‘`´")


def _singular(word: str) -> str:
    """A word without a plural ending: organisations → organisation, bodies → body,
    businesses → business; business, campus and CAMHS stay as they are."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if len(word) <= 3 or word.endswith(("ss", "us", "is")) or not word.endswith("s"):
        return word
    return word[:-1]


def category_key(text: str) -> str:
    """The form in which two agency categories are compared: case, plural endings, apostrophes,
    "&" for "and", -ize for -ise and other punctuation make no difference, so
    "Voluntary & community organisations" and "Voluntary and community organisation" match."""
    text = str(text or "").casefold().translate(_APOSTROPHES).replace("&", " and ")
    text = text.replace("ization", "isation")
    words = "".join(ch if ch.isalnum() else " " for ch in text).split()
    return " ".join(_singular(word) for word in words)


_CATEGORY_BY_KEY: dict[str, str] = {}
for _category in AGENCY_CATEGORIES:
    _CATEGORY_BY_KEY.setdefault(category_key(_category), _category)
for _category in AGENCY_CATEGORIES:  # "Education" alone matches "Education / school"
    for _part in _category.split("/"):
        _CATEGORY_BY_KEY.setdefault(category_key(_part), _category)
del _category, _part


def suggested_category(text: str) -> str | None:
    """The suggested category (AGENCY_CATEGORIES) that `text` names, whatever its case, plural
    or punctuation; None for a category of the user's own."""
    return _CATEGORY_BY_KEY.get(category_key(text)) if text else None


def same_category(a: str, b: str) -> bool:
    """Whether two categories name the same agency (see category_key)."""
    return (suggested_category(a) or category_key(a)) == (suggested_category(b) or category_key(b))
