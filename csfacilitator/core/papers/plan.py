"""What the intervention plan document says, read from the record: the header (with the
referral and the place manager) and every need with its interventions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from csfacilitator.core.plan import NeedRecord, PlanHeader, get_plan, plan_header
from csfacilitator.storage.database import Database


@dataclass(frozen=True)
class PlanDocData:
    conference_id: int
    header: PlanHeader
    needs: tuple[NeedRecord, ...] = field(default_factory=tuple)
    today: dt.date = field(default_factory=dt.date.today)
    safety_map: Any = None  # issue 19: core.safety_map.SafetyMapView for the appendix, or None

    @property
    def intervention_count(self) -> int:
        return sum(len(n.interventions) for n in self.needs)


def gather(
    db: Database, conference_id: int, meeting_id: int | None = None, today: dt.date | None = None
) -> PlanDocData:
    """Everything the plan document shows (`meeting_id` is not used: the plan is the
    conference's). `today` decides what is overdue."""
    header = plan_header(db, conference_id)
    needs = tuple(get_plan(db, conference_id))
    from csfacilitator.core.safety_map import get_safety_map, has_safety_map  # issue 19

    view = get_safety_map(db, conference_id) if has_safety_map(db, conference_id) else None
    return PlanDocData(conference_id, header, needs, today or dt.date.today(), view)
