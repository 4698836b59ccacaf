"""Shares typed, not only nudged: the chosen box's share (the others rebalance in proportion)
or every share at once, each one undo step."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from csfacilitator.core import weighting as wt
from csfacilitator.core.conferences import create_conference
from csfacilitator.core.weighting import Context, Weighting
from csfacilitator.errors import UserError
from csfacilitator.gui.assessment.weighting_panel import WeightingPanel

START = Weighting(
    (
        Context("Wrenmoor Park", 0.4),
        Context("Kestrel Parade", 0.3),
        Context("Mill Road underpass", 0.2),
        Context("Route to school", 0.1),
    ),
    ((0, 1),),
)


def make(*sizes: float) -> Weighting:
    return Weighting(tuple(Context(f"C{k}", s) for k, s in enumerate(sizes)))


# --- core -----------------------------------------------------------------------------------


def test_a_typed_share_rebalances_the_others_in_proportion():
    after = wt.set_share(START, 1, 35)
    assert math.isclose(after.boxes[1].size, 0.35)
    assert math.isclose(sum(after.sizes), 1.0)
    # The others keep their proportions to one another (40 : 20 : 10).
    a, c, d = after.boxes[0].size, after.boxes[2].size, after.boxes[3].size
    assert math.isclose(a / c, 2.0) and math.isclose(c / d, 2.0)
    assert after.names == START.names and after.links == START.links


def test_every_share_typed_at_once_in_box_order():
    after = wt.set_shares(START, wt.parse_shares("40 / 25 / 20 / 15"))
    assert wt.percentages(after) == (40, 25, 20, 15)
    assert wt.parse_shares("40%, 25%; 20% and 15%") == [40, 25, 20, 15]
    # Shares that do not add up to 100 are relative sizes.
    assert wt.percentages(wt.set_shares(START, [2, 1, 1, 1])) == (40, 20, 20, 20)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("40 25 20", "Type 4 shares"),
        ("40 25 20 x", "'x' is not a share"),
        ("", "Type the shares"),
        ("70 10 10 10", "between 8% and 60%; 70% is outside"),
        ("40 25 30 0", "above 0"),
    ],
)
def test_shares_that_cannot_be_given_are_refused_in_plain_words(text, words):
    with pytest.raises(UserError, match=words):
        wt.set_shares(START, wt.parse_shares(text))


def test_a_single_share_outside_the_bounds_is_refused():
    with pytest.raises(UserError, match="between 8% and 60%; 61% is outside"):
        wt.set_share(START, 0, 61)
    with pytest.raises(UserError, match="100%"):
        wt.set_share(make(1.0), 0, 50)
    assert wt.set_share(make(1.0), 0, 100) == make(1.0)
    assert wt.share_bounds(2) == (40, 60)


# --- the panel -----------------------------------------------------------------------------


@pytest.fixture
def panel(qtbot, db):
    conference = create_conference(db, "Wrenmoor Park", context_name="Wrenmoor Park")
    wt.set_weighting(db, conference, START)
    widget = WeightingPanel(db, QUndoStack())
    qtbot.addWidget(widget)
    widget.set_conference(conference)
    widget.resize(520, 520)
    widget.show()
    qtbot.waitExposed(widget)
    widget.messages = []
    widget.status_message.connect(widget.messages.append)
    widget.conference = conference
    widget.view.setFocus()
    return widget


def stored(db, panel):
    return wt.get_weighting(db, panel.conference)


def test_a_digit_on_the_picture_types_the_chosen_share_and_enter_stores_it(qtbot, panel, db):
    view = panel.view
    qtbot.keyClick(view, Qt.Key.Key_Right)  # Kestrel Parade
    assert panel.share_spin.value() == 30
    qtbot.keyClicks(view, "4")
    qtbot.waitUntil(panel.share_spin.hasFocus)
    qtbot.keyClicks(panel.share_spin, "5")
    qtbot.keyClick(panel.share_spin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wt.percentages(stored(db, panel))[1] == 45)
    assert wt.percentages(stored(db, panel)) == (31, 45, 16, 8)
    assert view.hasFocus()  # back on the picture for the next box
    assert panel.undo_stack.count() == 1

    panel.undo_stack.undo()
    assert stored(db, panel) == START
    assert panel.share_spin.value() == 30


def test_all_shares_typed_in_one_field_as_one_undo_step(qtbot, panel, db):
    assert panel.shares_edit.text() == "40 / 30 / 20 / 10"
    panel.shares_edit.setFocus()
    panel.shares_edit.selectAll()
    qtbot.keyClicks(panel.shares_edit, "40/25/20/15")
    qtbot.keyClick(panel.shares_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wt.percentages(stored(db, panel)) == (40, 25, 20, 15))
    assert panel.undo_stack.count() == 1
    assert panel.shares_edit.text() == "40 / 25 / 20 / 15"
    panel.undo_stack.undo()
    assert stored(db, panel) == START
    assert panel.shares_edit.text() == "40 / 30 / 20 / 10"


def test_a_share_that_cannot_be_given_says_why_and_keeps_the_text(qtbot, panel, db):
    panel.shares_edit.setFocus()
    panel.shares_edit.selectAll()
    qtbot.keyClicks(panel.shares_edit, "70 10 10 10")
    qtbot.keyClick(panel.shares_edit, Qt.Key.Key_Return)
    assert panel.messages and "between 8% and 60%" in panel.messages[-1]
    assert panel.shares_edit.text() == "70 10 10 10"  # nothing typed is lost
    assert stored(db, panel) == START and panel.undo_stack.count() == 0


def test_the_share_fields_are_off_for_a_kept_copy(qtbot, panel, db):
    panel.view.set_read_only(True, "Kept copy")
    assert not panel.share_spin.isEnabled() and not panel.shares_edit.isEnabled()
    qtbot.keyClicks(panel.view, "5")
    assert not panel.share_spin.hasFocus()
    assert stored(db, panel) == START
