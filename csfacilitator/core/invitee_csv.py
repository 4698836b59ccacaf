"""Invite lists to and from CSV files, as spreadsheets (Excel above all) write and read them.

Reading guesses what Excel may have produced: UTF-8 with or without a byte-order mark,
UTF-16 ("Unicode text"), else Windows-1252; commas, semicolons (European Excel) or tabs; a
"sep=;" first line. Rows are numbered as a spreadsheet numbers them (the header is row 1), so
"row 5" is the row the coordinator sees in Excel.

Importing is planned first (plan_import: nothing written, used for the live preview) and then
written in one transaction, all or nothing. Nothing a row says is thrown away: a value that
cannot be read (a date such as "next week") is kept in the notes and flagged; an e-mail that
looks wrong is kept as written and flagged; only a row without a name is left out, and listed.

Exported cells that a spreadsheet would run as a formula ("=...", " @...", "＝...") start with
an apostrophe, as OWASP advises against CSV injection (core.formula_guard, the guard every CSV
export shares); importing removes it again. Phone numbers ("+44 1632 960000") are left as
they are in the Phone column only.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
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
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import UserError
from csfacilitator.storage.database import Database

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
DELIMITERS = ",;\t"
DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs"}
LISTED_ROWS = 10  # row numbers named in a summary before "and N more"

#: What a column can be imported as (stored key -> words shown in the preview). First and last
#: name columns are joined into the name.
FIELD_LABELS: dict[str, str] = {
    "name": "Name",
    "first_name": "First name",
    "last_name": "Last name",
    "organisation": "Organisation",
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
    "role": (
        "role", "role at the meeting", "role at meeting", "job title", "job role", "position",
        "job", "meeting role",
    ),
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
    text, delimiter = _delimiter(text)
    rows = _parse(text, delimiter)
    numbered = [(line, cells) for line, cells in rows if any(c.strip() for c in cells)]
    if not numbered:
        raise UserError(f"{path.name} is empty: there is no header row and no one to import.")
    _header_line, header = numbered[0]
    body = numbered[1:]
    if len(body) > MAX_ROWS:
        raise UserError(
            f"{path.name} has more than {MAX_ROWS:,} rows; at most {MAX_ROWS:,} can be imported at once. "
            "Split it into smaller files and import them one by one."
        )
    width = max(len(cells) for _line, cells in numbered)
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
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        # The five bytes Windows-1252 leaves undefined: read them as Latin-1 (control
        # characters, which cleaning removes) rather than refuse the file.
        return data.decode("latin-1"), "Windows-1252"


def _delimiter(text: str) -> tuple[str, str]:
    """The delimiter, and the text without Excel's 'sep=;' line if it had one."""
    first, _, rest = text.partition("\n")
    if match := _SEP_LINE.match(first.strip()):
        return rest, match.group(1)
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: _QUOTED.sub("", header).count(d) for d in DELIMITERS}
    try:
        sniffed = csv.Sniffer().sniff(text[:65536], delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    if sniffed in counts and (counts[sniffed] or not any(counts.values())):
        return text, sniffed
    best = max(DELIMITERS, key=lambda d: counts[d])  # ties: comma, then semicolon, then tab
    return text, best if counts[best] else ","


def _parse(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """(spreadsheet row number, cells) for every record, blank ones included."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows: list[tuple[int, list[str]]] = []
    number = filled = 0
    try:
        for cells in reader:
            number += 1
            rows.append((number, cells))
            filled += bool(cells)
            if filled > MAX_ROWS + 1:  # enough to know it is too long; read_csv says so
                break
    except csv.Error as exc:
        raise UserError(
            f'Row {number + 1} of the file cannot be read ({exc}); perhaps a quote (") is '
            "not closed. Fix it in a spreadsheet and try again."
        ) from exc
    return rows


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


_CATEGORIES = {c.casefold(): c for c in vocab.AGENCY_CATEGORIES}


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
    for field in ("organisation", "category", "role", "email", "phone"):
        if field in raw:
            values[field] = clean_text(raw[field], multiline=False)
    if "category" in values:
        values["category"] = _CATEGORIES.get(str(values["category"]).casefold(), values["category"])
    for field in _VALUE_FIELDS:
        if field not in raw:
            continue
        text = clean_text(raw[field], multiline=False)
        try:
            values[field] = invitees.clean_field(field, text)
        except UserError:
            kept.append(f"{FIELD_LABELS[field]}: {text}")
            flags.append(
                f"{FIELD_LABELS[field]} “{_short(text)}” not understood; kept in the notes"
            )
    notes = clean_text(raw.get("notes", ""))
    if kept:
        notes = "\n".join(p for p in (notes, "From the import:", *kept) if p)
    if notes or "notes" in raw:
        values["notes"] = notes
    email = str(values.get("email", ""))
    if email and not invitees.is_valid_email(email):
        flags.insert(0, f"invalid e-mail “{_short(email)}” (kept as written)")
    return values, flags


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


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
