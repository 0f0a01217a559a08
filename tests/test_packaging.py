"""What an installed copy needs: every package listed, levels and reference data shipped."""

from __future__ import annotations

from conftest import REPO_ROOT
from game.scenario.toml_reader import tomli


def pyproject() -> dict:
    return tomli.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_python_package_in_the_tree_is_listed_for_installation():
    listed = set(pyproject()["tool"]["setuptools"]["packages"])
    found = set()
    for top in ("agents", "game"):
        for init in (REPO_ROOT / top).rglob("__init__.py"):
            found.add(".".join(init.parent.relative_to(REPO_ROOT).parts))
    assert found <= listed, f"packages missing from pyproject.toml: {sorted(found - listed)}"


def test_levels_and_reference_data_ship_as_package_data():
    config = pyproject()["tool"]["setuptools"]
    assert config["package-dir"]["game.levels"] == "levels"
    patterns = config["package-data"]["game.levels"]
    assert "*.toml" in patterns and "reference/*" in patterns
    assert (REPO_ROOT / "levels" / "reference" / "series.csv").is_file()


def test_the_console_script_is_the_cli():
    assert pyproject()["project"]["scripts"]["rare-earths"] == "game.launch:main"


def test_every_shipped_toml_file_is_toml_1_0():
    """Researchers read the levels with whatever they have: Python's own ``tomllib`` and most
    other readers know TOML 1.0 only, where an inline table ends on the line it starts
    (``tomli``, which the game reads with, also takes TOML 1.1's multi-line ones)."""
    import tomllib

    shipped = [path for path in REPO_ROOT.rglob("*.toml")
               if not {"tests", ".git", "build"} & set(path.relative_to(REPO_ROOT).parts)]
    assert len(shipped) > 10
    unreadable = []
    for path in shipped:
        try:
            tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            unreadable.append(f"{path.relative_to(REPO_ROOT)}: {error}")
    assert not unreadable, "\n".join(unreadable)
