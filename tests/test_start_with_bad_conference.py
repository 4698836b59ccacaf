"""Start-up is never blocked by one conference that cannot be loaded: the window opens to the
list, the status bar names the conference and says why, and the log has the traceback."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from csfacilitator.app import create_window
from csfacilitator.core import conferences
from csfacilitator.core.example import add_example
from csfacilitator.storage import open_database

# Rows written behind the app's back, each of which makes loading a part of the conference
# raise; the tab that reads that part (tabs are built when first shown).
BREAKAGES = {
    # The crash from issue 11: int(inf) on a weighting link, at every start.
    "weighting": (
        "UPDATE context_weighting SET data = "
        '\'{"boxes": [{"name": "A", "size": 1}], "links": [[1e400, 0]]}\' '
        "WHERE conference_id = :c"
    ),
    # A time stamp SQLite keeps but Python cannot read back, on a board point.
    "board point": (
        "UPDATE board_point SET created_at = '2026-13-45 99:00:00' "
        "WHERE meeting_id IN (SELECT id FROM meeting WHERE conference_id = :c)"
    ),
}
TAB_OF = {"weighting": "Assessment", "board point": "Board"}


@pytest.fixture
def broken(paths, request, templates):
    """The example, last open, with one row broken; a second, healthy conference beside it."""
    templates.seed(paths)
    db = open_database(paths)
    try:
        healthy = conferences.create_conference(db, "Healthy conference")
        cid = add_example(db)
        conferences.remember_last_opened(db, cid)
        title = conferences.get_conference(db, cid).title
        with db.session() as s:
            s.execute(text(BREAKAGES[request.param]), {"c": cid})
    finally:
        db.close()
    return cid, title, healthy, request.param


@pytest.mark.parametrize("broken", list(BREAKAGES), indirect=True)
def test_a_conference_that_cannot_be_loaded_opens_the_list_and_says_which(
    qtbot, paths, broken, caplog
):
    cid, title, healthy, part = broken
    with caplog.at_level(logging.ERROR):
        window = create_window(paths.root)  # before the fix: the exception ended the start
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        # The start is not blocked: the conference opens on its first tab. The tab that reads
        # the broken part, when shown, sends the window back to the list and says which.
        assert window.conference_id == cid
        labels = [window.tabs.tabText(i) for i in range(window.tabs.count())]
        window.tabs.setCurrentIndex(labels.index(TAB_OF[part]))

    assert window.pages.currentWidget() is window.home
    assert window.conference_id is None
    message = window.statusBar().currentMessage()
    assert f"'{title}'" in message and "could not be opened" in message
    assert "\n" not in message
    failures = [r for r in caplog.records if f"of conference {cid}" in r.getMessage()]
    assert failures and failures[0].exc_info is not None
    # The app still runs: the healthy conference opens.
    window.open_conference(healthy)
    assert window.pages.currentWidget() is window.conference_page
    assert window.conference_id == healthy
    window.close()
