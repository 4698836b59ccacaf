"""The window fits the screen it opens on and remembers its place per screen set-up."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSplitter

from csfacilitator.app import create_window
from csfacilitator.gui import window_state
from csfacilitator.gui.window_state import FILE_NAME, fit_rect, place, setup_key

LAPTOP = QRect(0, 0, 1366, 768)
LAPTOP_AVAILABLE = QRect(0, 0, 1366, 738)  # a 30 px panel at the bottom
PROJECTOR = QRect(1366, 0, 1920, 1080)


def _inside(rect: QRect, area: QRect, frame: QSize = window_state.FRAME_ALLOWANCE) -> bool:
    side = frame.width() // 2
    outer = rect.adjusted(-side, -(frame.height() - side), side, side)
    return area.contains(outer)


def test_nothing_saved_on_a_small_laptop_the_window_and_its_frame_fit_the_available_area():
    rect = place(None, [LAPTOP], [LAPTOP_AVAILABLE])
    assert _inside(rect, LAPTOP_AVAILABLE)  # so the status bar is above the panel
    assert rect.height() < 768 and rect.width() <= 1366


def test_nothing_saved_on_a_large_screen_the_preferred_size_centred():
    big = QRect(0, 0, 1920, 1080)
    rect = place(None, [big], [big])
    assert rect.size() == window_state.PREFERRED
    assert abs(rect.center().x() - big.center().x()) <= 1


def test_a_saved_place_on_a_screen_that_is_gone_comes_back_to_the_primary_screen():
    saved = QRect(1500, 100, 1200, 800)  # was on the projector, now unplugged
    rect = place(saved, [LAPTOP], [LAPTOP_AVAILABLE])
    assert _inside(rect, LAPTOP_AVAILABLE)


def test_a_saved_place_is_kept_on_its_screen_and_fitted_when_too_big():
    on_projector = QRect(1500, 100, 1200, 800)
    assert place(on_projector, [LAPTOP, PROJECTOR], [LAPTOP_AVAILABLE, PROJECTOR]) == on_projector
    too_big = QRect(0, 0, 1366, 768)
    fitted = place(too_big, [LAPTOP], [LAPTOP_AVAILABLE])
    assert _inside(fitted, LAPTOP_AVAILABLE)


def test_fit_rect_moves_a_window_hanging_off_the_edge_back():
    rect = fit_rect(QRect(1000, 500, 800, 600), LAPTOP_AVAILABLE)
    assert _inside(rect, LAPTOP_AVAILABLE)
    assert rect.size() == QSize(800, 600)


def test_each_screen_set_up_has_its_own_key_whatever_the_order():
    assert setup_key([LAPTOP]) != setup_key([LAPTOP, PROJECTOR])
    assert setup_key([LAPTOP, PROJECTOR]) == setup_key([PROJECTOR, LAPTOP])


@pytest.fixture
def paths(paths, templates):
    """The test's data folder holding a copy of the migrated template, as after a first start:
    each window here opens on it instead of migrating a new database first (first starts are
    tested in test_main_window)."""
    templates.seed(paths)
    return paths


def _available() -> QRect:
    return QGuiApplication.primaryScreen().availableGeometry()


def test_the_window_opens_inside_the_screen_and_remembers_size_place_and_maximised(qtbot, paths):
    window = create_window(paths.root)
    qtbot.addWidget(window)
    assert _inside(window.geometry(), _available())
    window.show_restored()
    qtbot.waitExposed(window)
    window.setGeometry(20, 60, 720, 560)
    saved = window.geometry()
    window.close()
    assert (paths.root / FILE_NAME).exists()

    again = create_window(paths.root)
    qtbot.addWidget(again)
    assert again.geometry() == saved
    assert not again.open_maximised
    again.show_restored()
    qtbot.waitExposed(again)
    again.showMaximized()
    qtbot.waitUntil(again.isMaximized)
    again.close()

    third = create_window(paths.root)
    qtbot.addWidget(third)
    assert third.open_maximised  # maximised is remembered …
    third.show_restored()
    qtbot.waitUntil(third.isMaximized)
    third.showNormal()  # … and so is the size it goes back to
    qtbot.waitUntil(lambda: not third.isMaximized())
    assert third.geometry().size() == saved.size()
    third.close()


def test_a_place_saved_on_another_screen_that_is_gone_is_not_used_off_screen(qtbot, paths):
    from PySide6.QtCore import QSettings

    paths.root.mkdir(parents=True, exist_ok=True)
    screens = [s.geometry() for s in QGuiApplication.screens()]
    settings = QSettings(str(paths.root / FILE_NAME), QSettings.Format.IniFormat)
    settings.setValue(f"setup {setup_key(screens)}/normal", "5000,3000,900,700")
    settings.sync()
    window = create_window(paths.root)
    qtbot.addWidget(window)
    assert _inside(window.geometry(), _available())
    window.close()


def _movable(tab) -> QSplitter:
    return next(s for s in tab.findChildren(QSplitter) if sum(x > 100 for x in s.sizes()) >= 2)


def test_splitters_are_remembered_per_tab(qtbot, paths):
    window = create_window(paths.root)
    qtbot.addWidget(window)
    window.resize(1200, 700)
    window.show()
    qtbot.waitExposed(window)
    window.open_example()
    window.tabs.setCurrentWidget(window.plan)
    qtbot.wait(50)
    splitter = _movable(window.plan)
    wanted = splitter.sizes()
    wanted[0], wanted[1] = wanted[0] - 60, wanted[1] + 60
    splitter.setSizes(wanted)
    wanted = splitter.sizes()
    window.close()

    again = create_window(paths.root)
    qtbot.addWidget(again)
    again.resize(1200, 700)
    again.show()
    qtbot.waitExposed(again)
    again.tabs.setCurrentWidget(again.plan)
    qtbot.wait(50)
    restored = _movable(again.plan).sizes()
    # The same shares (the splitter's own length may differ by a few pixels between windows).
    assert len(restored) == len(wanted)
    for got, want in zip(restored, wanted, strict=True):
        assert abs(got / sum(restored) - want / sum(wanted)) < 0.02, (restored, wanted)
    again.close()


def test_when_a_screen_goes_while_open_the_window_is_brought_inside_the_one_left(qtbot, paths):
    window = create_window(paths.root)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.move(3000, 2000)  # where the unplugged screen was
    window._screen_removed(None)  # as QGuiApplication.screenRemoved calls it
    qtbot.waitUntil(lambda: _available().intersects(window.frameGeometry()))
    assert _available().contains(window.frameGeometry())
    window.close()
