"""The one place text is cleaned on its way in and out.

Text pasted from Word carries vertical tabs (its line break), form feeds (page break) and other
control characters that XML - and so python-docx - refuses; broken clipboards can carry lone
surrogates that cannot be encoded at all. Cleaning keeps every visible character, emoji and
right-to-left scripts included, and never refuses input.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls except tab and newline, DEL, C1 controls, and the XML non-characters.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SPACES = re.compile(r"[ \t\u00a0]+")


def clean_text(value: object, *, multiline: bool = True) -> str:
    """Return value as safe, normalised text (NFC). Single-line text has its breaks folded."""
    if value is None:
        return ""
    text = str(value)
    text = _SURROGATE.sub("\ufffd", text)
    text = _BREAKS.sub("\n", text)
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    if multiline:
        lines = [line.rstrip() for line in text.split("\n")]
        return "\n".join(lines).strip("\n")
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


def one_line(value: object, limit: int | None = None) -> str:
    """Value cleaned as one line; longer than `limit` characters, shortened with '…' (for a
    label, a status message or a document's property; the whole text lives elsewhere)."""
    text = clean_text(value, multiline=False)
    return text if limit is None else shortened(text, limit)


def shortened(text: str, limit: int) -> str:
    """Text longer than `limit` characters cut to `limit`, ending in '…', for showing where
    the whole would not fit or would take too long to lay out (the whole lives elsewhere)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


# Bullets Word and e-mail use, "1." / "1)" numbering, "(a)" / "a)" lettering, and Word's
# "o" sub-bullet, which arrives followed by a tab.
_BULLET = re.compile(
    r"^\s*(?:[-*\u2022\u25aa\u25cf\u25e6\u2023\u2043\u2219\u00b7\u00a7>\uf0b7]+\s+"
    r"|\(?\d{1,3}[.)]\s+|\(?[a-zA-Z]\)\s+|o\t\s*)"
)


def strip_bullet(line: str) -> str:
    """Remove a leading bullet or list number ('•', '-', '1.', 'a)') from one pasted line."""
    return _BULLET.sub("", line, count=1)


def split_pasted_lines(value: str) -> list[str]:
    """One entry per non-empty pasted line, bullets and numbering removed, each line cleaned."""
    lines = clean_text(value, multiline=True).split("\n")
    result = []
    for line in lines:
        item = clean_text(strip_bullet(line), multiline=False)
        if item:
            result.append(item)
    return result


_UNSAFE_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


def safe_file_stem(value: str, fallback: str = "conference") -> str:
    """Text usable as a file name on Windows, macOS and Linux (at most 80 characters)."""
    words = _UNSAFE_IN_NAMES.sub(" ", clean_text(value, multiline=False)).split()
    stem = " ".join(words).strip(" .")[:80]  # one space between words: never "Park  North"
    return stem.strip(" .") or fallback


# Letters NFKD does not decompose into a base letter and a mark.
_FOLD_EXTRA = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ß": "ss",
    }
)


def sort_key(value: str) -> tuple[str, str]:
    """Alphabetical order for names as people expect it: Órla with the Os, Łucja with the Ls."""
    text = clean_text(value, multiline=False)
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA))
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return folded, text.casefold()
