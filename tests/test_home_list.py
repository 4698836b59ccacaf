"""The conference list's filter: a plain row map that Qt asks only for the rows on screen."""

from __future__ import annotations

from PySide6.QtCore import Qt

from csfacilitator.core import conferences
from csfacilitator.gui.home.conference_list_model import COL_TITLE, ID_ROLE
from csfacilitator.gui.home.home_page import HomePage


def _home(qtbot, db) -> HomePage:
    for n in range(12):
        conferences.create_conference(
            db, f"{'Park' if n % 3 == 0 else 'Station'} {n:02d}", area=f"Ward {n % 4}"
        )
    home = HomePage(db)
    qtbot.addWidget(home)
    home.resize(1200, 700)
    home.reload()
    home.show()
    qtbot.waitExposed(home)
    return home


def _titles(home) -> list[str]:
    return [home.proxy.index(r, COL_TITLE).data() for r in range(home.proxy.rowCount())]


def test_the_filter_is_a_well_behaved_model(qtbot, qtmodeltester, db):
    home = _home(qtbot, db)
    qtmodeltester.check(home.proxy)
    home.search.setText("park")
    qtmodeltester.check(home.proxy)


def test_search_keeps_the_selected_conference_selected_and_sorting_still_works(qtbot, db):
    home = _home(qtbot, db)
    park = next(
        home.proxy.index(r, COL_TITLE).data(ID_ROLE)
        for r in range(home.proxy.rowCount())
        if home.proxy.index(r, COL_TITLE).data() == "Park 03"
    )
    home.select(park)
    qtbot.keyClicks(home.search, "park")
    assert _titles(home) and all(t.startswith("Park") for t in _titles(home))
    assert home.selected_id() == park and home.open_button.isEnabled()
    qtbot.keyClicks(home.search, " 09")
    assert _titles(home) == ["Park 09"]
    assert home.selected_id() is None and not home.open_button.isEnabled()
    home.search.clear()
    assert len(_titles(home)) == 12
    home.table.sortByColumn(COL_TITLE, Qt.SortOrder.DescendingOrder)
    assert _titles(home) == sorted(_titles(home), reverse=True)
    home.table.sortByColumn(COL_TITLE, Qt.SortOrder.AscendingOrder)
    assert _titles(home) == sorted(_titles(home))
