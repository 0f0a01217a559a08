"""The floors of docs/architecture.md, enforced: a module imports only from lower floors.

Every ``import`` counts, at module level, inside functions and under ``TYPE_CHECKING``
alike, because any of them can close a circle at run time. The only exceptions are the
CLI's lazy imports of the window and of the research tools, which keep ``rare-earths
levels list`` from loading what it does not use, and the launcher's of the CLI, inside its
catch of a Ctrl+C that comes while the CLI loads.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("game", "agents")

#: Floors, lowest first: (floor number, module-name prefixes). The longest prefix wins.
FLOORS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (0, ("game.vocab", "game.deferred_imports", "game.whole_files", "game.quoting", "game.json_depth",
         "game.line_breaks", "game.interrupts", "game.asset_paths", "game.font_coverage",
         "game.kept_levels", "game.package_version")),
    (1, ("game.spec",)),
    (2, ("agents",)),
    (3, ("game.world",)),
    (4, ("game.action_base", "game.actions", "game.trade_controls", "game.state_levers", "game.company_levers",
         "game.facilitation", "game.objectives")),
    (5, ("game.scenario",)),
    (6, ("game.controllers", "game.bot")),
    (7, ("game.session",)),
    (8, ("game.players", "game.savefile", "game.research", "game.ui.strings")),
    (9, ("game.workshop",)),
    (10, ("game.ui",)),
    (11, ("game.cli",)),
    (12, ("game.launch", "game.__main__")),
)
#: The package itself (game/__init__.py) only quiets pygame's greeting: the lowest floor.
PACKAGE_ROOTS = {"game": 0, "agents": 2}

#: Lazy imports the CLI may make inside its commands, so that ``rare-earths levels list`` and
#: ``--help`` load neither Mesa nor pygame: (importer, imported prefix).
LAZY_ALLOWED = (
    ("game.cli", "game.players"),
    ("game.cli", "game.session"),
    ("game.cli", "game.research"),
    ("game.cli", "game.ui"),
    ("game.cli", "game.workshop"),
    ("game.launch", "game.cli"),  # inside its catch of Ctrl+C: the command's modules load in it
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[module_name(path)] = path
    return found


def floor_of(module: str) -> int:
    if module in PACKAGE_ROOTS:
        return PACKAGE_ROOTS[module]
    best, best_len = None, -1
    for floor, prefixes in FLOORS:
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = floor, len(prefix)
    if best is None:
        raise AssertionError(f"{module} sits on no floor: add it to FLOORS in tests/test_layers.py")
    return best


def imports_of(module: str, path: Path, known: set[str]) -> list[tuple[str, int, bool]]:
    """(imported project module, line, at module top level) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    top_level = {id(node) for node in tree.body}
    for node in tree.body:  # ``if TYPE_CHECKING:`` at module level is still module level
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            top_level.update(id(child) for child in node.body)
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        for name in names:
            target = _project_module(name, known)
            if target is not None and target != module:
                found.append((target, node.lineno, id(node) in top_level))
    return found


def _project_module(name: str, known: set[str]) -> str | None:
    """The longest known project module that ``name`` is or lies in (a.b.c -> a.b if a.b.c is a name)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
        parts.pop()
    return None


def import_edges() -> dict[str, list[tuple[str, int, bool]]]:
    modules = all_modules()
    known = set(modules)
    edges = {}
    for module, path in modules.items():
        seen = {}
        for target, line, top in imports_of(module, path, known):
            # A package's __init__ is imported on the way to any of its modules; only count
            # the package itself when it is what was named.
            seen.setdefault(target, (line, top))
        edges[module] = [(t, line, top) for t, (line, top) in seen.items()]
    return edges


def _lazy_allowed(importer: str, target: str) -> bool:
    return any(importer == i and (target == t or target.startswith(t + ".")) for i, t in LAZY_ALLOWED)


def test_every_module_sits_on_a_floor():
    for module in all_modules():
        floor_of(module)


def test_no_module_imports_from_a_higher_floor():
    upward = []
    for module, targets in import_edges().items():
        for target, line, _ in targets:
            if _lazy_allowed(module, target):
                continue
            if floor_of(target) > floor_of(module):
                upward.append(f"{module}:{line} imports {target} (floor {floor_of(module)} -> {floor_of(target)})")
    assert not upward, "upward imports:\n" + "\n".join(upward)


def test_no_import_circles():
    edges = {m: [t for t, _, _ in ts if not _lazy_allowed(m, t)] for m, ts in import_edges().items()}
    # Packages' __init__ files that only name their package are skipped as nodes of a cycle.
    circles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in edges.get(node, ()):
            if state.get(nxt) == 1:
                circles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert not circles, "import circles:\n" + "\n".join(circles)


def test_project_imports_are_at_module_level():
    # A function-local import hides an edge from a reader; only the CLI's lazy ones are allowed.
    # (Imports under a module-level ``if TYPE_CHECKING:`` count as module level, and as edges.)
    local = []
    for module, targets in import_edges().items():
        for target, line, top in targets:
            if not top and not _lazy_allowed(module, target):
                local.append(f"{module}:{line} imports {target} inside a function or block")
    assert not local, "function-local or conditional imports:\n" + "\n".join(local)


def test_scenes_do_not_import_each_other_or_the_app():
    offending = []
    for module, targets in import_edges().items():
        if not module.startswith("game.ui.scenes."):
            continue
        for target, line, _ in targets:
            if target.startswith("game.ui.scenes.") or target == "game.ui.app":
                offending.append(f"{module}:{line} imports {target}")
    assert not offending, "scenes open each other by name through the registry:\n" + "\n".join(offending)


@pytest.mark.parametrize("simulation", ["agents", "game.world"])
def test_the_simulation_knows_no_screens_files_or_network(simulation):
    forbidden = ("pygame", "pygame_gui", "socket", "websockets", "pathlib", "tomli", "tomllib", "csv", "json", "open")
    offending = []
    for module, path in all_modules().items():
        if not (module == simulation or module.startswith(simulation + ".")):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [(node.module or "").split(".")[0]]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
                names = ["open"]
            else:
                continue
            offending += [f"{module}:{node.lineno} uses {n}" for n in names if n in forbidden]
    assert not offending, "\n".join(offending)
