"""How the projector measures text: its fonts, and point text wrapped at any size from word
widths measured once (so live typing re-wraps only the point being typed)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetricsF

from csfacilitator.gui.board import projector_layout as rules

#: Sans-serif faces that read well from a distance, in order of preference per platform.
FONT_FAMILIES = [
    "Segoe UI",
    "Noto Sans",
    "Helvetica Neue",
    "Arial",
    "Liberation Sans",
    "DejaVu Sans",
]
#: Words are measured once at this size and scaled: advances are linear in the pixel size.
REF_PX = 100
#: Line height as a multiple of the font's own line spacing (a little air for a big room).
LINE_FACTOR = 1.0
#: Width kept spare on every wrapped line, for hinting differences at the real size.
WIDTH_SLACK = 0.985
_CACHE_LIMIT = 40_000


def make_font(px: int, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPixelSize(max(1, px))
    font.setWeight(weight)
    return font


class TextMeasure:
    """Wraps point text at any size from word widths measured once, at a reference size.

    Word widths scale linearly with the pixel size, and the same words come back again and again
    on a board, so after the first measurement wrapping is pure arithmetic; wrapped lines are
    cached per (text, size, width), so live typing re-wraps only the point being typed.
    """

    def __init__(self) -> None:
        self._reference = QFontMetricsF(make_font(REF_PX))
        self._space = self._reference.horizontalAdvance(" ")
        #: Capital height as a share of the pixel size, for the minimum readable size.
        self.cap_ratio = self._reference.capHeight() / REF_PX or rules.DEFAULT_CAP_RATIO
        self._line_ref = self._reference.lineSpacing()
        self._advances: dict[str, float] = {}
        self._wraps: dict[tuple[str, int, int], tuple[str, ...]] = {}
        self._fonts: dict[tuple[int, int], tuple[QFont, QFontMetricsF]] = {}

    def _advance(self, word: str) -> float:
        width = self._advances.get(word)
        if width is None:
            if len(self._advances) > _CACHE_LIMIT:
                self._advances.clear()
            width = self._advances[word] = self._reference.horizontalAdvance(word)
        return width

    def lines(self, text: str, px: int, width: float) -> tuple[str, ...]:
        """`text` wrapped for point size `px` in a line `width` pixels wide."""
        key = (text, px, int(width))
        wrapped = self._wraps.get(key)
        if wrapped is None:
            if len(self._wraps) > _CACHE_LIMIT:
                self._wraps.clear()
            limit = max(1.0, int(width) * WIDTH_SLACK * REF_PX / px)
            words = rules.wrap_text(text, limit, self._advance, self._space)
            wrapped = self._wraps[key] = tuple(_fit(words, self.font(px)[1], width))
        return wrapped

    def line_height(self, px: int) -> float:
        return round(self._line_ref * px / REF_PX * LINE_FACTOR, 2)

    def font(
        self, px: int, weight: QFont.Weight = QFont.Weight.Normal
    ) -> tuple[QFont, QFontMetricsF]:
        key = (px, int(weight.value))
        found = self._fonts.get(key)
        if found is None:
            font = make_font(px, weight)
            found = self._fonts[key] = (font, QFontMetricsF(font))
        return found


def _fit(lines: list[str], metrics: QFontMetricsF, width: float) -> list[str]:
    """Lines measured whole at the real size. Words measured one by one can add up to less
    than the shaped line (fallback fonts for emoji, Arabic or Devanagari; hinting), so a line
    still too wide gives its last words a line of their own: never past the column's edge."""
    fitted: list[str] = []
    pending = list(lines)
    while pending:
        line = pending.pop(0)
        moved: list[str] = []
        while metrics.horizontalAdvance(line) > width and " " in line.strip():
            line, _, last = line.rstrip().rpartition(" ")
            moved.insert(0, last)
        fitted.append(line)
        if moved:
            pending.insert(0, " ".join(moved))
    return fitted
