"""The Qt user interface. Widgets call core operations; they never write SQL."""

import PySide6.QtCore  # noqa: F401 - first, so that PySide6's import hook is in place below

from csfacilitator.gui.pyside_sources import keep_sources_out_of_memory

keep_sources_out_of_memory()
