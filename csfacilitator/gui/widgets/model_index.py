"""The index a Qt model method may be given: Qt passes a QModelIndex or a QPersistentModelIndex
to data, flags, setData and the rest, and PySide6's stubs say so. One alias for every model."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex

Index = QModelIndex | QPersistentModelIndex
