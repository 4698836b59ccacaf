"""The SQLAlchemy schema. Widgets never see these classes: operations return records.

Long because it is the whole schema in one place, one class per table, as the migrations build
it: the tables refer to each other, and the migrations and the team store's policies read them
all from one metadata.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, MappedColumn, mapped_column, relationship

# Named constraints, so Alembic's batch mode can find and alter them on SQLite.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def new_uid() -> str:
    return str(uuid.uuid4())


#: Namespace of the uids derived from a row's natural key (uuid5), the same on every laptop.
NATURAL_KEY_NAMESPACE = uuid.UUID("5b0c7f1e-2f43-4c1a-9d0e-6f1f3c2a9b71")


def natural_uid(*parts: str) -> str:
    """The uid of a row named by its parents' uids and a key (an assessment section, an
    attendance): every laptop that creates it gives it the same uid."""
    return str(uuid.uuid5(NATURAL_KEY_NAMESPACE, "/".join(parts)))


def _parent_uid(context, table: str, row_id) -> str:  # noqa: ANN001 - SQLAlchemy's context
    from sqlalchemy import text

    found = context.connection.execute(
        text(f"SELECT uid FROM {table} WHERE id = :id"), {"id": row_id}
    ).scalar()
    return found or new_uid()


def _section_uid(context) -> str:  # noqa: ANN001
    params = context.get_current_parameters()
    return natural_uid(
        _parent_uid(context, "conference", params["conference_id"]), "section", params["key"]
    )


def _attendance_uid(context) -> str:  # noqa: ANN001
    params = context.get_current_parameters()
    return natural_uid(
        _parent_uid(context, "invitee", params["invitee_id"]),
        _parent_uid(context, "meeting", params["meeting_id"]),
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def uid_column(default: Callable[..., str] = new_uid, *, sort_order: int = 0) -> MappedColumn[str]:
    """A synced row's uid, the same on every laptop: random (`new_uid`), or derived from the
    row's natural key (`natural_uid`), so two laptops creating the same row agree."""
    return mapped_column(String(36), unique=True, default=default, sort_order=sort_order)


class Synced:
    """Mixin of every table that syncs (core/change_log.SYNCED lists how each reaches its
    conference): its rows are named by a uid. A table whose uid comes from its natural key
    declares its own `uid = uid_column(...)`, which takes the place of this one."""

    uid: Mapped[str] = uid_column(sort_order=-1)


class SyncedWithId(Synced):
    """A synced table with an integer row id (local to the laptop): the id first, the uid
    second (the sort orders keep them ahead of the table's own columns, as they were listed
    before the mixin)."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-2)


def synced_tables() -> set[str]:
    """The names of the tables that sync: those built on the `Synced` mixin."""
    return {
        table.name
        for mapper in Base.registry.mappers
        if issubclass(mapper.class_, Synced)
        for table in mapper.tables
    }


class Setting(Base):
    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class Conference(SyncedWithId, Base):
    __tablename__ = "conference"
    # The conference list shows the newest first (core/conferences.py) and reads it a page at a
    # time: with 10,000 conferences that order must come from an index, not a sort of them all.
    __table_args__ = (Index("ix_conference_newest_first", "updated_at", "id"),)
    title: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(30), default="referral")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    context_type: Mapped[str] = mapped_column(String(30), default="neighbourhood")
    context_name: Mapped[str] = mapped_column(Text, default="")
    area: Mapped[str] = mapped_column(Text, default="")
    referral_source: Mapped[str] = mapped_column(Text, default="")
    referral_date: Mapped[dt.date | None] = mapped_column(Date)
    threshold: Mapped[str] = mapped_column(String(30), default="")
    threshold_rationale: Mapped[str] = mapped_column(Text, default="")
    chair: Mapped[str] = mapped_column(Text, default="")
    lead_practitioner: Mapped[str] = mapped_column(Text, default="")
    coordinator_1: Mapped[str] = mapped_column(Text, default="")
    coordinator_2: Mapped[str] = mapped_column(Text, default="")
    place_manager: Mapped[str] = mapped_column(Text, default="")
    assessment_period: Mapped[str] = mapped_column(Text, default="")
    # The conference's date, time and venue, the pre-meeting and next review dates are its
    # meetings' (core/key_meetings.py); they are not stored here.
    notes: Mapped[str] = mapped_column(Text, default="")
    # How invitees reach the coordinators (printed on the invitation letters).
    coordinator_contact: Mapped[str] = mapped_column(Text, default="")
    report_structure: Mapped[str] = mapped_column(String(20), default="thematic")
    names_to_keep_out: Mapped[str] = mapped_column(Text, default="")
    # The letter sent to each invitee; empty means the built-in wording.
    invitation_template: Mapped[str] = mapped_column(Text, default="")
    # Closing: the outcome the partners recorded when the context was judged safer.
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome_summary: Mapped[str] = mapped_column(Text, default="")
    outcome_measures: Mapped[str] = mapped_column(Text, default="")
    partner_feedback: Mapped[str] = mapped_column(Text, default="")
    # Exempts a closed conference from deletion under the retention period.
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="conference", cascade="all, delete-orphan", passive_deletes=True
    )


class Meeting(SyncedWithId, Base):
    __tablename__ = "meeting"
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20), default="conference")
    date: Mapped[dt.date | None] = mapped_column(Date)
    time: Mapped[dt.time | None] = mapped_column(Time)
    venue: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    current_item_id: Mapped[int | None] = mapped_column(Integer)
    purpose: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")

    conference: Mapped[Conference] = relationship(back_populates="meetings")
    agenda: Mapped[list[AgendaItem]] = relationship(
        order_by="AgendaItem.position", cascade="all, delete-orphan", passive_deletes=True
    )


class AgendaItem(SyncedWithId, Base):
    __tablename__ = "agenda_item"
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text, default="")
    lead: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class AssessmentSection(SyncedWithId, Base):
    __tablename__ = "assessment_section"
    __table_args__ = (UniqueConstraint("conference_id", "key"),)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text, default="")
    # Named by its conference and key, so two laptops that each start the same section
    # offline hold one row when they sync (core/sync), not two that clash on the key.
    uid: Mapped[str] = uid_column(_section_uid)


class Invitee(SyncedWithId, Base):
    __tablename__ = "invitee"
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(Text, default="")
    organisation: Mapped[str] = mapped_column(Text, default="")
    job_title: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(Text, default="")
    q_engaged: Mapped[bool] = mapped_column(Boolean, default=False)
    q_works_in_context: Mapped[bool] = mapped_column(Boolean, default=False)
    q_can_change: Mapped[bool] = mapped_column(Boolean, default=False)
    q_youth_voice: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="to_invite")
    invited_on: Mapped[dt.date | None] = mapped_column(Date)
    prepared_on: Mapped[dt.date | None] = mapped_column(Date)
    isa_signed: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")


class Attendance(Synced, Base):
    __tablename__ = "attendance"
    invitee_id: Mapped[int] = mapped_column(
        ForeignKey("invitee.id", ondelete="CASCADE"), primary_key=True
    )
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    state: Mapped[str] = mapped_column(String(20), default="")
    # Named by its invitee and meeting (one attendance per pair), as a section by its key.
    uid: Mapped[str] = uid_column(_attendance_uid)


class BoardPoint(SyncedWithId, Base):
    __tablename__ = "board_point"
    # A column's top-level points in order (core/board.py counts them on every Enter and shifts
    # them on every move): from the index alone, not a read of every point of the meeting.
    __table_args__ = (
        Index("ix_board_point_siblings", "meeting_id", "column", "parent_id", "position"),
    )
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    column: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("board_point.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Referral(SyncedWithId, Base):
    """That an individual child was referred to social care: never the concern itself."""

    __tablename__ = "referral"
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    made_on: Mapped[dt.date | None] = mapped_column(Date)
    team: Mapped[str] = mapped_column(Text, default="")
    reference: Mapped[str] = mapped_column(Text, default="")


class Dissent(SyncedWithId, Base):
    """A partner's disagreement with a decision, recorded at the meeting (core/dissent.py): who
    (an invitee; their name and organisation stay on the invite list), which decision or
    agenda item, and what they said. The minutes print it under the decisions."""

    __tablename__ = "dissent"
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    invitee_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitee.id", ondelete="SET NULL"), index=True
    )
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    decision: Mapped[str] = mapped_column(Text, default="")
    statement: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Priority(SyncedWithId, Base):
    """An issue from the assessment; `focus` marks the one or two the conference works on."""

    __tablename__ = "priority"
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    focus: Mapped[bool] = mapped_column(Boolean, default=False)


def weighting_uid(conference_uid: str, meeting_uid: str | None = None) -> str:
    """A context weighting is named by its conference (the working copy) or its conference and
    meeting (that meeting's snapshot), so the same one made on two laptops offline is one row
    when they sync, merged field by field."""
    if meeting_uid is None:
        return natural_uid(conference_uid, "weighting")
    return natural_uid(conference_uid, "weighting", meeting_uid)


def _weighting_uid(context) -> str:  # noqa: ANN001
    params = context.get_current_parameters()
    meeting_id = params.get("meeting_id")
    return weighting_uid(
        _parent_uid(context, "conference", params["conference_id"]),
        None if meeting_id is None else _parent_uid(context, "meeting", meeting_id),
    )


class ContextWeighting(SyncedWithId, Base):
    """The context weighting picture as JSON (boxes, sizes, links), one per meeting, so a
    review can show how it moved; `meeting_id` None is the conference's working copy. Named
    by its conference and meeting (`weighting_uid`); rows from before keep the uid they had."""

    __tablename__ = "context_weighting"
    uid: Mapped[str] = uid_column(_weighting_uid)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    data: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Need(SyncedWithId, Base):
    __tablename__ = "need"
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    priority_id: Mapped[int | None] = mapped_column(ForeignKey("priority.id", ondelete="SET NULL"))

    interventions: Mapped[list[Intervention]] = relationship(
        order_by="Intervention.position", cascade="all, delete-orphan", passive_deletes=True
    )


class Intervention(SyncedWithId, Base):
    __tablename__ = "intervention"
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    agency: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(Text, default="")
    timescale: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    progress: Mapped[str] = mapped_column(Text, default="")
    board_point_id: Mapped[int | None] = mapped_column(
        ForeignKey("board_point.id", ondelete="SET NULL")
    )


class ActionUpdate(SyncedWithId, Base):
    """Progress on one intervention recorded at one (review) meeting."""

    __tablename__ = "action_update"
    intervention_id: Mapped[int] = mapped_column(
        ForeignKey("intervention.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    note: Mapped[str] = mapped_column(Text, default="")


# -- Outcome goals and measures (issue 19; core/outcomes.py) ----------------------------------


def _measure_value_uid(context) -> str:  # noqa: ANN001
    params = context.get_current_parameters()
    return natural_uid(
        _parent_uid(context, "outcome_measure", params["measure_id"]),
        _parent_uid(context, "meeting", params["meeting_id"]),
    )


class OutcomeGoal(SyncedWithId, Base):
    """A goal from the assessment the conference judges its success by, optionally tied to a
    priority and a need of the plan."""

    __tablename__ = "outcome_goal"
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    priority_id: Mapped[int | None] = mapped_column(
        ForeignKey("priority.id", ondelete="SET NULL"), index=True
    )
    need_id: Mapped[int | None] = mapped_column(
        ForeignKey("need.id", ondelete="SET NULL"), index=True
    )


class OutcomeMeasure(SyncedWithId, Base):
    """How a goal is measured: its kind, where the figure comes from, and the baseline (the
    value before the plan, with the date it was taken)."""

    __tablename__ = "outcome_measure"
    goal_id: Mapped[int] = mapped_column(
        ForeignKey("outcome_goal.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), default="count")
    period: Mapped[str] = mapped_column(Text, default="")  # "month" for a count per month
    source: Mapped[str] = mapped_column(Text, default="")
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_text: Mapped[str] = mapped_column(Text, default="")  # an observation's words
    baseline_date: Mapped[dt.date | None] = mapped_column(Date)


class MeasureValue(SyncedWithId, Base):
    """A measure taken at one (review) meeting; the meeting owns the date."""

    __tablename__ = "measure_value"
    __table_args__ = (UniqueConstraint("measure_id", "meeting_id"),)
    uid: Mapped[str] = uid_column(_measure_value_uid)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("outcome_measure.id", ondelete="CASCADE"), index=True
    )
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text, default="")  # an observation's words
    note: Mapped[str] = mapped_column(Text, default="")


# -- Young people's voice (issue 19; core/voice.py) ---------------------------------------------


class YoungVoice(SyncedWithId, Base):
    """Something young people said about the place, in their words and without names: how and
    when it was gathered, by whom (a role or agency), optionally the plan need or action that
    answers it (one of the two: an action names its need), and what was done, written for them."""

    __tablename__ = "young_voice"
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text, default="")  # what was said, in their words
    method: Mapped[str] = mapped_column(String(20), default="other")  # core/voice.py METHODS
    gathered_on: Mapped[dt.date | None] = mapped_column(Date)
    gathered_by: Mapped[str] = mapped_column(Text, default="")  # a role or agency
    need_id: Mapped[int | None] = mapped_column(
        ForeignKey("need.id", ondelete="SET NULL"), index=True
    )
    intervention_id: Mapped[int | None] = mapped_column(
        ForeignKey("intervention.id", ondelete="SET NULL"), index=True
    )
    we_did: Mapped[str] = mapped_column(Text, default="")  # the reply, in plain words


# -- The safety map (issue 19; core/safety_map.py) ---------------------------------------------


class SafetyMap(SyncedWithId, Base):
    """The conference's map of the area: a picture imported by the coordinator (a screenshot or
    a drawing, re-encoded on import, at most core/safety_map.MAX_STORED_BYTES), kept in the
    database so it is encrypted with it, travels in the hand-over file and syncs as one value."""

    __tablename__ = "safety_map"
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), unique=True
    )
    image: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    image_type: Mapped[str] = mapped_column(String(10), default="png")  # png | jpeg
    width: Mapped[int] = mapped_column(Integer, default=0)
    height: Mapped[int] = mapped_column(Integer, default=0)
    caption: Mapped[str] = mapped_column(Text, default="")  # where the picture came from


class SafetyMapSession(SyncedWithId, Base):
    """One mapping session: a group (young people, residents) marking the map, on a date or
    for a meeting (the review it informs)."""

    __tablename__ = "safety_map_session"
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(Text, default="")
    held_on: Mapped[dt.date | None] = mapped_column(Date)
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL"), index=True
    )


class SafetyMark(SyncedWithId, Base):
    """A pin or an area marked safe, unsafe or mixed, with a time of day and a note. `points`
    is JSON: [[x, y], ...] as fractions of the map's width and height (one point for a pin)."""

    __tablename__ = "safety_mark"
    session_id: Mapped[int] = mapped_column(
        ForeignKey("safety_map_session.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    shape: Mapped[str] = mapped_column(String(10), default="pin")  # pin | area
    points: Mapped[str] = mapped_column(Text, default="[]")
    rating: Mapped[str] = mapped_column(String(10), default="unsafe")  # safe | unsafe | mixed
    time_of_day: Mapped[str] = mapped_column(String(20), default="any")
    label: Mapped[str] = mapped_column(Text, default="")  # a short name for the place
    note: Mapped[str] = mapped_column(Text, default="")


class Draft(Base):
    """Text typed into a field but not yet committed (the board's entry line), kept so a crash
    loses at most the last second of typing."""

    __tablename__ = "draft"
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ExportLog(Base):
    """What was exported, when and where: the coordinator's information-sharing record."""

    __tablename__ = "export_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conference_id: Mapped[int | None] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(30), default="")
    path: Mapped[str] = mapped_column(Text, default="")
    # Written although the personal-details check flagged points (--allow-flagged, or
    # "Export anyway" in the window).
    flags_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    # The sharing decision (issue 20, schema 0010; core/export_log.py): which meeting the paper
    # is about, who it went to, on what lawful basis and why. Rows from before carry "".
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL"), index=True
    )
    shared_with: Mapped[str] = mapped_column(Text, default="")
    basis: Mapped[str] = mapped_column(String(30), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    consent_given: Mapped[bool | None] = mapped_column(Boolean)


# -- The context register (issue 20, schema 0011; core/related.py) ------------------------------
# A conference's context name, type and area stay on the conference (their one home): the
# register adds what else the place is called, where it is on a map, and links between
# conferences (places and settings only, never individual young people). Both sync with the
# conference they belong to (schema 0014, core/change_log.py): an entry with its conference, a
# link while both its conferences are shared.


def _context_entry_uid(context) -> str:  # noqa: ANN001
    params = context.get_current_parameters()
    return natural_uid(_parent_uid(context, "conference", params["conference_id"]), "context")


def _link_uid(context) -> str:  # noqa: ANN001
    params = context.get_current_parameters()
    ends = (
        _parent_uid(context, "conference", params["conference_id"]),
        _parent_uid(context, "conference", params["related_id"]),
    )
    return natural_uid("link", *sorted(ends))


class ContextEntry(SyncedWithId, Base):
    __tablename__ = "context_entry"
    # Named by its conference (one entry each), as a section by its key: two laptops that each
    # start it offline hold one row when they sync.
    uid: Mapped[str] = uid_column(_context_entry_uid)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), unique=True
    )
    aliases: Mapped[str] = mapped_column(Text, default="")  # one a line
    map_ref: Mapped[str] = mapped_column(Text, default="")  # grid reference, what3words, URL
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ConferenceLink(SyncedWithId, Base):
    __tablename__ = "conference_link"
    __table_args__ = (UniqueConstraint("conference_id", "related_id"),)
    # Named by its two conferences in either order, and kept from the one with the smaller uid
    # (core/related.py: add_link), so the same link made on two laptops is one row.
    uid: Mapped[str] = uid_column(_link_uid)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True
    )
    related_id: Mapped[int] = mapped_column(
        ForeignKey("conference.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(30), default="same_place")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


# -- Sync with the team store (core/sync, docs/sync.md) ------------------------------------------
# These tables are the laptop's own (never synced). TeamChange lives on the team store; the
# laptop's copy of it stays empty (one set of migrations for both engines).

#: Ids on the team store's change table can outgrow 32 bits; SQLite's AUTOINCREMENT needs INTEGER.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class ChangeLog(Base):
    """A change waiting to be pushed, written by the triggers core/change_log.py installs, in
    the transaction of the change itself. Values are JSON; foreign keys are the parent's uid.
    A deleted row's waiting changes are removed with it (its tombstone has no values)."""

    __tablename__ = "change_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    change_id: Mapped[str] = mapped_column(String(36), unique=True)
    entity: Mapped[str] = mapped_column(String(40))
    row_uid: Mapped[str] = mapped_column(String(36), index=True)
    conference_uid: Mapped[str | None] = mapped_column(String(36), index=True)
    op: Mapped[str] = mapped_column(String(10))
    field: Mapped[str | None] = mapped_column(String(60))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    hlc: Mapped[int] = mapped_column(BigInteger)
    device: Mapped[str] = mapped_column(String(36))
    person: Mapped[str] = mapped_column(Text, default="")


class SyncState(Base):
    """One row (id 1): this laptop's device id and person, its hybrid logical clock, how far
    it has pulled (`cursor`, the team store's change sequence), and `applying`, set while
    pulled changes are written so the triggers do not record them again."""

    __tablename__ = "sync_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device: Mapped[str] = mapped_column(String(36), default=new_uid)
    person: Mapped[str] = mapped_column(Text, default="")
    clock: Mapped[int] = mapped_column(BigInteger, default=0)
    cursor: Mapped[int] = mapped_column(BigInteger, default=0)
    applying: Mapped[bool] = mapped_column(Boolean, default=False)
    last_sync_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class SyncShare(Base):
    """A conference shared with the team: only these record changes and sync."""

    __tablename__ = "sync_share"
    conference_uid: Mapped[str] = mapped_column(String(36), primary_key=True)
    shared_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class SyncConflict(Base):
    """A field changed on this laptop and on the team to different values: the laptop's value
    is kept until a person chooses. Removed with the row it is about."""

    __tablename__ = "sync_conflict"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(40))
    row_uid: Mapped[str] = mapped_column(String(36), index=True)
    conference_uid: Mapped[str | None] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(60))
    base_value: Mapped[str | None] = mapped_column(Text)
    theirs_value: Mapped[str | None] = mapped_column(Text)
    theirs_person: Mapped[str] = mapped_column(Text, default="")
    theirs_hlc: Mapped[int] = mapped_column(BigInteger, default=0)
    mine_person: Mapped[str] = mapped_column(Text, default="")
    mine_hlc: Mapped[int] = mapped_column(BigInteger, default=0)
    found_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("row_uid", "field"),)


class TeamChange(Base):
    """The team store's record of every change pushed, in one global order (`seq`); a change
    id is applied once. When a row is deleted, the values of its earlier changes are blanked
    (`gone`), so deleted text does not linger here either."""

    __tablename__ = "team_change"
    seq: Mapped[int] = mapped_column(BigId, primary_key=True)
    change_id: Mapped[str] = mapped_column(String(36), unique=True)
    entity: Mapped[str] = mapped_column(String(40))
    row_uid: Mapped[str] = mapped_column(String(36), index=True)
    conference_uid: Mapped[str | None] = mapped_column(String(36), index=True)
    op: Mapped[str] = mapped_column(String(10))
    field: Mapped[str | None] = mapped_column(String(60))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    hlc: Mapped[int] = mapped_column(BigInteger)
    device: Mapped[str] = mapped_column(String(36))
    person: Mapped[str] = mapped_column(Text, default="")
    gone: Mapped[bool] = mapped_column(Boolean, default=False)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


def _ids_never_reused() -> None:
    """Every table with an integer id is AUTOINCREMENT on SQLite (migration 0004): a deleted
    row's id is never handed to a new row, so an id held by a view or an undo step can only
    ever mean the row it was taken from."""
    for table in Base.metadata.tables.values():
        key = list(table.primary_key.columns)
        if len(key) == 1 and isinstance(key[0].type, Integer):
            table.dialect_options["sqlite"]["autoincrement"] = True


_ids_never_reused()
