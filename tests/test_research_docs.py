"""docs/research.md's examples run as written: every ```python block, in order, in one
namespace, in a folder of its own (so the page cannot drift from the code)."""

from __future__ import annotations

import re

import pytest
from conftest import REPO_ROOT

pytest.importorskip("pandas")
pytest.importorskip("gymnasium")
pytest.importorskip("matplotlib")

PAGE = REPO_ROOT / "docs" / "research.md"


def examples() -> list[str]:
    return re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_the_page_has_examples_of_each_tool():
    text = "\n".join(examples())
    for used in ("research.run(", "mesa.batch_run(", "execute(", "plot_file(", "JapanPolicyEnv(", "ema"):
        assert used in text, used


def test_every_example_on_the_research_page_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "research_page"}
    for number, code in enumerate(examples(), start=1):
        try:
            exec(compile(code, f"docs/research.md example {number}", "exec"), namespace)  # noqa: S102 - the page's own examples
        except Exception as error:  # say which example broke, not just where in exec
            raise AssertionError(f"example {number} of docs/research.md failed: {error!r}\n{code}") from error
    out = capsys.readouterr().out
    assert "history" in out and (tmp_path / "thrift.csv").is_file() and (tmp_path / "thrift-fan.png").is_file()
