"""The main window as a coordinator uses it: start screen, list, overview, meetings, closing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTabWidget,
)

from csfacilitator.app import create_window
from csfacilitator.core import conferences, meetings
from csfacilitator.paths import resolve
from csfacilitator.storage import open_database


def stored(paths):
    """A second, independent connection: what is on disk now."""
    return open_database(resolve(paths.root))


def test_first_run_welcomes_with_new_and_example(first_start_window, qtbot):
    window = first_start_window
    home = window.home
    assert home.pages.currentWidget() is home.welcome
    assert home.welcome_new.isVisible() and home.welcome_example.isVisible()
    assert home.welcome_new.accessibleName() == "New conference"
    assert home.welcome_example.accessibleName() == "Open example conference"
    qtbot.mouseClick(home.welcome_example, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.conference_page
    assert window.title_label.text().startswith("Example:")
    tabs: QTabWidget = window.tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "Overview",
        "Assessment",
        "Invite list",
        "Board",
        "Action plan",
    ]


def test_new_conference_title_typed_is_saved_within_a_second(window, qtbot, paths):
    qtbot.mouseClick(window.home.welcome_new, Qt.MouseButton.LeftButton)
    title = window.overview.fields["title"]
    assert title.hasFocus() or title.selectedText() == "New conference"
    title.selectAll()
    qtbot.keyClicks(title, "Larkfield Park")
    check = stored(paths)
    try:
        qtbot.waitUntil(
            lambda: (
                conferences.get_conference(check, window.conference_id).title == "Larkfield Park"
            ),
            timeout=1000,
        )
    finally:
        check.close()
    assert window.title_label.text() == "Larkfield Park"


def test_text_typed_just_before_closing_is_kept(qtbot, paths, templates):
    templates.seed(paths)  # a migrated database, copied: this is not a first start
    win = create_window(paths.root)
    qtbot.addWidget(win)
    win.show()
    conference_id = conferences.create_conference(win.db, "Closing")
    win.open_conference(conference_id)
    venue = win.overview.fields["venue"]
    qtbot.keyClicks(venue, "St Aidan's hall")
    win.close()  # well inside the autosave delay: the close must flush
    check = stored(paths)
    assert conferences.get_conference(check, conference_id).venue == "St Aidan's hall"
    assert conferences.last_opened(check) == conference_id
    check.close()


def test_changing_tab_saves_what_was_being_typed(window, qtbot, paths):
    conference_id = conferences.create_conference(window.db, "Tabs")
    window.open_conference(conference_id)
    rationale = window.overview.fields["threshold_rationale"]
    qtbot.keyClicks(rationale, "Pattern in the evenings")
    window.tabs.setCurrentWidget(window.board)
    check = stored(paths)
    assert (
        conferences.get_conference(check, conference_id).threshold_rationale
        == "Pattern in the evenings"
    )
    check.close()


def test_choices_and_dates_commit_at_once_and_bad_dates_are_explained(window, qtbot, paths):
    conference_id = conferences.create_conference(window.db, "Choices")
    window.open_conference(conference_id)
    threshold: QComboBox = window.overview.fields["threshold"]
    threshold.setFocus()
    qtbot.keyClick(threshold, Qt.Key.Key_Down)
    qtbot.keyClick(threshold, Qt.Key.Key_Down)
    date = window.overview.fields["conference_date"]
    date.edit.setFocus()
    qtbot.keyClicks(date.edit, "5/11/2026")
    qtbot.keyClick(date.edit, Qt.Key.Key_Return)
    check = stored(paths)
    details = conferences.get_conference(check, conference_id)
    assert details.threshold == "universal_plus"
    assert str(details.conference_date) == "2026-11-05"
    assert date.edit.text() == "5 Nov 2026"
    date.edit.selectAll()
    qtbot.keyClicks(date.edit, "31/02/2026")
    qtbot.keyClick(date.edit, Qt.Key.Key_Return)
    assert "not a real date" in window.statusBar().currentMessage()
    assert str(conferences.get_conference(check, conference_id).conference_date) == "2026-11-05"
    check.close()


def test_list_search_status_filter_sort_archive_and_undoable_delete(window, qtbot, monkeypatch):
    db = window.db
    a = conferences.create_conference(db, "Larkfield Park", area="North ward")
    b = conferences.create_conference(db, "Station approach", context_name="Bus station")
    c = conferences.create_conference(
        db, "Year 9 peer group", area="North ward", status="assessment"
    )
    window.home.reload()
    home = window.home
    assert home.pages.currentWidget() is home.listing
    assert home.proxy.rowCount() == 3

    qtbot.keyClicks(home.search, "north")
    assert home.proxy.rowCount() == 2
    home.search.clear()
    home.status_filter.setCurrentIndex(home.status_filter.findData("assessment"))
    assert home.proxy.rowCount() == 1
    home.status_filter.setCurrentIndex(0)

    home.table.horizontalHeader().sectionClicked.emit(0)  # sort by title
    home.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    titles = [home.proxy.index(r, 0).data() for r in range(3)]
    assert titles == sorted(titles)

    home.select(b)
    qtbot.mouseClick(home.archive_button, Qt.MouseButton.LeftButton)
    assert conferences.get_conference(db, b).archived
    assert home.proxy.rowCount() == 2
    home.show_archived.setChecked(True)
    assert home.proxy.rowCount() == 3

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    home.select(a)
    home.table.setFocus()
    qtbot.keyClick(home.table, Qt.Key.Key_Delete)
    assert a not in [r.id for r in conferences.list_conferences(db)]
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    restored = [r for r in conferences.list_conferences(db) if r.title == "Larkfield Park"]
    assert len(restored) == 1 and restored[0].area == "North ward"
    assert c in [r.id for r in conferences.list_conferences(db)]


def test_the_conference_open_at_close_is_reopened_and_the_list_built_when_asked_for(
    qtbot, paths, templates
):
    templates.seed(paths)  # a migrated database, copied: this is not a first start
    first = create_window(paths.root)
    qtbot.addWidget(first)
    conference_id = conferences.create_conference(first.db, "Reopen me")
    first.open_conference(conference_id)
    first.close()
    second = create_window(paths.root)
    qtbot.addWidget(second)
    assert second.pages.currentWidget() is second.conference_page
    assert second.conference_id == conference_id
    assert second.home_built is None  # the start did not build the home page
    second.show_home()  # File → All conferences
    home = second.home_built
    assert home is not None and second.pages.currentWidget() is home
    assert home.model.rowCount() == 1  # read when first shown, the reopened one listed
    second.close()


def test_meetings_panel_adds_a_review_and_edits_its_date_and_agenda(window, qtbot, paths):
    conference_id = conferences.create_conference(window.db, "Meetings")
    window.open_conference(conference_id)
    panel = window.overview.meetings
    qtbot.mouseClick(panel.add_review, Qt.MouseButton.LeftButton)
    review = [m for m in meetings.list_meetings(window.db, conference_id) if m.kind == "review"]
    assert len(review) == 1
    assert panel.current_meeting_id() == review[0].id
    qtbot.keyClicks(panel.date.edit, "4 Feb 2027")
    qtbot.keyClick(panel.date.edit, Qt.Key.Key_Return)
    assert str(meetings.get_meeting(window.db, review[0].id).date) == "2027-02-04"
    assert "4 Feb 2027" in panel.list.currentItem().text()

    count = panel.agenda.rowCount()
    panel.agenda.setCurrentCell(0, 0)
    qtbot.mouseClick(panel.remove_item, Qt.MouseButton.LeftButton)
    assert panel.agenda.rowCount() == count - 1
    assert len(meetings.get_meeting(window.db, review[0].id).agenda) == count - 1
    window.undo_group.undo()
    assert len(meetings.get_meeting(window.db, review[0].id).agenda) == count


def test_every_visible_control_has_an_accessible_name(open_window, qtbot):
    window = open_window(example="joined_up")  # as "Open the example" leaves it
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.wait(10)
        page = window.tabs.currentWidget()
        controls = [
            w
            for kind in (QAbstractButton, QLineEdit, QComboBox, QPlainTextEdit)
            for w in page.findChildren(kind)
        ]
        for widget in controls:
            if not widget.isVisibleTo(window) or widget.objectName().startswith("qt_"):
                continue
            if isinstance(widget, QLineEdit) and isinstance(widget.parent(), QComboBox):
                continue
            name = widget.accessibleName()
            where = f"{type(widget).__name__} {widget.objectName()!r} {widget.text() if hasattr(widget, 'text') else ''!r} parent {type(widget.parent()).__name__}"
            assert name, f"{where} on {window.tabs.tabText(index)} has no accessible name"
            text = widget.text().replace("&", "") if isinstance(widget, QAbstractButton) else ""
            if text and not text.startswith("…"):
                # Equal to the visible label; a label cut short to fit is the start of the name.
                assert name.startswith(text.rstrip("…")), (name, text)
                assert name == text.rstrip("…") or text.endswith("…"), (name, text)


def test_present_opens_the_projector_and_follows_typing(open_window, qtbot):
    window = open_window(example="joined_up")  # as "Open the example" leaves it
    window.tabs.setCurrentWidget(window.board)
    window.activateWindow()  # F5 is the active window's shortcut
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    projector = window.projector
    assert projector is not None and projector.isVisible()
    assert projector.projection.conference_title.startswith("Example:")
    window.board.focus_entry("strengths")
    entry = window.board.panes["strengths"].entry
    qtbot.keyClicks(entry, "Parade shops open late on Fridays")
    qtbot.keyClick(entry, Qt.Key.Key_Return)
    texts = [p.text for p in projector.projection.columns["strengths"]]
    assert "Parade shops open late on Fridays" in texts
    window.blank_action.trigger()
    assert projector.is_blank
    window.close_projector_action.trigger()
    assert not projector.isVisible()


def test_a_second_copy_on_the_same_data_is_refused(qtbot, paths, monkeypatch):
    from PySide6.QtCore import QLockFile

    from csfacilitator import app

    paths.root.mkdir(parents=True, exist_ok=True)
    holder = QLockFile(str(paths.lock_file))
    assert holder.tryLock(0)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    try:
        assert app.main(paths=paths) == 2
    finally:
        holder.unlock()
    assert "already open on this data folder" in shown[0]


def test_a_too_new_database_is_explained_not_crashed(qtbot, paths, templates, monkeypatch):
    import sqlite3

    from csfacilitator import app

    templates.seed(paths)  # a copy of the migrated database, not migrated again
    with sqlite3.connect(paths.database) as c:
        c.execute("UPDATE alembic_version SET version_num = '9999'")
    c.close()
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    assert app.main(paths=paths) == 2
    assert "newer version" in shown[0]


def test_hand_over_file_export_and_import_from_the_gui(open_window, qtbot, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    window = open_window(example="alone")  # the example alone
    target = tmp_path / "handover.csfconf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    from tests.test_sharing import answer_sharing  # issue 20: every export asks who and why

    answer_sharing(qtbot)  # the example's own answer, kept with Enter
    window.export_bundle_action.trigger()
    assert target.exists()
    assert "Saved" in window.statusBar().currentMessage()
    from csfacilitator.core.export_log import list_exports

    assert [e.label for e in list_exports(window.db)] == ["Conference file"]

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(target), ""))
    asked = []
    monkeypatch.setattr(window, "_ask_conflict", lambda title: asked.append(title) or None)
    window.import_bundle()  # already here, user cancels: nothing is written
    assert asked and len(conferences.list_conferences(window.db)) == 1
    monkeypatch.setattr(window, "_ask_conflict", lambda title: "copy")
    window.import_bundle()
    titles = sorted(r.title for r in conferences.list_conferences(window.db))
    assert len(titles) == 2 and titles[1].endswith("(imported copy)")
    assert window.title_label.text() == titles[1]

    bad = tmp_path / "bad.csfconf"
    bad.write_text("{not json", encoding="utf-8")
    warned = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    window.import_bundle()
    assert len(warned) == 1 and "\n" not in warned[0]
    assert len(conferences.list_conferences(window.db)) == 2


def test_export_minutes_warns_about_personal_details_then_saves(
    open_window, qtbot, monkeypatch, tmp_path
):
    from PySide6.QtWidgets import QFileDialog

    from csfacilitator.gui.documents import export_dialogs

    window = open_window(example="alone")  # the example alone
    window.tabs.setCurrentWidget(window.board)
    entry = window.board.panes["concerns"].entry
    window.board.focus_entry("concerns")
    qtbot.keyClicks(entry, "Call 07700 900123 about it")
    qtbot.keyClick(entry, Qt.Key.Key_Return)
    warned = []

    def decide(parent, flags, on_review):
        warned.extend(flags)
        return True

    monkeypatch.setattr(export_dialogs, "confirm_flags", decide)
    target = tmp_path / "minutes.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    from tests.test_sharing import answer_sharing  # issue 20: every export asks who and why

    answer_sharing(qtbot)
    window.document_actions["minutes"].trigger()
    assert any("07700 900123" in flag.matched for flag in warned)
    assert target.exists() and target.stat().st_size > 10_000
    assert "Saved the minutes" in window.statusBar().currentMessage()
    from csfacilitator.core.export_log import list_exports

    logged = list_exports(window.db, window.conference_id)
    assert [(e.kind, e.path) for e in logged] == [("minutes", str(target))]


def test_the_header_follows_a_change_made_anywhere(window, qtbot):
    """The header hears the change bus, not one tab: a change made through the core (as the CLI,
    another tab or a sync would) shows at once, and one to another conference does not."""
    cid = conferences.create_conference(window.db, "Larkfield Park")
    other = conferences.create_conference(window.db, "Station Underpass")
    window.open_conference(cid)
    conferences.update_conference(window.db, cid, title="Larkfield Park and Rec")
    assert window.title_label.text() == "Larkfield Park and Rec"
    assert window.windowTitle().startswith("Larkfield Park and Rec")
    conferences.update_conference(window.db, other, title="Station Underpass (east)")
    assert window.title_label.text() == "Larkfield Park and Rec"
