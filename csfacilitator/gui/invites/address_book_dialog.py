"""Pick partners from earlier conferences for this invite list (see core.address_book).

Keyboard first: type to search, Down to reach the list, Space ticks a partner, Enter adds the
ticked ones (or, if none is ticked, the highlighted one)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from csfacilitator.core.address_book import Partner, filter_partners
from csfacilitator.gui.widgets.dialog_parts import accept_cancel

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


class SearchField(QLineEdit):
    """The search field: Down moves into the list."""

    def __init__(self, on_down, parent: QWidget | None = None):
        super().__init__(parent)
        self._on_down = on_down

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
            self._on_down()
            return
        super().keyPressEvent(event)


def _tooltip(partner: Partner) -> str:
    lines = [partner.label]
    lines += [text for text in (partner.role, partner.email, partner.phone) if text]
    times = (
        "1 earlier conference"
        if partner.conference_count == 1
        else (f"{partner.conference_count} earlier conferences")
    )
    lines.append(f"Invited to {times}; latest: {partner.last_conference}")
    return "\n".join(lines)


class AddressBookDialog(QDialog):
    """Search partners, tick some, Add. chosen_keys() says whom after it is accepted."""

    def __init__(self, partners: list[Partner], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Add from address book")
        self.partners = partners
        self.items = QStandardItemModel(self)
        for partner in partners:
            item = QStandardItem(partner.label)
            item.setEditable(False)
            item.setCheckable(True)
            item.setData(partner.key, KEY_ROLE)
            item.setToolTip(_tooltip(partner))
            item.setData(partner.label, Qt.ItemDataRole.AccessibleTextRole)
            self.items.appendRow(item)

        intro = QLabel(
            "People invited to your other conferences. Their name, organisation, category, "
            "role, e-mail and phone are copied; nothing else. Space ticks a partner; Enter adds "
            "the ticked ones."
        )
        intro.setWordWrap(True)
        self.search = SearchField(self._enter_list)
        self.search.setPlaceholderText("Name, organisation, category, role, e-mail or phone")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search")
        search_label = QLabel("&Search:")
        search_label.setBuddy(self.search)
        search_row = QHBoxLayout()
        search_row.addWidget(search_label)
        search_row.addWidget(self.search, 1)

        self.list = QListView()
        self.list.setModel(self.items)
        self.list.setAccessibleName("Partners")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setUniformItemSizes(True)
        self.list.setAlternatingRowColors(True)
        list_label = QLabel("&Partners:")
        list_label.setBuddy(self.list)
        self.count = QLabel()
        self.count.setAccessibleName("Partners shown")
        self.empty = QLabel(
            "No partners yet. The people on your other conferences' invite lists appear here, "
            "so your local network grows as you work."
        )
        self.empty.setWordWrap(True)
        self.empty.setVisible(not partners)

        self.buttons, self.add_button, _cancel = accept_cancel(self, "Add")
        self.add_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(search_row)
        layout.addWidget(list_label)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.count)
        layout.addWidget(self.buttons)
        self.resize(620, 520)

        self.search.textChanged.connect(self._filter)
        self.items.itemChanged.connect(self._update)
        self.list.selectionModel().currentChanged.connect(self._update)
        self.list.doubleClicked.connect(self._toggle)  # Enter is left to the Add button
        self._filter("")
        self.search.setFocus()

    # --- what was chosen ----------------------------------------------------------------------

    def checked_keys(self) -> list[str]:
        return [
            self.items.item(row).data(KEY_ROLE)
            for row in range(self.items.rowCount())
            if self.items.item(row).checkState() == Qt.CheckState.Checked
        ]

    def chosen_keys(self) -> list[str]:
        """The ticked partners, or the highlighted one if none is ticked."""
        keys = self.checked_keys()
        if keys:
            return keys
        current = self.list.currentIndex()
        if current.isValid() and not self.list.isRowHidden(current.row()):
            return [current.data(KEY_ROLE)]
        return []

    def visible_rows(self) -> list[int]:
        return [r for r in range(self.items.rowCount()) if not self.list.isRowHidden(r)]

    # --- behaviour ----------------------------------------------------------------------------

    def _filter(self, text: str) -> None:
        shown = {p.key for p in filter_partners(self.partners, text)}
        first = None
        for row in range(self.items.rowCount()):
            hidden = self.items.item(row).data(KEY_ROLE) not in shown
            self.list.setRowHidden(row, hidden)
            if not hidden and first is None:
                first = row
        current = self.list.currentIndex()
        if first is not None and (not current.isValid() or self.list.isRowHidden(current.row())):
            self.list.setCurrentIndex(self.items.index(first, 0))
        elif first is None:
            self.list.setCurrentIndex(QModelIndex())
        self._update()

    def _enter_list(self) -> None:
        rows = self.visible_rows()
        if rows:
            self.list.setFocus()
            if not self.list.currentIndex().isValid():
                self.list.setCurrentIndex(self.items.index(rows[0], 0))

    def _toggle(self, index: QModelIndex) -> None:
        item = self.items.itemFromIndex(index)
        if item is not None:
            checked = item.checkState() == Qt.CheckState.Checked
            item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def _update(self, *_args) -> None:
        shown, total = len(self.visible_rows()), self.items.rowCount()
        ticked = len(self.checked_keys())
        parts = [f"{shown} of {total} partners shown" if shown != total else f"{total} partners"]
        if ticked:
            parts.append(f"{ticked} ticked")
        self.count.setText(" · ".join(parts) if total else "")
        keys = self.chosen_keys()
        if len(keys) == 1:
            name = next(p.name for p in self.partners if p.key == keys[0])
            self.add_button.setText(f"Add {name}")
        else:
            self.add_button.setText(f"Add {len(keys)} people" if keys else "Add")
        self.add_button.setAccessibleName(self.add_button.text())
        self.add_button.setEnabled(bool(keys))
