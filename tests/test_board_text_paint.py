"""A board row's text, kept laid out between paints (point_delegate.PointDelegate._laid_out),
is drawn pixel for pixel as QPainter.drawText draws it; text in other scripts (where it would
not be: Devanagari, Bengali, Tamil), or too tall for its row, is left to drawText."""

from __future__ import annotations

import re
from types import SimpleNamespace

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter

from csfacilitator.gui.board.column_model import ColumnModel
from csfacilitator.gui.board.column_view import ColumnView
from csfacilitator.gui.board.point_delegate import _text_option

TEXTS = (
    "Young people report being approached near the bus station after school by older males "
    "offering lifts, vapes and cash.",
    "Short.",
    "<b>Not bold</b> &amp; an ampersand & another &&",
    "Averyveryveryverylongwordwithoutanyspacesthatmustwrapanywhereinsideitscolumnwidth",
    "Café naïve façade résumé Zürich Łódź Ærøskøbing — “quoted” … long enough to wrap",
    "Ελληνικά κείμενο αρκετά μακρύ ώστε να αναδιπλωθεί σε δεύτερη γραμμή της στήλης",
    "Русский текст достаточно длинный чтобы перенестись на вторую строку колонки",
    "  leading and trailing spaces  ",
)
#: Left to drawText: a QStaticText of the first three (and of tabs) lands a pixel off.
OTHER_SCRIPTS = (
    "Hindi हिन्दी पाठ and English mixed, long enough to wrap onto the next line of the row",
    "বাংলা লেখা যথেষ্ট লম্বা যাতে পরের লাইনে চলে যায় এখানে",
    "தமிழ் உரை அடுத்த வரிக்கு செல்லும் அளவுக்கு நீளமானது இங்கே",
    "مرحبا بالعالم، نص عربي",
    "\u200fA right-to-left mark first",
    "Emoji 😀 in a point",
    "中文文本测试",
    "tab\tseparated\ttext",
)


def _delegate(qtbot):  # noqa: ANN001, ANN202 - pytest-qt's fixture; the view's delegate
    document = SimpleNamespace(token="t", nodes={}, flags={}, matches=set())
    view = ColumnView(ColumnModel("concerns", document))  # type: ignore[arg-type]
    qtbot.addWidget(view)
    return view.delegate, view.font()


def _drawn(draw) -> QImage:  # noqa: ANN001 - a function of a QPainter
    image = QImage(360, 220, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    draw(painter)
    painter.end()
    return image


def test_laid_out_text_is_drawn_exactly_as_draw_text_draws_it(qtbot) -> None:  # noqa: ANN001
    delegate, font = _delegate(qtbot)
    rect = QRectF(22.0, 4.0, 301.0, 200.0)
    for text in TEXTS:

        def plain(painter: QPainter, text: str = text) -> None:
            painter.setFont(font)
            painter.drawText(rect, text, _text_option(text))

        static = delegate._laid_out(text, rect, font)
        assert static is not None, text

        def kept(painter: QPainter, static=static) -> None:  # noqa: ANN001
            painter.setFont(font)
            painter.drawStaticText(rect.topLeft(), static)

        assert _drawn(plain) == _drawn(kept), text
        assert delegate._laid_out(text, rect, font) is static  # laid out once


def test_other_scripts_or_overflowing_text_are_left_to_draw_text(qtbot) -> None:  # noqa: ANN001
    delegate, font = _delegate(qtbot)
    for text in OTHER_SCRIPTS:
        assert delegate._laid_out(text, QRectF(0, 0, 300, 100), font) is None, text
    long = " ".join(["words"] * 80)
    assert delegate._laid_out(long, QRectF(0, 0, 120, 20), font) is None
    delegate.clear_cache()
    assert delegate._laid_out(long, QRectF(0, 0, 300, 400), font) is not None


def test_rows_the_style_has_nothing_for_look_the_same_without_asking_it(
    qtbot, board_tab, monkeypatch
) -> None:  # noqa: ANN001
    """PointDelegate skips the style's item drawing for a plain row; every kind of row (plain,
    selected with and without the focus, a find match, a flagged one, a sub-point) is painted
    pixel for pixel as when the style is asked for each."""
    from PySide6.QtWidgets import QApplication

    from csfacilitator.app import _style
    from csfacilitator.gui.board import point_delegate

    _style(QApplication.instance())  # the app's own style and style sheet, as in the window
    tab = board_tab
    for column, texts in (
        ("concerns", ["Approached near the bus station", "Call 07700 900123 about it", "Dark"]),
        ("strengths", ["Youth worker trusted", "Parents want to help", "Wardens patrol Fridays"]),
    ):
        entry = tab.pane(column).entry
        for text in texts:
            entry.setText(text)
            qtbot.keyClick(entry, Qt.Key.Key_Return)
    qtbot.keyClick(tab.pane("strengths").entry, Qt.Key.Key_Up)  # the list: focused, selected
    tab.find_field.setText("Parents")  # a find match
    focused_view = tab.pane("strengths").view
    qtbot.waitUntil(focused_view.hasFocus)
    assert tab.document.flags, "the phone number is flagged"
    calls = []
    real = point_delegate._styled

    def counted(opt):  # noqa: ANN001, ANN202
        calls.append(real(opt))
        return calls[-1]

    def pictures() -> list:
        QApplication.processEvents()
        return [tab.pane(c).view.viewport().grab().toImage() for c in ("concerns", "strengths")]

    monkeypatch.setattr(point_delegate, "_styled", counted)
    skipping = pictures()
    assert True in calls and False in calls  # both kinds of row were painted
    monkeypatch.setattr(point_delegate, "_styled", lambda opt: True)
    assert pictures() == skipping


def test_bullets_kept_laid_out_are_drawn_as_draw_text_draws_them(
    qtbot, board_tab, monkeypatch
) -> None:  # noqa: ANN001
    """A row's bullet is drawn from a kept QStaticText by the rule its text is (the round
    bullet of a point, at least); the column looks the same as with drawText for all."""
    from PySide6.QtWidgets import QApplication

    from csfacilitator.gui.board import point_delegate

    tab = board_tab
    entry = tab.pane("concerns").entry
    for text, nest in (("Approached near the bus station", False), ("By older males", True)):
        entry.setText(text)
        if nest:
            qtbot.keyClick(entry, Qt.Key.Key_Tab)  # a sub-point: the second kind of bullet
        qtbot.keyClick(entry, Qt.Key.Key_Return)
    view = tab.pane("concerns").view
    delegate = view.delegate

    def picture():  # noqa: ANN202
        QApplication.processEvents()
        return view.viewport().grab().toImage()

    kept = picture()
    assert any(text == "•" and static for (text, *_rest), static in delegate._statics.items())
    monkeypatch.setattr(point_delegate, "_SIMPLE_TEXT", re.compile(r"(?!)"))  # nothing kept
    delegate.clear_cache()
    assert picture() == kept
    assert delegate._statics and not any(delegate._statics.values())  # all by drawText now
