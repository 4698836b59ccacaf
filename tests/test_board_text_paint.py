"""A board row's text, kept laid out between paints (point_delegate.PointDelegate._laid_out),
is drawn pixel for pixel as QPainter.drawText draws it; text in other scripts (where it would
not be: Devanagari, Bengali, Tamil), or too tall for its row, is left to drawText."""

from __future__ import annotations

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
