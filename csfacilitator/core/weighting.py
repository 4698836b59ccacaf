"""The context weighting picture: a few contexts drawn as boxes whose relative size says how much
each must change for young people to be safer, in the order the lead practitioner puts them, with
dotted links between contexts that affect each other.

A `Weighting` is an immutable value. Every operation (grow, shrink, rename, move, add, remove,
toggle_link) returns a new one, so the GUI can keep the before and after for undo and the Word
export can draw the same thing.

Sizes are shares of the whole (summing to 1), each between MIN_SHARE and MAX_SHARE: when one box
grows the others give way in proportion to their size, none below the minimum.

Storage: one `ContextWeighting` row per conference with `meeting_id` None is the *working copy*,
the one the Assessment tab edits and the assessment report prints. A row with a meeting is a
*snapshot*: a copy of the working copy taken by `snapshot_for_meeting` when a meeting is held or a
review is started, so a review can show how the weighting moved. Snapshots are not edited; taking
one again for the same meeting replaces it. Each is named by its conference and meeting
(`model.weighting_uid`), so the same one made on two laptops offline is one row when they sync.

Long because it is one value's whole life: its pure operations, words, JSON, layout and
storage, which the GUI, the Word picture and undo all use.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from itertools import combinations
from typing import TypeGuard

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from csfacilitator.core.meetings import list_meetings, meeting_label
from csfacilitator.core.model import (
    Conference,
    ContextWeighting,
    Meeting,
    utcnow,
    weighting_uid,
)
from csfacilitator.core.rows import conference_in
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import NotFound, UserError
from csfacilitator.storage.database import Database

MIN_SHARE = 0.08
MAX_SHARE = 0.6
MIN_BOXES = 1
MAX_BOXES = 6
STEP = 0.05  # one press of + or -
MAX_NAME_CHARS = 80
_EPSILON = 1e-6

#: Box colours (fill, edge), in box order, shared by the on-screen picture and the Word picture:
#: light, calm fills on which dark text reads at well over 7:1.
BOX_COLOURS: tuple[tuple[str, str], ...] = (
    ("#D7E7F6", "#4F76A0"),
    ("#DCEFD8", "#4E8A4A"),
    ("#F6E5C6", "#A57A2E"),
    ("#E6DDF3", "#76609E"),
    ("#F6DAD6", "#A65B50"),
    ("#D4EEEA", "#3F8A80"),
)
TEXT_COLOUR = "#17212B"
LINK_COLOUR = "#2E3D4C"


@dataclass(frozen=True)
class Context:
    """One box: a context's name and its share of the whole (0..1)."""

    name: str
    size: float


@dataclass(frozen=True)
class Weighting:
    """Boxes in order and links between them (pairs of box indexes, smaller first).

    Construction tidies what it is given: sizes that do not add up or break the bounds are
    rebalanced, and links are put in order with duplicates, self-links and stray indexes dropped.
    """

    boxes: tuple[Context, ...]
    links: tuple[tuple[int, int], ...] = ()

    def __post_init__(self) -> None:
        boxes = tuple(self.boxes)
        if not MIN_BOXES <= len(boxes) <= MAX_BOXES:
            raise UserError(
                f"A context weighting has between {MIN_BOXES} and {MAX_BOXES} contexts, "
                f"not {len(boxes)}."
            )
        sizes = [b.size for b in boxes]
        if not _valid_sizes(sizes):
            sizes = _normalised(sizes)
            boxes = tuple(Context(b.name, s) for b, s in zip(boxes, sizes, strict=True))
        object.__setattr__(self, "boxes", boxes)
        object.__setattr__(self, "links", _tidy_links(self.links, len(boxes)))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(b.name for b in self.boxes)

    @property
    def sizes(self) -> tuple[float, ...]:
        return tuple(b.size for b in self.boxes)

    def is_linked(self, i: int, j: int) -> bool:
        return (min(i, j), max(i, j)) in self.links


@dataclass(frozen=True)
class Rect:
    """A box's place in a picture, in the picture's own units (pixels)."""

    x: float
    y: float
    width: float
    height: float

    @property
    def center(self) -> tuple[float, float]:
        return (self.x + self.width / 2, self.y + self.height / 2)

    @property
    def area(self) -> float:
        return self.width * self.height

    def contains(self, px: float, py: float) -> bool:
        return self.x <= px <= self.x + self.width and self.y <= py <= self.y + self.height


@dataclass(frozen=True)
class WeightingSnapshot:
    """The weighting as it stood at one meeting."""

    meeting_id: int
    label: str  # "Conference · 5 Nov 2026"
    date: dt.date | None
    weighting: Weighting
    updated_at: dt.datetime


# ------------------------------------------------------------------------------ sizes and links


def _valid_sizes(sizes: list[float]) -> bool:
    if not all(_usable(s) for s in sizes):
        return False
    if abs(sum(sizes) - 1) > _EPSILON:
        return False
    if len(sizes) == 1:
        return True
    return all(MIN_SHARE - _EPSILON <= s <= MAX_SHARE + _EPSILON for s in sizes)


def _distribute(weights: list[float], total: float) -> list[float]:
    """Shares in proportion to `weights`, each within [MIN_SHARE, MAX_SHARE], summing to `total`
    (which the caller keeps within reach of the bounds)."""
    n = len(weights)
    weights = [w if w > 0 else 0.0 for w in weights]
    result = [0.0] * n
    free = list(range(n))
    remaining = total
    while free:
        weight_sum = sum(weights[k] for k in free)
        if weight_sum > 0:
            tentative = {k: remaining * weights[k] / weight_sum for k in free}
        else:
            tentative = {k: remaining / len(free) for k in free}
        over = [k for k in free if tentative[k] > MAX_SHARE]
        under = [k for k in free if tentative[k] < MIN_SHARE]
        if not over and not under:
            for k in free:
                result[k] = tentative[k]
            break
        # Pin the worse side to its bound and share the rest again among the others.
        excess = sum(tentative[k] - MAX_SHARE for k in over)
        shortfall = sum(MIN_SHARE - tentative[k] for k in under)
        pinned, bound = (over, MAX_SHARE) if excess >= shortfall else (under, MIN_SHARE)
        for k in pinned:
            result[k] = bound
            remaining -= bound
        free = [k for k in free if k not in pinned]
    return result


def _usable(size: object) -> TypeGuard[float]:
    return isinstance(size, (int, float)) and not isinstance(size, bool) and math.isfinite(size)


def _normalised(sizes: list[float]) -> list[float]:
    """Sizes rescaled to add up to 1 within the bounds; an unusable size counts as an average
    one."""
    if len(sizes) == 1:
        return [1.0]
    good = [float(s) for s in sizes if _usable(s) and s > 0]
    average = sum(good) / len(good) if good else 1.0
    return _distribute([float(s) if _usable(s) and s > 0 else average for s in sizes], 1.0)


def size_bounds(count: int) -> tuple[float, float]:
    """The smallest and largest share one box can have among `count` boxes."""
    if count <= 1:
        return (1.0, 1.0)
    low = max(MIN_SHARE, 1 - (count - 1) * MAX_SHARE)
    high = min(MAX_SHARE, 1 - (count - 1) * MIN_SHARE)
    return (low, high)


def _tidy_links(links, count: int) -> tuple[tuple[int, int], ...]:
    tidy = set()
    for pair in links or ():
        try:
            i, j = (int(v) for v in pair)
        except (TypeError, ValueError):
            continue
        if i != j and 0 <= i < count and 0 <= j < count:
            tidy.add((min(i, j), max(i, j)))
    return tuple(sorted(tidy))


def _check_index(w: Weighting, i: int) -> None:
    if not 0 <= i < len(w.boxes):
        raise UserError(f"There is no context number {i + 1} in the weighting.")


def clean_name(name: object) -> str:
    """A context's name as stored; refuses an empty or overlong one with a plain message."""
    text = clean_text(name, multiline=False)
    if not text:
        raise UserError("A context needs a name.")
    if len(text) > MAX_NAME_CHARS:
        raise UserError(
            f"That name is {len(text)} characters long; keep it under {MAX_NAME_CHARS} so it fits "
            "in its box."
        )
    return text


# ------------------------------------------------------------------------------ operations


def resize(w: Weighting, i: int, size: float) -> Weighting:
    """Box `i` at `size` (kept within bounds); the others rebalance in proportion."""
    _check_index(w, i)
    n = len(w.boxes)
    if n == 1:
        return w
    low, high = size_bounds(n)
    target = min(max(size, low), high)
    if abs(target - w.boxes[i].size) < _EPSILON:
        return w
    others = [b.size for k, b in enumerate(w.boxes) if k != i]
    shared = iter(_distribute(others, 1 - target))
    sizes = [target if k == i else next(shared) for k in range(n)]
    return Weighting(
        tuple(Context(b.name, s) for b, s in zip(w.boxes, sizes, strict=True)), w.links
    )


def grow(w: Weighting, i: int, step: float = STEP) -> Weighting:
    """Box `i` bigger by `step` (unchanged if it is already as big as it can be)."""
    _check_index(w, i)
    return resize(w, i, w.boxes[i].size + step)


def shrink(w: Weighting, i: int, step: float = STEP) -> Weighting:
    """Box `i` smaller by `step` (unchanged if it is already as small as it can be)."""
    _check_index(w, i)
    return resize(w, i, w.boxes[i].size - step)


def can_grow(w: Weighting, i: int) -> bool:
    return len(w.boxes) > 1 and w.boxes[i].size < size_bounds(len(w.boxes))[1] - _EPSILON


def can_shrink(w: Weighting, i: int) -> bool:
    return len(w.boxes) > 1 and w.boxes[i].size > size_bounds(len(w.boxes))[0] + _EPSILON


def share_bounds(count: int) -> tuple[int, int]:
    """The smallest and largest whole percentage one box can be given among `count` boxes."""
    low, high = size_bounds(count)
    return (math.ceil(low * 100 - _EPSILON), math.floor(high * 100 + _EPSILON))


def _outside(count: int, typed: str) -> UserError:
    low, high = share_bounds(count)
    return UserError(
        f"With {count} contexts each one's share is between {low}% and {high}%; "
        f"{typed} is outside that."
    )


def set_share(w: Weighting, i: int, percent: float) -> Weighting:
    """Box `i` at a typed share of the whole (in percent); the others rebalance in proportion to
    their sizes so the whole stays 100%. UserError, in plain words, outside the bounds."""
    _check_index(w, i)
    if not _usable(percent):
        raise UserError("Type the share as a number, such as 40.")
    n = len(w.boxes)
    if n == 1:
        if abs(percent - 100) > _EPSILON:
            raise UserError("A single context is the whole picture: its share is 100%.")
        return w
    low, high = size_bounds(n)
    if not low - _EPSILON <= percent / 100 <= high + _EPSILON:
        raise _outside(n, f"{percent:g}%")
    return resize(w, i, percent / 100)


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SEPARATORS = re.compile(r"[\s/,;:%+|]+|\band\b", re.IGNORECASE)


def parse_shares(text: object) -> list[float]:
    """Shares typed in one go, in box order: "40 / 25 / 20 / 15", "40%, 25%, 20%, 15%"."""
    cleaned = clean_text(text, multiline=False)
    numbers = []
    for part in _SEPARATORS.split(cleaned):
        if not part:
            continue
        if not _NUMBER.fullmatch(part):
            raise UserError(f"'{part}' is not a share: type numbers such as 40 / 25 / 20 / 15.")
        numbers.append(float(part))
    if not numbers:
        raise UserError(
            "Type the shares, one for each context in order, such as 40 / 25 / 20 / 15."
        )
    return numbers


def set_shares(w: Weighting, percents: list[float] | tuple[float, ...]) -> Weighting:
    """Every box's share typed at once, in box order. Shares that do not add up to 100 are
    taken as relative sizes (40, 20, 20 is 50%, 25%, 25%). UserError for the wrong count, a
    zero, or a share outside the bounds once scaled."""
    n = len(w.boxes)
    if len(percents) != n:
        raise UserError(
            f"Type {n} share{'s' if n != 1 else ''}, one for each context in order "
            f"(you typed {len(percents)})."
        )
    if not all(_usable(p) and p > 0 for p in percents):
        raise UserError("Every context needs a share above 0.")
    total = float(sum(percents))
    sizes = [p / total for p in percents]
    if n > 1:
        low, high = size_bounds(n)
        for p, size in zip(percents, sizes, strict=True):
            if not low - _EPSILON <= size <= high + _EPSILON:
                typed = f"{p:g}%" if abs(total - 100) < _EPSILON else f"{p:g} of {total:g}"
                raise _outside(n, typed)
    boxes = tuple(Context(b.name, s) for b, s in zip(w.boxes, sizes, strict=True))
    return Weighting(boxes, w.links)


def rename(w: Weighting, i: int, name: object) -> Weighting:
    _check_index(w, i)
    boxes = list(w.boxes)
    boxes[i] = Context(clean_name(name), boxes[i].size)
    return Weighting(tuple(boxes), w.links)


def move(w: Weighting, i: int, delta: int) -> Weighting:
    """Box `i` moved `delta` places (earlier if negative); its links go with it."""
    _check_index(w, i)
    target = max(0, min(len(w.boxes) - 1, i + delta))
    order = list(range(len(w.boxes)))
    order.insert(target, order.pop(i))
    new_index = {old: new for new, old in enumerate(order)}
    links = tuple((new_index[a], new_index[b]) for a, b in w.links)
    return Weighting(tuple(w.boxes[k] for k in order), links)


def add(w: Weighting, name: object, at: int | None = None) -> Weighting:
    """A new context (at the end, or at index `at`) with an even share; the others make room."""
    if len(w.boxes) >= MAX_BOXES:
        raise UserError(
            f"A context weighting has at most {MAX_BOXES} contexts. Remove or merge one before "
            "adding another."
        )
    name = clean_name(name)
    n = len(w.boxes) + 1
    at = n - 1 if at is None else max(0, min(n - 1, at))
    share = 1 / n
    others = _distribute([b.size for b in w.boxes], 1 - share)
    boxes = [Context(b.name, s) for b, s in zip(w.boxes, others, strict=True)]
    boxes.insert(at, Context(name, share))
    links = tuple((a + (a >= at), b + (b >= at)) for a, b in w.links)
    return Weighting(tuple(boxes), links)


def remove(w: Weighting, i: int) -> Weighting:
    """Without box `i` (and its links); the others grow in proportion to fill the space."""
    _check_index(w, i)
    if len(w.boxes) <= MIN_BOXES:
        raise UserError("A context weighting needs at least one context.")
    kept = [b for k, b in enumerate(w.boxes) if k != i]
    sizes = _normalised([b.size for b in kept]) if len(kept) > 1 else [1.0]
    links = tuple((a - (a > i), b - (b > i)) for a, b in w.links if i not in (a, b))
    return Weighting(tuple(Context(b.name, s) for b, s in zip(kept, sizes, strict=True)), links)


def toggle_link(w: Weighting, i: int, j: int) -> Weighting:
    """Link boxes `i` and `j`, or unlink them if they are linked."""
    _check_index(w, i)
    _check_index(w, j)
    if i == j:
        raise UserError("A context cannot be linked to itself: choose another box.")
    pair = (min(i, j), max(i, j))
    links = tuple(p for p in w.links if p != pair) if pair in w.links else (*w.links, pair)
    return Weighting(w.boxes, links)


# ------------------------------------------------------------------------------ words


def percentages(w: Weighting) -> tuple[int, ...]:
    """Each box's share as whole percentages that add up to exactly 100."""
    raw = [b.size * 100 for b in w.boxes]
    floors = [math.floor(r) for r in raw]
    left = 100 - sum(floors)
    by_remainder = sorted(range(len(raw)), key=lambda k: (floors[k] - raw[k], k))
    for k in by_remainder[: max(0, left)]:
        floors[k] += 1
    return tuple(floors)


def describe(w: Weighting) -> str:
    """One sentence for a screen reader or an image's alt text."""
    shares = ", ".join(f"{b.name} {p}%" for b, p in zip(w.boxes, percentages(w), strict=True))
    text = f"Context weighting: {shares}"
    if w.links:
        pairs = "; ".join(f"{w.boxes[a].name} and {w.boxes[b].name}" for a, b in w.links)
        text += f"; linked: {pairs}"
    return text + "."


def describe_change(before: Weighting, after: Weighting) -> str:
    """How the weighting moved between two moments, matched by context name."""
    old = dict(zip(before.names, percentages(before), strict=True))
    new = dict(zip(after.names, percentages(after), strict=True))
    parts = []
    for name in after.names:
        if name not in old:
            parts.append(f"{name} added ({new[name]}%)")
        elif old[name] != new[name]:
            parts.append(f"{name} {old[name]}% → {new[name]}%")
    parts += [f"{name} removed" for name in before.names if name not in new]
    if not parts and before.names != after.names:
        parts.append("same sizes, in a new order")
    return "; ".join(parts) if parts else "no change"


# ------------------------------------------------------------------------------ defaults


_OTHER_CONTEXTS = {
    "school": ("Peer groups", "Wider neighbourhood", "Online spaces"),
    "peer_group": ("Schools", "Wider neighbourhood", "Online spaces"),
}
_GENERIC_OTHERS = ("Peer groups", "Schools", "Wider neighbourhood")
_FIRST_BOX = {
    "school": "The school itself",
    "peer_group": "The peer group itself",
    "online": "The online space itself",
}
_SHORT_NAME = 32


def default_weighting(context_type: str = "", context_name: str = "") -> Weighting:
    """Four even boxes to start from: the context itself, then the contexts around it that
    contextual safeguarding looks at (peer groups, schools, the wider neighbourhood, online)."""
    name = clean_text(context_name, multiline=False)
    first = (
        name if 0 < len(name) <= _SHORT_NAME else _FIRST_BOX.get(context_type, "The context itself")
    )
    others = _OTHER_CONTEXTS.get(context_type, _GENERIC_OTHERS)
    return Weighting(tuple(Context(n, 0.25) for n in (first, *others)))


# ------------------------------------------------------------------------------ JSON


def to_json(w: Weighting) -> str:
    data = {
        "boxes": [{"name": b.name, "size": b.size} for b in w.boxes],
        "links": [list(pair) for pair in w.links],
    }
    return json.dumps(data, ensure_ascii=False)


def from_json(text: str | None, default: Weighting | None = None) -> Weighting:
    """The weighting stored as `text`; anything damaged gives `default` (never an exception).
    Boxes with an unusable name are dropped; more than six keep the first six."""
    fallback = default if default is not None else default_weighting()
    try:
        data = json.loads(text or "")
    except (TypeError, ValueError, RecursionError):
        return fallback
    if not isinstance(data, dict) or not isinstance(data.get("boxes"), list):
        return fallback
    boxes = []
    for item in data["boxes"]:
        if not isinstance(item, dict):
            continue
        try:
            name = clean_name(item.get("name"))
        except UserError:
            name = clean_text(item.get("name"), multiline=False)[:MAX_NAME_CHARS]
        if not name:
            continue
        size = item.get("size")
        boxes.append(Context(name, float(size) if _usable(size) else math.nan))
        if len(boxes) == MAX_BOXES:
            break
    if not boxes:
        return fallback
    links = data.get("links")
    try:
        return Weighting(tuple(boxes), tuple(links) if isinstance(links, list) else ())
    except (UserError, TypeError, ValueError):
        return fallback


# ------------------------------------------------------------------------------ layout


def _strip_cost(areas: list[float], width: float) -> float:
    """How far a row of boxes is from a comfortable shape for a label (a little wider than
    tall): the mean distance of each box's log aspect ratio from log 1.5."""
    height = sum(areas) / width
    if height <= 0:
        return math.inf
    cost = 0.0
    for area in areas:
        box_width = area / height
        if box_width <= 0:
            return math.inf
        cost += abs(math.log((box_width / height) / 1.5))
    return cost


def layout(w: Weighting, width: float, height: float, gap: float = 0.0) -> list[Rect]:
    """Where each box goes in a width x height picture: rows read left to right, top to bottom,
    in the weighting's order, each box's area proportional to its size (before the `gap`, which
    is taken evenly off every side). Of all ways to break the order into rows, the one whose
    boxes are closest to a label-friendly shape wins. Pure arithmetic: the Qt view and the Word
    picture both use it."""
    n = len(w.boxes)
    if width <= 0 or height <= 0:
        return [Rect(0, 0, 0, 0) for _ in range(n)]
    areas = [b.size * width * height for b in w.boxes]
    best: tuple[float, list[list[int]]] | None = None
    for breaks_count in range(n):
        for breaks in combinations(range(1, n), breaks_count):
            edges = [0, *breaks, n]
            rows = [list(range(a, b)) for a, b in zip(edges, edges[1:], strict=False)]
            cost = sum(_strip_cost([areas[k] for k in row], width) for row in rows) / n
            cost += 0.01 * len(rows)  # between equals, fewer rows
            if best is None or cost < best[0] - 1e-12:
                best = (cost, rows)
    assert best is not None
    rects: list[Rect] = [Rect(0, 0, 0, 0)] * n
    y = 0.0
    for row_number, row in enumerate(best[1]):
        row_height = sum(areas[k] for k in row) / width
        if row_number == len(best[1]) - 1:
            row_height = height - y  # absorb rounding so the picture is filled exactly
        x = 0.0
        for position, k in enumerate(row):
            box_width = areas[k] / row_height if row_height > 0 else 0
            if position == len(row) - 1:
                box_width = width - x
            rects[k] = Rect(x, y, box_width, row_height)
            x += box_width
        y += row_height
    half = gap / 2
    return [
        Rect(r.x + half, r.y + half, max(0.0, r.width - gap), max(0.0, r.height - gap))
        for r in rects
    ]


Point = tuple[float, float]


def _exit_fraction(dx: float, dy: float, half_w: float, half_h: float) -> float:
    """How far along (dx, dy), as a fraction, a line from a box's centre leaves the box."""
    return min(half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf)


def link_ends(
    a: Rect, b: Rect, a_label: Rect, b_label: Rect, pad: float = 0.0
) -> tuple[Point, Point]:
    """Where to draw the dotted link between boxes `a` and `b`: along the line joining their
    centres, from where it leaves `a`'s label (plus `pad`) to where it meets `b`'s. When the two
    labels leave no room between them, the link bridges the boxes' facing edges instead."""
    (ax, ay), (bx, by) = a.center, b.center
    dx, dy = bx - ax, by - ay
    length = math.hypot(dx, dy) or 1.0
    extra = pad / length
    start = _exit_fraction(dx, dy, a_label.width / 2, a_label.height / 2) + extra
    end = 1 - _exit_fraction(dx, dy, b_label.width / 2, b_label.height / 2) - extra
    if end - start < 2 * extra + 1e-9:
        start = _exit_fraction(dx, dy, a.width / 2, a.height / 2) - 2 * extra
        end = 1 - _exit_fraction(dx, dy, b.width / 2, b.height / 2) + 2 * extra
        start, end = max(0.0, min(start, 0.5)), min(1.0, max(end, 0.5))
    return (ax + dx * start, ay + dy * start), (ax + dx * end, ay + dy * end)


# ------------------------------------------------------------------------------ storage


def _preferred_first(conference_uid, meeting_uid):  # noqa: ANN001, ANN202 - ORDER BY terms
    """Which row a conference's working copy (or a meeting's snapshot) is, where rows from
    before schema uids were named hold two (made on two laptops offline): the one named by its
    conference and meeting, else the latest changed; the same choice on every laptop."""
    named = weighting_uid(conference_uid, meeting_uid)
    return (
        case((ContextWeighting.uid == named, 0), else_=1),
        ContextWeighting.updated_at.desc(),
        ContextWeighting.uid.desc(),
    )


def _row(s: Session, conference_id: int, meeting_id: int | None) -> ContextWeighting | None:
    query = select(ContextWeighting).where(ContextWeighting.conference_id == conference_id)
    meeting_uid = None
    if meeting_id is None:
        query = query.where(ContextWeighting.meeting_id.is_(None))
    else:
        query = query.where(ContextWeighting.meeting_id == meeting_id)
        meeting_uid = s.scalar(select(Meeting.uid).where(Meeting.id == meeting_id))
    conference_uid = s.scalar(select(Conference.uid).where(Conference.id == conference_id))
    return s.scalars(query.order_by(*_preferred_first(conference_uid, meeting_uid))).first()


def _check_meeting(s: Session, conference_id: int, meeting_id: int | None) -> None:
    if meeting_id is None:
        return
    meeting = s.get(Meeting, meeting_id)
    if meeting is None or meeting.conference_id != conference_id:
        raise NotFound("That meeting is not one of this conference's meetings.")


def _default_for(conference: Conference) -> Weighting:
    return default_weighting(conference.context_type, conference.context_name)


def get_weighting(db: Database, conference_id: int, meeting_id: int | None = None) -> Weighting:
    """The working copy (meeting_id None) or a meeting's snapshot. Nothing stored yet, or
    something damaged, gives the four-box starting weighting for this conference's context."""
    with db.read_session() as s:
        conference = conference_in(s, conference_id)
        row = _row(s, conference_id, meeting_id)
        default = _default_for(conference)
        text = row.data if row is not None else None
    return from_json(text, default) if text is not None else default


def has_weighting(db: Database, conference_id: int, meeting_id: int | None = None) -> bool:
    """Whether a weighting is stored (rather than the starting one being shown)."""
    with db.read_session() as s:
        return _row(s, conference_id, meeting_id) is not None


def _store(s: Session, conference_id: int, weighting: Weighting, meeting_id: int | None) -> None:
    row = _row(s, conference_id, meeting_id)
    data = to_json(weighting)
    if row is None:
        s.add(ContextWeighting(conference_id=conference_id, meeting_id=meeting_id, data=data))
    elif row.data != data:
        row.data = data
        row.updated_at = utcnow()


def set_weighting(
    db: Database, conference_id: int, weighting: Weighting, meeting_id: int | None = None
) -> None:
    """Store the working copy (or, with meeting_id, that meeting's snapshot)."""
    with db.session() as s:
        conference = conference_in(s, conference_id)
        _check_meeting(s, conference_id, meeting_id)
        _store(s, conference_id, weighting, meeting_id)
        conference.updated_at = utcnow()


def clear_snapshot(db: Database, conference_id: int, meeting_id: int) -> None:
    """Forget a meeting's snapshot (used to undo taking one)."""
    with db.session() as s:
        conference_in(s, conference_id)
        query = select(ContextWeighting).where(
            ContextWeighting.conference_id == conference_id,
            ContextWeighting.meeting_id == meeting_id,
        )
        for row in s.scalars(query):
            s.delete(row)


def snapshot_for_meeting(db: Database, conference_id: int, meeting_id: int) -> Weighting:
    """Copy the working copy onto a meeting (replacing any earlier copy for that meeting) and
    return it. Call it when a meeting is held or a review is started."""
    with db.session() as s:
        conference = conference_in(s, conference_id)
        _check_meeting(s, conference_id, meeting_id)
        working = _row(s, conference_id, None)
        default = _default_for(conference)
        weighting = from_json(working.data, default) if working is not None else default
        _store(s, conference_id, weighting, meeting_id)
        conference.updated_at = utcnow()
    return weighting


def snapshots(db: Database, conference_id: int) -> list[WeightingSnapshot]:
    """Every meeting's snapshot, in the order the meetings happen."""
    meetings = list_meetings(db, conference_id)
    with db.read_session() as s:
        conference = conference_in(s, conference_id)
        stored = {}
        for meeting in meetings:
            row = _row(s, conference_id, meeting.id)
            if row is not None:
                stored[meeting.id] = (row.data, row.updated_at)
        default = _default_for(conference)
    result = []
    for meeting in meetings:
        if meeting.id in stored:
            data, updated_at = stored[meeting.id]
            result.append(
                WeightingSnapshot(
                    meeting.id,
                    meeting_label(meeting, meetings),
                    meeting.date,
                    from_json(data, default),
                    updated_at,
                )
            )
    return result
