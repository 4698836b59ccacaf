"""The lock: Ctrl+L and idle time hide everything and blank the projector until unlocked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel

from csfacilitator import APP_NAME
from csfacilitator.core import board, conferences, lock_passphrase
from csfacilitator.core.example import add_example
from csfacilitator.core.model import Setting
from csfacilitator.core.preferences import IDLE_LOCK_MINUTES, set_preference
from csfacilitator.errors import UserError
from csfacilitator.gui.dialogs import passphrase_dialog
from csfacilitator.gui.dialogs.lock_screen import (
    LOCKED_TEXT,
    LOCKED_TEXT_ENCRYPTED,
    LOCKED_TEXT_LOCK_PASSPHRASE,
    LOCKED_TITLE,
    WRONG_LOCK_PASSPHRASE,
)

PASSPHRASE = "blue kettle, quiet harbour"


@pytest.fixture
def window(window):
    window.activateWindow()
    return window


@pytest.fixture
def example_window(seed_example, open_window):
    """The main window, shown and active, on a database holding the example alone (a copy of
    its template), not opened yet: the test opens it. Returns the window and the example."""
    example = seed_example()
    win = open_window()
    win.activateWindow()
    return win, example


@pytest.fixture
def encrypted_window(open_window, paths, templates):
    templates.seed(paths, PASSPHRASE)
    win = open_window(passphrase=PASSPHRASE)
    win.activateWindow()
    return win


def _stored_concerns(window) -> list[str]:
    meeting_id = window.board.current_meeting_id()
    return [p.text for p in board.board_tree(window.db, meeting_id)["concerns"]]


def _add_concern(qtbot, window, text: str) -> None:
    window.tabs.setCurrentWidget(window.board)
    window.board.focus_entry("concerns")
    entry = window.board.panes["concerns"].entry
    qtbot.keyClicks(entry, text)
    qtbot.keyClick(entry, Qt.Key.Key_Return)


def _is_all_black(widget) -> bool:
    image = widget.grab().toImage()
    width, height = image.width(), image.height()
    samples = [
        image.pixelColor(x * width // 8, y * height // 6).name()
        for x in range(1, 8)
        for y in range(1, 6)
    ]
    return set(samples) == {"#000000"}


def test_ctrl_l_hides_everything_blanks_the_projector_and_enter_unlocks(example_window, qtbot):
    window, example = example_window
    window.open_conference(example)  # the example alone
    title = conferences.get_conference(window.db, window.conference_id).title
    _add_concern(qtbot, window, "Lanterns out on the towpath")
    window.present()
    projector = window.projector
    assert projector.isVisible() and not _is_all_black(projector)

    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)

    locker = window.locker
    assert locker.is_locked
    assert not window.tabs.isVisible() and not window.home.isVisible()
    assert locker.screen.isVisible()
    assert locker.screen.message.text() == LOCKED_TEXT
    assert not locker.screen.field.isVisible()  # a plain database needs no passphrase
    assert window.windowTitle() == LOCKED_TITLE and title not in window.windowTitle()
    assert not window.menuBar().isVisible() and not window.statusBar().isVisible()
    visible_text = " ".join(
        label.text() for label in window.findChildren(QLabel) if label.isVisible()
    )
    assert "Lanterns" not in visible_text and title not in visible_text
    assert projector.is_blank and _is_all_black(projector)
    qtbot.keyClick(projector, Qt.Key.Key_B)  # the room's B key cannot undo the lock
    assert projector.is_blank

    qtbot.keyClick(locker.screen, Qt.Key.Key_Return)

    assert not locker.is_locked
    assert window.tabs.isVisible() and window.board.isVisible()
    assert window.windowTitle() == f"{title} – {APP_NAME}"
    assert window.menuBar().isVisible() and window.statusBar().isVisible()
    assert not projector.is_blank and not _is_all_black(projector)


def test_while_locked_shortcuts_do_nothing_to_what_is_hidden(example_window, qtbot):
    window, example = example_window
    window.open_conference(example)  # the example alone
    _add_concern(qtbot, window, "Undo me only when unlocked")
    window.lock_action.trigger()
    assert window.locker.is_locked

    focus = QApplication.focusWidget()
    assert focus is window.locker.screen  # keys go to the lock page, not to a hidden field
    for key, modifier in (
        (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier),  # undo
        (Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier),  # new conference
        (Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier),  # present
        (Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
    ):
        qtbot.keyClick(focus, key, modifier)
    assert "Undo me only when unlocked" in _stored_concerns(window)
    assert len(conferences.list_conferences(window.db)) == 1
    assert window.projector is None
    assert window.locker.is_locked and window.windowTitle() == LOCKED_TITLE

    qtbot.keyClick(window.locker.screen, Qt.Key.Key_Enter)
    window.board.focus_entry("concerns")
    qtbot.keyClick(window.board, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Undo me only when unlocked" not in _stored_concerns(window)  # shortcuts are back


def test_text_being_typed_is_saved_at_lock_and_title_changes_stay_hidden(example_window, qtbot):
    window, example = example_window
    window.open_conference(example)  # the example alone
    window.tabs.setCurrentWidget(window.overview)
    field = window.overview.fields["title"]
    field.selectAll()
    qtbot.keyClicks(field, "Kestrel Parade review")
    window.lock_action.trigger()
    assert conferences.get_conference(window.db, window.conference_id).title == (
        "Kestrel Parade review"
    )
    window.refresh_header()  # something sets the title while locked: it stays hidden
    assert window.windowTitle() == LOCKED_TITLE
    window.locker.try_unlock()
    assert window.windowTitle() == f"Kestrel Parade review – {APP_NAME}"


def test_locking_cancels_an_open_dialog(window, qtbot):
    dialog = QDialog(window)
    dialog.setWindowTitle("Delete 'Kestrel Parade'?")
    dialog.show()
    qtbot.waitExposed(dialog)
    window.locker.lock()
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_idle_time_locks_and_any_input_restarts_the_clock(window, qtbot):
    locker = window.locker
    assert locker.idle_timer.isActive()
    assert locker.idle_timer.interval() == IDLE_LOCK_MINUTES.default * 60_000

    set_preference(window.db, IDLE_LOCK_MINUTES, 3)
    locker.reload_preferences()
    locker.idle_timer.stop()
    qtbot.mouseMove(window.home, window.home.rect().center())
    qtbot.keyClick(window.home, Qt.Key.Key_Down)
    assert locker.idle_timer.isActive()
    assert locker.idle_timer.interval() == 3 * 60_000
    assert locker.idle_timer.remainingTime() > 2 * 60_000

    locker.idle_timer.start(20)  # as if the three minutes had passed with nothing typed
    qtbot.waitUntil(lambda: locker.is_locked, timeout=2000)
    assert window.windowTitle() == LOCKED_TITLE
    assert not locker.idle_timer.isActive()  # nothing more to count while locked
    locker.try_unlock()

    locker.set_idle_minutes(0)  # never
    qtbot.keyClick(window.home, Qt.Key.Key_Down)
    assert not locker.idle_timer.isActive()


def test_idle_time_does_not_lock_while_the_board_is_projected(example_window, qtbot):
    window, example = example_window
    window.open_conference(example)  # the example alone
    window.present()
    locker = window.locker
    locker.set_idle_minutes(3)
    locker.idle_timer.start(20)
    qtbot.wait(200)
    assert not locker.is_locked
    assert locker.idle_timer.isActive()  # counting again
    window.close_projector_action.trigger()
    locker.idle_timer.start(20)
    qtbot.waitUntil(lambda: locker.is_locked, timeout=2000)
    locker.try_unlock()


def test_an_encrypted_database_unlocks_only_with_its_passphrase(encrypted_window, qtbot):
    window = encrypted_window
    window.open_conference(add_example(window.db))  # the example alone
    window.present()
    window.lock_action.trigger()
    screen = window.locker.screen
    assert screen.message.text() == LOCKED_TEXT_ENCRYPTED
    assert screen.field.isVisible() and screen.field.hasFocus()
    assert screen.field.accessibleName() == "Passphrase"

    qtbot.keyClick(screen.field, Qt.Key.Key_Return)  # Enter alone is not enough
    assert window.locker.is_locked
    assert screen.error.text() == "Type the passphrase, then press Enter."
    qtbot.keyClicks(screen.field, "the wrong words")
    qtbot.keyClick(screen.field, Qt.Key.Key_Return)
    assert window.locker.is_locked and not window.tabs.isVisible()
    assert screen.error.text().startswith("The passphrase is not right for this database")
    assert screen.field.text() == ""
    assert window.projector.is_blank

    qtbot.keyClicks(screen.field, PASSPHRASE)
    qtbot.keyClick(screen.field, Qt.Key.Key_Return)
    assert not window.locker.is_locked
    assert window.tabs.isVisible() and not window.projector.is_blank
    assert screen.field.text() == "" and screen.error.text() == ""


def test_a_plain_database_says_it_is_a_privacy_screen_and_offers_a_passphrase(
    window, qtbot, monkeypatch
):
    window.lock_action.trigger()
    screen = window.locker.screen
    assert screen.message.text() == LOCKED_TEXT == "Privacy screen — press Enter to return"
    assert screen.note.isVisible() and "anyone at this laptop" in screen.note.text()
    assert screen.note.height() >= screen.note.heightForWidth(screen.note.width())  # not cut
    assert screen.set_passphrase_button.isVisible()
    assert screen.unlock_button.text() == screen.unlock_button.accessibleName() == "Return"

    asked = []

    def choose(parent, **texts):
        asked.append(texts["title"])
        return "harbour lights"

    monkeypatch.setattr(passphrase_dialog, "ask_new_passphrase", choose)
    screen.set_passphrase_button.setFocus()
    qtbot.keyClick(screen.set_passphrase_button, Qt.Key.Key_Return)  # Enter presses the button

    assert asked == ["Set a lock passphrase"]
    assert not window.locker.is_locked  # a privacy screen: returning first is honest
    assert lock_passphrase.has_lock_passphrase(window.db)
    assert "Lock passphrase set" in window.statusBar().currentMessage()


def test_a_lock_passphrase_is_asked_for_and_judged(example_window, qtbot):
    window, example = example_window
    window.open_conference(example)  # the example alone
    lock_passphrase.set_lock_passphrase(window.db, "harbour lights")
    window.lock_action.trigger()
    screen = window.locker.screen
    assert screen.message.text() == LOCKED_TEXT_LOCK_PASSPHRASE
    assert screen.field.isVisible() and screen.field.hasFocus()
    assert screen.field.accessibleName() == "Lock passphrase"
    assert screen.field_label.text().replace("&", "") == "Lock passphrase:"
    assert "not encrypted" in screen.note.text()
    assert not screen.set_passphrase_button.isVisible()

    qtbot.keyClick(screen.field, Qt.Key.Key_Return)
    assert window.locker.is_locked
    assert screen.error.text() == "Type the lock passphrase, then press Enter."
    qtbot.keyClicks(screen.field, "harbour light")
    qtbot.keyClick(screen.field, Qt.Key.Key_Return)
    assert window.locker.is_locked and not window.tabs.isVisible()
    assert screen.error.text() == WRONG_LOCK_PASSPHRASE and screen.field.text() == ""

    qtbot.keyClicks(screen.field, "harbour lights")
    qtbot.keyClick(screen.field, Qt.Key.Key_Return)
    assert not window.locker.is_locked and window.tabs.isVisible()


def test_the_lock_passphrase_is_kept_only_as_a_salted_hash(db):
    lock_passphrase.set_lock_passphrase(db, "harbour lights")
    with db.read_session() as s:
        stored = s.get(Setting, lock_passphrase.KEY).value
    assert "harbour" not in stored and stored.startswith("scrypt$")
    assert lock_passphrase.check_lock_passphrase(db, "harbour lights")
    assert not lock_passphrase.check_lock_passphrase(db, "Harbour lights")
    lock_passphrase.set_lock_passphrase(db, "harbour lights")
    with db.read_session() as s:
        assert s.get(Setting, lock_passphrase.KEY).value != stored  # a new salt each time
    with pytest.raises(UserError, match="at least 6"):
        lock_passphrase.validate_new("short", "short")
    with pytest.raises(UserError, match="not the same"):
        lock_passphrase.validate_new("harbour lights", "harbour light")
    lock_passphrase.clear_lock_passphrase(db)
    assert not lock_passphrase.has_lock_passphrase(db)
    assert not lock_passphrase.check_lock_passphrase(db, "harbour lights")


def test_preferences_set_and_remove_the_lock_passphrase(window, qtbot, monkeypatch):
    from csfacilitator.gui.dialogs.preferences_dialog import (
        LOCK_PASSPHRASE_TEXT,
        LOCK_PRIVACY_TEXT,
        PreferencesDialog,
    )

    dialog = PreferencesDialog(window.db, window)
    qtbot.addWidget(dialog)
    assert dialog.lock_state.text() == LOCK_PRIVACY_TEXT
    monkeypatch.setattr(passphrase_dialog, "ask_new_passphrase", lambda parent, **t: "tidewater")
    dialog.set_lock_button.click()
    assert lock_passphrase.check_lock_passphrase(window.db, "tidewater")
    assert dialog.lock_state.text() == LOCK_PASSPHRASE_TEXT
    assert dialog.set_lock_button.text() == "Change lock passphrase…"
    dialog.clear_lock_button.click()
    assert not lock_passphrase.has_lock_passphrase(window.db)
    assert dialog.lock_state.text() == LOCK_PRIVACY_TEXT


def test_each_kind_of_input_alone_restarts_the_idle_clock_and_nothing_else_does(window, qtbot):
    locker = window.locker
    locker.set_idle_minutes(3)
    home = window.home
    centre = QPointF(home.rect().center())
    wheel = QWheelEvent(
        centre,
        QPointF(home.mapToGlobal(home.rect().center())),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    inputs = {
        "mouse move": lambda: (  # two places: the pointer may already be at one of them
            qtbot.mouseMove(home, QPoint(5, 5)),
            qtbot.mouseMove(home, QPoint(9, 7)),
        ),
        "mouse press": lambda: qtbot.mousePress(home, Qt.MouseButton.LeftButton),
        "key": lambda: qtbot.keyPress(home, Qt.Key.Key_Shift),
        "wheel": lambda: QApplication.sendEvent(home, wheel),
    }
    for name, give in inputs.items():
        locker.idle_timer.stop()
        give()
        assert locker.idle_timer.isActive(), name
    locker.idle_timer.stop()
    home.repaint()  # paints, moves, resizes, timers: not someone using the app
    window.resize(window.width() + 10, window.height())
    qtbot.wait(20)
    assert not locker.idle_timer.isActive()
