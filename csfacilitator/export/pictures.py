"""What the papers' pictures share: the fonts they are drawn in, their PNG bytes, and the last
few pictures drawn (the weighting, the safety maps and the outcome charts).

`remembered` keeps the last few pictures of the papers, keyed by everything they draw, so a
paper exported again draws none anew. The PNG is compressed at zlib's fastest level (a picture
a fifth larger, written in about half the time).
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import lru_cache

DPI = 200  # 1400 x 800 pixels print at 7 x 4 inches, which fits a portrait A4 page
PNG_LEVEL = 1  # zlib's fastest: these pictures grow by a fifth and are written in half the time
REMEMBER = 16  # pictures kept (100-450 KB each): those of the last few papers
_remembered: OrderedDict[Hashable, bytes] = OrderedDict()
_remembered_lock = threading.Lock()  # papers may be written off the GUI thread
# Fonts with wide script coverage where the system has them (Windows, macOS, Linux), then the
# font Pillow carries itself.
_REGULAR_FONTS = ("segoeui.ttf", "Arial.ttf", "arial.ttf", "DejaVuSans.ttf", "NotoSans-Regular.ttf")
_BOLD_FONTS = (
    "segoeuib.ttf",
    "Arial Bold.ttf",
    "arialbd.ttf",
    "DejaVuSans-Bold.ttf",
    "NotoSans-Bold.ttf",
)


@lru_cache(maxsize=64)
def font(size: int, bold: bool):
    from PIL import ImageFont

    for name in _BOLD_FONTS if bold else _REGULAR_FONTS:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def remembered(key: Hashable, draw: Callable[[], bytes]) -> bytes:
    """The picture drawn last time for `key` (all that the picture shows: the same key must
    always draw the same bytes), else `draw()`, kept for next time."""
    with _remembered_lock:
        png = _remembered.pop(key, None)
    if png is None:
        png = draw()
    with _remembered_lock:
        _remembered[key] = png
        while len(_remembered) > REMEMBER:
            _remembered.popitem(last=False)
    return png


def png_bytes(image) -> bytes:  # noqa: ANN001 - a PIL image
    """A picture for the Word papers as PNG bytes: printed at DPI, compressed fast."""
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(DPI, DPI), compress_level=PNG_LEVEL)
    return out.getvalue()
