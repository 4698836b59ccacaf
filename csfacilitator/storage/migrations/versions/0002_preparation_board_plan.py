"""Preparation, board and plan: assessment sections, invitees and attendance, board points,
referrals, the intervention plan and its progress; agenda timing and per-conference settings.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conference") as batch:
        batch.add_column(
            sa.Column(
                "report_structure", sa.String(length=20), nullable=False, server_default="thematic"
            )
        )
        batch.add_column(
            sa.Column("names_to_keep_out", sa.Text(), nullable=False, server_default="")
        )
    with op.batch_alter_table("meeting") as batch:
        batch.add_column(sa.Column("started_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("current_item_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("agenda_item") as batch:
        batch.add_column(sa.Column("started_at", sa.DateTime(), nullable=True))
    op.create_table(
        "assessment_section",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conference_id"],
            ["conference.id"],
            name=op.f("fk_assessment_section_conference_id_conference"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_section")),
        sa.UniqueConstraint(
            "conference_id", "key", name=op.f("uq_assessment_section_conference_id")
        ),
    )
    op.create_index(
        op.f("ix_assessment_section_conference_id"),
        "assessment_section",
        ["conference_id"],
        unique=False,
    )
    op.create_table(
        "invitee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("organisation", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("phone", sa.Text(), nullable=False),
        sa.Column("q_engaged", sa.Boolean(), nullable=False),
        sa.Column("q_works_in_context", sa.Boolean(), nullable=False),
        sa.Column("q_can_change", sa.Boolean(), nullable=False),
        sa.Column("q_youth_voice", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("invited_on", sa.Date(), nullable=True),
        sa.Column("prepared_on", sa.Date(), nullable=True),
        sa.Column("isa_signed", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conference_id"],
            ["conference.id"],
            name=op.f("fk_invitee_conference_id_conference"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitee")),
    )
    op.create_index(op.f("ix_invitee_conference_id"), "invitee", ["conference_id"], unique=False)
    op.create_table(
        "need",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conference_id"],
            ["conference.id"],
            name=op.f("fk_need_conference_id_conference"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need")),
    )
    op.create_index(op.f("ix_need_conference_id"), "need", ["conference_id"], unique=False)
    op.create_table(
        "attendance",
        sa.Column("invitee_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["invitee_id"],
            ["invitee.id"],
            name=op.f("fk_attendance_invitee_id_invitee"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_attendance_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("invitee_id", "meeting_id", name=op.f("pk_attendance")),
    )
    op.create_index(op.f("ix_attendance_meeting_id"), "attendance", ["meeting_id"], unique=False)
    op.create_table(
        "board_point",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(length=20), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_board_point_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["board_point.id"],
            name=op.f("fk_board_point_parent_id_board_point"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_point")),
    )
    op.create_index(op.f("ix_board_point_meeting_id"), "board_point", ["meeting_id"], unique=False)
    op.create_index(op.f("ix_board_point_parent_id"), "board_point", ["parent_id"], unique=False)
    op.create_table(
        "referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=True),
        sa.Column("team", sa.Text(), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_referral_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral")),
    )
    op.create_index(op.f("ix_referral_meeting_id"), "referral", ["meeting_id"], unique=False)
    op.create_table(
        "intervention",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("agency", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("timescale", sa.Text(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("progress", sa.Text(), nullable=False),
        sa.Column("board_point_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["board_point_id"],
            ["board_point.id"],
            name=op.f("fk_intervention_board_point_id_board_point"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["need_id"], ["need.id"], name=op.f("fk_intervention_need_id_need"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intervention")),
    )
    op.create_index(op.f("ix_intervention_need_id"), "intervention", ["need_id"], unique=False)
    op.create_table(
        "action_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("intervention_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["intervention_id"],
            ["intervention.id"],
            name=op.f("fk_action_update_intervention_id_intervention"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_action_update_meeting_id_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_update")),
    )
    op.create_index(
        op.f("ix_action_update_intervention_id"), "action_update", ["intervention_id"], unique=False
    )
    op.create_index(
        op.f("ix_action_update_meeting_id"), "action_update", ["meeting_id"], unique=False
    )


def downgrade() -> None:
    for table in (
        "action_update",
        "intervention",
        "referral",
        "board_point",
        "attendance",
        "need",
        "invitee",
        "assessment_section",
    ):
        op.drop_table(table)
    with op.batch_alter_table("agenda_item") as batch:
        batch.drop_column("started_at")
    with op.batch_alter_table("meeting") as batch:
        batch.drop_column("current_item_id")
        batch.drop_column("started_at")
    with op.batch_alter_table("conference") as batch:
        batch.drop_column("names_to_keep_out")
        batch.drop_column("report_structure")
