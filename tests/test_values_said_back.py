"""A value a file gave that is refused is said back in the file's own spelling: ``true``, not
Python's ``True``; a text quoted as TOML quotes it; an array or a table told by its size, not
dumped; a decimal number where a whole one was expected still a decimal one (``1e23``, not
``1e+23``, which reads as the form Python writes).

Each kind of file is given a boolean, a text and a table where it takes something else."""

from __future__ import annotations

import json

import pytest

from game.actions import action_from_dict
from game.quoting import said_back
from game.scenario import ScenarioError, levels_dir, load_level, load_strategy_file
from game.savefile import SaveError, load_text, save_text, sealed
from game.scenario.assumptions import AssumptionError, check_value, parse_setting, with_assumptions
from game.session import Session

#: TOML's spelling of a value, and how a refusal says it back.
WRONG_VALUES = [("true", "true"), ('"it\'s"', '"it\'s"'), ("'plenty'", "'plenty'"), ("{ a = 1, b = [1, 2] }", "a table of 2 keys")]
#: What Python writes of them, which no refusal may hold.
PYTHONS_SPELLINGS = ("True", "{'a'", "[1, 2]")


@pytest.mark.parametrize("value, said", [
    (True, "true"), (False, "false"), (None, "null"), ("abc", "'abc'"), ("it's", '"it\'s"'),
    ("a\x1bb", '"a\\u001bb"'), ([], "an empty array"), ([1, 2], "an array of 2 items"), ({"a": 1}, "a table of 1 key"),
    (3, "3"), (2010, "2010"), (30258, "30,258"), (3.0, "3.0"), (2.5, "2.5"), (1e23, "1e23"), (1e-7, "1e-7"), (10**23, "100,000,000,000,000,000,000,000"),
    (10**30, "a whole number of 31 digits"), (float("nan"), "NaN"), (float("-inf"), "-infinity"),
])
def test_a_value_is_said_back_as_a_file_writes_it(value, said):
    assert said_back(value) == said


@pytest.mark.parametrize("toml, said", WRONG_VALUES)
@pytest.mark.parametrize("field", ["tonnes", "material"])
def test_a_strategy_files_refused_value_is_said_back_in_tomls_spelling(tmp_path, toml, said, field):
    values = {"tonnes": "600", "material": '"ndpr"', field: toml}
    strategy = tmp_path / "strategy.toml"
    strategy.write_text('[[turn]]\nquarter = "2010Q4"\nactions = [{ kind = "release_stockpile", '
                        f'material = {values["material"]}, tonnes = {values["tonnes"]} }}]\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as refused:
        load_strategy_file(strategy)
    [problem] = refused.value.problems
    assert problem.key == "turn[0].actions[0]", problem
    assert problem.message.endswith(f"got {said}") or f"material {said} (" in problem.message, problem.message
    assert not any(spelling in problem.message for spelling in PYTHONS_SPELLINGS), problem.message


@pytest.mark.parametrize("years, said", [(1e23, "1e23"), (3.0, "3.0"), (1e15, "1e15"), (10**16, "10,000,000,000,000,000")])
def test_an_actions_whole_number_is_said_back_as_the_kind_of_number_given(years, said):
    with pytest.raises(ValueError) as refused:
        action_from_dict({"kind": "invest_in_project", "project": "lynas-expansion", "amount_musd": 100, "years": years})
    assert str(refused.value).endswith(f"got {said}"), refused.value


@pytest.mark.parametrize("amount, said", [(1e23, "1e23"), (10**400, "a whole number of 401 digits")])
def test_an_actions_number_past_its_bound_is_said_back_as_given(amount, said):
    with pytest.raises(ValueError) as refused:
        action_from_dict({"kind": "invest_in_project", "project": "lynas-expansion", "amount_musd": amount})
    assert str(refused.value).endswith(f"got {said}"), refused.value


@pytest.mark.parametrize("toml, said", WRONG_VALUES)
@pytest.mark.parametrize("assumption", ["loss_quarters_to_mothball", "stock_credit_share", "offtake_years"])
def test_a_levels_refused_assumption_is_said_back_in_tomls_spelling(tmp_path, toml, said, assumption):
    level = tmp_path / "my-level.toml"
    level.write_text((levels_dir() / "2010-trawler.toml").read_text(encoding="utf-8")
                     + f"\n[assumptions]\n{assumption} = {toml}\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as refused:
        load_level(level)
    [problem] = [p for p in refused.value.problems if p.key.startswith("assumptions")]
    assert problem.key == f"assumptions.{assumption}" and problem.message.endswith(f"got {said}"), problem
    assert not any(spelling in problem.message for spelling in PYTHONS_SPELLINGS), problem.message


def test_a_levels_whole_number_out_of_range_is_said_back_grouped_as_the_others(tmp_path):
    """A level's whole number past its bounds was said back ungrouped ("got 1000000"), where
    every other refusal groups a number of five digits or more."""
    text = (levels_dir() / "2010-trawler.toml").read_text(encoding="utf-8")
    assert "\nstar = 1\n" in text
    level = tmp_path / "my-level.toml"
    level.write_text(text.replace("\nstar = 1\n", "\nstar = 1000000\n", 1), encoding="utf-8")
    with pytest.raises(ScenarioError) as refused:
        load_level(level)
    [problem] = [p for p in refused.value.problems if p.key == "objectives[0].star"]
    assert problem.message.endswith("got 1,000,000"), problem


def _problems_of_trawler_with(tmp_path, line: str, instead: str) -> list:
    """The problems a copy of 2010-trawler's level file is refused with, one ``line`` of it
    written ``instead``."""
    text = (levels_dir() / "2010-trawler.toml").read_text(encoding="utf-8")
    assert line in text
    level = tmp_path / "my-level.toml"
    level.write_text(text.replace(line, instead, 1), encoding="utf-8")
    with pytest.raises(ScenarioError) as refused:
        load_level(level)
    return refused.value.problems


@pytest.mark.parametrize("toml, said", [("1e300", "1e300"), ("3000000000000000000000", "3,000,000,000,000,000,000,000"),
                                        ("1e-9", "1e-9")])
def test_a_levels_number_out_of_range_is_said_back_as_written(tmp_path, toml, said):
    """A level's own number past its bounds read "got 1e+300", and a whole number "got 3e+21"."""
    problems = _problems_of_trawler_with(tmp_path, "\ntonnes_per_year = 30258\n", f"\ntonnes_per_year = {toml}\n")
    [problem] = [p for p in problems if p.key == "events[0].tonnes_per_year"]
    assert problem.message.endswith(f"got {said}"), problem


@pytest.mark.parametrize("typed, said", [("true", "true"), ("plenty", "'plenty'"), ("{a = 1}", "a table of 1 key"),
                                         ("1e23", "1e23"), ("3.0", "3.0"), ("nan", "NaN")])
def test_a_refused_set_is_said_back_as_typed(typed, said):
    with pytest.raises(AssumptionError) as refused:
        parse_setting(f"assumptions.loss_quarters_to_mothball={typed}")
    assert refused.value.message.endswith(f"got {said}"), refused.value.message


def test_a_whole_number_assumption_past_its_bound_is_said_back_whole():
    with pytest.raises(AssumptionError) as refused:
        check_value("loss_quarters_to_mothball", 10**23)
    assert refused.value.message.endswith("got 100,000,000,000,000,000,000,000"), refused.value.message


@pytest.fixture(scope="module")
def saved() -> dict:
    """A save of one quarter played, as its JSON reads."""
    session = Session(load_level(levels_dir() / "2010-trawler.toml"), seed=1)
    session.open_turn()
    session.end_turn()
    return json.loads(save_text(session, "2010-trawler"))


@pytest.mark.parametrize("value, said", [(True, "true"), ("5", "'5'"), ({"a": 1}, "a table of 1 key"), (1e23, "1e23"),
                                         (2.0, "2.0")])
@pytest.mark.parametrize("field", ["seed", "turns_played", "quarter"])
def test_a_saves_refused_value_is_said_back_in_jsons_spelling(saved, field, value, said):
    data = {key: item for key, item in saved.items() if key != "checksum"}
    data[field] = value
    with pytest.raises(SaveError) as refused:
        load_text(sealed(data))
    assert str(refused.value).endswith(f"got {said}"), refused.value
    assert not any(spelling in str(refused.value) for spelling in PYTHONS_SPELLINGS), refused.value


@pytest.mark.parametrize("toml, said", WRONG_VALUES)
def test_a_strategy_files_refused_quarter_is_said_back_in_tomls_spelling(tmp_path, toml, said):
    strategy = tmp_path / "strategy.toml"
    strategy.write_text(f'[[turn]]\nquarter = {toml}\nactions = [{{ kind = "hold_talks", partner = "CHN" }}]\n',
                        encoding="utf-8")
    with pytest.raises(ScenarioError) as refused:
        load_strategy_file(strategy)
    [problem] = refused.value.problems
    assert problem.key == "turn[0].quarter" and problem.message.endswith(f"got {said}"), problem


@pytest.mark.parametrize("toml, said", [("2010-09-07", "the date 2010-09-07"), ("12:00:00", "the time 12:00:00"),
                                        ("2010-09-07T12:00:00", "the date and time 2010-09-07T12:00:00")])
def test_a_levels_unquoted_date_is_said_back_as_written(tmp_path, toml, said):
    """An event's date TOML reads as a date, not a text, was refused "got an unquoted TOML date"
    without saying which."""
    problems = _problems_of_trawler_with(tmp_path, '\ndate = "2010-09-07"\n', f"\ndate = {toml}\n")
    [problem] = [p for p in problems if p.key.endswith(".date")]
    assert f"got {said} " in problem.message and "in quotes" in problem.message, problem


@pytest.mark.parametrize("overrides, said", [(True, "true"), ("plenty", "'plenty'"), ([1, 2], "an array of 2 items"),
                                             (3.0, "3.0"), (float("nan"), "NaN")])
def test_overrides_that_are_not_a_table_are_said_back(overrides, said):
    """Overrides that were not a table were refused by their type alone ("got true/false")."""
    with pytest.raises(AssumptionError) as refused:
        with_assumptions(load_level(levels_dir() / "2010-trawler.toml"), overrides)
    assert refused.value.key == "assumptions" and refused.value.message.endswith(f"got {said}"), refused.value.message


@pytest.mark.parametrize("value, said", [({"a": 1}, "キー1個の表"), ({"a": 1, "b": 2}, "キー2個の表"), ({}, "空の表"),
                                         ([1, 2], "要素2個の配列"), ([], "空の配列")],
                         ids=["table-of-1", "table-of-2", "empty-table", "array-of-2", "empty-array"])
def test_a_saves_refused_value_is_said_in_japanese(saved, value, said):
    """The Load screen said a save's seed of {"a": 1} in Japanese with the value's words in
    English: （実際はa table of 1 key）."""
    from game.ui.strings import Language

    data = {key: item for key, item in saved.items() if key != "checksum"}
    data["seed"] = value
    with pytest.raises(SaveError) as refused:
        load_text(sealed(data))
    assert refused.value.said(Language("ja").tr).endswith(f"（実際は{said}）"), refused.value.said(Language("ja").tr)


@pytest.mark.parametrize("value, said", [([1], "要素1個の配列"), (float("nan"), "非数（NaN）"), (float("inf"), "無限大"),
                                         (float("-inf"), "負の無限大"), (10**30, "31桁の整数"), (-10**30, "31桁の負の整数"),
                                         (10**20000, "約20,001桁の整数")],
                         ids=["array", "nan", "infinity", "-infinity", "digits", "negative-digits", "about-digits"])
def test_what_a_refusal_says_of_a_value_has_japanese_words(value, said):
    from game.ui.strings import Language

    refused = SaveError("save's seed must be a whole number from 0 to 2^63-1, got {seed}", seed=said_back(value))
    assert refused.said(Language("ja").tr).endswith(f"（実際は{said}）"), refused.said(Language("ja").tr)
    assert refused.said(Language("en").tr) == str(refused) and str(refused).endswith(f"got {said_back(value)}")
