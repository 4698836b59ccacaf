"""Make the PNG, ICO and ICNS icons from resources/icons/csfacilitator.svg.

Run after changing the SVG, then commit the results: builds use the files as they are.

    .venv/bin/python packaging/make_icons.py [--preview /tmp/icons.png]

Qt renders the SVG (QtSvg ships with PySide6-Essentials); the ICO and ICNS containers are
written here, holding PNG images, so no imaging library is needed.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "csfacilitator.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, by pixel size (Apple's "icns" format).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),  # 16 pt @2x
    (b"icp6", 64),
    (b"ic12", 64),  # 32 pt @2x
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),  # 128 pt @2x
    (b"ic09", 512),
    (b"ic14", 512),  # 256 pt @2x
    (b"ic10", 1024),  # 512 pt @2x
)


def render_png(size: int) -> bytes:
    """The SVG drawn at size x size pixels, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG} is not a valid SVG file.")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding PNG images (read by Windows Vista and later)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        blob = pngs[size]
        side = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return header + entries + blobs


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns holding PNG images, one element per type."""
    body = b""
    for kind, size in ICNS_TYPES:
        blob = pngs[size]
        body += kind + struct.pack(">I", len(blob) + 8) + blob
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def preview(pngs: dict[int, bytes], target: Path) -> None:
    """A contact sheet: each size on light and dark, plus 16 and 24 px enlarged 8 times."""
    from PySide6.QtCore import QPoint, QRect, Qt
    from PySide6.QtGui import QColor, QImage, QPainter

    images = {size: QImage.fromData(blob, "PNG") for size, blob in pngs.items()}
    shown = [s for s in PNG_SIZES if s <= 256]
    width = sum(shown) + 20 * len(shown) + 20 + 2 * (24 * 8 + 20)
    sheet = QImage(width, 2 * 276, QImage.Format.Format_RGB32)
    sheet.fill(QColor("#f4f4f4"))
    painter = QPainter(sheet)
    painter.fillRect(0, 276, width, 276, QColor("#2b2b2b"))
    for row in (0, 276):
        x = 20
        for size in shown:
            painter.drawImage(QPoint(x, row + 10), images[size])
            x += size + 20
        for size in (16, 24):
            big = images[size].scaled(
                size * 8,
                size * 8,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.FastTransformation,
            )
            painter.drawImage(QRect(x, row + 10, size * 8, size * 8), big)
            x += 24 * 8 + 20
    painter.end()
    sheet.save(str(target))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preview", type=Path, help="also write a contact sheet PNG here")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - keeps Qt alive
    pngs = {size: render_png(size) for size in sorted({*PNG_SIZES, 1024})}
    for size in PNG_SIZES:
        (ICONS / f"csfacilitator-{size}.png").write_bytes(pngs[size])
    (ICONS / "csfacilitator.ico").write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    (ICONS / "csfacilitator.icns").write_bytes(icns_bytes(pngs))
    print(f"Wrote {len(PNG_SIZES)} PNGs, csfacilitator.ico and csfacilitator.icns in {ICONS}")
    if args.preview:
        preview(pngs, args.preview)
        print(f"Preview: {args.preview}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
