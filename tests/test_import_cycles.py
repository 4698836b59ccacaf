"""No import cycles among csfacilitator's modules.

Every import counts: at module level, inside a function, and under `if TYPE_CHECKING:`.
A function-level import only postpones a cycle (it still runs, later, at the first call, and
hoisting it for start-up or tidiness turns it into a crash at import), and a TYPE_CHECKING
import is still a dependency a reader must follow: `plan_commands` knowing all of `PlanTab`
is what the issue asked to undo. Where one module needs only a little of another, it takes
a small `Protocol` (as `core/weighting.py`'s undo target does) or the shared piece moves to
the module both need.

The imports are read with `ast` (nothing is imported), so the test is quick and sees imports
that never run in a test.
"""

from __future__ import annotations

import ast
from pathlib import Path

import csfacilitator

ROOT = Path(csfacilitator.__file__).resolve().parent
PACKAGE = "csfacilitator"


def _modules() -> dict[str, tuple[Path, str]]:
    """Module name -> (file, the package its relative imports start from)."""
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = (PACKAGE, *path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            name = ".".join(parts[:-1])
            found[name] = (path, name)
        else:
            name = ".".join(parts)
            found[name] = (path, ".".join(parts[:-1]))
    return found


def _imports(path: Path, package: str, modules) -> set[str]:
    """The csfacilitator modules `path` imports, wherever in the file the import is."""
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            for alias in node.names:
                # `from csfacilitator.gui import board` imports the module gui.board
                sub = f"{module}.{alias.name}"
                targets.add(sub if sub in modules else module)
    return {t for t in targets if t in modules}


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {
        name: _imports(path, package, modules) - {name} for name, (path, package) in modules.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _describe(component: list[str], graph: dict[str, set[str]]) -> str:
    members = set(component)
    edges = [f"{a} -> {b}" for a in component for b in sorted(graph[a] & members)]
    return "\n  ".join(edges)


def test_no_module_imports_itself_through_others():
    graph = import_graph()
    found = cycles(graph)
    assert not found, "Import cycles:\n  " + "\n\n  ".join(_describe(c, graph) for c in found)


def test_the_check_sees_a_cycle_and_every_kind_of_import(tmp_path):
    """The checker itself: a module-level, a function-level and a TYPE_CHECKING import each
    close a cycle it reports."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    source = (
        "from typing import TYPE_CHECKING\n"
        "from csfacilitator import errors\n"
        "if TYPE_CHECKING:\n"
        "    from csfacilitator.gui.board.document import BoardDocument\n"
        "def later():\n"
        "    from csfacilitator.storage import database\n"
    )
    probe = tmp_path / "probe.py"
    probe.write_text(source, encoding="utf-8")
    assert _imports(probe, PACKAGE, _modules()) == {
        "csfacilitator.errors",
        "csfacilitator.gui.board.document",
        "csfacilitator.storage.database",
    }
