"""docs/levels.md's levels load and play as the page says: every ```toml block that is a whole
level in the shipped world is validated and played a quarter (so the page cannot drift from the
level reader)."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import REPO_ROOT

from game.scenario import levels_dir, load_level
from game.session import Session

PAGE = REPO_ROOT / "docs" / "levels.md"


def whole_levels() -> list[str]:
    blocks = re.findall(r"```toml\n(.*?)```", PAGE.read_text(encoding="utf-8"), flags=re.DOTALL)
    return [block for block in blocks if re.search(r'^world = "world-2010"$', block, flags=re.MULTILINE)
            and re.search(r"^start = ", block, flags=re.MULTILINE)]


def test_the_page_shows_whole_levels():
    assert len(whole_levels()) >= 4


@pytest.mark.parametrize("number", range(len(whole_levels())))
def test_each_whole_level_on_the_page_loads_and_plays(tmp_path, number):
    block = whole_levels()[number]
    shutil.copy(levels_dir() / "world-2010.toml", tmp_path / "world-2010.toml")
    level_id = re.search(r'^id = "([^"]+)"$', block, flags=re.MULTILINE).group(1)
    path = tmp_path / f"{level_id}.toml"
    path.write_text(block, encoding="utf-8")
    scenario = load_level(path)
    assert scenario.id == level_id
    session = Session(scenario, seed=0)
    try:
        session.run(max_turns=1)
    finally:
        session.close()
