"""The benchmarks and asset tools name only things the project still has.

They run outside the suite (they are slow, or need a display), so a rename in the game
would otherwise break them unnoticed: check every project import they make, at any depth.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted([*ROOT.glob("benchmarks/*.py"), *ROOT.glob("assets/tools/*.py"), ROOT / "tests" / "golden_runs.py"])


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_script_imports_exist(script):
    missing = []
    for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in ("game", "agents"):
            module = importlib.import_module(node.module)
            missing += [f"{node.module}.{a.name}" for a in node.names if not hasattr(module, a.name)
                        and importlib.util.find_spec(f"{node.module}.{a.name}") is None]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in ("game", "agents"):
                    importlib.import_module(alias.name)
    assert not missing, f"{script.name} imports what no longer exists: {', '.join(missing)}"
