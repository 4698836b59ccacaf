"""CSV files made to hurt: formulas hidden behind spaces or full-width signs in both exports,
an unclosed quote, East Asian encodings and files crafted to make parsing slow."""

from __future__ import annotations

import csv
import io

import pytest

from csfacilitator.core import invitee_csv as ic
from csfacilitator.core import invitees as inv
from csfacilitator.core import plan
from csfacilitator.core.conferences import create_conference
from csfacilitator.core.formula_guard import guard_formula, needs_formula_guard, unguard_formula
from csfacilitator.export.actions_csv import COLUMNS, export_actions

# Cells a spreadsheet would run, each hidden in a way the actions export caught and the invite
# list did not (or that neither caught).
HIDDEN_FORMULAS = (
    " =1+1",
    '  =HYPERLINK("http://x")',
    "\t=1+1",
    "\r=1+1",
    "\u00a0@SUM(A1)",
    "\uff1d1+1",  # full-width equals sign
    " \uff0bcmd",  # full-width plus after a space
    '\ufe66HYPERLINK("http://x")',  # small equals sign
    "\u3000-2+3",  # ideographic space, then a minus
)


def read_back(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


@pytest.fixture
def conf(db):
    return create_conference(db, "Riverside Park")


# --- one formula guard for both exports -------------------------------------------------------


@pytest.mark.parametrize("text", HIDDEN_FORMULAS)
def test_the_guard_catches_formulas_behind_white_space_and_full_width_signs(text):
    assert needs_formula_guard(text)
    assert guard_formula(text) == "'" + text
    assert unguard_formula(guard_formula(text)) == text


def test_the_guard_leaves_plain_text_and_phone_numbers_in_a_phone_column():
    for text in ("Safe – 3 weeks", "Kim Lee", "", "   ", "a=b", "1+1", "O'Brien"):
        assert guard_formula(text) == text
    assert guard_formula("+44 1632 960000", numbers_ok=True) == "+44 1632 960000"
    assert guard_formula(" -5", numbers_ok=True) == " -5"
    assert guard_formula("+44 1632 960000") == "'+44 1632 960000"  # elsewhere it is guarded
    assert guard_formula("+1+cmd|' /C calc'!A0", numbers_ok=True).startswith("'")
    assert guard_formula("'=already") == "''=already"
    assert unguard_formula("''=already") == "'=already"


@pytest.mark.parametrize("text", HIDDEN_FORMULAS)
def test_invite_list_export_guards_hidden_formulas_in_every_text_column(tmp_path, db, conf, text):
    inv.add_invitee(db, conf, name=f"{text}name", organisation=text, role=text, phone=text)
    rows = read_back(ic.export_csv(db, conf, tmp_path / "list.csv"))
    person = dict(zip(rows[0], rows[1], strict=True))
    columns = ["Name", "Organisation", "Role at the meeting"]
    if any(c.isalpha() for c in text):
        columns.append("Phone")  # digits and signs alone are a phone number there, left as is
    for column in columns:
        assert person[column].startswith("'"), (column, person[column])
    # and importing the file gives back what was there (as cleaned on the way in)
    stored = inv.list_invitees(db, conf)[0]
    other = create_conference(db, "Copy")
    preview = ic.read_csv(tmp_path / "list.csv")
    ic.import_rows(db, other, preview, ic.suggest_mapping(preview.headers))
    copied = inv.list_invitees(db, other)[0]
    assert (copied.name, copied.organisation, copied.role, copied.phone) == (
        stored.name,
        stored.organisation,
        stored.role,
        stored.phone,
    )


@pytest.mark.parametrize("text", HIDDEN_FORMULAS)
def test_actions_export_guards_the_same_hidden_formulas(tmp_path, db, conf, text):
    need = plan.add_need(db, conf, f"{text} need")
    plan.add_intervention(db, need.id, text, agency=text, owner=text)
    rows = read_back(export_actions(db, conf, tmp_path / "actions.csv"))
    action = dict(zip(COLUMNS, rows[1], strict=True))
    for column in ("Need", "Intervention", "Agency / team", "Owner"):
        assert action[column].startswith("'"), (column, action[column])
