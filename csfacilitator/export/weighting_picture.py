"""The context weighting as a PNG picture for the Word report, with its alt text.

Drawn with Pillow (no Qt) from the same `layout` as the on-screen picture: boxes whose area is
their share, each named with its percentage, dashed lines for links. Pillow draws shapes without
antialiasing, so it is drawn at twice the size and each 2 x 2 block of pixels averaged into one
(`Image.reduce`: the smoothing of supersampling at a tenth of the cost of a Lanczos resize).
Its fonts, PNG bytes and the pictures kept are in export/pictures.py, shared with the safety
maps and the outcome charts.
"""

from __future__ import annotations

import math

from csfacilitator.core.weighting import (
    BOX_COLOURS,
    LINK_COLOUR,
    TEXT_COLOUR,
    Rect,
    Weighting,
    describe,
    layout,
    link_ends,
    percentages,
)
from csfacilitator.export.pictures import font as _font
from csfacilitator.export.pictures import png_bytes, remembered

SUPERSAMPLE = 2


def _wrap(draw, text: str, font, width: float) -> list[str]:
    """Lines of `text` no wider than `width`; a word too long for a line is cut with '…'."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
            continue
        lines.append(_elide(draw, word, font, width))
    return lines or [""]


def _elide(draw, text: str, font, width: float) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def _label_block(draw, name: str, percent: str, box_w: float, box_h: float, base: int):
    """The largest readable label that fits the box: (name font, lines, percent font)."""
    size = base
    while True:
        name_font = _font(size, True)
        percent_font = _font(max(10, round(size * 1.25)), False)
        lines = _wrap(draw, name, name_font, box_w)
        line_h = size * 1.25
        needed = line_h * len(lines) + size * 1.6
        if needed <= box_h or size <= base // 2:
            max_lines = max(1, int((box_h - size * 1.6) // line_h))
            if len(lines) > max_lines:
                lines = lines[:max_lines]
                lines[-1] = _elide(draw, lines[-1] + "…", name_font, box_w)
            return name_font, lines, percent_font
        size -= 2


def _dashed_line(draw, start, end, colour: str, width: int, dash: int, gap: int) -> None:
    (x1, y1), (x2, y2) = start, end
    length = math.hypot(x2 - x1, y2 - y1)
    if length == 0:
        return
    dx, dy = (x2 - x1) / length, (y2 - y1) / length
    travelled = 0.0
    while travelled < length:
        stop = min(travelled + dash, length)
        draw.line(
            [(x1 + dx * travelled, y1 + dy * travelled), (x1 + dx * stop, y1 + dy * stop)],
            fill=colour,
            width=width,
        )
        travelled = stop + gap


class _Label:
    """A box's name and percentage, centred in the box, and the space they take."""

    def __init__(self, rect, lines, name_font, percent, percent_font, width):
        self.rect, self.lines, self.name_font = rect, lines, name_font
        self.percent, self.percent_font = percent, percent_font
        size = name_font.size
        self.line_h, self.percent_h, self.pad = size * 1.25, size * 1.6, size * 0.4
        self.width = width
        self.height = self.line_h * len(lines) + self.percent_h

    @classmethod
    def fit(cls, draw, rect, name: str, share: int, base: int, padding: int) -> _Label:
        inner_w = max(1.0, rect.width - 2 * padding)
        inner_h = max(1.0, rect.height - 2 * padding)
        percent = f"{share}%"
        name_font, lines, percent_font = _label_block(draw, name, percent, inner_w, inner_h, base)
        width = max(
            [draw.textlength(line, font=name_font) for line in lines]
            + [draw.textlength(percent, font=percent_font)]
        )
        return cls(rect, lines, name_font, percent, percent_font, width)

    @property
    def area(self) -> Rect:
        """The label's extent, backing included."""
        cx, cy = self.rect.center
        width, height = self.width + 2 * self.pad, self.height + 2 * self.pad
        return Rect(cx - width / 2, cy - height / 2, width, height)

    def draw(self, draw, fill: str) -> None:
        cx, cy = self.rect.center
        top = cy - self.height / 2
        pad = self.pad
        # A backing in the box's own colour keeps the words clear of any line crossing them.
        draw.rounded_rectangle(
            [
                cx - self.width / 2 - pad,
                top - pad,
                cx + self.width / 2 + pad,
                top + self.height + pad,
            ],
            radius=round(pad),
            fill=fill,
        )
        for number, line in enumerate(self.lines):
            y = top + self.line_h * number + self.line_h / 2
            draw.text((cx, y), line, font=self.name_font, fill=TEXT_COLOUR, anchor="mm")
        y = top + self.line_h * len(self.lines) + self.percent_h / 2
        draw.text((cx, y), self.percent, font=self.percent_font, fill=TEXT_COLOUR, anchor="mm")


def weighting_png(weighting: Weighting, width_px: int = 1400, height_px: int = 800) -> bytes:
    """The weighting drawn as a PNG of width_px x height_px pixels."""
    return remembered(
        ("weighting", weighting, width_px, height_px),
        lambda: _draw(weighting, width_px, height_px),
    )


def _draw(weighting: Weighting, width_px: int, height_px: int) -> bytes:
    from PIL import Image, ImageDraw

    scale = SUPERSAMPLE
    width, height = max(1, width_px) * scale, max(1, height_px) * scale
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    margin = round(min(width, height) * 0.03)
    gap = round(min(width, height) * 0.02)
    rects = [
        Rect(r.x + margin, r.y + margin, r.width, r.height)
        for r in layout(weighting, width - 2 * margin, height - 2 * margin, gap)
    ]
    radius = round(min(width, height) * 0.018)
    edge = max(2, round(scale * 2))
    for index, rect in enumerate(rects):
        fill, outline = BOX_COLOURS[index % len(BOX_COLOURS)]
        box = [rect.x, rect.y, rect.x + rect.width, rect.y + rect.height]
        draw.rounded_rectangle(box, radius=radius, fill=fill, outline=outline, width=edge)

    base = max(12, round(height / 26))
    padding = round(base * 0.8)
    labels = [
        _Label.fit(draw, rect, weighting.boxes[index].name, share, base, padding)
        for index, (rect, share) in enumerate(zip(rects, percentages(weighting), strict=True))
    ]

    line_width = max(2, round(scale * 2.5))
    for a, b in weighting.links:
        start, end = link_ends(rects[a], rects[b], labels[a].area, labels[b].area, line_width * 3)
        _dashed_line(draw, start, end, LINK_COLOUR, line_width, line_width * 4, line_width * 3)
        for x, y in (start, end):
            r = line_width * 2
            draw.ellipse([x - r, y - r, x + r, y + r], fill=LINK_COLOUR)

    for index, label in enumerate(labels):
        label.draw(draw, BOX_COLOURS[index % len(BOX_COLOURS)][0])

    return png_bytes(image.reduce(scale))


def weighting_alt_text(weighting: Weighting) -> str:
    """Alt text for the picture: every context with its share, in order, and the links."""
    return describe(weighting)
