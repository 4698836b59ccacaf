"""Invite lists to and from CSV files, as spreadsheets (Excel above all) write and read them.

Reading guesses what Excel may have produced: UTF-8 with or without a byte-order mark,
UTF-16 ("Unicode text"), else Windows-1252; commas, semicolons (European Excel) or tabs; a
"sep=;" first line. Rows are numbered as a spreadsheet numbers them (the header is row 1), so
"row 5" is the row the coordinator sees in Excel.

What may have been read wrongly is said, never hidden (CsvPreview.warnings): a quote (") that
is never closed would swallow every row after it into one cell, so the line that opens it is
read on its own (as a spreadsheet shows it) and named; bytes that are not Windows-1252 but
read cleanly as Shift-JIS (Japanese Excel) or GB18030 (Chinese Excel) are read so, with a
warning to check the names. Reading is linear in the size of the file: the standard library's
csv.Sniffer is not used, as its regular expressions take minutes on a crafted 160 KB file.

Importing is planned first (plan_import: nothing written, used for the live preview) and then
written in one transaction, all or nothing. Nothing a row says is thrown away: a value that
cannot be read (a date such as "next week") is kept in the notes and flagged; an e-mail that
looks wrong is kept as written and flagged; only a row without a name is left out, and listed.

Exported cells that a spreadsheet would run as a formula ("=...", " @...", "＝...") start with
an apostrophe, as OWASP advises against CSV injection (core.formula_guard, the guard every CSV
export shares); importing removes it again. Phone numbers ("+44 1632 960000") are left as
they are in the Phone column only.

Long because reading what spreadsheets write takes many small guesses (encodings, separators,
unclosed quotes, formula guards), each reported as a warning, and planning and writing the
import share them.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from csfacilitator.core import invitees, vocab
from csfacilitator.core.address_book import partner_key
from csfacilitator.core.formula_guard import guard_formula, unguard_formula
from csfacilitator.core.invitees import QUESTION_FIELDS, InviteeRecord
from csfacilitator.core.meetings import list_meetings
from csfacilitator.core.textclean import clean_text, shortened
from csfacilitator.errors import UserError
from csfacilitator.storage.database import Database

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 256  # Excel's old limit; an invite list needs a dozen
MAX_RECORDS = 10 * MAX_ROWS  # blank rows included: reading stops there, the file is too long
DELIMITERS = ",;\t"
DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs"}
SAMPLE_CHARS = 65536  # what the delimiter is chosen from (the first records of the file)
SAMPLE_RECORDS = 50
MAX_UNCLOSED_QUOTES = 20  # more than this, and the file is not a CSV file worth guessing at
LISTED_ROWS = 10  # row numbers named in a summary before "and N more"

#: What a column can be imported as (stored key -> words shown in the preview). First and last
#: name columns are joined into the name.
FIELD_LABELS: dict[str, str] = {
    "name": "Name",
    "first_name": "First name",
    "last_name": "Last name",
    "organisation": "Organisation",
    "job_title": "Job title",
    "category": "Agency category",
    "role": "Role at the meeting",
    "email": "E-mail",
    "phone": "Phone",
    **{field: vocab.INVITE_QUESTIONS[q] for q, field in QUESTION_FIELDS.items()},
    "status": "Status",
    "invited_on": "Invited on",
    "prepared_on": "Prepared on",
    "isa_signed": "Information-sharing agreement signed",
    "notes": "Notes",
}
NAME_PARTS = ("first_name", "last_name")
_VALUE_FIELDS = ("status", "invited_on", "prepared_on", "isa_signed", *QUESTION_FIELDS.values())

# Header words that suggest a field (compared without case, accents, punctuation or spaces).
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": (
        "name", "full name", "invitee", "invitee name", "contact name", "attendee",
        "attendee name", "person", "contact", "participant", "display name", "partner",
    ),
    "first_name": ("first name", "forename", "forenames", "given name", "first"),
    "last_name": ("last name", "surname", "family name", "last"),
    "organisation": (
        "organisation", "organization", "agency", "organisation name", "organization name",
        "agency name", "company", "employer", "service", "team", "agency team",
        "organisation team", "organization team", "org", "business",
    ),
    "category": (
        "category", "agency category", "agency type", "type", "sector", "partner type",
        "organisation type", "organization type",
    ),
    "job_title": ("job title", "job role", "position", "job", "post"),
    "role": ("role", "role at the meeting", "role at meeting", "meeting role"),
    "email": (
        "email", "e-mail", "email address", "e-mail address", "mail", "work email",
        "email 1", "e-mail 1",
    ),
    "phone": (
        "phone", "telephone", "tel", "mobile", "phone number", "telephone number",
        "mobile number", "contact number", "mobile phone", "work phone", "business phone",
        "landline",
    ),
    "q_engaged": ("engaged in the assessment", "engaged in assessment", "engaged"),
    "q_works_in_context": ("works in the context", "works in context"),
    "q_can_change": ("can make changes", "can make change", "can change"),
    "q_youth_voice": (
        "represents young people's voices", "represents young peoples voices", "youth voice",
        "young people's voices", "young peoples voice", "represents young people",
    ),
    "status": ("status", "invitation status", "invite status"),
    "invited_on": ("invited on", "invited", "date invited", "invitation sent", "invite sent"),
    "prepared_on": (
        "prepared on", "prepared", "date prepared", "met beforehand", "preparation date",
        "preparation", "met on",
    ),
    "isa_signed": (
        "information-sharing agreement signed", "information sharing agreement",
        "agreement signed", "isa signed", "isa", "information sharing", "agreement",
    ),
    "notes": ("notes", "note", "comments", "comment", "remarks"),
}  # fmt: skip

_SEP_LINE = re.compile(r'^"?sep=(.)"?$', re.IGNORECASE)
_QUOTED = re.compile(r'"[^"]*"')


@dataclass(frozen=True)
class CsvRow:
    #: The row's number as a spreadsheet shows it (the header is row 1).
    line: int
    cells: tuple[str, ...]

    def cell(self, column: int) -> str:
        return self.cells[column] if 0 <= column < len(self.cells) else ""


@dataclass(frozen=True)
class CsvPreview:
    """A CSV file read and split into cells, not yet checked or imported."""

    path: Path
    encoding: str  # as people say it: "UTF-8", "UTF-8 with BOM", "Windows-1252", "UTF-16"
    delimiter: str
    headers: tuple[str, ...]  # every column has one ("Column 4" where the file has none)
    rows: tuple[CsvRow, ...]  # data rows; entirely empty rows are left out
    #: What may have been read wrongly, one plain sentence each (shown above the preview;
    #: the command line refuses to import without --despite-warnings).
    warnings: tuple[str, ...] = ()
    #: (row, line of the file) of each row whose quote (") is never closed.
    unclosed_quotes: tuple[tuple[int, int], ...] = ()

    @property
    def delimiter_name(self) -> str:
        return DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))


ColumnMapping = Mapping[int, str]  # column index -> FIELD_LABELS key


@dataclass(frozen=True)
class ImportPlan:
    """What importing would do; nothing has been written."""

    to_add: tuple[tuple[int, dict[str, object]], ...]  # (row, cleaned invitee fields)
    bad_rows: tuple[tuple[int, str], ...]  # (row, why it is left out)
    flagged: tuple[tuple[int, str], ...]  # (row, what to check) - the row is still added
    duplicates: tuple[tuple[int, str], ...]  # (row, name) already on the list: left out

    def summary(self) -> str:
        """One plain sentence for the preview, e.g. '12 people will be added; 2 rows have no
        name (rows 5, 9); 1 e-mail looks wrong (row 7).'"""
        if self.to_add:
            parts = [f"{_count(len(self.to_add), 'person', 'people')} will be added"]
        else:
            parts = ["No one will be added"]
        parts += _problem_parts(self.bad_rows, self.flagged, self.duplicates, future=True)
        return "; ".join(parts) + "."


@dataclass(frozen=True)
class ImportResult:
    added: tuple[InviteeRecord, ...]
    bad_rows: tuple[tuple[int, str], ...]
    flagged: tuple[tuple[int, str], ...]
    duplicates: tuple[tuple[int, str], ...] = ()

    def summary(self) -> str:
        if self.added:
            parts = [f"Added {_count(len(self.added), 'person', 'people')}"]
        else:
            parts = ["No one was added"]
        parts += _problem_parts(self.bad_rows, self.flagged, self.duplicates, future=False)
        return "; ".join(parts) + "."


# --- reading a file ---------------------------------------------------------------------------


def read_csv(path: str | os.PathLike[str]) -> CsvPreview:
    """Read a CSV file as Excel and others save it; UserError with a plain sentence if it
    cannot be read, is not a CSV file, or is too big."""
    path = Path(path).expanduser()
    data = _read_bytes(path)
    text, encoding = _decode(data, path)
    warnings = [doubt] if (doubt := _encoding_warning(data, encoding)) else []
    text, delimiter, skipped = _delimiter(text)
    rows, unclosed = _parse(text, delimiter, first_line=1 + skipped)
    warnings += [_unclosed_warning(row, line) for row, line in unclosed[:LISTED_ROWS]]
    if len(unclosed) > LISTED_ROWS:
        warnings.append(
            f"{len(unclosed) - LISTED_ROWS} more rows have a quote that is never closed."
        )
    numbered = [(line, cells) for line, cells in rows if any(c.strip() for c in cells)]
    if not numbered:
        raise UserError(f"{path.name} is empty: there is no header row and no one to import.")
    _header_line, header = numbered[0]
    body = numbered[1:]
    if len(body) > MAX_ROWS or (rows and rows[-1][0] > MAX_RECORDS):
        raise UserError(
            f"{path.name} has more than {MAX_ROWS:,} rows; at most {MAX_ROWS:,} can be imported at once. "
            "Split it into smaller files and import them one by one."
        )
    width = max(len(cells) for _line, cells in numbered)
    if width > MAX_COLUMNS:
        raise UserError(
            f"{path.name} has {width:,} columns; at most {MAX_COLUMNS} can be imported. Leave out "
            "the columns you do not need, or check that it is a list of people."
        )
    headers = tuple(
        clean_text(header[i], multiline=False) if i < len(header) else "" for i in range(width)
    )
    headers = tuple(h or f"Column {i + 1}" for i, h in enumerate(headers))
    return CsvPreview(
        path=path,
        encoding=encoding,
        delimiter=delimiter,
        headers=headers,
        rows=tuple(CsvRow(line, tuple(cells)) for line, cells in body),
        warnings=tuple(warnings),
        unclosed_quotes=tuple(unclosed),
    )


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise UserError(f"{path} is a folder. Choose a CSV file.")
        if size > MAX_BYTES:
            raise UserError(
                f"{path.name} is {size / 1024 / 1024:.1f} MB; at most "
                f"{MAX_BYTES // 1024 // 1024} MB can be imported at once. Split it into smaller "
                "files, or leave out columns you do not need."
            )
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise UserError(f"There is no file {path}.") from exc
    except PermissionError as exc:
        raise UserError(f"{path.name} cannot be read: you do not have permission.") from exc
    except IsADirectoryError as exc:
        raise UserError(f"{path} is a folder. Choose a CSV file.") from exc
    except OSError as exc:
        raise UserError(f"{path.name} cannot be read: {exc.strerror or exc}.") from exc


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "UTF-8 with BOM"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise UserError(f"{path.name} is damaged: it cannot be read as text.") from exc
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UserError(
            f"{path.name} is an Excel workbook, not a CSV file. In Excel, choose File › Save As "
            "› CSV UTF-8 (comma delimited), then import that file."
        )
    if b"\x00" in data[:4096]:
        raise UserError(f"{path.name} is not a text (CSV) file.")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    east_asian = _east_asian_encoding(data)
    if east_asian is not None:
        codec, name = east_asian
        return data.decode(codec), name
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        # The five bytes Windows-1252 leaves undefined: read them as Latin-1 (control
        # characters, which cleaning removes) rather than refuse the file.
        return data.decode("latin-1"), "Windows-1252"


_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
# Excel saves "CSV" in the system's code page: cp932 (Shift-JIS with Microsoft's additions) on
# Japanese Windows, cp949 (EUC-KR's superset) on Korean and GBK, which GB18030 contains, on
# Chinese. The same bytes often decode in more than one of them, so each is only taken when
# the characters fall where that language's everyday text falls (see _looks_like).
_EAST_ASIAN = (
    ("cp932", "Japanese (Shift-JIS)"),
    ("cp949", "Korean (EUC-KR)"),
    ("gb18030", "Chinese (GB18030)"),
)


def _looks_like(codec: str, text: str) -> bool:
    """Whether text decoded with codec reads as that language's everyday text: Japanese kana
    and common kanji have a first byte 0x82-0x9F in Shift-JIS; Korean is written in Hangul
    (EUC-KR's syllables, both bytes 0xA1 and above);
    common Chinese characters lie in GB2312 (both bytes 0xA1 and above)."""
    wide = [char for char in text if ord(char) >= 0x80]
    if codec == "cp932":  # 0x81 is punctuation and symbols: neither for nor against
        firsts = [first for c in wide if (first := c.encode(codec)[0]) != 0x81]
        return bool(firsts) and sum(0x82 <= b <= 0x9F for b in firsts) >= 0.9 * len(firsts)
    if not wide:
        return False
    if codec == "cp949":
        typical = sum(  # the everyday syllables of EUC-KR, not the rarer UHC ones
            1 for c in wide if "\uac00" <= c <= "\ud7af" and min(c.encode(codec)) >= 0xA1
        )
    else:
        typical = sum(1 for c in wide if len(b := c.encode(codec)) == 2 and min(b) >= 0xA1)
    return typical >= 0.9 * len(wide)


_HIGH_RUNS = re.compile(rb"[\x80-\xff]+")


def _east_asian_encoding(data: bytes) -> tuple[str, str] | None:
    """(codec, name) when bytes that are not UTF-8 are far likelier East Asian text than
    Windows-1252: a byte Windows-1252 does not define, or non-ASCII bytes that come in runs
    (an accented letter in Western text stands alone; "张三" in GBK reads "ÕÅÈý"), and the
    bytes decode cleanly into that language's everyday characters. Judged on the first 64 KB
    (cut at a line end, which no multi-byte character contains); the whole file must then
    decode cleanly too."""
    sample = data[:SAMPLE_CHARS]
    if len(data) > SAMPLE_CHARS and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n") + 1]
    runs = [len(run) for run in _HIGH_RUNS.findall(sample)]
    high = sum(runs)
    if not high:
        return None
    if not any(byte in _CP1252_UNDEFINED for byte in data):
        in_runs = sum(length for length in runs if length > 1)
        if high < 4 or in_runs * 2 < high:  # most non-ASCII bytes stand alone: Western text
            return None
    for codec, name in _EAST_ASIAN:
        try:
            if _looks_like(codec, sample.decode(codec)):
                data.decode(codec)
                return codec, name
        except UnicodeDecodeError:
            continue
    return None


def _encoding_warning(data: bytes, encoding: str) -> str | None:
    """A sentence when the file was not UTF-8 and may have been read wrongly."""
    if encoding in ("UTF-8", "UTF-8 with BOM", "UTF-16"):
        return None
    if encoding != "Windows-1252":
        return (
            f"This file is not saved as UTF-8; it was read as {encoding}. Check that the "
            "names look right. If they do not, save it from Excel as “CSV UTF-8 (comma "
            "delimited)” and import that file."
        )
    if any(byte in _CP1252_UNDEFINED for byte in data):
        return (
            "This file may not be in a Western encoding: some of its characters could not be "
            "read and were left out. Save it from Excel as “CSV UTF-8 (comma delimited)” and "
            "import that file."
        )
    return None


def _delimiter(text: str) -> tuple[str, str, int]:
    """The delimiter, the text without Excel's 'sep=;' line if it had one, and how many lines
    that took off the top (0 or 1).

    Chosen from the header's delimiters (quoted text aside); when the header holds more than
    one kind, the one that splits the first records into as many cells as the header wins.
    Linear: a bounded sample is parsed once per candidate (csv.Sniffer is quadratic)."""
    first, _, rest = text.partition("\n")
    if match := _SEP_LINE.match(first.strip()):
        return rest, match.group(1), 1
    sample = text[:SAMPLE_CHARS]
    lines = io.StringIO(sample, newline="")
    header = next((line for line in lines if line.strip()), "")
    unquoted = _QUOTED.sub("", header)
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    candidates = [d for d in DELIMITERS if counts[d]]
    if not candidates:
        return text, ",", 0
    if len(candidates) == 1:
        return text, candidates[0], 0
    return text, max(candidates, key=lambda d: (_consistency(sample, d), counts[d])), 0


def _consistency(sample: str, delimiter: str) -> int:
    """How many of the sample's first records have as many cells as its header (at least 2)."""
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, strict=False)
    try:
        widths = [len(cells) for cells in itertools.islice(reader, SAMPLE_RECORDS) if cells]
    except csv.Error:
        return -1
    if not widths or widths[0] < 2:
        return -1
    return sum(width == widths[0] for width in widths[1:])


# Put after the last line: read as a record of its own when every quote was closed, or glued
# to the last cell when a quote was left open. (A private-use character: not in real files.)
_END = "\ue000csfacilitator: end of file\ue000"


def _parse(
    text: str, delimiter: str, first_line: int = 1
) -> tuple[list[tuple[int, list[str]]], list[tuple[int, int]]]:
    """(spreadsheet row number, cells) for every record but blank ones; and (row, line
    of the file) for each row that opens a quote never closed (or closed only in the middle of
    a cell some lines later). Such a row is read on its own line, as far as its end (its quote
    to the end of the line), and reading goes on with the next line, so no row after it
    disappears into one cell."""
    lines = io.StringIO(text, newline="").readlines()
    rows: list[tuple[int, list[str]]] = []
    unclosed: list[tuple[int, int]] = []
    number = filled = 0
    start = 0  # index of the line the next record starts on
    while start < len(lines):
        reader = csv.reader(
            itertools.chain(itertools.islice(lines, start, None), [_END]),
            delimiter=delimiter,
            strict=False,
        )
        read = 0  # lines the reader had consumed before the current record
        opened_at: int | None = None
        try:
            for cells in reader:
                record_start = start + read
                read = reader.line_num
                if cells and cells[-1].endswith(_END):
                    if cells != [_END]:
                        opened_at = record_start
                    break
                if start + read - record_start > 1 and _badly_closed(
                    lines[record_start : start + read], delimiter
                ):
                    opened_at = record_start
                    break
                number += 1
                if cells:  # a blank line is a row (it keeps the numbering), but no one
                    rows.append((number, cells))
                    filled += 1
                if filled > MAX_ROWS + 1 or number > MAX_RECORDS:  # read_csv says too long
                    rows.append((number, []))
                    return rows, unclosed
        except csv.Error as exc:
            record_start = start + read
            if not _opens_unclosed_quote(lines[record_start], delimiter):
                message = _unreadable(number + 1, first_line + record_start, exc, unclosed)
                raise UserError(message) from exc
            opened_at = record_start
        if opened_at is None:
            break
        number += 1
        rows.append((number, _cells_of_line(lines[opened_at], delimiter)))
        unclosed.append((number, first_line + opened_at))
        if len(unclosed) > MAX_UNCLOSED_QUOTES:
            raise UserError(
                f'More than {MAX_UNCLOSED_QUOTES} rows of this file open a quote (") that is '
                "never closed, so it cannot be read as a CSV file. Open it in a spreadsheet, "
                "check it and save it again as CSV."
            )
        start = opened_at + 1
    return rows, unclosed


def _badly_closed(record: list[str], delimiter: str) -> bool:
    """Whether a record spanning lines only ends because a quote "closed" in mid-cell ('"Club"'
    read inside an open quote): a real cell with line breaks closes its quote before a
    delimiter or the end of the line. Such a record is an open quote that swallowed rows."""
    try:
        for _cells in csv.reader(record, delimiter=delimiter, strict=True):
            pass
    except csv.Error:
        return True
    return False


def _cells_of_line(line: str, delimiter: str) -> list[str]:
    """One line read on its own, its open quote running to the end of the line."""
    reader = csv.reader([line.rstrip("\r\n")], delimiter=delimiter, strict=False)
    try:
        return next(reader, [])
    except csv.Error:  # the line alone is longer than a cell may be
        return [line.rstrip("\r\n")[:1000]]


def _opens_unclosed_quote(line: str, delimiter: str) -> bool:
    """Whether a quote opened in this line is still open at its end, read as the csv module
    reads (non-strict): a quote opens only at the start of a cell, "" inside is one quote, and
    after the closing quote the rest of the cell is plain text. Linear, and without the csv
    module's limit on the length of a cell."""
    position, end = 0, len(line)
    while position < end:
        if line[position] == '"':
            search = position + 1
            while True:
                close = line.find('"', search)
                if close < 0:
                    return True
                if line.startswith('"', close + 1):
                    search = close + 2
                    continue
                position = close + 1
                break
        following = line.find(delimiter, position)
        if following < 0:
            return False
        position = following + 1
    return False


def _unreadable(row: int, line: int, exc: Exception, unclosed: list[tuple[int, int]]) -> str:
    if unclosed:
        quote_row, quote_line = unclosed[-1]
        why = f'row {quote_row} (line {quote_line}) opens a quote (") that is never closed'
    else:
        why = 'perhaps a quote (") is not closed'
    return (
        f"Row {row} of the file (line {line}) cannot be read ({exc}); {why}. Fix it in a "
        "spreadsheet and try again."
    )


def _unclosed_warning(row: int, line: int) -> str:
    return (
        f'Row {row} (line {line} of the file) opens a quote (") that is never closed. It was '
        "read up to the end of its line so that the rows after it are kept; check that row."
    )


# --- which column is what ---------------------------------------------------------------------


def _normal(text: str) -> str:
    """Header words compared without case, accents, punctuation or spaces."""
    decomposed = unicodedata.normalize("NFKD", clean_text(text, multiline=False).casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", plain.replace("'", "").replace("’", "")).split())


_EXACT = {
    _normal(word).replace(" ", ""): field for field, words in _SYNONYMS.items() for word in words
}
# Single words specific enough to find inside a longer header ("Work e-mail", "Role (chair...)").
_CONTAINED = frozenset(
    [
        "name",
        "email",
        "phone",
        "telephone",
        "mobile",
        "organisation",
        "organization",
        "agency",
        "category",
        "role",
        "status",
        "notes",
        "comments",
        "surname",
        "forename",
    ]
)
_PHRASES = sorted(
    ((_normal(word), field) for field, words in _SYNONYMS.items() for word in words),
    key=lambda item: -len(item[0]),
)


def _suggest(header: str) -> tuple[tuple[int, int], str] | None:
    """The field a header most likely means, with a score (exact beats contained, longer
    words beat shorter); None if nothing fits."""
    words = _normal(header)
    if not words:
        return None
    exact = _EXACT.get(words.replace(" ", ""))
    if exact:
        return (2, len(words)), exact
    padded = f" {words} "
    for phrase, field in _PHRASES:
        if (" " in phrase or phrase in _CONTAINED) and f" {phrase} " in padded:
            return (1, len(phrase)), field
    return None


def suggest_mapping(headers: Sequence[str]) -> dict[int, str]:
    """column index -> field, for the columns whose header says what they hold. Each field is
    taken by one column at most (the best match, then the leftmost). First and last names are
    only used when no column holds whole names."""
    candidates = []
    for column, header in enumerate(headers):
        suggestion = _suggest(header)
        if suggestion:
            score, field = suggestion
            candidates.append((score, column, field))
    candidates.sort(key=lambda c: (-c[0][0], -c[0][1], c[1]))
    mapping: dict[int, str] = {}
    for _score, column, field in candidates:
        if field not in mapping.values() and column not in mapping:
            mapping[column] = field
    if "name" in mapping.values():
        mapping = {c: f for c, f in mapping.items() if f not in NAME_PARTS}
    return dict(sorted(mapping.items()))


def has_name(mapping: ColumnMapping) -> bool:
    fields_ = set(mapping.values())
    return "name" in fields_ or bool(fields_ & set(NAME_PARTS))


def mapping_problem(mapping: ColumnMapping) -> str | None:
    """Why importing with this mapping cannot start (one sentence), or None if it can."""
    unknown = [f for f in mapping.values() if f not in FIELD_LABELS]
    if unknown:
        return f"'{unknown[0]}' is not something an invitee has."
    if not has_name(mapping):
        return (
            "No column is chosen as Name, so there is no one to add. Choose the column that "
            "holds the names."
        )
    seen: set[str] = set()
    for field in mapping.values():
        if field in seen:
            return f"Two columns are set to {FIELD_LABELS[field]}; choose one of them."
        seen.add(field)
    return None


# --- importing --------------------------------------------------------------------------------


def _row_fields(row: CsvRow, mapping: ColumnMapping) -> tuple[dict[str, object], list[str]]:
    """The invitee fields of one row, and what to flag about it."""
    raw = {
        field: unguard_formula(row.cell(column), numbers_ok=field == "phone")
        for column, field in mapping.items()
    }
    values: dict[str, object] = {}
    flags: list[str] = []
    kept: list[str] = []
    name = clean_text(raw.get("name", ""), multiline=False)
    if not name:
        parts = (clean_text(raw.get(p, ""), multiline=False) for p in NAME_PARTS)
        name = " ".join(p for p in parts if p)
    values["name"] = name
    for field in ("organisation", "job_title", "category", "role", "email", "phone"):
        if field in raw:
            values[field] = clean_text(raw[field], multiline=False)
    category = values.get("category")
    if isinstance(category, str):  # always, when given: clean_text gives a str
        values["category"] = vocab.suggested_category(category) or category
    for field in _VALUE_FIELDS:
        if field not in raw:
            continue
        text = clean_text(raw[field], multiline=False)
        try:
            values[field] = invitees.clean_field(field, text)
        except UserError:
            kept.append(f"{FIELD_LABELS[field]}: {text}")
            flags.append(
                f"{FIELD_LABELS[field]} “{shortened(text, 60)}” not understood; kept in the notes"
            )
    notes = clean_text(raw.get("notes", ""))
    if kept:
        notes = "\n".join(p for p in (notes, "From the import:", *kept) if p)
    if notes or "notes" in raw:
        values["notes"] = notes
    email = str(values.get("email", ""))
    if email and not invitees.is_valid_email(email):
        flags.insert(0, f"invalid e-mail “{shortened(email, 60)}” (kept as written)")
    return values, flags


def plan_import(
    preview: CsvPreview, mapping: ColumnMapping, existing: Iterable[InviteeRecord] = ()
) -> ImportPlan:
    """What importing `preview` with `mapping` would add, leave out and flag (nothing is
    written). People already in `existing` (same name and organisation) or earlier in the file
    are left out as duplicates. UserError if the mapping cannot be used (see mapping_problem)."""
    problem = mapping_problem(mapping)
    if problem:
        raise UserError(problem)
    known = {partner_key(i.name, i.organisation) for i in existing}
    to_add, bad, flagged, duplicates = [], [], [], []
    for row in preview.rows:
        values, flags = _row_fields(row, mapping)
        if not values["name"]:
            bad.append((row.line, "no name"))
            continue
        key = partner_key(str(values["name"]), str(values.get("organisation", "")))
        if key in known:
            duplicates.append((row.line, str(values["name"])))
            continue
        known.add(key)
        to_add.append((row.line, values))
        flagged += [(row.line, flag) for flag in flags]
    return ImportPlan(tuple(to_add), tuple(bad), tuple(flagged), tuple(duplicates))


def import_rows(
    db: Database, conference_id: int, preview: CsvPreview, mapping: ColumnMapping
) -> ImportResult:
    """Add the people of a CSV file to a conference's invite list, in one transaction.

    UserError, writing nothing, if no column is mapped to the name (or the mapping is wrong
    otherwise). Rows without a name are left out and listed in bad_rows; values to check (an
    e-mail that looks wrong, a date that could not be read) are listed in flagged."""
    plan = plan_import(preview, mapping, invitees.list_invitees(db, conference_id))
    added: list[InviteeRecord] = []
    if plan.to_add:
        added = invitees.add_invitees(db, conference_id, [values for _line, values in plan.to_add])
    return ImportResult(tuple(added), plan.bad_rows, plan.flagged, plan.duplicates)


# --- summaries --------------------------------------------------------------------------------


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def _rows(items: Sequence[tuple[int, str]]) -> str:
    numbers = list(dict.fromkeys(line for line, _what in items))
    shown = ", ".join(str(n) for n in numbers[:LISTED_ROWS])
    more = f" and {len(numbers) - LISTED_ROWS} more" if len(numbers) > LISTED_ROWS else ""
    return f"{'row' if len(numbers) == 1 else 'rows'} {shown}{more}"


def _problem_parts(bad, flagged, duplicates, *, future: bool) -> list[str]:
    parts = []
    if bad:
        verb = ("has" if len(bad) == 1 else "have") if future else "had"
        parts.append(f"{_count(len(bad), 'row', 'rows')} {verb} no name ({_rows(bad)})")
    emails = [f for f in flagged if f[1].startswith("invalid e-mail")]
    others = [f for f in flagged if not f[1].startswith("invalid e-mail")]
    if emails:
        verb = "looks" if len(emails) == 1 else "look"
        parts.append(f"{_count(len(emails), 'e-mail', 'e-mails')} {verb} wrong ({_rows(emails)})")
    if others:
        verb = "was" if len(others) == 1 else "were"
        parts.append(
            f"{_count(len(others), 'value', 'values')} {verb} not understood and "
            f"{'will be' if future else 'are'} kept in the notes ({_rows(others)})"
        )
    if duplicates:
        one = len(duplicates) == 1
        if future:
            verb = f"{'is' if one else 'are'} already on the list and will be skipped"
        else:
            verb = f"{'was' if one else 'were'} already on the list and skipped"
        parts.append(f"{_count(len(duplicates), 'person', 'people')} {verb} ({_rows(duplicates)})")
    return parts


# --- exporting --------------------------------------------------------------------------------


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


#: (header, how to write the cell) for every exported invitee detail; import reads them back.
EXPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Name", "name"),
    ("Organisation", "organisation"),
    ("Job title", "job_title"),
    ("Agency category", "category"),
    ("Role at the meeting", "role"),
    ("E-mail", "email"),
    ("Phone", "phone"),
    *((vocab.INVITE_QUESTIONS[q], f) for q, f in QUESTION_FIELDS.items()),
    ("Status", "status"),
    ("Invited on", "invited_on"),
    ("Prepared on", "prepared_on"),
    ("Information-sharing agreement signed", "isa_signed"),
    ("Notes", "notes"),
)


def _cell(record: InviteeRecord, field: str) -> str:
    value = getattr(record, field)
    if field == "status":
        return vocab.label(vocab.INVITEE_STATUSES, value)
    if field in invitees.DATE_FIELDS:
        return _date(value)
    if field in invitees.FLAG_FIELDS:
        return _yes_no(value)
    text = clean_text(value, multiline=field == "notes")
    return guard_formula(text, numbers_ok=field == "phone")


def csv_bytes(db: Database, conference_id: int) -> bytes:
    """The invite list as Excel-friendly CSV: UTF-8 with a byte-order mark, commas, CRLF, one
    column per detail and one per meeting's attendance."""
    records = invitees.list_invitees(db, conference_id)
    meetings = list_meetings(db, conference_id)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    headers = [header for header, _field in EXPORT_COLUMNS]
    for meeting in meetings:
        kind = vocab.label(vocab.MEETING_KINDS, meeting.kind)
        when = f", {meeting.date.day} {meeting.date:%b %Y}" if meeting.date else ""
        headers.append(f"Attendance: {kind}{when}")
    writer.writerow(headers)
    for record in records:
        row = [_cell(record, field) for _header, field in EXPORT_COLUMNS]
        for meeting in meetings:
            state = record.attendance.get(meeting.id, "")
            row.append(vocab.ATTENDANCE.get(state, "") if state else "")
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8-sig")


def export_csv(db: Database, conference_id: int, path: str | os.PathLike[str]) -> Path:
    """Write the invite list to `path` (see csv_bytes) atomically, private to the user.

    Either the whole new file is there afterwards or nothing changed; failures are an
    ExportError with one plain sentence."""
    data = csv_bytes(db, conference_id)
    return write_atomic(data, path)


def write_atomic(data: bytes, path: str | os.PathLike[str]) -> Path:
    """Write beside the target (mode 0600), fsync, rename into place."""
    from csfacilitator.atomic_file import write_atomic as write

    return write(data, path, kind="CSV file")
