"""The chart of one outcome measure over time: its geometry, and the PNG for Word.

`chart_layout` is the one place the chart's geometry is worked out (scale, ticks, where each
taking goes, its value label and its meeting label); the screen (gui/plan/outcomes_panel.py)
paints that layout with QPainter, and `measure_chart_png` draws it with Pillow for the review
and closing records. Never colour alone: each point carries its value in words, the baseline is
a square marker and a dashed line labelled "Baseline", reviews are round markers, and every
taking is named under the axis. `chart_alt_text` states the values for screen readers.

A free observation has no numbers: it has no chart (the papers list its words instead).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from csfacilitator.core.outcomes import Progress

LINE_COLOUR = "#1f4e79"
BASELINE_COLOUR = "#6b6b6b"
GRID_COLOUR = "#d9d9d9"
AXIS_COLOUR = "#404040"
TEXT_COLOUR = "#1a1a1a"
SUPERSAMPLE = 2


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    value_text: str  # "14", "45%", "Yes"
    label: str  # "Baseline", "Review 1"
    sublabel: str  # "Sep 2026" ("" when the meeting has no date)
    is_baseline: bool


@dataclass(frozen=True)
class Tick:
    y: float
    text: str


@dataclass(frozen=True)
class ChartLayout:
    width: float
    height: float
    left: float
    top: float
    right: float
    bottom: float
    font_px: float
    ticks: tuple[Tick, ...]
    points: tuple[ChartPoint, ...]
    baseline_y: float | None  # the dashed reference line at the baseline's value


def _nice_step(span: float, ticks: int = 4) -> float:
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _scale(progress: Progress) -> tuple[float, float, list[tuple[float, str]]]:
    """(lowest, highest, [(value, tick text)]) of the measure's axis."""
    kind = progress.measure.kind
    if kind == "yes_no":
        return 0.0, 1.0, [(0.0, "No"), (1.0, "Yes")]
    if kind == "percentage":
        return 0.0, 100.0, [(v, f"{v:g}%") for v in (0, 25, 50, 75, 100)]
    if kind == "scale":
        return 0.0, 10.0, [(v, f"{v:g}") for v in (0, 2, 4, 6, 8, 10)]
    values = [p.value for p in progress.points if p.value is not None]
    top = max(values + [1.0])
    step = _nice_step(top * 1.05)
    high = step * math.ceil(top * 1.05 / step)
    count = round(high / step)
    return 0.0, high, [(i * step, f"{i * step:g}") for i in range(count + 1)]


def has_chart(progress: Progress) -> bool:
    """Whether the measure has numbers to chart (an observation, or nothing taken, has not)."""
    return progress.measure.kind != "observation" and any(
        p.value is not None for p in progress.points
    )


def chart_layout(progress: Progress, width: float, height: float, font_px: float) -> ChartLayout:
    """Where everything of the chart goes in a width x height picture with text of font_px."""
    low, high, ticks = _scale(progress)
    tick_width = max([len(t) for _, t in ticks] + [2]) * font_px * 0.6
    left = tick_width + font_px * 1.2
    right = width - font_px * 5.5  # room for "Baseline" at the end of its line
    top = font_px * 2.2  # room for the value label above the highest point
    bottom = height - font_px * 3.4  # two lines of meeting label under the axis
    span = (high - low) or 1.0

    def y_of(value: float) -> float:
        return bottom - (value - low) / span * (bottom - top)

    taken = [(p, p.value) for p in progress.points if p.value is not None]
    n = len(taken)
    step = (right - left) / n if n else 0.0
    points = tuple(
        ChartPoint(
            x=left + step * (index + 0.5),
            y=y_of(value),
            value_text=p.text,
            label=p.label,
            sublabel=p.date.strftime("%b %Y") if p.date else "",
            is_baseline=p.meeting_id is None,
        )
        for index, (p, value) in enumerate(taken)
    )
    base = progress.baseline
    baseline_y = y_of(base.value) if base is not None and base.value is not None else None
    return ChartLayout(
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        font_px=font_px,
        ticks=tuple(Tick(y_of(v), t) for v, t in ticks),
        points=points,
        baseline_y=baseline_y,
    )


def chart_alt_text(progress: Progress) -> str:
    """The values in words: what the picture shows, for the alt text and screen readers."""
    if progress.baseline is not None and progress.latest is not None:
        change = progress.change_text
        return f"{progress.summary()} Change since the baseline: {change[:1].lower()}{change[1:]}"
    return progress.summary()


def _dashed(draw, x1: float, x2: float, y: float, colour: str, width: int, dash: int) -> None:
    x = x1
    while x < x2:
        draw.line([(x, y), (min(x + dash, x2), y)], fill=colour, width=width)
        x += dash * 2


def measure_chart_png(progress: Progress, width_px: int = 1400, height_px: int = 600) -> bytes:
    """The measure's chart as a PNG (drawn at twice the size and each 2 x 2 block averaged into
    one pixel, for smooth lines: Pillow draws shapes without antialiasing); the same progress
    draws the picture it drew last time."""
    from csfacilitator.export.pictures import remembered

    return remembered(
        ("chart", progress, width_px, height_px), lambda: _draw(progress, width_px, height_px)
    )


def _draw(progress: Progress, width_px: int, height_px: int) -> bytes:
    from PIL import Image, ImageDraw

    from csfacilitator.export.pictures import font as _font
    from csfacilitator.export.pictures import png_bytes

    scale = SUPERSAMPLE
    width, height = max(1, width_px) * scale, max(1, height_px) * scale
    font_px = max(12, round(height / 22))
    lay = chart_layout(progress, width, height, font_px)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    regular, bold = _font(font_px, False), _font(font_px, True)
    thin = max(1, scale)
    for tick in lay.ticks:
        draw.line([(lay.left, tick.y), (lay.right, tick.y)], fill=GRID_COLOUR, width=thin)
        draw.text((lay.left - font_px * 0.5, tick.y), tick.text, font=regular,
                  fill=TEXT_COLOUR, anchor="rm")  # fmt: skip
    draw.line([(lay.left, lay.top), (lay.left, lay.bottom)], fill=AXIS_COLOUR, width=thin * 2)
    draw.line([(lay.left, lay.bottom), (lay.right, lay.bottom)], fill=AXIS_COLOUR, width=thin * 2)
    if lay.baseline_y is not None:
        _dashed(draw, lay.left, lay.right, lay.baseline_y, BASELINE_COLOUR, thin * 2, font_px // 2)
        draw.text((lay.right + font_px * 0.3, lay.baseline_y), "Baseline", font=regular,
                  fill=BASELINE_COLOUR, anchor="lm")  # fmt: skip
    line = max(3, scale * 3)
    if len(lay.points) > 1:
        draw.line([(p.x, p.y) for p in lay.points], fill=LINE_COLOUR, width=line, joint="curve")
    r = font_px * 0.45
    for p in lay.points:
        box = [p.x - r, p.y - r, p.x + r, p.y + r]
        if p.is_baseline:
            draw.rectangle(box, fill="white", outline=BASELINE_COLOUR, width=line)
        else:
            draw.ellipse(box, fill=LINE_COLOUR, outline=LINE_COLOUR)
        draw.text((p.x, p.y - r - font_px * 0.3), p.value_text, font=bold, fill=TEXT_COLOUR,
                  anchor="md")  # fmt: skip
        draw.text((p.x, lay.bottom + font_px * 0.5), p.label, font=regular, fill=TEXT_COLOUR,
                  anchor="ma")  # fmt: skip
        if p.sublabel:
            draw.text((p.x, lay.bottom + font_px * 1.8), p.sublabel, font=regular,
                      fill=TEXT_COLOUR, anchor="ma")  # fmt: skip
    return png_bytes(image.reduce(scale))


# -- Word -------------------------------------------------------------------------------------


def add_picture(container, progress: Progress, width) -> None:  # noqa: ANN001 - python-docx
    """The measure's chart as a centred picture whose alt text states the values."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from csfacilitator.export import docx_base as b

    holder = b.add_paragraph(container)
    holder.alignment = WD_ALIGN_PARAGRAPH.CENTER
    shape = holder.add_run().add_picture(io.BytesIO(measure_chart_png(progress)), width=width)
    doc_pr = shape._inline.docPr  # python-docx has no alt-text API yet: set it on wp:docPr
    name = b.one_line(progress.measure.title)[:200]
    doc_pr.set("name", f"Chart: {name}")
    doc_pr.set("descr", b.one_line(chart_alt_text(progress)))
    doc_pr.set("title", f"Chart: {name}")


def add_outcomes(doc, outcomes, width, *, closing: bool) -> None:  # noqa: ANN001
    """The 'Outcome measures' section of the review and closing records: per goal, each
    measure's source, its chart (or, for an observation, its words at each taking) and its
    baseline, latest value and the change."""
    from docx.shared import Mm

    from csfacilitator.export import docx_base as b

    b.add_heading(doc, "Outcome goals and measures", 2)
    if not outcomes:
        b.add_paragraph(doc, "No outcome goals were set.", italic=True, colour=b.MUTED_COLOUR)
        return
    picture_width = min(Mm(130), width)
    styles = b.bullet_styles(doc)
    for number, (goal, progresses) in enumerate(outcomes, start=1):
        b.add_heading(doc, f"Goal {number}: {b.one_line(goal.text)}", 3)
        links = [t for t in (goal.priority_text and f"Priority: {goal.priority_text}",
                             goal.need_text and f"Need in the plan: {goal.need_text}") if t]  # fmt: skip
        if links:
            linked = b.add_paragraph(doc, "; ".join(links), italic=True, colour=b.MUTED_COLOUR)
            linked.paragraph_format.keep_with_next = True  # the goal stays with its first chart
        if not progresses:
            b.add_paragraph(doc, "No measure was set for this goal.", italic=True,
                            colour=b.MUTED_COLOUR)  # fmt: skip
        for progress in progresses:
            measure = progress.measure
            heading = b.add_paragraph(doc, measure.title, bold=True)
            heading.paragraph_format.keep_with_next = True
            detail = measure.kind_label + (f". Source: {measure.source}" if measure.source else "")
            about = b.add_paragraph(doc, detail + ".", italic=True, colour=b.MUTED_COLOUR)
            about.paragraph_format.keep_with_next = True  # the chart stays under its name
            if has_chart(progress):
                add_picture(doc, progress, picture_width)
            else:
                for point in progress.points:
                    b.add_bullet(doc, f"{point.when}: {point.text}", 1, styles)
            base, latest = progress.baseline, progress.latest
            lines = [f"Change: {progress.change_text}"]
            if has_chart(progress):  # an observation's list above already says all this
                taken = "Latest" if closing else "At this review"
                lines[:0] = [
                    f"Baseline: {base.text} ({b.long_date(base.date, missing='date not recorded')})"
                    if base else "Baseline: not recorded",
                    f"{taken}: {latest.text} at {latest.when}" if latest else f"{taken}: not taken",
                ]  # fmt: skip
            for line in lines:
                b.add_bullet(doc, line, 1, styles)
            notes = [p for p in progress.points if p.note]
            for point in notes:
                b.add_bullet(doc, f"Note at {point.when}: {point.note}", 1, styles)
