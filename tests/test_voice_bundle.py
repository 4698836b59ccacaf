"""Young people's voice in the hand-over file (format 8, issue 19): a round trip keeps every
voice with its link (a need by position, an action by its need's position and its own); a
format 7 file is read with none; damaged links and methods are refused in one line."""

from __future__ import annotations

import copy

import pytest

from csfacilitator.core import bundle, plan, voice
from csfacilitator.core.bundle_format import FORMAT_VERSION
from csfacilitator.errors import BundleError

pytestmark = pytest.mark.postgresql_too


@pytest.fixture
def voiced(db, conference_id):
    plan.add_need(db, conference_id, "Shop workers feel unsafe")
    need = plan.add_need(db, conference_id, "The underpass is dark")
    plan.add_intervention(db, need.id, "Survey the lighting")
    lights = plan.add_intervention(db, need.id, "Fix the underpass lights", status="in_progress")
    voice.add_voice(
        db, conference_id, "The underpass is scary after dark", method="survey",
        gathered_on="3/9/2026", gathered_by="Youth service", intervention_id=lights.id,
    )  # fmt: skip
    voice.add_voice(
        db, conference_id, "There's nowhere to go\nafter school", method="school_council",
        need_id=need.id, we_did="The youth club now opens on Fridays.",
    )  # fmt: skip
    voice.add_voice(db, conference_id, "Buses don't stop late", method="worker")
    return conference_id


def _shown(db, conference_id):
    return [
        (v.text, v.method, v.gathered_on, v.gathered_by, v.we_did, v.link_text, v.reply)
        for v in voice.list_voices(db, conference_id)
    ]


def test_round_trip_keeps_voices_and_their_links(db, voiced):
    data = bundle.export_conference(db, voiced)
    assert FORMAT_VERSION >= 8 and data["format_version"] == FORMAT_VERSION
    first, second, third = data["voices"]
    assert (first["need"], first["action"]) == (1, 1)
    assert (second["need"], second["action"]) == (1, None)
    assert (third["need"], third["action"]) == (None, None)
    assert "id" not in first and "uid" not in first and "conference_id" not in first
    copy_id = bundle.import_conference(db, data, on_conflict="copy")
    assert _shown(db, copy_id) == _shown(db, voiced)
    assert _shown(db, copy_id)[0][5] == "Action: Fix the underpass lights (In progress)"
    assert _shown(db, copy_id)[1][0] == "There's nowhere to go\nafter school"
    # Replacing the conference from its own file keeps them too (cleared, then written).
    assert bundle.import_conference(db, data, on_conflict="replace") == voiced
    assert _shown(db, voiced)[2][0] == "Buses don't stop late"


def test_a_format_7_file_reads_with_no_voices(db, voiced):
    older = copy.deepcopy(bundle.export_conference(db, voiced))
    older["format_version"] = 7
    del older["voices"]
    copy_id = bundle.import_conference(db, older, on_conflict="copy")
    assert voice.list_voices(db, copy_id) == []


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda v: v.update(need=9), "need 9"),
        (lambda v: v.update(action=5), "action 5 of need 1"),
        (lambda v: v.update(need=None), "names an action but not its need"),
        (lambda v: v.update(method="rumour"), "rumour"),
        (lambda v: v.update(gathered_on="2026-13-40"), "gathered_on"),
    ],
)
def test_damaged_voices_are_refused_in_one_line(db, voiced, damage, message):
    data = bundle.export_conference(db, voiced)
    damage(data["voices"][0])
    with pytest.raises(BundleError, match=message) as caught:
        bundle.import_conference(db, data, on_conflict="copy")
    assert "\n" not in str(caught.value)
