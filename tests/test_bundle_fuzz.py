"""The hand-over format fuzzed: a real file (the example conference, written by write_bundle) is
mutated - hostile values put anywhere in its structure, keys deleted, refs duplicated, nesting
made deep, bytes flipped, inserted or cut - and each result is read and imported.

The property: either the one-line BundleError with the database unchanged (every table's row
count), or an import whose conference every read path can load: the export (which must pass
the format's own check again), each meeting's board tree, the plan and its header, the
weighting and its snapshots, the conference list and the minutes rendered to bytes.

Bounded for CI: derandomized (the same examples every run), no example database, ~150 examples.
"""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csfacilitator.core import board, bundle, bundle_format, conferences, meetings, plan, weighting
from csfacilitator.errors import BundleError
from tests.row_counts import row_counts

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the database is checked, not reset, per example
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


class Raw:
    """JSON text put into the file as it is (json.dumps cannot write 1e400 or 5000 digits)."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return f"Raw({self.text[:20]!r})"


LONG = "x" * (bundle_format.MAX_TEXT_CHARS + 1)
HOSTILE = st.one_of(
    st.sampled_from(
        [
            Raw("1e400"),
            Raw("-1e400"),
            Raw("1e-400"),
            Raw("9" * 5000),
            Raw("NaN"),
            Raw("Infinity"),
            Raw("-0"),
            Raw("[" * 5000 + "]" * 5000),
            Raw("[" * 150 + "]" * 150),
            2**63,
            -(2**63),
            2**53 + 1,
            -1,
            0,
            0.5,
            1.5,
            True,
            False,
            None,
            [],
            {},
            [[0, 1]],
            {"boxes": [{"name": "A", "size": 1}], "links": [[0, 0]]},
            "",
            " ",
            "\ud800",
            "\udfff\ud800x",
            "a\x00b",
            "\x0b\x0c\x1b\x7f\x85",
            "\u202eevil",
            "\ufeff",
            "9999-12-31T23:59:59-01:00",
            "0001-01-01T00:00:00+01:00",
            "2199-12-31T23:59:59-01:00",
            "9999-12-31",
            "2026-02-30",
            "2026-02-28T24:00:00Z",
            "25:61",
            "m1",
            "a1",
            "p1",
            "r1",
            "closed",
            "x" * 100_000,
            LONG,
        ]
    ),
    st.integers(),
    st.floats(),
    st.text(st.characters(codec=None, exclude_categories=()), max_size=40),
    st.lists(st.integers(-3, 9), max_size=3),
)
PICK = st.integers(0, 2**31)  # taken modulo the number of places there are to pick from
STRUCTURE_OPS = st.one_of(
    st.tuples(st.just("replace"), PICK, HOSTILE),
    st.tuples(st.just("delete"), PICK),
    st.tuples(st.just("duplicate_ref"), PICK, PICK),
    st.tuples(st.just("transplant"), PICK, PICK),
    st.tuples(st.just("add_key"), PICK, HOSTILE),
)
BYTE_OPS = st.one_of(
    st.tuples(st.just("flip"), PICK, st.integers(1, 255)),
    st.tuples(st.just("set"), PICK, st.integers(32, 126)),  # stays text, changes meaning
    st.tuples(st.just("truncate"), PICK),
    st.tuples(st.just("insert"), PICK, st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("delete"), PICK, st.integers(1, 64)),
)


def fingerprint(db) -> dict[str, int]:
    return row_counts(db)  # every table's


@pytest.fixture
def real_file(db, example_id, tmp_path) -> bytes:
    return bundle.write_bundle(db, example_id, tmp_path / "example.csfconf").read_bytes()


# ---------------------------------------------------------------- mutating


def _places(node, path=()):
    """Every (path, value) in the document, the root included."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _places(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _places(value, (*path, index))


def _parent(doc, path):
    for part in path[:-1]:
        doc = doc[part]
    return doc


def _mutate(doc: dict, op: tuple) -> None:
    places = [p for p, _ in _places(doc) if p]  # never the root itself
    if not places:
        return
    kind = op[0]
    path = places[op[1] % len(places)]
    if kind == "replace":
        _parent(doc, path)[path[-1]] = op[2]
    elif kind == "delete":
        del _parent(doc, path)[path[-1]]
    elif kind == "duplicate_ref":
        refs = [p for p in places if p[-1] in ("ref", "meeting", "priority", "board_point")]
        if len(refs) >= 2:
            target, source = refs[op[1] % len(refs)], refs[op[2] % len(refs)]
            _parent(doc, target)[target[-1]] = copy.deepcopy(_parent(doc, source)[source[-1]])
    elif kind == "transplant":  # a real value of another kind, in the wrong place
        source = places[op[2] % len(places)]
        if source[: len(path)] != path:
            _parent(doc, path)[path[-1]] = copy.deepcopy(_parent(doc, source)[source[-1]])
    elif kind == "add_key":
        holders = [p for p in places if isinstance(_parent(doc, p)[p[-1]], dict)]
        if holders:
            holder = holders[op[1] % len(holders)]
            _parent(doc, holder)[holder[-1]][f"extra{op[1] % 7}"] = op[2]


def _serialise(doc: dict) -> bytes:
    raws: dict[str, str] = {}

    def raw(value):
        if isinstance(value, Raw):
            token = f"@@raw{len(raws)}@@"
            raws[token] = value.text
            return token
        raise TypeError(type(value).__name__)

    text = json.dumps(doc, ensure_ascii=True, allow_nan=True, default=raw)
    for token, value in raws.items():
        text = text.replace(f'"{token}"', value)
    return text.encode("utf-8")


def _bytes_mutated(data: bytes, ops: list[tuple]) -> bytes:
    buffer = bytearray(data)
    for op in ops:
        if not buffer:
            break
        at = op[1] % len(buffer)
        if op[0] == "flip":
            buffer[at] ^= op[2]
        elif op[0] == "set":
            buffer[at] = op[2]
        elif op[0] == "truncate":
            del buffer[at:]
        elif op[0] == "insert":
            buffer[at:at] = op[2]
        elif op[0] == "delete":
            del buffer[at : at + op[2]]
    return bytes(buffer)


# ---------------------------------------------------------------- the property


def _every_read(db, conference_id: int) -> None:
    """Every path that loads a conference, as the app and its papers do."""
    exported = bundle.export_conference(db, conference_id)
    bundle.validate_bundle(exported)  # what was imported exports as a file that imports
    json.dumps(exported, allow_nan=False).encode("utf-8")
    conferences.get_conference(db, conference_id)
    conferences.list_conferences(db)
    for meeting in meetings.list_meetings(db, conference_id):
        board.board_tree(db, meeting.id)
    plan.get_plan(db, conference_id)
    plan.plan_header(db, conference_id)
    picture = weighting.get_weighting(db, conference_id)
    weighting.describe(picture)
    for snapshot in weighting.snapshots(db, conference_id):
        weighting.describe(snapshot.weighting)
    from csfacilitator.core.papers.minutes import gather
    from csfacilitator.export.minutes import build

    build(gather(db, conference_id)).save(io.BytesIO())


def _check(db, path: Path, payload: bytes, outcomes: dict[str, int]) -> None:
    path.write_bytes(payload)
    before = fingerprint(db)
    try:
        conference_id = bundle.import_conference(db, bundle.read_bundle(path), on_conflict="copy")
    except BundleError as exc:
        message = str(exc)
        assert message and "\n" not in message and len(message) < 500, message
        assert fingerprint(db) == before
        outcomes["refused"] += 1
        return
    _every_read(db, conference_id)
    outcomes["imported"] += 1


def test_structure_aware_mutations_are_refused_in_one_line_or_load_everywhere(
    db, real_file, tmp_path
):
    original = json.loads(real_file)
    outcomes = {"refused": 0, "imported": 0}

    @FUZZ
    @given(st.lists(STRUCTURE_OPS, min_size=1, max_size=3))
    def mutated(ops):
        doc = copy.deepcopy(original)
        for op in ops:
            _mutate(doc, op)
        _check(db, tmp_path / "mutated.csfconf", _serialise(doc), outcomes)

    mutated()
    print("structure-aware:", outcomes)
    # Both branches of the property were exercised, not only the refusal.
    assert outcomes["refused"] > 10 and outcomes["imported"] > 5, outcomes


def test_byte_level_damage_is_refused_in_one_line_or_loads_everywhere(db, real_file, tmp_path):
    outcomes = {"refused": 0, "imported": 0}

    @settings(FUZZ, max_examples=50)
    @given(st.lists(BYTE_OPS, min_size=1, max_size=4))
    def damaged(ops):
        _check(db, tmp_path / "damaged.csfconf", _bytes_mutated(real_file, ops), outcomes)

    damaged()
    print("byte-level:", outcomes)
    assert outcomes["refused"] > 10, outcomes
