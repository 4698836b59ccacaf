"""A new conference opens at the top of its details with the title ready to type over."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from csfacilitator.app import create_window


def test_a_new_conference_opens_at_the_top_with_the_title_selected(qtbot, paths, templates):
    templates.seed(paths)  # a migrated database, copied: this is not a first start
    window = create_window(paths.root)
    qtbot.addWidget(window)
    window.resize(1366, 600)  # short enough that the details scroll
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.open_example()
    window.tabs.setCurrentWidget(window.overview)
    bar = window.overview.details_scroll.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())  # left scrolled to the bottom on the last conference

    window.new_conference()

    title = window.overview.fields["title"]
    assert window.tabs.currentWidget() is window.overview
    assert bar.value() == 0
    assert QApplication.focusWidget() is title and title.selectedText() == "New conference"
    viewport = window.overview.details_scroll.viewport()
    top = title.mapTo(viewport, title.rect().topLeft()).y()
    assert top >= 0 and top + title.height() <= viewport.height()  # seen, not typed blind
    qtbot.keyClicks(title, "Larkfield Park")
    assert title.text() == "Larkfield Park"
    window.close()
