"""What the levers did, or why they were refused, as the player reads it: names rather than
ids, and Japanese in Japanese.

Every shipped level is played with its history, the bot and every shipped strategy (seed 0);
each message must name nations, firms and projects by name (no project id, firm id or nation
code as a word), and its Japanese (``Game.action_text``) must hold no English beyond the names
and units kept as they are.
"""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import re
from functools import cache

import pytest
from test_strings import action_templates, refusal_templates

from game.actions import (
    BuyStockpile,
    FileWtoCase,
    FundDeepSea,
    FundRecycling,
    HoldTalks,
    ProposeOfftake,
    ReleaseStockpile,
    Said,
    SignPartnership,
)
from game.players import controller_for
from game.scenario import find_level, levels_dir, load_level, shipped_level_paths
from game.session import Session
from game.ui.play import Game
from game.ui.strings import Language, table
from game.vocab.materials import Material

LEVELS = [path.stem for path in shipped_level_paths()]
#: Each level with history, the bot and the shipped strategies written for it (named after it:
#: a strategy's turns outside a level's dates are refused, not dropped).
PLAYS = [(level, strategy) for level in LEVELS
         for strategy in ("history", "bot", *sorted(p.stem for p in (levels_dir() / "strategies").glob(f"{level}-*.toml")))]

#: What Japanese text keeps in Latin letters: oxides, dollars (US$12M, US$68/kg), tonnes, the
#: WTO and quarters (2013Q1), as the rest of ja.toml does.
KEPT = re.compile(r"US\$[\d,.]+(?:M|/kg)?|NdPr|Dy/Tb|Ce/La|WTO|\d{4}Q[1-4]|(?<![A-Za-z])t(?![A-Za-z])")

JA = Language("ja")


@cache
def played(level: str, strategy: str) -> Game:
    scenario = load_level(find_level(level))
    game = Game(level, session=Session(scenario, controller_for(strategy, scenario), seed=0))
    game.session.run()
    return game


def ids_and_codes(game: Game) -> re.Pattern:
    """Any project id, firm id or nation code of the game's world, as a word."""
    world = game.world
    names = set(world.projects) | {f.firm_id for f in world.firm_list} | set(world.nation_codes)
    words = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{words})(?![\w-])")


def english_left(game: Game, text: str) -> list[str]:
    """Latin letters in a Japanese text that are neither kept (KEPT) nor part of a name: the
    Japanese names of nations and firms, or a firm's English name where it has none."""
    world = game.world
    names = {n.name_ja or n.name for n in world.nation_list}
    names |= {getattr(f, "name_ja", "") or f.name for f in world.firm_list}
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    return re.findall(r"[A-Za-z][A-Za-z'/&-]*", KEPT.sub(" ", text))


def templates_of(said: Said) -> set[str]:
    return {said.template} | {t for _, v in said.fields if isinstance(v, Said) for t in templates_of(v)}


def check_record(game: Game, record) -> None:
    assert isinstance(record.said, Said) and record.message == str(record.said)
    assert templates_of(record.said) <= action_templates(), "a template tests/test_strings.py does not see"
    found = ids_and_codes(game).findall(record.message)
    assert not found, f"{record.message!r} shows {found}"
    japanese = game.action_text(record, "ja", JA.tr)
    assert not english_left(game, japanese), f"{record.message!r} -> {japanese!r}"
    assert game.action_text(record, "en", JA.tr) == record.message


@pytest.mark.parametrize(("level", "strategy"), PLAYS)
def test_messages_name_things_and_read_in_japanese(level, strategy):
    game = played(level, strategy)
    for record in game.session.actions:
        check_record(game, record)


def test_the_levels_take_many_kinds_of_action():
    kinds = {r.action.kind for level, strategy in PLAYS for r in played(level, strategy).session.actions if r.accepted}
    assert {"invest_in_project", "file_wto_case", "hold_talks", "refinance_supplier", "fund_deep_sea"} <= kinds


def test_the_names_replace_the_ids():
    game = played("2010-trawler", "history")
    invest = next(r for r in game.session.actions if r.action.kind == "invest_in_project")
    firm = game.world.firm(game.world.projects[invest.action.project].firm)
    assert firm.name in invest.message and invest.action.project not in invest.message
    assert firm.name_ja in game.action_text(invest, "ja", JA.tr)
    assert dict(invest.said.fields)["project_id"] == invest.action.project  # the id is kept, not shown


@pytest.fixture
def sandbox():
    game = Game("sandbox", seed=0)
    yield game
    game.close()


REFUSED = [
    BuyStockpile(Material.NDPR, 1e6, 1000.0),  # over budget
    ReleaseStockpile(Material.DYTB, 1e6),
    HoldTalks("JPN"),
    SignPartnership("CHN"),
    FundRecycling("baotou-separation", 10.0),
    FundRecycling("hitachi-recycling", 0.0),
    ProposeOfftake("lynas-lamp", Material.NDPR, 100.0, 30, 50.0),
]


@pytest.mark.parametrize("action", REFUSED, ids=lambda a: a.kind)
def test_a_refusal_is_worded_in_japanese(sandbox, action):
    record = sandbox.submit(action)
    assert not record.accepted
    check_record(sandbox, record)
    assert sandbox.action_text(record, "ja", JA.tr) != record.message


def test_refusals_for_want_of_capital_and_of_a_stage_are_worded_in_japanese(sandbox):
    first = sandbox.submit(FundDeepSea())
    assert first.accepted, first.message
    again = sandbox.submit(FundDeepSea())
    assert not again.accepted and "under way" in again.message
    check_record(sandbox, again)
    sandbox.world.nation("JPN").political_capital = 0.0
    poor = sandbox.submit(FileWtoCase("CHN"))
    assert not poor.accepted and "political capital" in poor.message
    check_record(sandbox, poor)
    assert "政治資本" in sandbox.action_text(poor, "ja", JA.tr)


def test_a_sellers_answer_is_worded_in_japanese_reason_and_all(trawler):
    """Refused, countered, accepted (as tests/test_levers.py bargains with IREL in 2010)."""
    game = Game("2010-trawler", session=Session(trawler, seed=0))
    world = game.world
    world.nation("JPN").political_capital = 12.0
    irel = world.firm("irel-separation")
    irel.output_t = irel.capacity_per_turn
    lowball = game.submit(ProposeOfftake("irel-separation", Material.NDPR, 200.0, 5, 1.0))
    floor = float(world.offtakes.proposals[-1][-1].reason.split("US$")[1].split("/kg")[0])
    close = game.submit(ProposeOfftake("irel-separation", Material.NDPR, 200.0, 5, floor + 0.5))
    generous = game.submit(ProposeOfftake("irel-separation", Material.NDPR, 200.0, 5, 500.0, round=7))
    assert [r.action for *_, r in world.offtakes.proposals] == ["refuse", "counter", "accept"]
    worded = {}
    for record in (lowball, close, generous):
        assert record.accepted, record.message
        check_record(game, record)
        worded[record] = game.action_text(record, "ja", JA.tr)
        assert worded[record].startswith(irel.name_ja)
    assert "拒否" in worded[lowball] and "を下回る価格では売りません" in worded[lowball]
    assert "対案" in worded[close] and "応じられます" in worded[close]
    assert "受諾" in worded[generous]
    game.close()


def test_a_lever_not_unlocked_says_so_in_japanese():
    game = Game("2010-trawler", seed=0)
    try:
        assert "fund_deep_sea" not in game.scenario.unlocked_actions
        record = game.submit(FundDeepSea())
        assert not record.accepted and "not unlocked" in record.message
        check_record(game, record)
        assert JA.tr(FundDeepSea.label) in game.action_text(record, "ja", JA.tr)
    finally:
        game.close()


#: A colon between words (English ":", Japanese "："), outside a template's {fields}.
COLON = re.compile(r"[:：]")


def without_fields(template: str) -> str:
    return re.sub(r"\{[^{}]*\}", "", template)


def test_every_refusal_reads_as_one_sentence_after_refused():
    """The window shows "Refused: {reason}": a reason with a colon of its own read "Refused: talks
    with China would ease nothing: tension is at its usual level", in Japanese as well."""
    refusals = refusal_templates()
    assert len(refusals) > 30 and refusals <= action_templates()
    japanese = table("ja")
    with_colons = sorted(t for t in refusals if COLON.search(without_fields(t))
                         or COLON.search(without_fields(japanese.get(t, ""))))
    assert not with_colons


def test_a_refusal_for_talks_that_ease_nothing_has_one_colon(sandbox):
    world = sandbox.world
    for a, b in (("CHN", "JPN"), ("JPN", "CHN")):  # tension at its baseline: talks would ease nothing
        world.nation(a).tension[b] = world.nation(a).baseline_tension.get(b, 0.0)
    record = sandbox.submit(HoldTalks("CHN"))
    assert not record.accepted and dict(record.said.fields)["partner_code"] == "CHN"
    for language in (Language("en"), JA):
        shown = language.tr("Refused: {reason}", reason=sandbox.action_text(record, language.code, language.tr))
        assert len(COLON.findall(shown)) == 1, shown
