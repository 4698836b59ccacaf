"""The conflicts dialog on a real two-laptop context weighting conflict (issue 17), driven
through its widgets: each version in words (never JSON), who and when; Edit… is off with the
reason written beside it (reachable by Tab, named as it reads); Take theirs settles it on both
laptops. The window is Anna's laptop; Ben's is a second Database on the same PostgreSQL team
store (tests/test_team_gui.py's `shared`)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_team_gui import SHOTS, _sync, shared  # noqa: F401

from csfacilitator.core import conferences, sync, weighting


def test_a_weighting_conflict_reads_in_words_and_take_theirs_settles_it(
    qtbot,
    shared,  # noqa: F811
    monkeypatch,
):
    from csfacilitator.gui.team.conflicts_dialog import ConflictsDialog

    anna, ben, team, cid, ben_cid = shared
    start = weighting.get_weighting(anna.db, cid)
    bens = weighting.add(weighting.rename(start, 1, "Skate park"), "Bus station")
    annas = weighting.grow(start, 0)
    weighting.set_weighting(ben, ben_cid, bens)
    conferences.update_conference(ben, ben_cid, notes="Ben's note.")
    sync.sync_now(ben, team["engine"])
    weighting.set_weighting(anna.db, cid, annas)
    conferences.update_conference(anna.db, cid, notes="Anna's note.")
    _sync(qtbot, anna)
    found = [(c.entity, c.field) for c in sync.list_conflicts(anna.db)]
    assert sorted(found) == [("conference", "notes"), ("context_weighting", "data")]
    at = found.index(("context_weighting", "data"))
    seen = {}

    def run_dialog(dialog):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        # A text field's conflict may be edited: no reason shown; the weighting's may not.
        dialog.list.setCurrentRow(1 - at)
        seen["notes"] = (dialog.edit_button.isEnabled(), dialog.edit_reason.isVisible())
        dialog.list.setCurrentRow(at)
        seen["heading"] = dialog.heading.text()
        seen["item"] = dialog.list.item(at).text()
        seen["sides"] = (dialog.mine.value.toPlainText(), dialog.theirs.value.toPlainText())
        seen["who"] = (dialog.mine.who.text(), dialog.theirs.who.text())
        seen["edit"] = (
            dialog.edit_button.isEnabled(),
            dialog.edit_button.accessibleName(),
            dialog.edit_button.text(),
        )
        seen["reason"] = (
            dialog.edit_reason.isVisible(),
            dialog.edit_reason.text(),
            dialog.edit_reason.accessibleName(),
        )
        # The reason is reached from the keyboard: Tab from Take theirs lands on it (Edit…
        # is off, so skipped).
        dialog.take_button.setFocus()
        qtbot.keyClick(dialog.take_button, Qt.Key.Key_Tab)
        seen["tab"] = dialog.focusWidget() is dialog.edit_reason
        SHOTS.mkdir(parents=True, exist_ok=True)
        dialog.resize(900, 560)
        qtbot.wait(50)
        dialog.grab().save(str(SHOTS / "conflicts_weighting.png"))
        dialog.resize(1366, 768)
        qtbot.wait(50)
        dialog.grab().save(str(SHOTS / "conflicts_weighting_1366x768.png"))
        qtbot.mouseClick(dialog.take_button, Qt.MouseButton.LeftButton)
        seen["after"] = (dialog.list.count(), dialog.heading.text())
        qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)  # the notes: Anna's
        return 0

    monkeypatch.setattr(ConflictsDialog, "exec", run_dialog)
    anna.team.conflicts_action.trigger()

    title = conferences.get_conference(anna.db, cid).title
    assert seen["heading"] == seen["item"] == f"{title} — Context weighting (working copy)"
    mine, theirs = seen["sides"]
    mine_lines, theirs_lines = mine.splitlines(), theirs.splitlines()
    # A line per context in the version's own order, with the other side's share beside it.
    assert [line.split(" ", 1)[0] for line in mine_lines[: len(annas.names)]] == [
        n.split(" ", 1)[0] for n in annas.names
    ]
    assert "Bus station 17% (not in mine)" in theirs_lines
    assert "Skate park 13% (not in mine)" in theirs_lines
    assert mine_lines[-1] == "Only in theirs: Skate park, Bus station"
    assert "{" not in mine + theirs and "boxes" not in mine + theirs
    assert seen["who"][0].startswith("By Anna, ") and seen["who"][1].startswith("By Ben, ")
    assert seen["edit"] == (False, "Edit…", "Edit…")
    visible, reason, name = seen["reason"]
    assert visible and reason == name
    assert reason.startswith("Edit… is off. A context weighting is a picture, not typed text")
    assert seen["tab"]
    assert seen["notes"] == (True, False)
    assert seen["after"] == (1, f"{title}: Notes")
    assert weighting.get_weighting(anna.db, cid) == bens
    _sync(qtbot, anna)
    sync.sync_now(ben, team["engine"])
    assert weighting.get_weighting(ben, ben_cid) == bens == weighting.get_weighting(anna.db, cid)
    assert sync.list_conflicts(anna.db) == [] == sync.list_conflicts(ben)
    assert conferences.get_conference(ben, ben_cid).notes == "Anna's note."
