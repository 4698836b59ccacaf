"""The safety map's picture (issue 19): checked and re-encoded with Pillow (`prepare_image`: PNG
or JPEG only, a size and pixel limit, metadata such as a photo's location dropped, at most
MAX_STORED_BYTES so it fits every channel it travels through) and kept in the database, so it
is encrypted with it where that is chosen. The sessions and marks drawn on it are
core/safety_map.py, which names everything here too for its callers.
"""

from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from csfacilitator.core.model import SafetyMap
from csfacilitator.core.rows import touch_conference
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import NotFound, UserError
from csfacilitator.storage.database import Database

MAX_FILE_BYTES = 40 * 1024 * 1024  # what may be chosen; a screenshot is far smaller
MAX_PIXELS = 60_000_000  # refused before decoding: a "decompression bomb" stops here
MAX_SIDE = 2400  # the longest side kept (a map at A4 width, 300 dpi)
# What is kept, after re-encoding. It bounds every channel the picture travels through: the
# hand-over file's text limit (base64, core/bundle_format.MAX_TEXT_CHARS) and a change-log
# entry (hex, core/change_log.py) stay well under a few megabytes.
MAX_STORED_BYTES = 700_000
MAX_LABEL = 200  # a caption here; a mark's label (core/safety_map.py)


@dataclass(frozen=True)
class PreparedImage:
    data: bytes
    image_type: str  # png | jpeg
    width: int
    height: int


@dataclass(frozen=True)
class MapImage:
    conference_id: int
    data: bytes
    image_type: str
    width: int
    height: int
    caption: str

    @property
    def aspect(self) -> float:
        return self.width / self.height if self.height else 1.0


def _size_words(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def prepare_image(data: bytes, name: str = "The picture") -> PreparedImage:
    """Check a PNG or JPEG and re-encode it for keeping: upright, flattened on white, at most
    MAX_SIDE pixels on its longest side and MAX_STORED_BYTES in size, with no metadata.
    Anything else is refused with a sentence saying what to do."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not data:
        raise UserError(f"{name} is empty. Choose a PNG or JPEG picture of the area.")
    if len(data) > MAX_FILE_BYTES:
        raise UserError(
            f"{name} is {_size_words(len(data))}; choose a picture under "
            f"{_size_words(MAX_FILE_BYTES)} (a screenshot of the area is usually under 5 MB)."
        )
    too_large = (
        f"{name} has too many pixels to open safely. Take a smaller screenshot or scale the "
        "picture down first."
    )
    try:
        with warnings.catch_warnings():  # refused below, by our own (lower) limit
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
        with probe:
            kind = probe.format
            width, height = probe.size
            if kind not in ("PNG", "JPEG"):
                raise UserError(
                    f"{name} is not a PNG or JPEG picture ({kind or 'unknown'}). Save the map "
                    "as PNG or JPEG (a screenshot is PNG) and import that."
                )
            if width < 1 or height < 1 or width * height > MAX_PIXELS:
                raise UserError(too_large)
            probe.load()
            picture = ImageOps.exif_transpose(probe)
    except UserError:
        raise
    except Image.DecompressionBombError:
        raise UserError(too_large) from None
    except UnidentifiedImageError:
        raise UserError(
            f"{name} cannot be read as a picture. Choose a PNG or JPEG (a screenshot or a "
            "drawing of the area)."
        ) from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise UserError(
            f"{name} is damaged or cut short ({type(exc).__name__}); save it again and import "
            "the new copy."
        ) from None
    picture = _flatten(picture)
    picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    return _encode_within_limit(picture, prefer_png=kind == "PNG")


def _flatten(picture):  # noqa: ANN001, ANN202 - PIL images
    """RGB on white: transparency would show as black in Word and on screen."""
    from PIL import Image

    if picture.mode in ("RGBA", "LA", "PA") or (
        picture.mode == "P" and "transparency" in picture.info
    ):
        rgba = picture.convert("RGBA")
        white = Image.new("RGBA", rgba.size, "white")
        return Image.alpha_composite(white, rgba).convert("RGB")
    return picture.convert("RGB")


def _encode_within_limit(picture, *, prefer_png: bool) -> PreparedImage:  # noqa: ANN001
    """PNG for drawings and screenshots when it fits; otherwise JPEG, smaller as needed."""
    from PIL import Image

    while True:
        if prefer_png and (data := _saved_within_limit(picture, "PNG", optimize=True)):
            return PreparedImage(data, "png", *picture.size)
        for quality in (88, 80, 70, 60):
            if data := _saved_within_limit(picture, "JPEG", quality=quality, optimize=True):
                return PreparedImage(data, "jpeg", *picture.size)
        width, height = picture.size
        picture = picture.resize(
            (max(1, int(width * 0.8)), max(1, int(height * 0.8))), Image.Resampling.LANCZOS
        )


class _TooBig(Exception):
    """An encoding has passed MAX_STORED_BYTES: the rest of it need not be made."""


class _BoundedBuffer(io.BytesIO):
    """Refuses a write that would take it past MAX_STORED_BYTES, so an encoding that cannot fit
    stops there: a noisy photo's PNG at 2,400 pixels is several megabytes and most of a second
    to make, and is never kept."""

    def write(self, data) -> int:  # noqa: ANN001 - bytes-like, as BytesIO takes
        if self.tell() + len(data) > MAX_STORED_BYTES:
            raise _TooBig
        return super().write(data)


def _saved_within_limit(picture, image_format: str, **options) -> bytes | None:  # noqa: ANN001, ANN003
    """The picture encoded, or None if that would be more than MAX_STORED_BYTES."""
    out = _BoundedBuffer()
    try:
        picture.save(out, image_format, **options)
    except _TooBig:
        return None
    return out.getvalue()


def read_image_file(path: str | os.PathLike[str]) -> bytes:
    """A picture file's bytes, refusing a missing, unreadable or huge file before reading it."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise UserError(f"{path.name} is not a file. Choose a PNG or JPEG picture.")
        if size > MAX_FILE_BYTES:
            raise UserError(
                f"{path.name} is {_size_words(size)}; choose a picture under "
                f"{_size_words(MAX_FILE_BYTES)}."
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path.name} is no longer there.") from None
    except PermissionError:
        raise UserError(f"{path.name} cannot be opened: permission denied.") from None
    except OSError as exc:
        raise UserError(f"{path.name} cannot be read ({exc.strerror or exc}).") from None


def image_record(row: SafetyMap) -> MapImage:
    """The stored picture; its size and type as the bytes say (the columns are written with
    the bytes, but a sync conflict settled field by field could leave them apart)."""
    data = bytes(row.image)
    width, height, kind = row.width, row.height, row.image_type
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as probe:  # the header only
            (width, height), kind = (
                probe.size,
                {"PNG": "png", "JPEG": "jpeg"}.get(probe.format or "", kind),
            )
    except (OSError, ValueError, SyntaxError):
        pass  # shown as stored; the renderer says what it cannot draw
    return MapImage(row.conference_id, data, kind, width, height, row.caption)


def _caption(value: object) -> str:
    caption = clean_text(value, multiline=False).strip()
    if len(caption) > MAX_LABEL:
        raise UserError(f"Keep the map's caption to {MAX_LABEL} characters.")
    return caption


def get_map_image(db: Database, conference_id: int) -> MapImage | None:
    with db.read_session() as s:
        row = map_row(s, conference_id)
        return image_record(row) if row is not None else None


def map_row(s: Session, conference_id: int) -> SafetyMap | None:
    return s.scalar(select(SafetyMap).where(SafetyMap.conference_id == conference_id))


def set_map_image(db: Database, conference_id: int, data: bytes, caption: str = "") -> MapImage:
    """Import a picture (bytes of a PNG or JPEG) as the conference's map, replacing any before.
    Marks keep their places (they are fractions of the picture's size)."""
    prepared = prepare_image(data)
    return _store(db, conference_id, prepared, _caption(caption))


def import_map_file(
    db: Database, conference_id: int, path: str | os.PathLike[str], caption: str | None = None
) -> MapImage:
    """The same, from a file; the caption defaults to the file's name."""
    path = Path(path)
    data = read_image_file(path)
    prepared = prepare_image(data, path.name)
    return _store(db, conference_id, prepared, _caption(path.stem if caption is None else caption))


def _store(db: Database, conference_id: int, prepared: PreparedImage, caption: str) -> MapImage:
    with db.session() as s:
        row = map_row(s, conference_id)
        if row is None:
            row = SafetyMap(conference_id=conference_id)
            s.add(row)
        row.image, row.image_type = prepared.data, prepared.image_type
        row.width, row.height, row.caption = prepared.width, prepared.height, caption
        touch_conference(s, conference_id)
        s.flush()
        return image_record(row)


def restore_map_image(db: Database, conference_id: int, image: MapImage | None) -> None:
    """Put back a map picture as it was (undo of an import), or none."""
    with db.session() as s:
        row = map_row(s, conference_id)
        touch_conference(s, conference_id)
        if image is None:
            if row is not None:
                s.delete(row)
            return
        if row is None:
            row = SafetyMap(conference_id=conference_id)
            s.add(row)
        row.image, row.image_type = image.data, image.image_type
        row.width, row.height, row.caption = image.width, image.height, image.caption


def set_caption(db: Database, conference_id: int, caption: str) -> MapImage:
    with db.session() as s:
        row = map_row(s, conference_id)
        if row is None:
            raise NotFound("Import a map of the area first.")
        row.caption = _caption(caption)
        touch_conference(s, conference_id)
        return image_record(row)
