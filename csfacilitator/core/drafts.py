"""Text typed but not yet committed, kept in the database so a crash loses at most a second.

A draft belongs to a conference (deleting the conference deletes it) and is named by a key
such as "board:12:concerns" (meeting 12's Current concerns entry line).
"""

from __future__ import annotations

from sqlalchemy import delete, select

from csfacilitator.core.model import Draft, utcnow
from csfacilitator.core.textclean import clean_text
from csfacilitator.storage.database import Database


def board_key(meeting_id: int, column: str) -> str:
    return f"board:{meeting_id}:{column}"


def save_drafts(db: Database, conference_id: int, drafts: dict[str, str]) -> None:
    """Store several drafts in one transaction; empty text removes the draft."""
    with db.session() as s:
        for key, text in drafts.items():
            text = clean_text(text, multiline=False)
            row = s.get(Draft, (conference_id, key))
            if not text.strip():
                if row is not None:
                    s.delete(row)
            elif row is None:
                s.add(Draft(conference_id=conference_id, key=key, text=text, updated_at=utcnow()))
            else:
                row.text, row.updated_at = text, utcnow()


def get_drafts(db: Database, conference_id: int, prefix: str = "") -> dict[str, str]:
    with db.read_session() as s:
        rows = s.scalars(
            select(Draft).where(Draft.conference_id == conference_id, Draft.key.startswith(prefix))
        )
        return {row.key: row.text for row in rows}


def clear_drafts(db: Database, conference_id: int, prefix: str = "") -> None:
    with db.session() as s:
        s.execute(
            delete(Draft).where(Draft.conference_id == conference_id, Draft.key.startswith(prefix))
        )
