"""Help → About (folders, Copy diagnostics) and Help → Quick guide (F1), driven from the window."""

from __future__ import annotations

import dataclasses
import re

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import (
    QDesktopServices,
    QGuiApplication,
    QImage,
    QTextCursor,
    QTextDocument,
    QTextImageFormat,
)
from PySide6.QtWidgets import QAbstractButton, QApplication

from csfacilitator import __version__
from csfacilitator.core import conferences, invitees
from csfacilitator.gui.dialogs import help_dialogs
from csfacilitator.gui.dialogs.help_dialogs import AboutDialog, QuickGuide, diagnostics

GUIDE_HEADINGS = (
    "Quick guide",
    "1. Prepare the assessment and the invite list",
    "2. Run the board live and project it",
    "3. Agree the action plan",
    "4. Export the minutes and hand over",
    "Keyboard shortcuts",
    "Where your work is kept",
)


def menu_action(window, menu_title: str, text: str):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == menu_title)
    return next(a for a in menu.actions() if a.text() == text)


def open_about(window, qtbot) -> AboutDialog:
    menu_action(window, "&Help", "&About CS Facilitator").trigger()
    qtbot.waitUntil(lambda: window.findChild(AboutDialog) is not None)
    about = window.findChild(AboutDialog)
    qtbot.waitExposed(about)
    return about


def assert_buttons_named_as_shown(widget) -> None:
    buttons = widget.findChildren(QAbstractButton)
    assert buttons
    for button in buttons:
        assert button.accessibleName() == button.text().replace("&", ""), button.text()


class _FileUrls(QObject):
    """Stands in for the file manager: records what openUrl was asked to show."""

    def __init__(self):
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def show(self, url: QUrl) -> None:
        self.urls.append(url)


def test_about_shows_the_version_and_opens_the_windows_folders(window, qtbot, monkeypatch):
    about = open_about(window, qtbot)
    assert about.isVisible() and about.windowTitle() == "About CS Facilitator"
    assert about.data_field.text() == str(window.paths.root)
    assert about.log_field.text() == str(window.paths.logs)
    assert about.data_field.isReadOnly() and about.log_field.isReadOnly()
    assert about.data_field.accessibleName() == "Data folder"
    assert about.log_field.accessibleName() == "Log folder"
    assert any(__version__ in label.text() for label in about.findChildren(type(about.message)))
    assert_buttons_named_as_shown(about)

    # Each button hands its folder to the file manager (here a stand-in for it).
    handler = _FileUrls()
    QDesktopServices.setUrlHandler("file", handler, "show")
    try:
        qtbot.mouseClick(about.open_data_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(about.open_log_button, Qt.MouseButton.LeftButton)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [u.toLocalFile() for u in handler.urls] == [
        str(window.paths.root),
        str(window.paths.logs),
    ]
    assert about.message.text() == ""

    # When the system cannot open it, the dialog says where the folder is.
    monkeypatch.setattr(help_dialogs, "open_folder", lambda path: False)
    qtbot.mouseClick(about.open_log_button, Qt.MouseButton.LeftButton)
    assert str(window.paths.logs) in about.message.text()
    assert "file manager" in about.message.text()

    qtbot.mouseClick(about.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(AboutDialog) is None)


def test_copy_diagnostics_describes_the_install_and_nothing_from_the_conferences(window, qtbot):
    menu_action(window, "&File", "Open &example conference").trigger()
    conference_id = window.conference_id
    assert conference_id is not None
    details = conferences.get_conference(window.db, conference_id)
    people = invitees.list_invitees(window.db, conference_id)
    assert people, "the example should have an invite list to leak"
    private = [
        value
        for name, value in dataclasses.asdict(details).items()
        if isinstance(value, str)
        and len(value) > 3
        and name not in ("uid", "status", "context_type", "threshold", "report_structure")
    ]
    private += [p.name for p in people] + [p.organisation for p in people if p.organisation]
    assert details.title in private

    QGuiApplication.clipboard().clear()
    about = open_about(window, qtbot)
    qtbot.mouseClick(about.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert f"CS Facilitator {__version__}" in copied
    assert f"Data folder: {window.paths.root}" in copied
    assert f"Log folder: {window.paths.logs}" in copied
    assert "Database: schema 0" in copied and copied.count("not encrypted") == 1
    assert "Qt " in copied and "Python " in copied
    leaked = [value for value in private if value in copied]
    assert leaked == []
    assert about.message.text() == help_dialogs.COPIED


def test_diagnostics_read_an_encrypted_database_and_never_show_its_passphrase(
    qtbot, paths, templates
):
    pytest.importorskip("sqlcipher3", reason="SQLCipher is not installed")
    from csfacilitator.storage import open_database

    passphrase = "correct horse battery staple"
    templates.seed(paths, passphrase)  # the encrypted template's copy, made once a session
    db = open_database(paths, passphrase)
    try:
        conferences.create_conference(db, "Encrypted conference")
        about = AboutDialog(paths, db)
        qtbot.addWidget(about)
        about.show()
        qtbot.mouseClick(about.copy_button, Qt.MouseButton.LeftButton)
        copied = QGuiApplication.clipboard().text()
        assert re.search(
            r"Database: schema 0\d+ \(this version writes 0\d+\), .*, encrypted", copied
        )
        assert passphrase not in copied and "Encrypted conference" not in copied
        # The database still works after the diagnostics read the file: its locks are intact.
        conferences.create_conference(db, "Second")
        assert len(conferences.list_conferences(db)) == 2
    finally:
        db.close()


def test_diagnostics_survive_a_damaged_database(paths):
    paths.root.mkdir(parents=True)
    paths.database.write_bytes(b"this is not a database, just some bytes " * 200)
    text = diagnostics(paths)
    assert "Database: schema unreadable" in text
    assert "Backups: " in text


def guide_images(document: QTextDocument) -> list[str]:
    names = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                names.append(QTextImageFormat(fmt).name())
            it += 1
        block = block.next()
    return names


def as_image(resource) -> QImage:
    if isinstance(resource, QImage):
        return resource
    if hasattr(resource, "toImage"):
        return resource.toImage()
    return QImage.fromData(bytes(resource)) if resource is not None else QImage()


def test_f1_opens_the_illustrated_quick_guide_with_working_contents(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.findChild(QuickGuide) is not None)
    guide = window.findChild(QuickGuide)
    qtbot.waitExposed(guide)
    browser = guide.browser
    assert browser.accessibleName() == "Quick guide"
    assert not browser.openExternalLinks() and not browser.openLinks()
    text = browser.document().toPlainText()
    for heading in GUIDE_HEADINGS:
        assert heading in text
    names = guide_images(browser.document())
    assert sorted(names) == ["action-plan.png", "board.png", "invite-list.png", "projector.png"]
    for name in names:
        image = as_image(
            browser.document().resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
        )
        assert not image.isNull(), f"{name} does not load"
        assert image.width() == 720
    assert_buttons_named_as_shown(guide)

    # The contents at the top link to each section.
    bar = browser.verticalScrollBar()
    assert bar.value() == 0
    cursor = browser.document().find("Keyboard shortcuts")
    assert cursor.charFormat().isAnchor()
    inside = QTextCursor(browser.document())
    inside.setPosition(cursor.selectionStart() + 3)
    qtbot.mouseClick(
        browser.viewport(), Qt.MouseButton.LeftButton, pos=browser.cursorRect(inside).center()
    )
    qtbot.waitUntil(lambda: bar.value() > 0)
    top = browser.cursorForPosition(browser.viewport().rect().topLeft())
    assert "Keyboard shortcuts" in top.block().text()

    # F1 again brings back the same guide rather than a second one.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert window.findChildren(QuickGuide) == [guide]
