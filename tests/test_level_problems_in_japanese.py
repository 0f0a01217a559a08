"""A level's, a world's and a save's problems said in the player's language.

Every problem the level reader (game/scenario/) finds keeps the English template it was made
from and the values that fill it (``Problem.template``, ``Problem.values``), as a save's refusal
does; a window words it through its own ``tr``. Here: every such template has a Japanese line,
no problem is written as an English f-string a window could not translate, and a broken level
shown in the Japanese window leaves no English sentence on screen.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

from game.scenario import AssumptionError, ScenarioError, load_level
from game.ui.strings import Language, table

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "game" / "scenario"
#: Where the words of a level's problem are made: the reader, what it asks of lower floors (an
#: objectives' star gap, a quarter's or a date's refusal), and the window's reading of a level
#: of the player's own.
SOURCES = (*sorted(SCENARIO.glob("*.py")), ROOT / "game" / "objectives.py", ROOT / "game" / "vocab" / "quarters.py",
           ROOT / "game" / "ui" / "play.py")
BROKEN_LEVELS = ROOT / "tests" / "broken_levels"

#: Where each call takes the words of a problem: (function name, argument index).
_MESSAGE_ARGUMENT = {"problem": 1, "AssumptionError": 1, "Problem": 2, "single": 1, "Worded": 0, "Refusal": 0,
                     "_worded": 1, "tr": 0}


def _name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _texts(node: ast.expr) -> set[str]:
    if isinstance(node, ast.IfExp):
        return _texts(node.body) | _texts(node.orelse)
    return {node.value} if isinstance(node, ast.Constant) and isinstance(node.value, str) else set()


def _f_strings(node: ast.expr) -> bool:
    if isinstance(node, ast.IfExp):
        return _f_strings(node.body) or _f_strings(node.orelse)
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)))


@cache
def _problem_words() -> tuple[frozenset[str], tuple[str, ...]]:
    """The templates of every problem made in ``SOURCES``, and where a problem's words are an
    f-string (or a sum of strings), which no window could translate."""
    templates, built = set(), []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            at = _MESSAGE_ARGUMENT.get(_name(node))
            if at is None or len(node.args) <= at:
                continue
            message = node.args[at]
            templates |= _texts(message)
            if _f_strings(message):
                built.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return frozenset(templates), tuple(built)


def test_the_problem_templates_are_found():
    templates, _ = _problem_words()
    assert {"unknown nation {nation!r}", "expected a number, got {value}", "missing (expected a string)",
            "{path}: {key}: {problem}", "no objective for star {star}: each star up to the highest ({highest}) needs "
            "one of its own", "expected a number from {low} to {high}, got {value}"} <= templates
    assert len(templates) >= 150


def test_no_problem_is_an_english_f_string():
    _, built = _problem_words()
    assert not built, f"problems written as f-strings (give a template and its values instead): {list(built)}"


def test_every_problem_template_has_a_japanese_line():
    from game.scenario.toml_errors import FILLED

    templates, _ = _problem_words()
    # The parts a whole line is made of where no call names them: an assumption's refusal, and
    # what tomli says of a key or a character.
    templates |= {AssumptionError("assumptions.x", "y").template} | {template for _, template in FILLED}
    missing = sorted(t for t in templates if t not in table("ja"))
    assert not missing, "level problems missing from assets/strings/ja.toml:\n" + "\n".join(f"  {t!r}" for t in missing)


#: Two English words in a row, outside what a file's problem quotes back as it is.
_ENGLISH_WORDS = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,}")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def english_left(said: str, problem) -> str:
    """English words in ``said`` (a problem said in Japanese) once the file's path, its key and
    what the problem quotes from the file are taken out ("" if none)."""
    rest = _QUOTED.sub("", said.replace(str(problem.path), "").replace(problem.key, ""))
    found = _ENGLISH_WORDS.search(rest)
    return found.group() if found else ""


def _broken_levels() -> list[Path]:
    return sorted(path for path in BROKEN_LEVELS.glob("*.toml") if path.name != "expected.toml")


@pytest.mark.parametrize("path", _broken_levels(), ids=lambda path: path.stem)
def test_a_broken_level_s_problems_said_in_japanese_keep_no_english_sentence(path):
    japanese = Language("ja").tr
    with pytest.raises(ScenarioError) as refused:
        load_level(path)
    for problem in refused.value.problems:
        said = problem.said(japanese)
        assert not english_left(said, problem), (str(problem), said)
        # The command line's words stay English, and a window in English says them as they are.
        assert problem.said(Language("en").tr) == str(problem)


def test_a_save_whose_level_is_broken_says_why_in_japanese():
    from game.savefile import SaveError, _what_is_wrong

    with pytest.raises(ScenarioError) as refused:
        load_level(BROKEN_LEVELS / "negative-capacity.toml")  # its world file is broken
    refusal = SaveError("save's level {level} cannot be loaded: {problem}", level="mine.toml",
                        problem=_what_is_wrong(refused.value))
    said = refusal.said(Language("ja").tr)
    assert said.startswith("セーブのレベルmine.tomlを読み込めません："), said
    assert not _ENGLISH_WORDS.search(_QUOTED.sub("", said)), said
    assert str(refusal) == ("save's level mine.toml cannot be loaded: negative-capacity.toml: world: the world file "
                            "'world-broken-negative' is invalid: world-broken-negative.toml: firms[0].capacity_tpy: "
                            "expected a number from 0 to 1,000,000,000, got -80,000")


def test_an_assumption_refused_is_said_in_japanese():
    from game.scenario import parse_setting
    from game.vocab.refusals import said_in

    with pytest.raises(AssumptionError) as refused:
        parse_setting("assumptions.min_run_rate=2")
    assert str(refused.value) == "assumptions.min_run_rate: expected 0 or a number from 0.000001 to 1, got 2"
    assert said_in(Language("ja").tr, refused.value) == \
        "assumptions.min_run_rate：0か、0.000001から1までの数でなければなりません（実際は2）"


# --- in the window ---------------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    return tmp_path


def test_a_broken_level_s_briefing_in_japanese_at_200_percent_is_all_japanese(data_dir):
    """The briefing of a level that cannot be opened said "events[1].partner: unknown nation
    'ATLANTIS'" in English under a Japanese heading."""
    from game.ui.app import open_app
    from game.ui.storage import Settings

    level = BROKEN_LEVELS / "unknown-nation-in-event.toml"
    app = open_app(settings=Settings(sound=False, language="ja", scale=2.0), level=str(level))
    app.frame([])
    shown = " ".join(box.html_text for box in app.top.reading)
    assert "不明な国'ATLANTIS'です" in shown and "events[1].partner" in shown, shown
    assert not _ENGLISH_WORDS.search(_QUOTED.sub("", shown.replace(str(level), ""))), shown


def test_the_workshop_set_up_says_in_japanese_why_its_level_cannot_be_played(data_dir, monkeypatch):
    """The hot seat's set-up said a level's problem in English inside its Japanese notice."""
    from game.ui.app import open_app
    from game.ui.driver import click
    from game.ui.scenes import workshop_setup
    from game.ui.storage import Settings

    level = BROKEN_LEVELS / "self-tension.toml"
    monkeypatch.setattr(workshop_setup, "scenario_for", lambda ref, assumptions: load_level(level))
    app = open_app((1280, 720), settings=Settings(sound=False, language="ja", warn_before_end=False))
    app.frame([])
    click(app, app.tr("Workshop"))
    click(app, app.tr("Start the hot seat"))
    text, kind, _ = app.notice
    assert kind == "error" and app.workshop is None
    assert text == (f"ゲームを用意できません：{level} の events[0].partner："
                    "'JPN'はnationにも指定されています。別の国を指定してください"), text


def test_the_campaign_names_a_level_that_cannot_be_opened_with_its_problem_in_japanese(data_dir, monkeypatch):
    from game.ui import levels
    from game.ui.app import open_app
    from game.ui.storage import Settings

    first = levels.campaign().entries[0].level
    real = levels.scenario

    def scenario(ref: str):
        if ref == first:  # as if the shipped file had been broken since
            return load_level(BROKEN_LEVELS / "unknown-nation-in-event.toml")
        return real(ref)

    monkeypatch.setattr(levels, "scenario", scenario)
    app = open_app((1920, 1080), settings=Settings(sound=False, language="ja"))
    app.frame([])
    app.switch("campaign")
    app.frame([])
    shown = [f"{f.element.text} {f.tooltip or ''}" for f in app.top.focusables if first in f"{f.element.text} {f.tooltip}"]
    assert shown and any("不明な国'ATLANTIS'です" in text for text in shown), shown
    assert not any(_ENGLISH_WORDS.search(_QUOTED.sub("", text)) for text in shown), shown


def test_a_level_file_the_system_cannot_read_says_why_in_japanese(tmp_path):
    folder = tmp_path / "a-folder.toml"  # read as a level's file, it is a folder
    folder.mkdir()
    with pytest.raises(ScenarioError) as refused:
        load_level(folder)
    problem = refused.value.problems[0]
    assert problem.message == "cannot read the file (Is a directory)"
    assert problem.message_in(Language("ja").tr) == "ファイルを読み込めません（フォルダです）"
