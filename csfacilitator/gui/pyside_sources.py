"""Keeps PySide6's import hook from holding the source of every module in memory.

Once PySide6 is imported it replaces Python's import with its own (for its opt-in
`from __feature__ import ...` switches) and asks of each module imported afterwards whether its
source mentions "PySide6" (shibokensupport.feature._mod_uses_pyside). It asks through
inspect.getsource, which keeps the whole text of every file it reads in linecache for good:
about 250,000 lines and 20 MB once SQLAlchemy and the app are loaded, a ninth of the app's
memory with a 2,000-point board. The app uses none of those switches, but the answer is kept
the same: the file's bytes are read, searched and let go (not decoded: about 300 modules, 10 MB
of source, are imported after the first paint; decoded, the question took about 30 ms of CPU
there, undecoded 17 ms). Modules without a readable .py file go to the original question unchanged.
"""

from __future__ import annotations

import linecache
import sys
from collections.abc import Callable
from types import ModuleType

_MARK = "_csfacilitator_reads_file"


def _reads_file(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)
        try:  # Python source is in an ASCII-compatible encoding: the name is the same bytes
            with open(path, "rb") as source:  # undecoded: about a third quicker at start
                return b"PySide6" in source.read()
        except OSError:
            return original(module)  # PySide's own answer for a file it cannot read

    setattr(uses_pyside, _MARK, original)
    return uses_pyside


def keep_sources_out_of_memory() -> None:
    """Install the file-reading question (once; nothing to do before PySide6 is imported) and
    drop the sources linecache took in until now. linecache is only a cache: a traceback
    reads the lines it shows again."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(original):
        return
    if not hasattr(original, _MARK):
        feature._mod_uses_pyside = _reads_file(original)  # type: ignore[attr-defined]
    linecache.clearcache()
