"""The example conference's young people's voices (issue 19): what young people said in the
detached youth work sessions, the school council and a survey, each linked to the action of the
plan that answers it, some with a reply written for them and some answered by the action's own
state. They match the assessment's "Young people's views" section, which says what the views
mean; these are the words themselves.

`add(db, conference_id)` uses core operations only (the lead runs it on the example and
regenerates resources/example/example.csfconf).
"""

from __future__ import annotations

import datetime as dt

#: (what was said, method, day, gathered by, words that find the linked action, reply).
VOICES: tuple[tuple[str, str, dt.date, str, str, str], ...] = (
    (
        "The path behind the pavilion is pitch black. You can't see who's there until "
        "you're right next to them.",
        "detached",
        dt.date(2026, 9, 22),
        "Dunhaven Youth Service, detached team",
        "lighting survey",
        "The council checked every light in the park with the police. The path lights by the "
        "pavilion are being fixed first.",
    ),
    (
        "We go the long way round at night because the underpass is scary.",
        "school_council",
        dt.date(2026, 10, 1),
        "Saltmarsh Academy, school council lead",
        "mill road underpass",
        "",  # answered by the action's own state
    ),
    (
        "Men in cars wait in the car park and shout at the girls.",
        "detached",
        dt.date(2026, 9, 29),
        "Dunhaven Youth Service, detached team",
        "car park barrier",
        "The car park is now locked at dusk every day, and police patrol it in the evenings.",
    ),
    (
        "There's nothing to do on a Friday so we just hang about.",
        "survey",
        dt.date(2026, 10, 8),
        "Saltmarsh Academy, pastoral team",
        "drop-in",
        "A Friday drop-in started at St Aidan's Church hall in January. It's free and you "
        "don't need to book.",
    ),
    (
        "Adults just tell us to move on. Nobody asks what we're doing there.",
        "worker",
        dt.date(2026, 10, 15),
        "Dunhaven Youth Service, youth worker",
        "detached youth work",
        "Youth workers are in the park on Tuesday and Friday evenings, and there is a female "
        "worker you can talk to.",
    ),
    (
        "We'd play football if the pitch was open in the evening.",
        "survey",
        dt.date(2027, 1, 20),
        "Saltmarsh Academy, pastoral team",
        "football",
        "",
    ),
)


def add(db, conference_id: int) -> None:  # noqa: ANN001 - a Database
    from csfacilitator.core import plan, voice

    actions = [a for need in plan.get_plan(db, conference_id) for a in need.interventions]
    for said, method, day, by, finds, reply in VOICES:
        action = next((a for a in actions if finds.lower() in a.text.lower()), None)
        voice.add_voice(
            db,
            conference_id,
            said,
            method=method,
            gathered_on=day,
            gathered_by=by,
            intervention_id=action.id if action is not None else None,
            we_did=reply,
        )
