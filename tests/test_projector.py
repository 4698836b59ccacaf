"""The projector window: what the room sees, how it fits, pages, blanks and finds its screen."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import statistics
import subprocess
import sys
import textwrap
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication, QImage

from csfacilitator.core import vocab
from csfacilitator.core.board import PointRecord, ProjectionData
from csfacilitator.gui.board import projector_layout as rules
from csfacilitator.gui.board.projector import ProjectorWindow

#: The offscreen platform cannot raise a window; real platforms can (see the Xvfb checks).
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")

SENTENCES = [
    "Young people gather in the underpass after the youth club closes at 8pm",
    "Poor lighting along the canal path between the station and the estate",
    "Shop staff unsure who to call when they are worried",
    "Football club runs free sessions on Tuesday and Thursday evenings",
    "Council to review street lighting on Canal Walk by end of March",
    "Parents' group meets monthly at the community centre",
]
KEYS = list(vocab.BOARD_COLUMNS)


def point(point_id: int, text: str, column: str = "concerns", children=()) -> PointRecord:
    return PointRecord(point_id, 1, column, None, 0, text, tuple(children))


def board(total: int, *, with_children: bool = True) -> dict[str, tuple[PointRecord, ...]]:
    """`total` points spread over the four columns, every third one with two sub-points."""
    columns: dict[str, list[PointRecord]] = {key: [] for key in KEYS}
    next_id, made = 1, 0
    while made < total:
        key = KEYS[made % 4]
        children = []
        if with_children and made % 3 == 2 and total - made >= 3:
            for _ in range(2):
                children.append(point(next_id + 1000, SENTENCES[next_id % 6][:40], key))
                next_id += 1
                made += 1
        columns[key].append(point(next_id, SENTENCES[next_id % 6], key, children))
        next_id += 1
        made += 1
    return {key: tuple(points) for key, points in columns.items()}


def projection(columns=None, title="Riverside Estate", item="Strengths") -> ProjectionData:
    return ProjectionData(title, "Conference · 5 Nov 2026", item, columns or {})


def add_point(data: ProjectionData, column: str, new: PointRecord) -> ProjectionData:
    columns = dict(data.columns)
    columns[column] = tuple(columns.get(column, ())) + (new,)
    return dataclasses.replace(data, columns=columns)


@pytest.fixture
def projector(qtbot):
    window = ProjectorWindow()
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    return window


def pixels(image: QImage) -> bytes:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    return bytes(image.constBits())[: image.sizeInBytes()]


def is_all_black(image: QImage) -> bool:
    return not any(pixels(image))


# ---------------------------------------------------------------------------------------------
# The window


def test_title_and_accessibility(projector):
    assert projector.windowTitle() == "CS Facilitator – Projector"
    assert projector.accessibleName() == "Projector"
    assert "four board columns" in projector.accessibleDescription()


def test_projection_carries_nothing_but_the_board():
    """Referrals and privacy flags cannot reach the room: the data type has no place for them."""
    fields = {f.name for f in dataclasses.fields(ProjectionData)}
    assert fields == {"conference_title", "meeting_label", "current_item", "columns"}
    point_fields = {f.name for f in dataclasses.fields(PointRecord)}
    assert point_fields == {
        "id",
        "meeting_id",
        "column",
        "parent_id",
        "position",
        "text",
        "children",
    }
    for name in fields | point_fields:
        assert "referral" not in name and "private" not in name and "flag" not in name


def test_paints_points_and_repaints_when_one_is_added(projector):
    empty = projector.grab().toImage()
    data = projection(board(8))
    projector.set_projection(data)
    first = projector.grab().toImage()
    assert not is_all_black(first)
    assert len(set(pixels(first)[::97])) > 3  # headings, panels and text: many colours
    assert pixels(first) != pixels(empty)
    projector.set_projection(add_point(data, "strengths", point(99, "A new strength")))
    assert pixels(projector.grab().toImage()) != pixels(first)


def test_columns_keep_headings_and_nesting(projector):
    projector.set_projection(projection(board(9)))
    layout = projector._current_layout()
    assert [c.key for c in layout.columns] == KEYS
    headings = {c.key: " ".join(c.heading_lines) for c in layout.columns}
    assert headings == vocab.BOARD_COLUMNS
    depths = [e.depth for c in layout.columns for e in c.entries]
    assert 1 in depths and 0 in depths


def test_type_shrinks_as_points_are_added_down_to_the_minimum(projector):
    minimum = rules.min_point_px(1080, projector._measure.cap_ratio)
    # Readable from the back of a hall: capitals at least 24 px tall on a 1080-pixel screen.
    assert projector._measure.font(minimum)[1].capHeight() >= 24
    sizes = []
    for total in (2, 8, 20, 40, 80, 160, 500):
        projector.set_projection(projection(board(total)))
        sizes.append(projector.point_px)
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] > 1.5 * minimum
    assert min(sizes) == minimum
    assert all(size >= minimum for size in sizes)


def test_past_the_minimum_columns_page_and_follow_the_newest_point(projector, qtbot):
    data = projection(board(500))
    projector.set_projection(data)
    pages = projector.page_count("concerns")
    assert pages > 1
    # On first showing, each column shows the page with its newest point.
    assert projector.current_page("concerns") == pages - 1

    qtbot.keyClick(projector, Qt.Key.Key_PageUp)
    assert projector.current_page("concerns") == pages - 2
    qtbot.keyClick(projector, Qt.Key.Key_PageUp)
    assert projector.current_page("concerns") == pages - 3
    qtbot.keyClick(projector, Qt.Key.Key_PageDown)
    assert projector.current_page("concerns") == pages - 2

    # The chair types a new point in another column: this one stays where the room is reading.
    data = add_point(data, "strengths", point(5000, "Typed"))
    projector.set_projection(data)
    assert projector.current_page("concerns") == pages - 2
    assert projector.current_page("strengths") == projector.page_count("strengths") - 1
    # ...and typing in this column brings its newest point back into view.
    data = add_point(data, "concerns", point(5001, "Typed here"))
    projector.set_projection(data)
    assert projector.current_page("concerns") == projector.page_count("concerns") - 1
    page_of_new = projector._column("concerns").page_range()
    ids = [e.point_id for e in projector._column("concerns").entries]
    assert ids.index(5001) in page_of_new


def test_editing_an_old_point_shows_its_page(projector):
    data = projection(board(500))
    projector.set_projection(data)
    first = data.columns["safety_plan"][0]
    columns = dict(data.columns)
    columns["safety_plan"] = (dataclasses.replace(first, text=first.text + " (edited)"),) + tuple(
        columns["safety_plan"][1:]
    )
    projector.set_projection(dataclasses.replace(data, columns=columns))
    assert projector.current_page("safety_plan") == 0


def test_b_blanks_to_black_and_b_again_restores(projector, qtbot):
    projector.resize(640, 360)
    projector.set_projection(projection(board(12)))
    shown = projector.grab().toImage()
    with qtbot.waitSignal(projector.blank_changed) as blanked:
        qtbot.keyClick(projector, Qt.Key.Key_B)
    assert blanked.args == [True]
    assert projector.is_blank
    assert is_all_black(projector.grab().toImage())
    qtbot.keyClick(projector, Qt.Key.Key_B)
    assert not projector.is_blank
    assert pixels(projector.grab().toImage()) == pixels(shown)

    projector.set_blank(True)
    assert is_all_black(projector.grab().toImage())
    projector.set_blank(False)
    assert not is_all_black(projector.grab().toImage())


def test_the_lock_blanks_in_a_way_b_cannot_undo(projector, qtbot):
    projector.resize(640, 360)
    projector.set_projection(projection(board(12)))
    projector.set_locked(True)
    assert projector.is_blank
    qtbot.keyClick(projector, Qt.Key.Key_B)
    qtbot.keyClick(projector, Qt.Key.Key_B)
    assert projector.is_blank
    assert is_all_black(projector.grab().toImage())
    projector.set_locked(False)
    assert not projector.is_blank


@pytest.mark.parametrize(
    ("key", "modifier"),
    [
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_F5, Qt.KeyboardModifier.ShiftModifier),
    ],
)
def test_escape_and_shift_f5_close(projector, qtbot, key, modifier):
    projector.open_on_best_screen()
    qtbot.waitExposed(projector)
    with qtbot.waitSignal(projector.closed):
        qtbot.keyClick(projector, key, modifier)
    assert not projector.isVisible()


def test_ctrl_plus_and_minus_nudge_the_size(projector, qtbot):
    projector.set_projection(projection(board(12)))
    fitted = projector.point_px
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(projector, Qt.Key.Key_Plus, ctrl)
    assert projector.user_scale > 1
    assert projector.point_px > fitted
    qtbot.keyClick(projector, Qt.Key.Key_0, ctrl)
    assert projector.user_scale == 1
    assert projector.point_px == fitted
    qtbot.keyClick(projector, Qt.Key.Key_Minus, ctrl)
    assert projector.user_scale < 1
    assert projector.point_px < fitted
    qtbot.keyClick(projector, Qt.Key.Key_Equal, ctrl)  # Ctrl+= is Ctrl+plus without Shift
    assert projector.user_scale == 1
    # UK and US layouts: "+" is Shift+=, so Ctrl++ arrives as Key_Plus with Ctrl and Shift.
    qtbot.keyClick(projector, Qt.Key.Key_Plus, ctrl | Qt.KeyboardModifier.ShiftModifier)
    assert projector.user_scale > 1
    qtbot.keyClick(projector, Qt.Key.Key_0, ctrl | Qt.KeyboardModifier.KeypadModifier)
    assert projector.user_scale == 1
    qtbot.keyClick(projector, Qt.Key.Key_Plus, ctrl | Qt.KeyboardModifier.KeypadModifier)
    assert projector.user_scale > 1


def test_zooming_out_stops_at_the_smallest_readable_size(projector, qtbot):
    projector.set_projection(projection(board(500)))
    smallest = rules.min_point_px(1080, projector._measure.cap_ratio)
    assert projector.point_px == smallest
    told = []
    projector.status_message.connect(told.append)
    qtbot.keyClick(projector, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert projector.point_px == smallest  # columns page instead
    assert told and "smallest readable size" in told[-1]


def test_h_toggles_high_contrast(projector, qtbot):
    projector.resize(640, 360)
    projector.set_projection(projection(board(6)))
    corner = projector.grab().toImage().pixelColor(2, 2)
    assert corner.lightness() < 60  # a dark room theme by default
    qtbot.keyClick(projector, Qt.Key.Key_H)
    assert projector.is_high_contrast
    assert projector.grab().toImage().pixelColor(2, 2).name() == "#ffffff"
    qtbot.keyClick(projector, Qt.Key.Key_H)
    assert not projector.is_high_contrast
    projector.set_high_contrast(True)
    assert projector.is_high_contrast


def test_right_to_left_emoji_and_huge_text_render_and_fit(projector):
    columns = board(20)
    columns["strengths"] = columns["strengths"] + (
        point(901, "שלום — מקום בטוח לנוער ליד התחנה", "strengths"),
        point(902, "مرحبا بكم في الحديقة العامة بعد المدرسة 👩‍👩‍👧‍👦", "strengths"),
        point(903, "Mixed עברית and English 😀🏳️‍🌈 in one line", "strengths"),
        point(904, "x" * 5000, "strengths"),
        point(905, "word " * 20000, "strengths"),
        point(906, "line one\nline two\n\nline four\tafter a tab", "strengths"),
    )
    projector.set_projection(projection(columns, title="مؤتمر الحي", item="שלום"))
    assert rules.min_point_px(1080) <= projector.point_px <= rules.max_point_px(1080)
    assert projector.page_count("strengths") >= 1
    image = projector.grab().toImage()
    assert len(set(pixels(image)[::101])) > 3
    for _ in range(projector.page_count("strengths")):
        projector.page_down()
        projector.grab()


def test_fitting_500_points_is_fast(projector):
    """Live typing on a 500-point board: fitting and painting take a few milliseconds."""
    projector.show()
    data = projection(board(500))
    projector.set_projection(data)
    projector.repaint()
    times = []
    text = "A point the chair is typing"
    for length in range(1, len(text) + 1):
        typed = add_point(data, "strengths", point(7777, text[:length], "strengths"))
        started = time.process_time()
        projector.set_projection(typed)
        projector.repaint()
        times.append(time.process_time() - started)
    # Typically about 3 ms; the bound leaves room for a busy test machine.
    assert statistics.median(times) < 0.04


# ---------------------------------------------------------------------------------------------
# Screens: pure rules


def test_projector_screen_is_not_the_primary_nor_the_chairs():
    assert rules.choose_projector_screen(["Laptop"], "Laptop", "Laptop") is None
    assert rules.choose_projector_screen([], None, None) is None
    assert rules.choose_projector_screen(["Laptop", "HDMI"], "Laptop", "Laptop") == "HDMI"
    assert rules.choose_projector_screen(["HDMI", "Laptop"], "Laptop", None) == "HDMI"
    # The chair dragged the main window to the external screen: project on the other one.
    assert rules.choose_projector_screen(["Laptop", "HDMI"], "Laptop", "HDMI") == "Laptop"
    assert rules.choose_projector_screen(["A", "B", "C"], "A", "B") == "C"


def test_home_screen_after_the_projector_is_unplugged():
    assert rules.choose_home_screen(["Laptop"], "Laptop", None, removed="HDMI") == "Laptop"
    assert rules.choose_home_screen(["Laptop", "HDMI"], "Laptop", None, removed="HDMI") == "Laptop"
    assert rules.choose_home_screen(["Laptop", "HDMI"], "HDMI", None, removed="HDMI") == "Laptop"
    assert rules.choose_home_screen(["A", "B", "C"], "A", "B", removed="C") == "B"
    assert rules.choose_home_screen(["HDMI"], "HDMI", None, removed="HDMI") is None


def test_window_geometry_stays_on_screen():
    available = QRect(1366, 0, 1920, 1040)
    rect = rules.windowed_geometry(available)
    assert available.contains(rect)
    assert abs(rect.width() / rect.height() - 16 / 9) < 0.01
    assert rect.center().x() in range(available.center().x() - 1, available.center().x() + 2)
    lost = QRect(5000, -300, 3000, 2000)
    inside = rules.fit_inside(lost, QRect(0, 0, 1366, 768))
    assert QRect(0, 0, 1366, 768).contains(inside)


# ---------------------------------------------------------------------------------------------
# Screens: real windows


def test_one_screen_gives_an_ordinary_window(projector, qtbot):
    projector.open_on_best_screen()
    qtbot.waitExposed(projector)
    assert projector.isVisible() and not projector.isFullScreen()
    assert not projector.windowFlags() & Qt.WindowType.FramelessWindowHint
    screen = QGuiApplication.primaryScreen()
    assert screen.availableGeometry().contains(projector.geometry())


def test_unplugged_projector_comes_back_as_a_window(projector, qtbot):
    screen = QGuiApplication.primaryScreen()
    projector._show_full_screen_on(screen)
    qtbot.waitUntil(projector.isFullScreen)
    QGuiApplication.instance().screenRemoved.emit(screen)
    qtbot.waitUntil(lambda: not projector.isFullScreen())
    assert projector.isVisible()
    assert screen.availableGeometry().contains(projector.geometry())


TWO_SCREENS_SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from csfacilitator.gui.board.projector import ProjectorWindow
    screens = {screen.name(): screen for screen in QGuiApplication.screens()}
    laptop, projector = screens["Laptop"], screens["Projector"]
    window = ProjectorWindow()
    window.open_on_best_screen(main_screen=laptop)
    app.processEvents()
    result = {
        "primary": QGuiApplication.primaryScreen().name(),
        "open_screen": window.screen().name(),
        "open_full": window.isFullScreen(),
        "open_geometry": window.geometry().getRect(),
    }
    window._on_screen_removed(projector)
    app.processEvents()
    result.update(
        back_screen=window.screen().name(),
        back_full=window.isFullScreen(),
        back_visible=window.isVisible(),
        back_geometry=window.geometry().getRect(),
    )
    print(json.dumps(result))
    sys.stdout.flush()
    os._exit(0)
    """
)


@pytest.mark.slow
def test_two_screens_full_screen_on_the_projector_then_back(tmp_path):
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
    assert result["primary"] == "Laptop"
    assert result["open_screen"] == "Projector"
    assert result["open_full"] is True
    assert result["open_geometry"] == [1366, 0, 1920, 1080]
    assert result["back_screen"] == "Laptop"
    assert result["back_full"] is False
    assert result["back_visible"] is True
    assert QRect(0, 0, 1366, 768).contains(QRect(*result["back_geometry"]))


# ---------------------------------------------------------------------------------------------
# Text and pages: pure rules


def test_minimum_and_maximum_sizes_scale_with_the_screen():
    # 24 px capitals at 1080 px: 35 px type for a font whose capitals are 0.69 of its size.
    assert rules.min_point_px(1080) == 35
    assert rules.min_point_px(1080, cap_ratio=0.75) == 32
    assert rules.min_point_px(2160) == 70
    assert rules.min_point_px(768) == 25
    assert rules.max_point_px(1080) > rules.min_point_px(1080)


def test_fit_font_size_binary_search():
    assert rules.fit_font_size(20, 46, lambda px: px <= 31) == (31, True)
    assert rules.fit_font_size(20, 46, lambda px: True) == (46, True)
    assert rules.fit_font_size(20, 46, lambda px: False) == (20, False)
    assert rules.fit_font_size(20, 20, lambda px: px <= 20) == (20, True)


@given(
    # Without combining marks and joiners, which a cut keeps with the character before them.
    st.text(st.characters(blacklist_categories=("Cs", "Mn", "Me", "Sk", "Cf")), max_size=300),
    st.integers(min_value=1, max_value=60),
)
def test_wrapped_lines_fit_and_keep_every_word(text, width):
    lines = rules.wrap_text(text, width, len, 1)
    assert all(len(line) <= width for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())


def test_wrap_keeps_line_breaks_and_cuts_long_words():
    assert rules.wrap_text("one two three", 7, len, 1) == ["one two", "three"]
    assert rules.wrap_text("a\n\nb", 10, len, 1) == ["a", "", "b"]
    assert rules.wrap_text("abcdefghij", 4, len, 1) == ["abcd", "efgh", "ij"]
    # A combining accent stays with its letter, even when that makes the piece a little long.
    assert rules.wrap_text("aaae\u0301b", 4, len, 1) == ["aaae\u0301", "b"]


def test_pages_keep_points_whole_and_sub_points_with_their_parent():
    heights = [10, 10, 10, 10, 10, 10]
    gaps = [0, 2, 2, 2, 2, 2]
    assert rules.paginate(heights, gaps, 34) == [0, 3]
    # Entry 3 is a sub-point of 2: the page breaks before its parent instead.
    assert rules.paginate(heights, gaps, 34, [0, 0, 0, 1, 0, 0]) == [0, 2, 5]
    # A point taller than a page gets a page of its own.
    assert rules.paginate([10, 100, 10], [0, 2, 2], 34) == [0, 1, 2]
    assert rules.paginate([], [], 34) == [0]
    assert rules.page_of(4, [0, 2, 5]) == 1


def test_cutting_pages_carries_on_after_an_append_exactly_as_cutting_them_all():
    rng = random.Random(5)
    for _ in range(300):
        count = rng.randrange(1, 40)
        depths = [0] + [rng.choice((0, 0, 1, 2)) for _ in range(count - 1)]
        heights = [rng.choice((9.5, 19.0, 28.5, 120.0)) for _ in range(count)]
        gaps = [0.0] + [4.05 if d == 0 else 1.35 for d in depths[1:]]
        page_height = rng.choice((30.0, 47.5, 100.0))
        cut = rng.randrange(0, count)
        before = rules.paginate_scan(heights[:cut], gaps[:cut], page_height, depths[:cut])
        whole = rules.paginate_scan(heights, gaps, page_height, depths)
        resumed = rules.paginate_scan(heights, gaps, page_height, depths, before)
        assert resumed == whole
        assert list(whole.starts) == rules.paginate(heights, gaps, page_height, depths)
        ranges = rules.page_ranges(heights, gaps, page_height, depths)
        assert rules.page_ranges(heights, gaps, page_height, depths, resumed) == ranges
    # A scan made for another page height is not carried on: the column is cut again.
    heights, gaps = [10.0] * 6, [0.0] + [2.0] * 5
    other = rules.paginate_scan(heights[:3], gaps[:3], 100.0)
    assert rules.paginate_scan(heights, gaps, 34.0, None, other).starts == (0, 3)


def test_the_last_page_shows_the_newest_point_and_as_many_before_it_as_fit():
    heights = [10] * 7
    gaps = [0] + [2] * 6
    # Forwards: [0-2], [3-5], [6] alone. The last page is filled backwards instead: [4-6].
    assert rules.paginate(heights, gaps, 34) == [0, 3, 6]
    assert rules.page_ranges(heights, gaps, 34) == [(0, 3), (3, 6), (4, 7)]
    # The newest point is shown on the last page, an earlier one on its own page.
    pages = rules.page_ranges(heights, gaps, 34)
    assert rules.page_of(6, pages) == 2 and rules.page_of(4, pages) == 2
    assert rules.page_of(3, pages) == 1 and rules.page_of(0, pages) == 0
    # A page wholly repeated by the last one is dropped.
    assert rules.page_ranges([10, 10, 10, 10], [0, 2, 2, 2], 34) == [(0, 3), (1, 4)]
    # The last page does not start with a lone sub-point when its point can start it.
    assert rules.last_page_start(heights, gaps, 34, [0, 0, 0, 0, 1, 0, 0]) == 5
    # ... but not when that would leave the page half empty (a point with many sub-points
    # just before the newest): the page keeps its sub-points rather than show one point.
    assert rules.last_page_start(heights, gaps, 34, [0, 1, 1, 1, 1, 1, 0]) == 4
    assert rules.page_ranges(heights, gaps, 100) == [(0, 7)]
    assert rules.page_ranges([], [], 34) == [(0, 0)]


def test_text_direction():
    assert rules.text_is_rtl("שלום world")
    assert rules.text_is_rtl("  123 مرحبا")
    assert not rules.text_is_rtl("Hello שלום")
    assert not rules.text_is_rtl("😀 123")


def test_an_insert_measures_only_the_new_bullets_and_lays_out_as_measured_whole(
    projector, monkeypatch
):
    """After an Enter the column's other bullets keep their measured heights; the heights, gaps
    and pages are exactly those of measuring the whole column again."""
    from csfacilitator.gui.board import projector_geometry
    from csfacilitator.gui.board.projector_layout import entry

    measured: list[int] = []
    whole = projector_geometry._heights

    def spy(entries, *args):
        measured.append(len(entries))
        return whole(entries, *args)

    monkeypatch.setattr(projector_geometry, "_heights", spy)
    words = ("the", "park", "wardens", "will", "extend", "patrols", "on", "Friday", "evenings")
    bullets = [
        entry(i, int(i % 3 == 1), " ".join(words[: 3 + i % 7]) + f" ({i})") for i in range(1, 301)
    ]
    projector.set_column("strengths", bullets)
    projector._current_layout()
    inserts = [  # (where, depths): at the end, in the middle as sub-points, at the top
        (300, [0]),
        (150, [1, 2]),
        (0, [0]),
        (301, [1]),
    ]
    for number, (index, depths) in enumerate(inserts):
        new = [entry(1000 + 10 * number + d, d, f"New point {number} {d}") for d in depths]
        measured.clear()
        projector.insert_entries("strengths", index, new)
        got = next(c for c in projector._current_layout().columns if c.key == "strengths")
        assert measured == ([len(new)] if index else [len(got.entries)])
        assert len(got.pages) > 1  # the column pages: it does not all fit
        projector._page_cache.clear()
        projector._invalidate()
        fresh = next(c for c in projector._current_layout().columns if c.key == "strengths")
        assert (got.heights, got.gaps, got.pages) == (fresh.heights, fresh.gaps, fresh.pages)
        assert got.entries == fresh.entries
