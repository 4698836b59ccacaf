"""PySide6's import hook asks of every module imported whether its source mentions PySide6:
the app's replacement gives the same answer without keeping the source in linecache."""

from __future__ import annotations

import linecache
import sys

import csfacilitator.gui  # noqa: F401 - installs the replacement
from csfacilitator.gui import pyside_sources


def _feature():
    return sys.modules["shibokensupport.feature"]


def test_an_imported_module_is_answered_the_same_and_its_source_not_kept(tmp_path, monkeypatch):
    (tmp_path / "csf_probe_with_qt.py").write_text("import PySide6.QtCore\nVALUE = 1\n")
    (tmp_path / "csf_probe_plain.py").write_text("VALUE = 2\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "csf_probe_with_qt", raising=False)
    monkeypatch.delitem(sys.modules, "csf_probe_plain", raising=False)
    feature = _feature()
    for name in ("csf_probe_with_qt", "csf_probe_plain"):
        feature.pyside_feature_dict.pop(name, None)

    with_qt = __import__("csf_probe_with_qt")  # through the import PySide6 installed
    plain = __import__("csf_probe_plain")

    assert with_qt.__file__ not in linecache.cache
    assert plain.__file__ not in linecache.cache
    assert feature.pyside_feature_dict["csf_probe_with_qt"] == 0  # "uses PySide": no feature
    assert feature.pyside_feature_dict["csf_probe_plain"] == -1  # "ignore this module"
    original = getattr(feature._mod_uses_pyside, pyside_sources._MARK)
    assert original(with_qt) is True and original(plain) is False  # PySide's own answers
    for name in ("csf_probe_with_qt", "csf_probe_plain"):
        del feature.pyside_feature_dict[name]


def test_a_module_without_a_source_file_gets_pysides_own_answer():
    import math  # built in: no __file__

    assert _feature()._mod_uses_pyside(math) is False


def test_installing_again_wraps_once_and_empties_linecache():
    installed = _feature()._mod_uses_pyside
    linecache.getlines(pyside_sources.__file__)
    assert pyside_sources.__file__ in linecache.cache

    pyside_sources.keep_sources_out_of_memory()

    assert _feature()._mod_uses_pyside is installed
    assert pyside_sources.__file__ not in linecache.cache
