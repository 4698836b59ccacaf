"""The one guard against CSV formula injection, for every CSV the app writes (and reads back).

A spreadsheet runs a cell as a formula when its first visible character is =, +, - or @, and
Excel skips leading spaces, tabs and line breaks to find it (" =1+1" is a formula). Excel with
an East Asian input method also takes the full-width forms (＝, ＋, －, ＠) and the small forms
(﹦, ﹢, ﹣, ﹫). Such a cell gets a leading apostrophe, as OWASP advises: the spreadsheet then
shows the text and runs nothing. A cell that already starts with an apostrophe before such a
start gets a second one, so reading the file back (unguard) gives exactly what was written.

Phone numbers are the one exception, and only where a column holds phone numbers
(numbers_ok=True): "+44 1632 960000" has no letters, so it can call no function and no link,
and an apostrophe would be visible in every address book the file is later imported into.
"""

from __future__ import annotations

import re

#: What a spreadsheet reads as the start of a formula (after any leading white space).
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b")
#: White space a spreadsheet skips before the formula sign. Tab and CR at the very start are
#: guarded themselves (OWASP's list), whatever follows them.
_LEADING_SPACE = " \t\r\n\u00a0\u3000"
_CONTROL_STARTS = ("\t", "\r")
# Digits, spaces and the punctuation of phone numbers: nothing a formula could call.
_NUMBER_ONLY = re.compile(r"[+\-\uff0b\uff0d\d\s().+\-/]*")


def needs_formula_guard(text: str, *, numbers_ok: bool = False) -> bool:
    """Whether a spreadsheet could run this cell as a formula (or it starts with the guard
    already, so the guard itself must survive a round trip)."""
    if text.startswith(_CONTROL_STARTS):
        return True
    visible = text.lstrip(_LEADING_SPACE)
    if visible[:1] in FORMULA_STARTS:
        return not (numbers_ok and _NUMBER_ONLY.fullmatch(visible))
    return text.startswith("'") and needs_formula_guard(text[1:], numbers_ok=numbers_ok)


def guard_formula(text: str, *, numbers_ok: bool = False) -> str:
    """The cell as a spreadsheet should receive it: an apostrophe first if it could run."""
    return "'" + text if needs_formula_guard(text, numbers_ok=numbers_ok) else text


def unguard_formula(text: str, *, numbers_ok: bool = False) -> str:
    """A cell read back from a file guard_formula wrote: its apostrophe removed again."""
    if text.startswith("'") and needs_formula_guard(text[1:], numbers_ok=numbers_ok):
        return text[1:]
    return text
