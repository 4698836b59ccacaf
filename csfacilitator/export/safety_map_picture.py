"""The safety map drawn: the one renderer the screen and the Word papers share.

`map_picture` draws the map picture with the chosen marks over it (Pillow); the screen
(gui/assessment/safety_map_view.py) shows that very picture and paints only its cursor, the
area being drawn and the selection on top; the papers put `safety_map_png` (the map with its
legend under it) into Word. Never colour alone: every rating has its own fill pattern, pin
shape and outline as well as a colour, every mark carries its code ("A3") in a label box, and
the legend names each rating in words.

  unsafe: red, cross-hatched area, solid outline, a triangle pin;
  mixed:  amber, diagonal-hatched area, dashed outline, a diamond pin;
  safe:   green, dotted area, solid thin outline, a round pin.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from functools import lru_cache

from csfacilitator.core.safety_map import (
    RATING_MEANINGS,
    RATINGS,
    MapImage,
    MarkRecord,
    SafetyMapView,
    SessionRecord,
)
from csfacilitator.export.pictures import png_bytes, remembered

COLOURS = {"unsafe": (198, 40, 40), "mixed": (196, 112, 0), "safe": (46, 125, 50)}
PIN_SHAPES = {"unsafe": "triangle", "mixed": "diamond", "safe": "circle"}
PATTERN_WORDS = {
    "unsafe": "cross-hatched, triangle pin",
    "mixed": "striped, dashed edge, diamond pin",
    "safe": "dotted, round pin",
}
TEXT_COLOUR = (26, 26, 26)
MUTED = (89, 89, 89)
FADE = 0.18  # the map is lightened this much so the marks stand out


def _font(size: float, bold: bool):  # noqa: ANN202 - a PIL font
    from csfacilitator.export.pictures import font as shared

    return shared(max(6, int(size)), bold)


@lru_cache(maxsize=32)
def _tile(rating: str, size: int):  # noqa: ANN202 - a PIL image
    """The fill pattern of a rating: a small RGBA tile repeated over the area."""
    from PIL import Image, ImageDraw

    tile = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(tile)
    colour = (*COLOURS[rating], 200)
    line = max(1, size // 7)
    if rating == "unsafe":
        for offset in (-size, 0, size):
            draw.line([(offset, 0), (offset + size, size)], fill=colour, width=line)
            draw.line([(offset, size), (offset + size, 0)], fill=colour, width=line)
    elif rating == "mixed":
        for offset in (-size, 0, size):
            draw.line([(offset, size), (offset + size, 0)], fill=colour, width=line)
    else:
        r = max(1.5, size / 7)
        for cx, cy in ((size / 4, size / 4), (3 * size / 4, 3 * size / 4)):
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)
    return tile


@lru_cache(maxsize=12)
def _pattern(rating: str, size: tuple[int, int], tile_px: int):  # noqa: ANN202
    """The rating's pattern over a whole `size` layer (a row of tiles, then rows of rows)."""
    from PIL import Image

    tile = _tile(rating, tile_px)
    row = Image.new("RGBA", (size[0], tile_px), (0, 0, 0, 0))
    for x in range(0, size[0], tile_px):
        row.paste(tile, (x, 0))
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    for y in range(0, size[1], tile_px):
        layer.paste(row, (0, y))
    return layer


def _dashed(draw, points: Sequence[tuple[float, float]], colour, width: int, dash: float) -> None:  # noqa: ANN001
    for (x1, y1), (x2, y2) in zip(points, [*points[1:], *points[:1]], strict=True):
        length = math.hypot(x2 - x1, y2 - y1)
        if length == 0:
            continue
        steps = max(1, int(length / dash))
        for i in range(0, steps, 2):
            a, b = i / steps, min(1.0, (i + 1) / steps)
            draw.line(
                [
                    (x1 + (x2 - x1) * a, y1 + (y2 - y1) * a),
                    (x1 + (x2 - x1) * b, y1 + (y2 - y1) * b),
                ],
                fill=colour,
                width=width,
            )


def pin_outline(rating: str, x: float, y: float, r: float) -> list[tuple[float, float]]:
    """The pin's shape around its point (a circle is returned as its bounding corners)."""
    shape = PIN_SHAPES.get(rating, "circle")
    if shape == "triangle":
        return [(x, y - r * 1.15), (x + r * 1.1, y + r * 0.8), (x - r * 1.1, y + r * 0.8)]
    if shape == "diamond":
        return [(x, y - r * 1.2), (x + r * 1.1, y), (x, y + r * 1.2), (x - r * 1.1, y)]
    return [(x - r, y - r), (x + r, y + r)]


def _draw_pin(draw, rating: str, x: float, y: float, r: float) -> None:  # noqa: ANN001
    colour = COLOURS.get(rating, (80, 80, 80))
    outline = pin_outline(rating, x, y, r)
    ring = max(2, int(r / 4))
    if PIN_SHAPES.get(rating) == "circle":
        draw.ellipse(outline, fill=colour, outline=(255, 255, 255), width=ring)
    else:
        draw.polygon(outline, fill=colour, outline=(255, 255, 255), width=ring)
    mark = {"unsafe": "!", "mixed": "~", "safe": ""}.get(rating, "")
    if mark:
        font = _font(r * 1.3, True)
        draw.text((x, y + (r * 0.12 if rating == "unsafe" else 0)), mark, font=font,
                  fill=(255, 255, 255), anchor="mm")  # fmt: skip


def _code_box(draw, code: str, font_px: float) -> tuple[float, float]:  # noqa: ANN001
    return draw.textlength(code, font=_font(font_px, True)) + font_px * 0.6, font_px * 1.3


def _place(candidates, size, taken, bounds):  # noqa: ANN001, ANN202
    """The first candidate top-left corner whose box overlaps no box placed before (else the
    first), inside the picture."""
    w, h = size

    def clamp(x: float, y: float) -> tuple[float, float]:
        return min(max(0, x), bounds[0] - w), min(max(0, y), bounds[1] - h)

    def free(x: float, y: float) -> bool:
        return all(x + w <= a or a2 <= x or y + h <= b or b2 <= y for a, b, a2, b2 in taken)

    for cx, cy in candidates:
        x, y = clamp(cx, cy)
        if free(x, y):
            return x, y
    return clamp(*candidates[0])


def _draw_code(draw, code: str, x: float, y: float, font_px: float, rating: str) -> None:  # noqa: ANN001
    """The code's label box with its top-left corner at (x, y - its half height)."""
    font = _font(font_px, True)
    width = draw.textlength(code, font=font)
    pad = font_px * 0.3
    box = [x, y - font_px * 0.65, x + width + 2 * pad, y + font_px * 0.65]
    draw.rounded_rectangle(box, radius=font_px * 0.3, fill=(255, 255, 255),
                           outline=COLOURS.get(rating, MUTED), width=max(1, int(font_px / 8)))  # fmt: skip
    draw.text((x + pad, y), code, font=font, fill=TEXT_COLOUR, anchor="lm")


@lru_cache(maxsize=2)
def _faded(data: bytes, width: int, height: int, size: tuple[int, int]):  # noqa: ANN202
    """The map picture at `size`, lightened, as RGBA: what every drawing of the map starts
    from. Kept for the last two pictures and sizes (keyed by the picture's bytes), so the two
    maps of a comparison, and the papers and screen drawn again, decode and scale it once."""
    from PIL import Image, ImageDraw

    try:
        with Image.open(io.BytesIO(data)) as source:
            base = source.convert("RGB")
    except (OSError, ValueError, SyntaxError):  # damaged on the way here: say so, draw marks
        base = Image.new("RGB", (max(1, width), max(1, height)), (235, 235, 235))
        ImageDraw.Draw(base).text(
            (base.width / 2, base.height / 2), "The map picture cannot be read: import it again",
            font=_font(max(12, base.width // 40), True), fill=MUTED, anchor="mm",
        )  # fmt: skip
    # reducing_gap: a fast whole-pixel reduction first, then Lanczos over the last factor of
    # three or less (Pillow's docs: indistinguishable from Lanczos all the way, and far faster).
    base = base.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    return Image.blend(base, Image.new("RGB", size, "white"), FADE).convert("RGBA")


def map_picture(image: MapImage, marks: Sequence[MarkRecord], width_px: int, *, supersample=1):  # noqa: ANN001, ANN201
    """The map at `width_px` wide with `marks` over it: areas first, then pins, then codes."""
    from PIL import Image, ImageDraw

    width_px = max(80, int(width_px))
    height_px = max(40, round(width_px / image.aspect))
    work = (width_px * supersample, height_px * supersample)
    base = _faded(image.data, image.width, image.height, work).copy()
    unit = work[0] / 1000  # sizes relative to a 1000-pixel-wide map
    tile_px = max(6, round(14 * unit))
    pin_r = max(5.0, 13 * unit)
    code_px = max(9.0, 15 * unit)

    def xy(p: tuple[float, float]) -> tuple[float, float]:
        return (p[0] * work[0], p[1] * work[1])

    for mark in (m for m in marks if m.shape == "area" and len(m.points) >= 3):
        polygon = [xy(p) for p in mark.points]
        # Only the area's bounding box is composited (the pattern stays aligned to the map).
        left = max(0, int(min(p[0] for p in polygon)))
        top = max(0, int(min(p[1] for p in polygon)))
        right = min(work[0], int(max(p[0] for p in polygon)) + 2)
        bottom = min(work[1], int(max(p[1] for p in polygon)) + 2)
        if right - left < 2 or bottom - top < 2:
            continue
        box = (left, top, right, bottom)
        mask = Image.new("L", (right - left, bottom - top), 0)
        ImageDraw.Draw(mask).polygon([(x - left, y - top) for x, y in polygon], fill=255)
        patch = base.crop(box)
        patch = Image.alpha_composite(
            patch, Image.new("RGBA", patch.size, (*COLOURS[mark.rating], 46))
        )
        patch = Image.alpha_composite(patch, _pattern(mark.rating, work, tile_px).crop(box))
        base.paste(patch, box[:2], mask)
        draw = ImageDraw.Draw(base)
        line = max(2, round(3.2 * unit))
        if mark.rating == "mixed":
            _dashed(draw, polygon, COLOURS[mark.rating], line, 12 * unit)
        else:
            width = line if mark.rating == "unsafe" else max(2, round(2.2 * unit))
            draw.line([*polygon, polygon[0]], fill=COLOURS[mark.rating], width=width,
                      joint="curve")  # fmt: skip
    draw = ImageDraw.Draw(base)
    for mark in (m for m in marks if m.shape == "pin" and m.points):
        x, y = xy(mark.points[0])
        _draw_pin(draw, mark.rating, x, y, pin_r)
    # Pins' boxes are taken first, so no code label hides a pin; each label then takes the
    # first free place around its mark.
    taken = [
        (x - pin_r * 1.2, y - pin_r * 1.2, x + pin_r * 1.2, y + pin_r * 1.2)
        for x, y in (xy(m.points[0]) for m in marks if m.shape == "pin" and m.points)
    ]
    for mark in marks:
        if not mark.points:
            continue
        w, h = _code_box(draw, mark.code, code_px)
        x, y = xy(mark.points[0] if mark.shape == "pin" else mark.centre)
        gap = pin_r * 1.3 if mark.shape == "pin" else 0
        candidates = [
            (x + gap, y - h / 2) if gap else (x - w / 2, y - h / 2),
            (x - gap - w, y - h / 2),
            (x - w / 2, y - gap - h - h * 0.1),
            (x - w / 2, y + gap + h * 0.1),
            (x + gap, y - h * 1.6),
            (x + gap, y + h * 0.6),
            (x - gap - w, y - h * 1.6),
            (x - gap - w, y + h * 0.6),
            (x + gap + w * 1.1, y - h / 2),
            (x - gap - w * 2.1, y - h / 2),
        ]
        left, top = _place(candidates, (w, h), taken, work)
        taken.append((left, top, left + w, top + h))
        _draw_code(draw, mark.code, left, top + h / 2, code_px, mark.rating)
    picture = base.convert("RGB")
    if supersample > 1:
        picture = picture.resize((width_px, height_px), Image.Resampling.LANCZOS)
    return picture


def legend_picture(
    sessions: Sequence[SessionRecord], width_px: int, *, title: str = "", scale_px: int = 0
):  # noqa: ANN201
    """The legend under the map: each rating's swatch, pin and words; then who marked it.
    Its type is sized for a map `scale_px` wide (the picture's own width unless given)."""
    from PIL import Image, ImageDraw

    unit = (scale_px or width_px) / 1000
    font_px = max(11, round(17 * unit))
    regular, bold = _font(font_px, False), _font(font_px, True)
    line_h = font_px * 1.55
    swatch = font_px * 2.2
    rows = len(RATINGS) + (1 if title else 0)
    session_lines = [f"{s.letter}: {s.title}" for s in sessions]
    height = int(
        font_px * 0.8 + rows * (swatch + font_px * 0.5) + line_h * (len(session_lines) + 1.2)
    )
    picture = Image.new("RGB", (width_px, height), "white")
    draw = ImageDraw.Draw(picture)
    y = font_px * 0.6
    x0 = font_px * 0.6
    if title:
        draw.text((x0, y), title, font=bold, fill=TEXT_COLOUR)
        y += swatch * 0.8
    for key, label in RATINGS:
        box = [x0, y, x0 + swatch * 1.6, y + swatch]
        patch = Image.new(
            "RGBA", (int(box[2] - box[0]), int(box[3] - box[1])), (255, 255, 255, 255)
        )
        patch = Image.alpha_composite(patch, Image.new("RGBA", patch.size, (*COLOURS[key], 46)))
        patch = Image.alpha_composite(patch, _pattern(key, patch.size, max(6, round(14 * unit))))
        picture.paste(patch.convert("RGB"), (int(box[0]), int(box[1])))
        if key == "mixed":
            _dashed(draw, [(box[0], box[1]), (box[2], box[1]), (box[2], box[3]), (box[0], box[3])],
                    COLOURS[key], max(2, round(3 * unit)), 10 * unit)  # fmt: skip
        else:
            draw.rectangle(box, outline=COLOURS[key], width=max(2, round(3 * unit)))
        _draw_pin(draw, key, box[2] + swatch * 0.6, y + swatch / 2, swatch * 0.32)
        tx = box[2] + swatch * 1.2
        draw.text((tx, y + swatch / 2), label, font=bold, fill=TEXT_COLOUR, anchor="lm")
        meaning = f"  {RATING_MEANINGS[key]} ({PATTERN_WORDS[key]})"
        draw.text((tx + draw.textlength(label, font=bold), y + swatch / 2), meaning, font=regular,
                  fill=MUTED, anchor="lm")  # fmt: skip
        y += swatch + font_px * 0.5
    if session_lines:
        y += font_px * 0.2
        draw.text((x0, y), "Marked by:", font=bold, fill=TEXT_COLOUR)
        tx = x0 + draw.textlength("Marked by: ", font=bold)
        for text in session_lines:
            draw.text((tx, y), text, font=regular, fill=TEXT_COLOUR)
            y += line_h
    return picture.crop((0, 0, width_px, int(min(height, y + font_px * 0.6))))


def safety_map_png(
    view: SafetyMapView,
    session_ids=None,
    width_px: int = 1800,
    *,
    title: str = "",  # noqa: ANN001
) -> bytes:
    """The map with the chosen sessions' marks (all when None) and its legend, as a PNG."""
    if view.image is None:
        raise ValueError("no map picture")
    image = view.image
    sessions = tuple(s for s in view.sessions if session_ids is None or s.id in session_ids)
    return remembered(
        ("map", _image_key(image), sessions, width_px, title),
        lambda: _draw_with_legend(image, sessions, width_px, title),
    )


def _image_key(image: MapImage) -> tuple[bytes, int, int]:
    """The map picture in a picture's key: a digest of its bytes (not the bytes themselves, so
    the pictures kept keep no copy of the map alive), and its size."""
    import hashlib

    return hashlib.blake2b(image.data, digest_size=20).digest(), image.width, image.height


def _draw_with_legend(
    image: MapImage, sessions: Sequence[SessionRecord], width_px: int, title: str
) -> bytes:
    from PIL import Image, ImageDraw

    marks = [m for s in sessions for m in s.marks]
    top = map_picture(image, marks, width_px)
    legend = legend_picture(sessions, width_px, title=title)
    border = 2
    out = Image.new("RGB", (width_px, top.height + legend.height + border), "white")
    out.paste(top, (0, 0))
    ImageDraw.Draw(top)
    draw = ImageDraw.Draw(out)
    draw.rectangle([0, 0, width_px - 1, top.height], outline=(120, 120, 120), width=border)
    out.paste(legend, (0, top.height + border))
    return png_bytes(out)


def comparison_png(
    view: SafetyMapView,
    earlier,
    later,
    width_px: int = 2400,  # noqa: ANN001 - Rounds
) -> bytes:
    """Two maps side by side (the sessions of two meetings), each titled, one legend below."""
    if view.image is None:
        raise ValueError("no map picture")
    shown = set(earlier.session_ids) | set(later.session_ids)
    sessions = tuple(s for s in view.sessions if s.id in shown)
    return remembered(
        ("comparison", _image_key(view.image), sessions, earlier, later, width_px),
        lambda: _draw_comparison(view, earlier, later, width_px),
    )


def _draw_comparison(view: SafetyMapView, earlier, later, width_px: int) -> bytes:  # noqa: ANN001
    from PIL import Image, ImageDraw

    assert view.image is not None  # comparison_png checked
    gap = max(16, width_px // 60)
    half = (width_px - gap) // 2
    font_px = max(12, round(half / 1000 * 26))
    title_h = int(font_px * 2.0)
    maps = []
    for chosen in (earlier, later):
        marks = [m for _s, m in view.marks(set(chosen.session_ids))]
        maps.append((chosen.label, map_picture(view.image, marks, half)))
    height = max(p.height for _l, p in maps)
    sessions = [
        s for s in view.sessions if s.id in set(earlier.session_ids) | set(later.session_ids)
    ]
    legend = legend_picture(sessions, width_px, scale_px=int(half * 1.25))
    out = Image.new("RGB", (width_px, title_h + height + 4 + legend.height), "white")
    draw = ImageDraw.Draw(out)
    for index, (label, picture) in enumerate(maps):
        x = index * (half + gap)
        prefix = "Before: " if index == 0 else "After: "
        draw.text((x, title_h / 2), prefix + label, font=_font(font_px, True), fill=TEXT_COLOUR,
                  anchor="lm")  # fmt: skip
        out.paste(picture, (x, title_h))
        draw.rectangle([x, title_h, x + half - 1, title_h + picture.height - 1],
                       outline=(120, 120, 120), width=2)  # fmt: skip
    out.paste(legend, (0, title_h + height + 4))
    return png_bytes(out)


def map_png(image: MapImage, marks: Sequence[MarkRecord], width_px: int) -> bytes:
    """The map and marks without a legend (the screen draws its own legend beside it)."""
    buffer = io.BytesIO()
    map_picture(image, marks, width_px).save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def swatch_png(rating: str, height_px: int) -> bytes:
    """A rating's sample for an on-screen legend: its patterned patch and its pin, side by side
    (drawn like the legend under the map in the papers)."""
    from PIL import Image, ImageDraw

    h = max(12, int(height_px))
    patch_w = int(h * 1.6)
    picture = Image.new("RGBA", (patch_w + int(h * 1.2), h), (255, 255, 255, 0))
    patch = Image.new("RGBA", (patch_w, h), (255, 255, 255, 255))
    patch = Image.alpha_composite(patch, Image.new("RGBA", patch.size, (*COLOURS[rating], 46)))
    patch = Image.alpha_composite(patch, _pattern(rating, patch.size, max(6, h // 3)))
    picture.paste(patch, (0, 0))
    draw = ImageDraw.Draw(picture)
    line = max(2, h // 14)
    box = [(0, 0), (patch_w - 1, 0), (patch_w - 1, h - 1), (0, h - 1)]
    if rating == "mixed":
        _dashed(draw, box, COLOURS[rating], line, h / 5)
    else:
        draw.rectangle([0, 0, patch_w - 1, h - 1], outline=COLOURS[rating], width=line)
    _draw_pin(draw, rating, patch_w + h * 0.6, h / 2, h * 0.3)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()
