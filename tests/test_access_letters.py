"""Alt+letter always goes where the underlined letter says: no two items of one menu share an
access letter, and no label or button on any page takes a letter the menu bar uses."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMenu


def _letter(text: str) -> str | None:
    found = re.search(r"&([^&\s])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


@pytest.fixture
def window(open_window):
    # conftest: the real window at 1366×768, on a copy of the example as "Open the example" adds it
    return open_window(example="joined_up")


def _menu_clashes(menu: QMenu, path: tuple[str, ...]) -> list[tuple]:
    seen: dict[str, list[str]] = defaultdict(list)
    clashes = []
    for action in menu.actions():
        if action.isSeparator():
            continue
        letter = _letter(action.text())
        if letter:
            seen[letter].append(action.text())
        if action.menu() is not None:
            clashes += _menu_clashes(action.menu(), (*path, action.text()))
    clashes += [(path, letter, names) for letter, names in seen.items() if len(names) > 1]
    return clashes


def test_every_menu_has_unique_access_letters(window):
    bar_letters = [_letter(a.text()) for a in window.menuBar().actions()]
    assert None not in bar_letters and len(set(bar_letters)) == len(bar_letters)
    clashes = []
    menus = 0
    for action in window.menuBar().actions():
        clashes += _menu_clashes(action.menu(), (action.text(),))
        menus += 1
    assert menus >= 4 and not clashes, clashes


def test_no_label_or_button_on_any_page_steals_a_menu_letter(window, qtbot):
    bar = {_letter(a.text()): a.text() for a in window.menuBar().actions()}
    stolen, checked = [], 0
    for index in range(-1, window.tabs.count()):
        if index < 0:
            name, page = "All conferences", window.home
        else:
            window.tabs.setCurrentIndex(index)
            qtbot.wait(50)  # a tab may build its contents when first shown
            name, page = window.tabs.tabText(index), window.tabs.widget(index)
        for kind in (QLabel, QAbstractButton, QGroupBox):
            for widget in page.findChildren(kind):
                if isinstance(widget, QLabel) and (
                    widget.buddy() is None or widget.text().lstrip().startswith("<")
                ):
                    continue  # only a label with a buddy has an access letter
                text = widget.title() if isinstance(widget, QGroupBox) else widget.text()
                letter = _letter(text)
                if letter is None:
                    continue
                checked += 1
                if letter in bar:
                    stolen.append((name, text, bar[letter]))
    assert checked >= 10  # the pages do use access letters: the check is not empty
    assert not stolen, stolen
