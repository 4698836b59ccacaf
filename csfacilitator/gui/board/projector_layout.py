"""The projector's rules as plain functions: which screen to use, where a window may go, how big
the type is, how a point wraps and how a column is cut into pages.

Nothing here touches a real screen or paints, so every rule is unit-tested on plain geometry.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Sequence
from typing import NamedTuple, TypeVar

from PySide6.QtCore import QRect

T = TypeVar("T")

#: Point text size at a 1080-pixel-high screen: never smaller than MIN (readable from the back of
#: a hall), never larger than MAX (a near-empty board should not shout). Both scale with height.
MIN_POINT_PX_AT_1080 = 20
MAX_POINT_PX_AT_1080 = 46
#: A point longer than this is cut with an ellipsis on the projector (the board tab keeps it all).
MAX_PROJECTED_CHARS = 1000

# ---------------------------------------------------------------------------------------------
# Screens


def choose_projector_screen(screens: Sequence[T], primary: T | None, main: T | None) -> T | None:
    """The screen to show the board full-screen on, or None when there is only one screen.

    Prefers a screen that is neither the main window's nor the primary one, then any screen that
    is not the main window's; it never covers the screen the chair is typing on.
    """
    if len(screens) < 2:
        return None
    for candidate in screens:
        if candidate != main and candidate != primary:
            return candidate
    for candidate in screens:
        if candidate != main:
            return candidate
    return None


def choose_home_screen(
    screens: Sequence[T], primary: T | None, main: T | None, removed: T | None = None
) -> T | None:
    """The laptop screen to come back to (when a projector is unplugged, or with one screen):
    the main window's screen, else the primary, else whatever screen is left."""
    remaining = [s for s in screens if removed is None or s != removed]
    for preferred in (main, primary):
        if preferred is not None and preferred in remaining:
            return preferred
    return remaining[0] if remaining else None


def windowed_geometry(available: QRect, fraction: float = 0.8) -> QRect:
    """A 16:9 window centred on `available`, at most `fraction` of it in each direction."""
    width = min(available.width() * fraction, available.height() * fraction * 16 / 9)
    height = width * 9 / 16
    width, height = max(1, round(width)), max(1, round(height))
    left = available.x() + (available.width() - width) // 2
    top = available.y() + (available.height() - height) // 2
    return QRect(left, top, width, height)


def fit_inside(rect: QRect, available: QRect) -> QRect:
    """`rect` shrunk to fit `available` and moved inside it (so a window is never off-screen)."""
    width = min(rect.width(), available.width())
    height = min(rect.height(), available.height())
    left = min(max(rect.x(), available.x()), available.x() + available.width() - width)
    top = min(max(rect.y(), available.y()), available.y() + available.height() - height)
    return QRect(left, top, width, height)


# ---------------------------------------------------------------------------------------------
# Type sizes


def min_point_px(screen_height: int) -> int:
    """The smallest point text, in pixels, for a screen this high (20 px at 1080 px)."""
    return max(10, round(MIN_POINT_PX_AT_1080 * screen_height / 1080))


def max_point_px(screen_height: int) -> int:
    """The largest point text, in pixels, for a screen this high (46 px at 1080 px)."""
    return max(min_point_px(screen_height) + 1, round(MAX_POINT_PX_AT_1080 * screen_height / 1080))


def fit_font_size(smallest: int, largest: int, fits: Callable[[int], bool]) -> tuple[int, bool]:
    """The largest size in [smallest, largest] for which `fits(size)` holds (binary search; fits
    must be monotonic), and whether it fits at all. If not even `smallest` fits, that size is
    returned with False: the caller pages."""
    if smallest >= largest:
        return smallest, fits(smallest)
    if fits(largest):
        return largest, True
    if not fits(smallest):
        return smallest, False
    low, high = smallest, largest  # fits(low) holds, fits(high) does not
    while high - low > 1:
        middle = (low + high) // 2
        if fits(middle):
            low = middle
        else:
            high = middle
    return low, True


# ---------------------------------------------------------------------------------------------
# Points and text


class Entry(NamedTuple):
    """One bullet on the projector: a point or sub-point flattened with its nesting depth."""

    point_id: int
    depth: int
    text: str


@functools.lru_cache(maxsize=8192)
def projected_text(text: str) -> str:
    """A point's text as the projector shows it: tabs as spaces, very long text cut."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").strip()
    if len(text) > MAX_PROJECTED_CHARS:
        text = text[: MAX_PROJECTED_CHARS - 1].rstrip() + "…"
    return text


def flatten(points: Sequence, depth: int = 0) -> list[Entry]:
    """Points (objects with id, text, children) in reading order, sub-points after parents."""
    entries: list[Entry] = []
    for point in points:
        entries.append(Entry(point.id, depth, projected_text(point.text)))
        entries.extend(flatten(point.children, depth + 1))
    return entries


def text_is_rtl(text: str) -> bool:
    """Whether a paragraph reads right to left: its first strong character decides (as the
    Unicode bidi algorithm does for a paragraph's base direction)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return False


def _joins_previous(char: str) -> bool:
    return (
        bool(unicodedata.combining(char))
        or char in "\u200d\ufe0e\ufe0f"
        or ("\U0001f3fb" <= char <= "\U0001f3ff")
    )


def _break_word(word: str, width: float, advance: Callable[[str], float]) -> list[str]:
    """A word wider than a line, cut into pieces that fit (never inside a combined character)."""
    pieces: list[str] = []
    rest = word
    while rest and advance(rest) > width:
        low, high = 1, len(rest)  # the longest prefix that fits is in [low, high)
        while high - low > 1:
            middle = (low + high) // 2
            if advance(rest[:middle]) <= width:
                low = middle
            else:
                high = middle
        cut = low
        while cut < len(rest) and (_joins_previous(rest[cut]) or rest[cut - 1] == "\u200d"):
            cut += 1
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        pieces.append(rest)
    return pieces


def wrap_text(text: str, width: float, advance: Callable[[str], float], space: float) -> list[str]:
    """Greedy word wrap of `text` into lines no wider than `width`.

    `advance(word)` gives a word's width and `space` a space's, in the same unit as `width`.
    Line breaks in the text are kept; runs of spaces collapse; an over-long word is cut.
    Measuring words (which repeat a lot, and are cached by the caller) instead of whole lines is
    what keeps fitting hundreds of points fast.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words = paragraph.split()
        if not words:
            lines.append("")
            continue
        current: list[str] = []
        used = 0.0
        for word in words:
            word_width = advance(word)
            if current and used + space + word_width <= width:
                current.append(word)
                used += space + word_width
                continue
            if current:
                lines.append(" ".join(current))
            if word_width <= width:
                current, used = [word], word_width
            else:
                *full, last = _break_word(word, width, advance)
                lines.extend(full)
                current, used = [last], advance(last)
        lines.append(" ".join(current))
    return lines


# ---------------------------------------------------------------------------------------------
# Pages


def paginate(
    heights: Sequence[float],
    gaps: Sequence[float],
    page_height: float,
    depths: Sequence[int] | None = None,
) -> list[int]:
    """The index of the first entry of each page.

    Entries are kept whole; `gaps[i]` is the space above entry i, dropped at the top of a page.
    With `depths`, a page does not start with a sub-point when its parent point can move to that
    page too (a sub-point alone on a page loses its meaning). An entry taller than a page gets a
    page to itself. There is always at least one page.
    """
    starts = [0]
    used = 0.0
    for index, height in enumerate(heights):
        if index == starts[-1]:
            used = height
            continue
        if used + gaps[index] + height <= page_height:
            used += gaps[index] + height
            continue
        start, start_used = index, height
        if depths is not None:
            parent = index
            while parent > starts[-1] and depths[parent] > 0:
                parent -= 1
            if parent > starts[-1] and depths[parent] == 0:
                group = heights[parent] + sum(
                    gaps[i] + heights[i] for i in range(parent + 1, index + 1)
                )
                if group <= page_height:
                    start, start_used = parent, group
        starts.append(start)
        used = start_used
    return starts


def page_of(index: int, starts: Sequence[int]) -> int:
    """The page holding entry `index`, given each page's first entry."""
    page = 0
    for number, start in enumerate(starts):
        if start <= index:
            page = number
    return page
