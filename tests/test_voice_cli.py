"""`csfacilitator voices`: the same core operation as the Assessment tab's panel records a voice
linked to the plan by its numbers, points out a likely name on stderr without refusing, and
lists "you said, we did" (as text and JSON); a wrong number is refused in a sentence."""

from __future__ import annotations

import json

from csfacilitator.cli import main as cli_main
from csfacilitator.core import plan, voice
from csfacilitator.core.conferences import create_conference


def run(paths, *argv):
    return cli_main(["--data-dir", str(paths.root), *map(str, argv)])


def test_voices_are_added_linked_and_listed(paths, db, capsys):
    cid = create_conference(db, "Larkfield Park")
    need = plan.add_need(db, cid, "The underpass is dark")
    plan.add_intervention(db, need.id, "Survey the lighting")
    lights = plan.add_intervention(db, need.id, "Fix the underpass lights")
    assert run(paths, "voices", cid, "--add", "Jayden says the underpass is scary",
               "--method", "detached", "--day", "22/9/2026", "--by", "Youth service",
               "--action", "1.2") == 0  # fmt: skip
    out, err = capsys.readouterr()
    assert "Check for names: What was said: “Jayden” looks like a name" in err
    assert "You said: “Jayden says the underpass is scary”" in out
    assert "We did: We have agreed to do this: Fix the underpass lights.  [from the plan]" in out
    (stored,) = voice.list_voices(db, cid)
    assert stored.intervention_id == lights.id and stored.method == "detached"

    assert run(paths, "voices", cid, "--add", "Nothing to do", "--need", "1",
               "--we-did", "A Friday drop-in opened") == 0  # fmt: skip
    capsys.readouterr()
    assert run(paths, "voices", cid, "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["linked_to"] for r in rows] == [
        "Action: Fix the underpass lights (Not started)", "Need: The underpass is dark"
    ]  # fmt: skip
    assert rows[1]["reply"] == "A Friday drop-in opened" and rows[0]["gathered_on"] == "2026-09-22"


def test_a_wrong_number_is_refused_in_a_sentence_and_nothing_is_added(paths, db, capsys):
    cid = create_conference(db, "Larkfield Park")
    plan.add_need(db, cid, "The underpass is dark")
    assert run(paths, "voices", cid, "--add", "It's dark", "--action", "1.5") != 0
    err = capsys.readouterr().err.strip()
    assert "The plan has no action 1.5" in err and "\n" not in err
    assert voice.list_voices(db, cid) == []
