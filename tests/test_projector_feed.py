"""The projector fed from the live board: one point at a time, flagged points masked, and where it
opens (a preview beside the board with one screen, full screen on the other screen with two)."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PySide6.QtGui import QImage, QRegion
from PySide6.QtWidgets import QMainWindow

from csfacilitator.core import conferences, meetings, vocab
from csfacilitator.gui.board import projector_layout as rules
from csfacilitator.gui.board.board_tab import BoardTab
from csfacilitator.gui.board.commands import AddPoints, DeletePoint, EditPoint, MovePoint
from csfacilitator.gui.board.document import Location
from csfacilitator.gui.board.projector import ProjectorWindow
from csfacilitator.gui.board.projector_feed import ProjectorFeed
from csfacilitator.gui.board.projector_screens import FULL_HERE, PREVIEW

#: The offscreen platform cannot raise a window; real platforms can (see the Xvfb checks).
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")

KEYS = list(vocab.BOARD_COLUMNS)
PHONE = "07700 900123"


@pytest.fixture
def conference_id(db):
    return conferences.create_conference(db, "Riverside Estate")


@pytest.fixture
def host(qtbot, db, conference_id):
    """A main window holding a board tab, as the app's does."""
    window = QMainWindow()
    qtbot.addWidget(window)
    tab = BoardTab(db)
    window.setCentralWidget(tab)
    tab.set_conference(conference_id)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.board = tab
    return window


@pytest.fixture
def fed(host):
    projector = ProjectorWindow(host=host)
    projector.resize(1920, 1080)
    feed = ProjectorFeed(host.board, projector)
    yield host.board, projector, feed
    projector.close()


class Calls:
    """Counts what the feed hands the projector."""

    def __init__(self, projector: ProjectorWindow, monkeypatch):
        self.log: list[tuple] = []
        for name in ("set_column", "insert_entries", "replace_entry", "set_header"):
            original = getattr(projector, name)

            def spy(*args, _name=name, _original=original, **kwargs):
                self.log.append((_name, args))
                return _original(*args, **kwargs)

            monkeypatch.setattr(projector, name, spy)

    def names(self) -> list[str]:
        return [name for name, _ in self.log if name != "set_header"]


def expected(tab: BoardTab) -> dict[str, list[rules.Entry]]:
    """The whole board flattened from scratch, the flagged points masked."""
    doc = tab.document
    masked = {doc.nodes[h].id for h in doc.flags}
    return {key: rules.flatten(points, masked=masked) for key, points in doc.records().items()}


def shown(projector: ProjectorWindow) -> dict[str, list[rules.Entry]]:
    return {key: list(projector.content.column(key)) for key in KEYS}


def type_point(qtbot, tab: BoardTab, column: str, text: str) -> None:
    tab.focus_entry(column)
    entry = tab.panes[column].entry
    entry.setText(text)
    qtbot.keyClick(entry, Qt.Key.Key_Return)


# ---------------------------------------------------------------------------------------------
# One point at a time


def test_an_enter_hands_over_the_one_new_point(qtbot, fed, monkeypatch):
    tab, projector, _feed = fed
    for number in range(30):
        tab._push(AddPoints(tab.document, KEYS[number % 4], [f"Point {number}"]))
    calls = Calls(projector, monkeypatch)
    # Nothing rebuilds the whole board on an Enter.
    monkeypatch.setattr(tab.document, "records", lambda: pytest.fail("records() rebuilt"))
    monkeypatch.setattr(tab, "projection", lambda: pytest.fail("projection() rebuilt"))
    type_point(qtbot, tab, "strengths", "Parade shops open late on Fridays")
    assert calls.names() == ["insert_entries"]
    key, index, entries = next(args for name, args in calls.log if name == "insert_entries")
    assert key == "strengths" and [e.text for e in entries] == ["Parade shops open late on Fridays"]
    assert index == len(projector.content.column("strengths")) - 1
    assert projector.shown_ids("strengths")[-1] == entries[0].point_id


def test_an_edit_hands_over_the_one_changed_point(qtbot, fed, monkeypatch):
    tab, projector, _feed = fed
    command = AddPoints(tab.document, "concerns", ["One", "Two", "Three"])
    tab._push(command)
    calls = Calls(projector, monkeypatch)
    tab._push(EditPoint(tab.document, command.handles[1], "Two, reworded"))
    assert calls.names() == ["replace_entry"]
    assert [e.text for e in projector.content.column("concerns")] == [
        "One",
        "Two, reworded",
        "Three",
    ]


def test_deletes_and_moves_rebuild_only_their_columns(qtbot, fed, monkeypatch):
    tab, projector, _feed = fed
    doc = tab.document
    first = AddPoints(doc, "concerns", ["A", "B", "C"])
    tab._push(first)
    tab._push(AddPoints(doc, "strengths", ["S"]))
    calls = Calls(projector, monkeypatch)
    tab._push(DeletePoint(doc, first.handles[0]))
    assert [(n, a[0]) for n, a in calls.log if n != "set_header"] == [("set_column", "concerns")]
    calls.log.clear()
    target = Location("strengths", None, 0)
    tab._push(MovePoint(doc, first.handles[1], target, "Move point"))
    assert sorted((n, a[0]) for n, a in calls.log if n != "set_header") == [
        ("insert_entries", "strengths"),
        ("set_column", "concerns"),
    ]
    assert shown(projector) == expected(tab)


def test_the_fed_board_always_equals_a_full_rebuild(qtbot, fed):
    """Random adds (points, sub-points, pasted runs, in the middle), edits, deletes, moves,
    undo and redo: after each, the projector's bullets equal the board flattened from scratch."""
    tab, projector, _feed = fed
    doc = tab.document
    chance = random.Random(15)
    words = ["lights", "park", "shop", PHONE, "youth club", "Saturday", "bus stop", "canal"]
    for step in range(160):
        handles = list(doc.nodes)
        action = chance.choice(["add", "add", "sub", "paste", "edit", "delete", "move", "undo"])
        text = " ".join(chance.choice(words) for _ in range(chance.randint(1, 4)))
        if action == "add" or not handles:
            row = chance.choice([None, 0, 1])
            tab._push(AddPoints(doc, chance.choice(KEYS), [text], row=row))
        elif action == "sub":
            parent = chance.choice(handles)
            if doc.node(parent).depth() < 2:
                tab._push(
                    AddPoints(doc, doc.column_of(doc.node(parent)), [text], parent_handle=parent)
                )
        elif action == "paste":
            tab._push(AddPoints(doc, chance.choice(KEYS), [text, text + " too", "and more"], row=1))
        elif action == "edit":
            tab._push(EditPoint(doc, chance.choice(handles), text + f" {step}"))
        elif action == "delete":
            tab._push(DeletePoint(doc, chance.choice(handles)))
        elif action == "move":
            handle = chance.choice(handles)
            column = chance.choice(KEYS)
            target = Location(column, None, chance.randint(0, 3))
            if target != doc.location(handle):
                tab._push(MovePoint(doc, handle, target, "Move point"))
        else:
            chance.choice([tab.undo_stack.undo, tab.undo_stack.redo])()
        assert shown(projector) == expected(tab), (step, action)
    assert any(e.masked for column in shown(projector).values() for e in column)


def test_a_meeting_loaded_and_the_header_follow(qtbot, db, conference_id, fed):
    tab, projector, _feed = fed
    tab._push(AddPoints(tab.document, "concerns", ["At the conference"]))
    assert projector.content.conference_title == "Riverside Estate"
    assert projector.content.meeting_label == tab.meeting_combo.currentText()
    review = meetings.add_meeting(db, conference_id, "review")
    tab.reload()
    tab.set_meeting(review.id)
    assert shown(projector) == expected(tab) == {key: [] for key in KEYS}
    assert projector.content.meeting_label == tab.meeting_combo.currentText()


# ---------------------------------------------------------------------------------------------
# Personal details are never projected as typed


def test_a_flagged_point_is_masked_until_reworded(qtbot, fed):
    tab, projector, _feed = fed
    type_point(qtbot, tab, "concerns", f"Call the youth worker on {PHONE}")
    entry = projector.content.column("concerns")[-1]
    assert entry.masked and entry.text == rules.MASKED_TEXT == "Personal detail hidden"
    texts = [p.text for p in projector.projection.columns["concerns"]]
    assert texts == ["Personal detail hidden"] and not any(PHONE in t for t in texts)
    # The chair rewords it: the new text is shown.
    handle = next(iter(tab.document.flags))
    tab._push(EditPoint(tab.document, handle, "Call the youth worker (number in the plan)"))
    entry = projector.content.column("concerns")[-1]
    assert not entry.masked and entry.text == "Call the youth worker (number in the plan)"
    # Still a personal detail after an edit: still masked.
    tab._push(EditPoint(tab.document, handle, f"Youth worker: {PHONE}"))
    assert projector.content.column("concerns")[-1].masked


def test_a_name_on_the_keep_out_list_is_masked_and_unmasked_with_the_list(qtbot, fed):
    tab, projector, _feed = fed
    type_point(qtbot, tab, "strengths", "Jordan helps at the youth club")
    type_point(qtbot, tab, "strengths", "Youth club open Fridays")
    assert not any(e.masked for e in projector.content.column("strengths"))
    tab.save_names("Jordan")
    column = projector.content.column("strengths")
    assert [e.masked for e in column] == [True, False]
    assert column[1].text == "Youth club open Fridays"
    tab.save_names("")
    assert [e.text for e in projector.content.column("strengths")] == [
        "Jordan helps at the youth club",
        "Youth club open Fridays",
    ]


def test_the_masked_point_is_painted_as_words_not_as_the_detail(qtbot, fed):
    tab, projector, _feed = fed
    type_point(qtbot, tab, "concerns", f"Ring {PHONE}")
    layout = projector._current_layout()
    concerns = next(c for c in layout.columns if c.key == "concerns")
    lines = projector._measure.lines(concerns.entries[0].text, layout.point_px, 500)
    assert " ".join(lines) == "Personal detail hidden"


# ---------------------------------------------------------------------------------------------
# Where it opens, and the keys that close it


def test_one_screen_opens_a_preview_beside_the_board(qtbot, fed):
    tab, projector, _feed = fed
    host = tab.window()
    projector.open_on_best_screen(host.screen())
    qtbot.waitUntil(lambda: projector.isVisible())
    assert projector.mode == PREVIEW
    assert projector.window() is host  # inside the main window, never over it
    dock = projector.dock
    assert dock.isVisible() and not dock.isFloating()
    board_rect = QRect(tab.mapTo(host, tab.rect().topLeft()), tab.size())
    dock_rect = dock.geometry()
    assert not board_rect.intersects(dock_rect)
    # The preview is the room's picture scaled down: laid out for a 1920x1080 screen.
    assert projector.layout_size() == (1920, 1080)
    picture = projector.picture_rect()
    assert abs(picture.width() / picture.height() - 16 / 9) < 0.02
    # The chair's keys stay with the board.
    assert not projector.hasFocus()


def test_f5_again_full_screen_f11_back_esc_closes(qtbot, fed):
    tab, projector, _feed = fed
    host = tab.window()
    projector.open_on_best_screen(host.screen())
    projector.open_on_best_screen(host.screen())  # F5 again
    qtbot.waitUntil(projector.isFullScreen)
    assert projector.mode == FULL_HERE and projector.isWindow()
    assert not projector.dock.isVisible()
    qtbot.keyClick(projector, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: projector.mode == PREVIEW)
    assert projector.window() is host and projector.dock.isVisible()
    projector.setFocus()
    with qtbot.waitSignal(projector.closed):
        qtbot.keyClick(projector, Qt.Key.Key_Escape)
    assert not projector.isVisible() and not projector.dock.isVisible()
    # It opens again in the preview.
    projector.open_on_best_screen(host.screen())
    assert projector.mode == PREVIEW and projector.dock.isVisible()
    with qtbot.waitSignal(projector.closed):
        qtbot.keyClick(projector, Qt.Key.Key_F5, Qt.KeyboardModifier.ShiftModifier)


def test_with_no_room_beside_the_board_the_preview_floats_on_the_screen(qtbot, fed):
    tab, projector, _feed = fed
    host = tab.window()
    available = host.screen().availableGeometry()
    width = host.width()
    tab.setMinimumWidth(width - 60)  # a board that cannot get narrower
    projector.open_on_best_screen(host.screen())
    dock = projector.dock
    qtbot.waitUntil(dock.isVisible)
    assert dock.isFloating() and projector.mode == PREVIEW
    assert available.contains(dock.geometry())
    assert host.width() == width  # the main window was not pushed wider
    # A window of its own: out of sight while the app is locked, back when unlocked.
    projector.set_locked(True)
    assert not dock.isVisible() and projector.is_blank
    projector.set_locked(False)
    assert dock.isVisible() and projector.isVisible() and not projector.is_blank


def test_the_docks_close_button_closes_the_projector(qtbot, fed):
    tab, projector, _feed = fed
    projector.open_on_best_screen(tab.window().screen())
    with qtbot.waitSignal(projector.closed):
        projector.dock.close()
    assert not projector.isVisible()


TWO_SCREENS_SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
    app = QApplication([])
    from csfacilitator.gui.board.projector import ProjectorWindow
    screens = {screen.name(): screen for screen in QGuiApplication.screens()}
    laptop, projector_screen = screens["Laptop"], screens["Projector"]
    host = QMainWindow()
    host.setCentralWidget(QLabel("board"))
    host.setScreen(laptop)
    host.setGeometry(0, 0, 1366, 740)
    host.show()
    app.processEvents()
    told = []
    window = ProjectorWindow(host=host)
    window.status_message.connect(told.append)
    window.open_on_best_screen(main_screen=laptop)
    app.processEvents()
    result = {
        "open_screen": window.screen().name(),
        "open_full": window.isFullScreen(),
        "open_mode": window.mode,
        "open_geometry": window.geometry().getRect(),
        "room": list(window.layout_size()),
    }
    app.screenRemoved.emit(projector_screen)
    app.processEvents()
    result.update(
        back_mode=window.mode,
        back_in_host=window.window() is host,
        back_visible=window.isVisible(),
        back_room=list(window.layout_size()),
        told=told,
    )
    print(json.dumps(result))
    sys.stdout.flush()
    os._exit(0)
    """
)


@pytest.mark.slow
def test_two_screens_full_screen_on_the_other_then_unplugged_back_to_the_preview(tmp_path):
    config = tmp_path / "screens.json"
    config.write_text(
        json.dumps(
            {
                "screens": [
                    {"name": "Laptop", "x": 0, "y": 0, "width": 1366, "height": 768},
                    {"name": "Projector", "x": 1366, "y": 0, "width": 1920, "height": 1080},
                ]
            }
        )
    )
    script = tmp_path / "two_screens.py"
    script.write_text(TWO_SCREENS_SCRIPT)
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    done = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["open_screen"] == "Projector" and result["open_full"] is True
    assert result["open_mode"] == "on the projector"
    assert result["open_geometry"] == [1366, 0, 1920, 1080]
    assert result["room"] == [1920, 1080]
    # Unplugged: back beside the board on the laptop, nothing lost, and the chair is told.
    assert result["back_mode"] == "preview" and result["back_in_host"] is True
    assert result["back_visible"] is True
    assert result["back_room"] == [1920, 1080]
    assert len(result["told"]) == 1 and "disconnected" in result["told"][0]


# ---------------------------------------------------------------------------------------------
# Readable from the back of a hall, and zoom that keeps the newest point


@pytest.fixture
def example_projector(qtbot, db, example_id):
    tab = BoardTab(db)
    qtbot.addWidget(tab)
    tab.set_conference(example_id)
    combo = tab.meeting_combo
    tab.set_meeting(
        combo.itemData(next(i for i in range(combo.count()) if "Conf" in combo.itemText(i)))
    )
    projector = ProjectorWindow()
    qtbot.addWidget(projector)
    ProjectorFeed(tab, projector)
    return tab, projector


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)])
def test_the_full_example_is_readable_from_the_back_and_pages(example_projector, size):
    _tab, projector = example_projector
    projector.resize(*size)
    caps = projector._measure.font(projector.point_px)[1].capHeight()
    assert caps >= 24 * size[1] / 1080 - 0.5
    layout = projector._current_layout()
    assert not layout.fits and all(c.page_count > 1 for c in layout.columns)
    for column in layout.columns:
        # Each column shows its newest point, and the page is full: no near-empty last page.
        shown_range = column.page_range()
        assert shown_range.stop == len(column.entries)
        # ...and full: the point before it (with its sub-points) would not have fitted too.
        room = column.points.height() - projector._measure.font(layout.footer_px)[1].lineSpacing()
        start = shown_range.start
        before = max(i for i in range(start) if column.entries[i].depth == 0)
        wanted = column.heights[before] + sum(
            column.gaps[i] + column.heights[i] for i in range(before + 1, shown_range.stop)
        )
        assert wanted > room - 8 * layout.unit


def test_zoom_keeps_the_newest_point_and_as_many_before_it_as_fit(qtbot, example_projector):
    tab, projector = example_projector
    projector.resize(1920, 1080)
    type_point(qtbot, tab, "strengths", "Café owner offers the back room on Saturdays")
    newest = projector.content.column("strengths")[-1].point_id
    ctrl = Qt.KeyboardModifier.ControlModifier
    counts = []
    for key in (Qt.Key.Key_Plus, Qt.Key.Key_Plus, Qt.Key.Key_Minus, Qt.Key.Key_0):
        qtbot.keyClick(projector, key, ctrl)
        ids = projector.shown_ids("strengths")
        assert ids[-1] == newest
        counts.append(len(ids))
    assert counts[0] >= counts[1]  # bigger text: fewer before it, still filling the page
    # The room looked back a page in another column: zoom keeps that page's first point.
    projector.page_up()
    first = projector.shown_ids("concerns")[0]
    qtbot.keyClick(projector, Qt.Key.Key_Plus, ctrl | Qt.KeyboardModifier.ShiftModifier)
    assert first in projector.shown_ids("concerns")


@pytest.mark.parametrize("high_contrast", [False, True])
def test_a_new_point_repaints_only_its_column_and_the_same_pixels(qtbot, fed, high_contrast):
    tab, projector, _feed = fed
    for key in KEYS:  # a long board: the type is at its smallest and columns page
        tab._push(AddPoints(tab.document, key, [f"Point {n} about the park" for n in range(20)]))
    projector._show_windowed_on(None)
    projector.resize(1920, 1080)
    projector.set_high_contrast(high_contrast)  # panels with a border, or without
    qtbot.waitExposed(projector)
    assert projector._current_layout().rule_y is not None  # a header above the columns
    projector.repaint()
    qtbot.wait(50)  # nothing left to paint from opening
    painted: list[QRect] = []

    class Spy(QObject):
        def eventFilter(self, watched, event):  # noqa: N802 - Qt API
            if watched is projector and event.type() == QEvent.Type.Paint:
                painted.append(event.rect())
            return False

    spy = Spy()
    projector.installEventFilter(spy)
    tab._push(AddPoints(tab.document, "strengths", ["Café owner offers the back room"]))
    qtbot.waitUntil(lambda: bool(painted))
    strengths = next(c for c in projector._current_layout().columns if c.key == "strengths")
    assert painted[0].width() < projector.width() / 3  # one column, not the board
    assert painted[0].intersects(strengths.panel.toRect())
    # What a partial paint draws there is what a whole paint draws.
    whole = projector.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    box = painted[0].intersected(projector.rect())
    part = QImage(box.size(), QImage.Format.Format_RGB32)
    part.fill(0)
    projector.render(part, QPoint(), QRegion(box))  # the region's top left lands at (0, 0)
    assert whole.copy(box) == part
