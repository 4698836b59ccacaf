"""The projector's rules as plain functions: which screen to use, where a window may go, how big
the type is, how a point wraps and how a column is cut into pages.

Nothing here touches a real screen or paints, so every rule is unit-tested on plain geometry.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Callable, Container, Sequence
from typing import NamedTuple, TypeVar

from PySide6.QtCore import QRect

from csfacilitator.core.textclean import shortened
from csfacilitator.text_direction import is_rtl

T = TypeVar("T")

#: Readable from the back of a hall: on a 1080-pixel-high screen a capital letter of a point is at
#: least this many pixels tall (about 2.2% of the picture's height, which from 12 m on a 2.5 m
#: wide screen is still well above the size a reader needs). Past that size columns page.
MIN_CAP_PX_AT_1080 = 24
#: A near-empty board should not shout: the largest point text, in pixels, at 1080 pixels high.
MAX_POINT_PX_AT_1080 = 58
#: Capital height as a share of a font's pixel size (Liberation Sans and Arial 0.69, Segoe UI
#: 0.70, Noto Sans 0.71, DejaVu Sans 0.73); the renderer passes the measured one.
DEFAULT_CAP_RATIO = 0.69
#: What a point flagged as a possible personal detail shows instead of its text.
MASKED_TEXT = "Personal detail hidden"
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


def min_point_px(screen_height: int, cap_ratio: float = DEFAULT_CAP_RATIO) -> int:
    """The smallest point text, in pixels, for a screen this high: the size whose capitals are
    MIN_CAP_PX_AT_1080 tall at 1080 pixels (35 px for Liberation Sans), scaled with the height."""
    caps = MIN_CAP_PX_AT_1080 * screen_height / 1080
    return max(10, math.ceil(caps / max(0.4, cap_ratio) - 0.01))


def max_point_px(screen_height: int, cap_ratio: float = DEFAULT_CAP_RATIO) -> int:
    """The largest point text, in pixels, for a screen this high (58 px at 1080 px)."""
    return max(
        min_point_px(screen_height, cap_ratio) + 1,
        round(MAX_POINT_PX_AT_1080 * screen_height / 1080),
    )


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
    """One bullet on the projector: a point or sub-point flattened with its nesting depth.

    `masked` is True for a point flagged as a possible personal detail: its `text` is then
    MASKED_TEXT, never what was typed."""

    point_id: int
    depth: int
    text: str
    masked: bool = False


def index_of(entries: Sequence[Entry], point_id: int | None) -> int | None:
    """Where a point is among a column's bullets, looking from the newest (the usual case)."""
    for index in range(len(entries) - 1, -1, -1):
        if entries[index].point_id == point_id:
            return index
    return None


def entry(point_id: int, depth: int, text: str, masked: bool = False) -> Entry:
    """The projector's bullet for one point (its text cleaned and cut, or masked)."""
    if masked:
        return Entry(point_id, depth, MASKED_TEXT, True)
    return Entry(point_id, depth, projected_text(text))


@functools.lru_cache(maxsize=8192)
def projected_text(text: str) -> str:
    """A point's text as the projector shows it: tabs as spaces, very long text cut."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").strip()
    return shortened(text, MAX_PROJECTED_CHARS)


def flatten(points: Sequence, depth: int = 0, masked: Container[int] = ()) -> list[Entry]:
    """Points (objects with id, text, children) in reading order, sub-points after parents; the
    points whose ids are in `masked` show MASKED_TEXT instead of their text."""
    entries: list[Entry] = []
    for point in points:
        entries.append(entry(point.id, depth, point.text, point.id in masked))
        entries.extend(flatten(point.children, depth + 1, masked))
    return entries


# The board's name for the one check in text_direction (the renderer and delegate use it).
text_is_rtl = is_rtl


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


class PageScan(NamedTuple):
    """Where `paginate` stopped: how many entries it cut (`scanned`), for which page height,
    each page's first entry, and the height used on the last page. Entries appended after those
    carry on from here (`resume`) instead of cutting the column again from its first entry."""

    scanned: int
    page_height: float
    starts: tuple[int, ...]
    used: float


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
    return list(paginate_scan(heights, gaps, page_height, depths).starts)


def paginate_scan(
    heights: Sequence[float],
    gaps: Sequence[float],
    page_height: float,
    depths: Sequence[int] | None = None,
    resume: PageScan | None = None,
) -> PageScan:
    """`paginate`, returning where it stopped. With `resume` (a scan of the first entries of
    these same entries, at this page height), only the entries after them are cut: the same
    pages as cutting them all, since a page's cut never looks past the entry being placed."""
    starts = [0]
    used = 0.0
    first = 0
    if resume is not None and resume.page_height == page_height and resume.scanned <= len(heights):
        starts, used, first = list(resume.starts), resume.used, resume.scanned
    for index in range(first, len(heights)):
        height = heights[index]
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
    return PageScan(len(heights), page_height, tuple(starts), used)


def last_page_start(
    heights: Sequence[float],
    gaps: Sequence[float],
    page_height: float,
    depths: Sequence[int] | None = None,
) -> int:
    """The first entry of a page filled backwards from the last entry: the newest point and as
    many before it as fit. With `depths`, the page starts at a point rather than at a lone
    sub-point when a point of this page can start it without losing half the page."""
    count = len(heights)
    if count == 0:
        return 0
    start, used = count - 1, heights[-1]
    while start > 0 and used + gaps[start] + heights[start - 1] <= page_height:
        used += gaps[start] + heights[start - 1]
        start -= 1
    if depths is not None and depths[start] > 0:
        # Rather than open on a lone sub-point, start at the next point — unless that leaves
        # the page half empty (a long list of sub-points under the newest point).
        later = next((i for i in range(start + 1, count) if depths[i] == 0), None)
        if later is not None:
            dropped = sum(heights[i] + gaps[i + 1] for i in range(start, later))
            if dropped <= page_height / 2:
                start = later
    return start


def page_ranges(
    heights: Sequence[float],
    gaps: Sequence[float],
    page_height: float,
    depths: Sequence[int] | None = None,
    scan: PageScan | None = None,
) -> list[tuple[int, int]]:
    """A column's pages as (first, end) entry ranges: the paging rule.

    Pages are cut forwards from the first point (see `paginate`), except the last, which is
    filled backwards from the newest point so that it shows the newest point and as many before
    it as fit; it may repeat the end of the page before it, never shows a near-empty page, and
    an earlier page wholly repeated by it is dropped. Every entry is on a page. `scan` is
    `paginate_scan` of these entries, when the caller has it.
    """
    count = len(heights)
    if scan is None:
        scan = paginate_scan(heights, gaps, page_height, depths)
    starts = scan.starts
    if len(starts) == 1:
        return [(0, count)]
    ends = [*starts[1:], count]
    pages = list(zip(starts, ends, strict=True))
    back = min(last_page_start(heights, gaps, page_height, depths), starts[-1])
    earlier = [page for page in pages[:-1] if page[0] < back]
    return [*earlier, (back, count)]


def page_of(index: int, pages: Sequence[tuple[int, int]] | Sequence[int]) -> int:
    """The page showing entry `index`: the last page when it is there (it holds the newest
    point too), else the page that holds it. `pages` are (first, end) ranges, or each page's
    first entry for pages that do not overlap."""
    ranges = [page for page in pages if isinstance(page, tuple)]
    if len(ranges) != len(pages):  # each page's first entry
        starts = [page for page in pages if isinstance(page, int)]
        ends = [*starts[1:], max(index + 1, starts[-1] + 1)]
        ranges = list(zip(starts, ends, strict=True))
    for number in range(len(ranges) - 1, -1, -1):
        first, end = ranges[number]
        if first <= index < end:
            return number
    return 0 if not ranges or index < ranges[0][0] else len(ranges) - 1
