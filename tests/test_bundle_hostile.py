"""Hostile hand-over files: every value the format carries is bounded, and whatever a damaged
file holds is the one-line refusal with nothing written, never a crash at import or later."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from sqlalchemy import select, text

from csfacilitator.core import bundle, bundle_format, conferences, weighting
from csfacilitator.core.model import Conference, ContextWeighting
from csfacilitator.errors import BundleError
from csfacilitator.storage import open_database
from csfacilitator.storage.encryption import is_encrypted, open_raw_connection
from tests.harness.cli_runner import run_cli
from tests.row_counts import row_counts

NEW_UID = "0f0f0f0f-1111-2222-3333-444455556666"


def fingerprint(db) -> dict[str, int]:
    """Rows per table: an import that is refused must leave every count as it was."""
    return row_counts(db)


@pytest.fixture
def other_db(tmp_path, templates):
    """A second installation, to import into: a copy of the session's migrated template."""
    from csfacilitator.paths import resolve

    paths = resolve(tmp_path / "other")
    templates.seed(paths)
    database = open_database(paths)
    yield database
    database.close()


@pytest.fixture
def handover(db, example_id, tmp_path) -> Path:
    """The example conference written as a real hand-over file."""
    return bundle.write_bundle(db, example_id, tmp_path / "example.csfconf")


def as_new(path: Path, out: Path, old: str | None = None, new: str | None = None) -> Path:
    """The file with a fresh uid (so it is no conflict) and one piece of its text replaced."""
    raw = path.read_text(encoding="utf-8")
    uid = json.loads(raw)["conference"]["uid"]
    raw = raw.replace(uid, NEW_UID, 1)
    if old is not None:
        assert old in raw, old
        raw = raw.replace(old, new, 1)
    out.write_text(raw, encoding="utf-8")
    return out


def first_link(path: Path) -> str:
    """The text of the first weighting link as write_bundle lays it out (indent=1)."""
    raw = path.read_text(encoding="utf-8")
    start = raw.index('"links": [') + len('"links": [')
    start = raw.index("[", start)
    return raw[start : raw.index("]", start) + 1]


def refused(db, path: Path) -> str:
    before = fingerprint(db)
    with pytest.raises(BundleError) as caught:
        bundle.import_conference(db, bundle.read_bundle(path))
    message = str(caught.value)
    assert "\n" not in message and len(message) < 400
    assert fingerprint(db) == before
    return message


def test_1e400_in_a_weighting_link_is_refused_and_never_reaches_the_database(
    db, handover, tmp_path
):
    # Before: the link imported, and int(inf) crashed every start with that conference open.
    link = first_link(handover)
    path = as_new(handover, tmp_path / "inf.csfconf", link, "[1e400, 1]")
    message = refused(db, path)
    assert "1e400" in message and "too large" in message


def test_1e400_as_a_box_size_is_refused(db, handover, tmp_path):
    raw = handover.read_text(encoding="utf-8")
    size = raw[raw.index('"size": ') :].split(",")[0].split("\n")[0]
    path = as_new(handover, tmp_path / "size.csfconf", size, '"size": 1e400')
    assert "too large" in refused(db, path)


def test_a_number_of_thousands_of_digits_is_refused(db, handover, tmp_path):
    # Before: int() itself raised ValueError (over 4300 digits), which escaped as rc 1.
    link = first_link(handover)
    path = as_new(handover, tmp_path / "digits.csfconf", link, "[" + "9" * 5000 + ", 1]")
    assert "too large" in refused(db, path)


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan, 10**400, 1e300])
def test_non_finite_or_huge_numbers_handed_in_as_a_dict_are_refused(db, example_id, bad):
    data = bundle.export_conference(db, example_id)
    data["conference"]["uid"] = NEW_UID
    data["weightings"][0]["data"]["links"][0][0] = bad
    before = fingerprint(db)
    with pytest.raises(BundleError, match="not a usable number"):
        bundle.import_conference(db, data)
    assert fingerprint(db) == before


def test_a_lone_surrogate_in_a_box_name_imports_cleaned_and_loads(db, handover, tmp_path):
    # Before: json.dumps kept the surrogate and SQLite refused it: UnicodeEncodeError, rc 1.
    raw = handover.read_text(encoding="utf-8")
    name = json.loads(raw)["weightings"][0]["data"]["boxes"][0]["name"]
    path = as_new(handover, tmp_path / "surrogate.csfconf", f'"{name}"', '"Wren\\ud800moor"')
    new_id = bundle.import_conference(db, bundle.read_bundle(path))
    names = [snap.weighting.names[0] for snap in weighting.snapshots(db, new_id)]
    assert "Wren\ufffdmoor" in names
    again = bundle.export_conference(db, new_id)
    bundle.validate_bundle(again)


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("conference", "created_at"), "9999-12-31T23:59:59-01:00"),  # the time zone overflows
        (("conference", "created_at"), "0001-01-01T00:00:00+01:00"),
        (("conference", "updated_at"), "9999-12-31T23:59:59Z"),
        (("meetings", 0, "date"), "9999-12-31"),
        (("meetings", 0, "started_at"), "9999-12-31T23:59:59-01:00"),
        (("conference", "closed_on"), "9999-12-31"),  # closed_on + months would overflow
        (("conference", "referral_date"), "0001-01-01"),
    ],
)
def test_dates_and_times_near_the_ends_of_the_calendar_are_refused_clearly(
    db, handover, tmp_path, where, value
):
    data = json.loads(handover.read_text(encoding="utf-8"))
    data["conference"]["uid"] = NEW_UID
    holder = data
    for part in where[:-1]:
        holder = holder[part]
    holder[where[-1]] = value
    path = tmp_path / "years.csfconf"
    path.write_text(json.dumps(data), encoding="utf-8")
    message = refused(db, path)
    json_path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in where)
    assert json_path in message and "1900 to 2199" in message


def test_a_date_time_whose_time_zone_leaves_the_years_is_refused_at_decoding(db, example_id):
    # Past the schema's pattern (which allows offsets), the converted value is checked too.
    data = bundle.export_conference(db, example_id)
    data["conference"]["uid"] = NEW_UID
    data["conference"]["created_at"] = "2199-12-31T23:30:00-01:00"
    with pytest.raises(BundleError, match="not a datetime in the years 1900 to 2199"):
        bundle.import_conference(db, data)


@pytest.mark.parametrize(
    "picture",
    [
        {"boxes": [{"name": "A", "size": 0.5}] * 7},
        {"boxes": [{"name": "A", "size": 1.5}]},
        {"boxes": [{"name": "A", "size": -0.1}]},
        {"boxes": [{"name": "A" * 81, "size": 1}]},
        {"boxes": [{"name": "A", "size": "big"}]},
        {"boxes": [{"name": "A", "size": 1}], "links": [[0, 9]]},
        {"boxes": [{"name": "A", "size": 1}], "links": [[0, 1, 2]]},
        {"boxes": [{"name": "A", "size": 1}], "colour": "red"},
        {"links": [[0, 1]]},
        {"boxes": []},
    ],
)
def test_the_weighting_picture_has_one_exact_shape(db, example_id, picture):
    data = bundle.export_conference(db, example_id)
    data["conference"]["uid"] = NEW_UID
    data["weightings"][0]["data"] = picture
    before = fingerprint(db)
    with pytest.raises(BundleError, match=r"\$\.weightings\[0\]\.data"):
        bundle.import_conference(db, data)
    assert fingerprint(db) == before


def test_an_imported_weighting_is_stored_as_the_app_writes_it(db, example_id):
    data = bundle.export_conference(db, example_id)
    data["conference"]["uid"] = NEW_UID
    data["weightings"][0]["data"] = {
        "boxes": [{"name": "  Park\u0007 ", "size": 0.7}, {"name": "School", "size": 0.1}],
        "links": [[1, 0], [0, 1]],
    }
    new_id = bundle.import_conference(db, data)
    with db.session() as s:
        stored = s.scalars(
            select(ContextWeighting.data)
            .where(ContextWeighting.conference_id == new_id)
            .order_by(ContextWeighting.id)
        ).first()
    picture = weighting.from_json(stored)
    assert stored == weighting.to_json(picture)
    assert picture.names == ("Park", "School") and picture.links == ((0, 1),)
    assert abs(sum(picture.sizes) - 1) < 1e-9


def test_a_damaged_stored_weighting_exports_as_an_empty_picture_that_imports(
    db, example_id, other_db
):
    # A database already holding infinity (from before the fix) must still export a file that
    # imports: the export reads the picture as the app does.
    with db.session() as s:
        s.execute(
            text("UPDATE context_weighting SET data = :d WHERE conference_id = :c"),
            {
                "d": '{"boxes": [{"name": "A", "size": 1}], "links": [[Infinity, 0]]}',
                "c": example_id,
            },
        )
    data = bundle.export_conference(db, example_id)
    assert all(w["data"] == {} for w in data["weightings"])
    json.dumps(data, allow_nan=False)
    new_id = bundle.import_conference(other_db, data)
    assert weighting.get_weighting(other_db, new_id).names  # the starting picture


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d["meetings"].__setitem__(0, ["not", "a", "meeting"]),
        lambda d: d["meetings"][0]["board"].pop("concerns"),
        lambda d: d["conference"].__setitem__(7, "a number as a name"),
        lambda d: d["conference"].__setitem__("title", {"a", "set"}),
        lambda d: d["invitees"].append(None),
        lambda d: d["weightings"][0].__setitem__("data", [[[[[]]]]]),
        lambda d: d.__setitem__("plan", "x" * (bundle_format.MAX_TEXT_CHARS + 1)),
    ],
)
def test_malformed_nested_data_handed_in_is_the_one_line_refusal(db, example_id, damage):
    data = bundle.export_conference(db, example_id)
    data["conference"]["uid"] = NEW_UID
    damage(data)
    before = fingerprint(db)
    with pytest.raises(BundleError) as caught:
        bundle.import_conference(db, data)
    assert "\n" not in str(caught.value)
    assert fingerprint(db) == before


@pytest.mark.parametrize("depth", [500, 100_000])
def test_deep_nesting_anywhere_is_refused(db, example_id, tmp_path, depth):
    data = bundle.export_conference(db, example_id)
    data["conference"]["uid"] = NEW_UID
    nested: list = []
    for _ in range(min(depth, 900)):
        nested = [nested]
    data["weightings"][0]["data"] = {"deep": nested}
    before = fingerprint(db)
    with pytest.raises(BundleError, match="nested"):
        bundle.import_conference(db, data)
    path = tmp_path / "deep.csfconf"
    raw = json.dumps(dict(data, weightings=[]))
    path.write_text(raw[:-1] + ', "x": ' + "[" * depth + "]" * depth + "}", encoding="utf-8")
    with pytest.raises(BundleError, match="nested"):
        bundle.read_bundle(path)
    assert fingerprint(db) == before


def test_text_past_the_apps_own_limit_is_refused(db, example_id):
    data = bundle.export_conference(db, example_id)
    data["conference"]["uid"] = NEW_UID
    data["conference"]["venue"] = "x" * (bundle_format.MAX_TEXT_CHARS + 1)
    with pytest.raises(BundleError, match="over 1,000,000 characters"):
        bundle.import_conference(db, data)


def _schemas(node: dict, where: str = "$"):
    """Every subschema, following the keywords that hold schemas (not the names beside them)."""
    yield where, node
    for key in ("properties", "$defs"):
        for name, child in node.get(key, {}).items():
            yield from _schemas(child, f"{where}/{key}/{name}")
    for key in ("items", "additionalProperties", "propertyNames"):
        if isinstance(node.get(key), dict):
            yield from _schemas(node[key], f"{where}/{key}")


def test_every_number_and_string_in_the_schema_is_bounded():
    schema = json.loads(bundle_format.schema_path().read_text(encoding="utf-8"))
    unbounded = []
    for where, node in _schemas(schema):
        if where.endswith("/propertyNames"):
            if "pattern" not in node and "$ref" not in node:
                unbounded.append(f"{where}: names unbounded")
            continue
        if not any(k in node for k in ("type", "$ref", "enum", "const")):
            unbounded.append(f"{where}: accepts anything")
            continue
        types = node.get("type", [])
        types = [types] if isinstance(types, str) else types
        if "string" in types and "maxLength" not in node:
            unbounded.append(f"{where}: string without maxLength")
        if ("number" in types or "integer" in types) and not (
            "minimum" in node and "maximum" in node
        ):
            unbounded.append(f"{where}: number without minimum and maximum")
        if "object" in types and "additionalProperties" not in node:
            unbounded.append(f"{where}: object open to anything")
        if "array" in types and "items" not in node:
            unbounded.append(f"{where}: array of anything")
    assert unbounded == []
    # And the walk reaches the leaves it must check.
    assert any(w.endswith("/boxes/items/properties/size") for w, _ in _schemas(schema))


# ---------------------------------------------------------------- replace on an encrypted database

PASSPHRASE = "amber lantern, still river"


def _encrypted_with_example(paths, templates):
    """The database encrypted with PASSPHRASE holding the example: a copy of its template
    (made once, encrypted, through add_example), opened."""
    cid = templates.seed(paths, PASSPHRASE, example=True)
    return open_database(paths, PASSPHRASE), cid


def _backups(paths) -> list[Path]:
    return sorted(p for p in paths.backups.glob("*") if "before-replace-import" in p.name)


def test_replace_import_on_an_encrypted_database_backs_up_encrypted(paths, tmp_path, templates):
    # Before: backup_database was called without the passphrase: "file is not a database".
    db, cid = _encrypted_with_example(paths, templates)
    try:
        path = bundle.write_bundle(db, cid, tmp_path / "x.csfconf")
        with db.session() as s:
            s.get(Conference, cid).title = "Changed since the hand-over"
        assert bundle.import_conference(db, bundle.read_bundle(path), on_conflict="replace") == cid
        assert conferences.get_conference(db, cid).title.startswith("Example:")
    finally:
        db.close()
    (backup,) = _backups(paths)
    assert is_encrypted(backup)
    keyed = open_raw_connection(backup, PASSPHRASE)
    try:
        titles = [row[0] for row in keyed.execute("SELECT title FROM conference")]
    finally:
        keyed.close()
    assert titles == ["Changed since the hand-over"]


def test_bundle_import_replace_from_the_command_line_on_an_encrypted_database(
    paths, tmp_path, templates
):
    db, cid = _encrypted_with_example(paths, templates)
    try:
        path = bundle.write_bundle(db, cid, tmp_path / "x.csfconf")
    finally:
        db.close()
    result = run_cli(
        "bundle",
        "import",
        "--replace",
        str(path),
        data_dir=paths.root,
        env={"CSFACILITATOR_PASSPHRASE": PASSPHRASE},
    )
    assert result.returncode == 0, result.stderr
    (backup,) = _backups(paths)
    assert is_encrypted(backup)


# ---------------------------------------------------------------- the app stores only what travels


@pytest.mark.parametrize("typed", ["31/12/9999", "9999-12-31", "0001-01-01", "1 Jan 1899"])
def test_a_date_the_hand_over_file_would_refuse_cannot_be_typed(typed):
    # Before: any year 1-9999 was stored, then export-import and undo of a delete (which
    # re-imports a snapshot) refused the conference, and closed_on + months overflowed.
    from csfacilitator.core.dates import parse_user_date
    from csfacilitator.errors import UserError

    with pytest.raises(UserError, match="between 1900 and 2199"):
        parse_user_date(typed)


def test_the_date_parser_and_the_format_agree_on_the_years():
    """The schema states the years core/dates.py allows (the one range, typed or filed)."""
    from csfacilitator.core import dates

    schema = bundle_format.schema_path().read_text(encoding="utf-8")
    assert (
        f"years {dates.MIN_YEAR} to {dates.MAX_YEAR}" in schema
        and "(19[0-9]{2}|2[01][0-9]{2})" in schema
    )
