"""The Japanese string table (assets/strings/ja.toml) and the levels' Japanese notes.

Every English text the window can show must have a Japanese entry that keeps the same
``{field}`` names and format specs; every level's "what really happened" note must have a
Japanese version that cites the same reference facts. When a test here fails after a UI
change, add the English text it lists to assets/strings/ja.toml (key = the English exactly),
then rerun ``python assets/tools/subset_font.py`` if the translation brings new kanji.
"""

from __future__ import annotations

import os

# Set before anything from game.ui (and so pygame) is imported: no window or sound device opens.
os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import ast
import re
import string
from functools import cache
from pathlib import Path

import pytest
import tomli

from game.ui.strings import Language, table

ROOT = Path(__file__).resolve().parent.parent
UI = ROOT / "game" / "ui"

#: Texts the window passes to tr() that no literal tr("...") call and no lever table holds:
#: lead-time templates of states the sandbox does not start in, option texts shown only when
#: a list is empty, and labels kept in plain tuples.
ALSO_SHOWN = (
    "high", "medium", "low",  # a reference fact's confidence, shown in event pop-ups
    "programme complete", "a stage is under way", "{stage}: {n} quarters, {chance:.0%} chance of success",
    "building, {n} quarters left", "{n} quarters once approved and funded",
    "no project open", "no recycler takes Japan's scrap",
    "Price",  # the negotiation dialog's price row
)


def _tr_literals(folder: Path) -> set[str]:
    """The first argument of every ``tr("...")`` / ``x.tr("...")`` call written as a literal.

    Read from the syntax tree rather than with a regular expression, so single quotes and
    literals split over several lines ("a " "b") are read whole, as tr() receives them.
    """
    found = set()
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            first = node.args[0]
            if name == "tr" and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
    return found


def _news_templates() -> set[str]:
    """The templates the world reports its news with: the second argument of every
    ``report(kind, template, ...)`` call in the simulation (a literal, or either side of an
    ``a if c else b``), which the window translates before filling."""
    found = set()
    for folder in (ROOT / "game" / "world", ROOT / "agents", ROOT / "game" / "trade_controls.py",
                   ROOT / "game" / "state_levers.py", ROOT / "game" / "facilitation.py",
                   ROOT / "game" / "company_levers.py"):
        for path in sorted(folder.rglob("*.py")) if folder.is_dir() else [folder]:
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr == "report" and len(node.args) >= 2):
                    continue
                template = node.args[1]
                options = [template.body, template.orelse] if isinstance(template, ast.IfExp) else [template]
                found |= {o.value for o in options if isinstance(o, ast.Constant) and isinstance(o.value, str)}
    return found


@cache
def action_templates() -> frozenset[str]:
    """The templates of what the levers did or why they were refused: the first argument of
    every ``say(template, ...)`` call in the actions' modules and game/session.py, and the reason
    template (third argument) of every ``Response.saying(action, terms, template, ...)`` in
    agents/ (a seller's answer, inside the action's message); a literal, or either side of an
    ``a if c else b``. The window translates them with ``Game.action_text``.

    Read once a process: the source does not change during a run, and tests/test_action_messages.py
    asks for every message of every level played (parsing 30-odd modules each time cost about
    two thirds of that file's time)."""
    found = set()
    paths = [ROOT / "game" / "action_base.py", ROOT / "game" / "actions.py", ROOT / "game" / "trade_controls.py",
             ROOT / "game" / "state_levers.py", ROOT / "game" / "facilitation.py",
             ROOT / "game" / "company_levers.py", ROOT / "game" / "session.py",
             *sorted((ROOT / "agents").rglob("*.py"))]
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            at = {"say": 0, "saying": 2}.get(name)
            if at is None or len(node.args) <= at:
                continue
            template = node.args[at]
            options = [template.body, template.orelse] if isinstance(template, ast.IfExp) else [template]
            found |= {o.value for o in options if isinstance(o, ast.Constant) and isinstance(o.value, str)}
    return frozenset(found)


def refusal_templates() -> set[str]:
    """The templates of why a lever was refused: the literal first argument of every ``say(...)``
    in a lever's ``check...`` method and in ``Session.submit`` (the window shows each after
    "Refused: ")."""
    found = set()
    paths = [ROOT / "game" / name for name in ("action_base.py", "actions.py", "trade_controls.py", "state_levers.py",
                                               "facilitation.py", "company_levers.py", "session.py")]
    for path in paths:
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(function, ast.FunctionDef) or not (function.name.startswith("check")
                                                                  or function.name == "submit"):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "say" and node.args:
                    template = node.args[0]
                    options = [template.body, template.orelse] if isinstance(template, ast.IfExp) else [template]
                    found |= {o.value for o in options if isinstance(o, ast.Constant) and isinstance(o.value, str)}
    return found


def save_error_templates() -> set[str]:
    """Why a save cannot be opened: the first argument of every ``SaveError(template, ...)`` in
    game/savefile.py and game/ui/storage.py, which the Load screen and Continue translate
    (``SaveError.said``), and of every ``Refusal(template, ...)`` in the game, which a save's
    refusal may hold (its quarters, the nations it plays, its actions), and every
    ``Worded(template, ...)``: the words a refusal says a value in ("a table of 2 keys")."""
    found = set()
    for path in sorted((ROOT / "game").rglob("*.py")):
        in_saves = path in (ROOT / "game" / "savefile.py", UI / "storage.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
                continue
            if node.func.id in ("Refusal", "Worded") or (in_saves and node.func.id in ("SaveError", "FileRefused")):
                found |= _choices(node.args[0])
    return found


def _choices(template: ast.expr) -> set[str]:
    """The texts a template argument may be: a literal, or either side of ``a if c else b`` (of
    ``a if c else b if d else e`` too)."""
    if isinstance(template, ast.IfExp):
        return _choices(template.body) | _choices(template.orelse)
    return {template.value} if isinstance(template, ast.Constant) and isinstance(template.value, str) else set()


def test_why_a_save_cannot_be_opened_is_said_in_japanese():
    from game.savefile import SaveError, load_text

    templates = save_error_templates()
    assert {"save is empty", "save has no {key}", "not a save: {problem}", "firm {firm} is listed twice among the companies",
            "expected a quarter like 2010Q3 (in quotes), got the date {day}", "a table of {count:,} keys"} <= templates \
        and len(templates) >= 60
    missing = sorted(t for t in templates if t not in table("ja"))
    assert not missing, f"save refusals missing from ja.toml: {missing}"
    with pytest.raises(SaveError) as refused:
        load_text('{"format": "rare-earths-save", "version": 99}')
    japanese = Language("ja").tr
    assert str(refused.value).startswith("save version 99 is not supported")  # the terminal's words stay English
    assert refused.value.said(japanese).startswith("セーブのバージョン99には対応していません")
    from game.ui.storage import FileRefused

    nested = SaveError("not a save: {problem}", problem=FileRefused("not a regular file (a folder, a pipe or a device)"))
    assert nested.said(japanese) == "セーブファイルではありません：通常のファイルではありません（フォルダ、パイプまたはデバイス）"


def test_the_action_templates_are_found_and_translated():
    templates = action_templates()
    assert {"Release {tonnes:,.0f} t of {material} from the stockpile", "{seller} refuses: {reason}",
            "the amount must be above zero", "good enough for us"} <= templates
    assert len(templates) >= 60
    missing = sorted(t for t in templates if t not in table("ja"))
    assert not missing, f"action templates missing from ja.toml: {missing}"


def test_the_news_templates_are_found_and_translated():
    templates = _news_templates()
    assert "{firm} is mothballed" in templates and len(templates) >= 15
    missing = sorted(t for t in templates if t not in table("ja"))
    assert not missing, f"news templates missing from ja.toml: {missing}"


@cache
def ui_texts() -> frozenset[str]:
    """Every English text the window can show: the static tables, the tr() literals of
    game/ui, and the options and lead times the levers offer in the sandbox world."""
    from game.scenario import find_level, load_level
    from game.spec import EVENT_KINDS
    from game.ui.help import KEYS
    from game.ui.levers import LEVERS, STAGE_TITLES, TABS, offtake_choices
    from game.ui.indicator_bar import CHART_TITLES, INDICATORS, LEVEL_INDICATORS
    from game.ui.scenes.turn import _NEWS_KINDS, TUTORIAL
    from game.world.model import RareEarthWorld

    texts = set(TABS) | set(STAGE_TITLES.values()) | set(_NEWS_KINDS.values())
    # A scheduled event in the news is tagged by its kind, as the turn screen does it.
    texts |= {_NEWS_KINDS.get(kind, kind.replace("_", " ")) for kind in EVENT_KINDS}
    for lever in LEVERS:
        texts |= {lever.title, lever.mechanism, getattr(lever, "short", "")}  # short: the name in the list
        texts |= {choice.label for choice in lever.choices}
    texts |= {choice.label for choice in offtake_choices()}
    for _, label, shown, tip in INDICATORS + LEVEL_INDICATORS:
        texts |= {label, shown, tip}
    texts |= set(CHART_TITLES.values())
    texts |= {text for _, text in TUTORIAL}
    for key, meaning in KEYS:
        texts |= {key, meaning}
    texts |= _tr_literals(UI)

    world = RareEarthWorld(load_level(find_level("sandbox")), rng=0)
    world.open_turn()
    from game.ui.levers import ChoiceValues
    from game.ui.scenes.negotiation import PRICE

    def amount_texts(choices) -> set[str]:
        """An amount's unit, and the reasons its limits and needs give, in the sandbox world."""
        found: set[str] = set()
        values = ChoiceValues().values(choices, world)
        for choice in choices:
            if choice.amount is None:
                continue
            context = {k: v for k, v in values.items() if k != choice.name}
            found |= {choice.amount.unit, choice.amount.most(world, context)[1], choice.amount.about}
            if choice.amount.need is not None and (need := choice.amount.need(world, context)) is not None:
                found.add(need[1])
        return found

    for lever in LEVERS:
        for choice in lever.choices:
            for _, text in choice.options(world):
                # Templates, and names without numbers (nations, recyclers); a project's
                # option carries its own figures and stays as the data names it.
                if "{v" in text or not any(ch.isdigit() for ch in text):
                    texts.add(text)
        texts |= amount_texts(lever.choices)
        template, _ = lever.lead(world, ChoiceValues().values(lever.choices, world))
        texts.add(template)
    texts |= amount_texts((*offtake_choices(), PRICE))
    for choice in offtake_choices():
        # Sellers are data ("Mt Weld (Lynas) (AUS)") and stay as they are; only templates.
        texts |= {text for _, text in choice.options(world) if "{v" in text}
    texts |= set(ALSO_SHOWN)
    texts |= _news_templates()
    from game.actions import ACTION_TYPES

    texts |= save_error_templates()  # why a save cannot be opened, on the Load screen
    texts |= action_templates() | {cls.label for cls in ACTION_TYPES.values()}  # what the levers did, and why not
    from game.vocab.materials import MATERIAL_LABELS
    from game.world.wto import STAGES as WTO_STAGES

    texts |= set(MATERIAL_LABELS.values()) | {name for name, _ in WTO_STAGES}  # words the news fills in
    texts |= {"seller has closed", "embargo", "export quota exhausted", "not enough stock"}  # breach reasons
    from game.objectives import RULES

    texts |= {words for words, _ in RULES.values()}  # objective rules, in the debrief's reasons
    from game.scenario.reference import HISTORY_LEGEND_FOR_COLUMN

    texts |= set(HISTORY_LEGEND_FOR_COLUMN.values())  # what a chart's history points measure
    texts -= {"", "-"}  # no text, and "nothing to show", the same in every language
    return frozenset(texts)


def fields(text: str) -> list[tuple[str, str]]:
    """The ``{name:spec}`` fields of a template, in order."""
    return [(name, spec) for _, name, spec, _ in string.Formatter().parse(text) if name is not None]


def sample_values(text: str) -> dict[str, object]:
    """A value for each field that its format spec accepts (a number where there is a spec), and
    1 for a field inside a spec (the decimals of ``{due:,.{decimals}f}``)."""
    values: dict[str, object] = {name: (1234.5 if spec else "x") for name, spec in fields(text)}
    for _, spec in fields(text):
        values |= {inner: 1 for inner, _ in fields(spec or "")}
    return values


# --- the table ------------------------------------------------------------------------------


def test_the_table_loads_and_is_not_empty():
    ja = table("ja")
    assert len(ja) > 200
    assert all(isinstance(k, str) and k for k in ja)
    assert all(isinstance(v, str) and v.strip() for v in ja.values()), "an empty translation"


def test_the_collector_sees_the_window_texts():
    texts = ui_texts()
    assert len(texts) > 200
    # Literals split over lines reach tr() whole; single-quoted ones are seen too.
    assert any(t.startswith("Everything works with the mouse alone") and t.endswith("mechanism behind it.")
               for t in texts)
    assert {"End turn", "Objectives", "News of {quarter}", "{v} t", "China"} <= texts


def test_every_window_text_has_a_japanese_entry():
    ja = table("ja")
    missing = sorted(t for t in ui_texts() if t not in ja)
    assert not missing, (f"{len(missing)} text(s) missing from assets/strings/ja.toml:\n"
                         + "\n".join(f"  {t!r}" for t in missing))


def test_every_entry_keeps_the_fields_of_its_english():
    wrong = []
    for english, japanese in table("ja").items():
        en_names = {name for name, _ in fields(english)}
        ja_names = {name for name, _ in fields(japanese)}
        if en_names != ja_names:
            wrong.append(f"{english!r}: {sorted(en_names)} vs {sorted(ja_names)} in {japanese!r}")
        elif set(fields(english)) != set(fields(japanese)):
            wrong.append(f"{english!r}: format specs differ in {japanese!r}")
    assert not wrong, "\n".join(wrong)


def test_every_entry_formats_with_sample_values():
    for english, japanese in table("ja").items():
        values = sample_values(english)
        filled_en = english.format(**values)
        filled_ja = japanese.format(**values)
        assert "{" not in filled_ja and "}" not in filled_ja, (english, filled_ja)
        # Language.tr fills the same way and never falls back to the English for a good entry.
        if values:
            assert Language("ja").tr(english, **values) == filled_ja
            assert Language("en").tr(english, **values) == filled_en


def test_japanese_is_used_and_english_is_left_alone():
    assert Language("ja").tr("End turn") != "End turn"
    assert Language("en").tr("End turn") == "End turn"
    assert Language("ja").tr("Turn {n} of {total}", n=3, total=12) != "Turn 3 of 12"
    assert Language("ja").tr("a text nobody translated") == "a text nobody translated"


# --- the levels' notes ----------------------------------------------------------------------

FACT_ID = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")  # as game/ui/citations.py cites them


def level_files() -> list[Path]:
    return sorted((ROOT / "levels").glob("*.toml"))


def _notes(path: Path) -> dict:
    with path.open("rb") as f:
        return tomli.load(f).get("notes", {})


def test_there_are_notes_to_check():
    assert sum("what_happened" in _notes(p) for p in level_files()) >= 9


@pytest.mark.parametrize("path", level_files(), ids=lambda p: p.stem)
def test_what_happened_has_a_japanese_version_citing_the_same_facts(path):
    notes = _notes(path)
    if "what_happened" not in notes:
        pytest.skip("no what_happened note")
    japanese = notes.get("what_happened_ja", "")
    assert japanese.strip(), f"{path.name}: [notes] has what_happened but no what_happened_ja"
    cited = {fact for group in re.findall(r"\(([^)]*)\)", notes["what_happened"]) for fact in FACT_ID.findall(group)}
    assert cited, f"{path.name}: what_happened cites no fact ids"
    missing = sorted(cited - set(FACT_ID.findall(japanese)))
    assert not missing, f"{path.name}: what_happened_ja lacks the fact ids {missing}"


def test_an_english_possessive_of_a_name_ending_in_s_is_its_apostrophe_alone():
    """"Team United States's turn: pass the keyboard", "does not take United States's scrap".
    Japanese words possessives its own way and is left as it is."""
    from game.action_base import Said

    en, ja = Language("en"), Language("ja")
    assert en.tr("{team}'s turn: pass the keyboard", team="Team United States") \
        == "Team United States' turn: pass the keyboard"
    assert en.tr("{team}'s turn: pass the keyboard", team="Team Japan") == "Team Japan's turn: pass the keyboard"
    assert ja.tr("{team}'s turn: pass the keyboard", team="Team United States").startswith("Team United Statesの")
    said = Said("{recycler} does not take {nation}'s scrap", (("recycler", "Hitachi"), ("nation", "United States")))
    assert str(said) == "Hitachi does not take United States' scrap"
    assert said.worded(en.tr) == str(said)
    owners = [str(Said("{owner}'s floor", (("owner", name),))) for name in ("US magnet makers", "Lynas", "Japan")]
    assert owners == ["US magnet makers' floor", "Lynas' floor", "Japan's floor"]


def test_japanese_money_reads_as_the_bar_writes_it():
    # The Japanese window wrote "現金8百万ドル" beside "US$50M" on one screen.
    assert not [english for english, japanese in table("ja").items() if "百万ドル" in japanese]


#: Japanese that says something its English does not: the words -> what the English means.
MISREADINGS = {
    "前期": "last quarter (前期 reads as the previous fiscal period; 前四半期 is the quarter)",
    "許可を求める": "China makes exports subject to licences (it read as Beijing asking for permission)",
    "掘れる": "China's mines may dig (what their quota allows), not what they are able to dig",
}


def _strings_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings_in(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings_in(item)]
    return []


def test_japanese_says_what_the_english_says():
    """A play-test read "北京は…磁石の輸出に許可を求める" (Beijing asks permission, where the
    exports become licensed), "今年270,000トンを掘れる" (the English "may") and "前期" (the
    previous fiscal period, for last quarter)."""
    texts = list(table("ja").values())
    for path in level_files():
        with path.open("rb") as f:
            texts += _strings_in(tomli.load(f))
    found = {words: meaning for words, meaning in MISREADINGS.items() if any(words in text for text in texts)}
    assert not found, found


def test_japanese_tonnes_read_as_the_bar_writes_them():
    # The news read "250 t購入" beside the bar's "年600t", the levers "600 t/年", the supply
    # panel "600トン": a figure is followed by its "t" at once, a year's tonnes are "年600t".
    written_otherwise = re.compile(r"\} t(?![a-zA-Z])|\}\s*t/年|\}\s*トン")
    assert not [english for english, japanese in table("ja").items() if written_otherwise.search(japanese)]
