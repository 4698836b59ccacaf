"""The quick guide (F1) names every shortcut the app has, and the README names none the guide
does not, nor leaves out one of the window's own.

The shortcuts are found the way Qt finds them: every QAction and QShortcut of the window once
each tab is built (the example conference open), and the board's menu for a Safety plan
point. Keys that widgets read themselves (the projector's B, the board's Tab) are not
QActions; the guide's tables for them are checked by reading."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QKeySequence, QShortcut

from csfacilitator.gui.dialogs.help_dialogs import GUIDE_PARTS
from csfacilitator.resources import resource_path

ROOT = Path(__file__).resolve().parent.parent
#: Qt's short names for keys, as the guide and the README spell them.
SPELLING = {"Ins": "Insert", "Del": "Delete", "PgUp": "Page Up", "PgDown": "Page Down"}
#: A key combination in running text: modifiers and a key, or a function key alone.
COMBINATION = re.compile(
    r"(?:(?:Ctrl|Alt|Shift)\+)+"
    r"(?:F\d{1,2}\b|Insert|Delete|Enter|Esc|Tab|Up|Down|Left|Right|Home|End|Page Up|Page Down"
    r"|plus|minus|[A-Z0-9](?![A-Za-z])|[,=])"
    r"|\bF\d{1,2}\b"
)


def spelled(sequence: QKeySequence) -> str:
    """`sequence` as the guide writes it: Ctrl+Shift+Insert, Delete, F5."""
    text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
    parts = text.split("+") if text != "Ctrl+," else ["Ctrl", ","]
    return "+".join(SPELLING.get(part, part) for part in parts)


class _KeyCells(HTMLParser):
    """The text of every element of class "key" (the guide's key cells and spans)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.cells: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if self.depth:
            self.depth += 1
        elif ("class", "key") in attrs:
            self.depth = 1
            self.cells.append("")

    def handle_endtag(self, tag) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data) -> None:
        if self.depth:
            self.cells[-1] += data


def expand_ranges(text: str) -> str:
    """'Alt+1 … Alt+3' written out: 'Alt+1 / Alt+2 / Alt+3'."""
    return re.sub(
        r"((?:\w+\+)*)(\d) … \1(\d)",
        lambda m: " / ".join(f"{m[1]}{n}" for n in range(int(m[2]), int(m[3]) + 1)),
        text,
    )


def keys_named(cell: str) -> set[str]:
    """The keys one key cell names: 'Ins / Ctrl+Shift+Ins', 'Alt+1 … Alt+5', 'Esc, then Tab'."""
    cell = expand_ranges(re.sub(r"\([^)]*\)", "", cell))
    pieces = re.split(r"\s*/\s*|,\s+|\s+or\s+|\s+then\s+|^then\s+", cell.strip())
    return {" ".join(piece.split()) for piece in pieces if piece.strip()}


def guide_html() -> str:
    return resource_path(*GUIDE_PARTS).read_text(encoding="utf-8")


def guide_keys() -> set[str]:
    parser = _KeyCells()
    parser.feed(guide_html())
    return {key for cell in parser.cells for key in keys_named(cell)}


def plain(html: str) -> str:
    from html import unescape

    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def window(open_window, qtbot):
    win = open_window(example="joined_up")  # conftest: the real window at 1366×768
    for index in range(win.tabs.count()):  # each tab builds its contents when first shown
        win.tabs.setCurrentIndex(index)
        qtbot.wait(20)
    return win


def app_shortcuts(window) -> dict[str, set[str]]:
    """Every shortcut of the window: key as the guide spells it -> what has it."""
    found: dict[str, set[str]] = {}

    def add(sequence: QKeySequence, what: str) -> None:
        if not sequence.isEmpty():
            found.setdefault(spelled(sequence), set()).add(what)

    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            add(sequence, action.text().replace("&", "") or type(action.parent()).__name__)
    for shortcut in window.findChildren(QShortcut):
        add(shortcut.key(), type(shortcut.parent()).__name__)
    view = window.board.pane("safety_plan").view  # the point's menu is made when asked for
    menu = view.context_menu(view.model().index(0, 0))
    for action in menu.actions():
        add(action.shortcut(), f"point menu: {action.text()}")
    menu.deleteLater()
    return found


def test_the_guide_reads_its_keys_as_written():
    assert keys_named("Ins / Ctrl+Shift+Ins") == {"Ins", "Ctrl+Shift+Ins"}
    assert keys_named("Alt+1 … Alt+3") == {"Alt+1", "Alt+2", "Alt+3"}
    assert keys_named("Tab (once typed) / Shift+Tab") == {"Tab", "Shift+Tab"}
    assert keys_named("Ctrl+Z / Ctrl+Shift+Z or Ctrl+Y") == {"Ctrl+Z", "Ctrl+Shift+Z", "Ctrl+Y"}
    assert keys_named("Ctrl+,") == {"Ctrl+,"}
    assert spelled(QKeySequence("Ctrl+Shift+Ins")) == "Ctrl+Shift+Insert"
    assert spelled(QKeySequence("Ctrl+,")) == "Ctrl+,"
    assert COMBINATION.findall("Ctrl+Enter, Ctrl+E and F11; Ctrl+Shift+= too") == [
        "Ctrl+Enter",
        "Ctrl+E",
        "F11",
        "Ctrl+Shift+=",
    ]


def test_every_shortcut_of_the_app_is_in_the_quick_guide(window):
    shortcuts = app_shortcuts(window)
    # The walk finds the window's, the tabs' and the board's point menu's shortcuts.
    for expected in ("Ctrl+E", "Ctrl+Shift+N", "Ctrl+Shift+C", "Shift+F10", "Ctrl+C", "F1"):
        assert expected in shortcuts
    in_guide = guide_keys()
    missing = {key: sorted(what) for key, what in shortcuts.items() if key not in in_guide}
    assert not missing, f"shortcuts the quick guide does not name: {missing}"


def test_the_guide_says_how_to_type_the_weighting_shares():
    text = plain(guide_html())
    assert "All shares, in order" in text and "40 / 25 / 20 / 15" in text
    assert "0 … 9, then Enter" in text


def test_the_readme_and_the_guide_name_the_same_keys(window):
    # The coordinators' half of the README (the developers' half times Alt+4 and the like).
    readme = (ROOT / "README.md").read_text(encoding="utf-8").split("\n# For developers")[0]
    readme = expand_ranges(readme)
    guide = expand_ranges(plain(guide_html()))
    in_readme = set(COMBINATION.findall(readme))
    in_guide = set(COMBINATION.findall(guide))
    assert len(in_readme) >= 20  # the check reads the README's keys, it is not empty
    assert not in_readme - in_guide, f"keys only the README names: {in_readme - in_guide}"
    window_wide = {
        spelled(sequence)
        for action in window.actions() + window.findChildren(QAction)
        if action.parent() is window
        for sequence in action.shortcuts()
    }
    assert "Ctrl+L" in window_wide and "Alt+5" in window_wide
    missing = {key for key in window_wide if COMBINATION.fullmatch(key)} - in_readme
    assert not missing, f"the window's shortcuts the README does not name: {missing}"
