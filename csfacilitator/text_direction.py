"""Which way a paragraph reads: the one check the Word exports and the board's projector and
point editor share (pure Python, no Qt and no python-docx, so every layer can import it)."""

from __future__ import annotations

import unicodedata


def is_rtl(text: str) -> bool:
    """Whether a paragraph reads right to left (Arabic, Hebrew...): its first strong
    character decides, as the Unicode bidi algorithm does for a paragraph's base direction."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return False
