"""The workshop's printable handouts (game.workshop.handouts): a role card per role and the
facilitator's guide for every shipped level, in English and Japanese, self-contained, the same
bytes on every run, and one printed A4 page per card in headless Chromium."""

from __future__ import annotations

import re
from functools import cache
from html import escape

import pytest
from browser import chromium_or_skip, pdf_page_sizes, print_pdf, render

from game.action_base import ACTION_TYPES
from game.scenario import find_level, load_level, shipped_level_paths
from game.scenario.roles_file import load_roles
from game.ui.strings import Language, table
from game.workshop.handouts import (
    AGENDAS,
    HOTSEAT_TEAMS,
    MIN_MINUTES_PER_TURN,
    PLAY,
    HandoutError,
    agenda,
    handouts_html,
    hotseat_plan,
    lever_explanation,
    turns_played,
    without_citations,
    write_handouts,
)
from game.workshop.roles import budget_of, levers_of, objectives_of

LEVELS = [path.stem for path in shipped_level_paths()]
LANGUAGES = ("en", "ja")
A4_POINTS = (595.3, 841.9)
_CARD = re.compile(r'<section class="card" id="role-([a-z]+)">(.*?)</section>', re.DOTALL)


@cache
def pages(level: str, language: str) -> tuple[str, str]:
    """The level's role cards and guide in one language (made once per test run)."""
    made = handouts_html(level, language)
    return made[f"{level}-role-cards-{language}.html"], made[f"{level}-facilitator-guide-{language}.html"]


def cards_by_code(cards_html: str) -> dict[str, str]:
    return {code.upper(): card for code, card in _CARD.findall(cards_html)}


def shown(text: str) -> str:
    """A text as the page writes it."""
    return escape(text)


# --- the files ---------------------------------------------------------------------------------


def test_there_are_shipped_levels_and_roles():
    assert len(LEVELS) >= 9 and "2010-trawler" in LEVELS
    assert [role.code for role in load_roles().roles][:2] == ["JPN", "CHN"]


@pytest.mark.parametrize("level", LEVELS)
def test_every_shipped_level_gets_cards_and_a_guide_in_both_languages(level, tmp_path):
    written = write_handouts(level, tmp_path)
    assert [path.name for path in written] == [f"{level}-{kind}-{language}.html" for language in LANGUAGES
                                               for kind in ("role-cards", "facilitator-guide")]
    for path in written:
        page = path.read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
        assert f'<html lang="{path.stem[-2:]}">' in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_are_self_contained_and_print_on_a4(language):
    for page in pages("2010-trawler", language):
        assert "@page { size: A4;" in page
        assert "<script" not in page.lower() and "<link" not in page.lower() and "@import" not in page
        assert "url(" not in page and "http://" not in page and "https://" not in page  # no fonts or files to fetch
    cards, _ = pages("2010-trawler", language)
    assert "break-before: page" in cards


# --- the cards ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("level", LEVELS)
def test_each_card_holds_its_situation_goals_and_levers(level, language):
    scenario = load_level(find_level(level))
    roles = load_roles()
    words = Language(language)
    cards = cards_by_code(pages(level, language)[0])
    assert list(cards) == [role.code for role in roles.roles]  # one card a role, in the file's order
    for role in roles.roles:
        card = cards[role.code]
        assert shown(role.name[language]) in card
        assert shown(role.situation[language]) in card
        objectives = objectives_of(role, scenario)
        for objective in objectives:
            assert shown(without_citations(objective.text[language])) in card, (role.code, objective.id)
        assert card.count("<li>") == len(objectives)
        levers = levers_of(role, scenario)
        assert levers, role.code
        for kind in levers:
            label = words.tr(label_of(kind))
            assert shown(label) in card, (role.code, kind)
            assert shown(words.tr(lever_explanation(kind))) in card, (role.code, kind)
        assert card.count('<th scope="row">') == len(levers)
        budget = budget_of(role, scenario)
        assert (f"{budget:,.0f}" in card) if budget > 0 else ('class="budget"' not in card)


def label_of(kind: str) -> str:
    return ACTION_TYPES[kind].label


@pytest.mark.parametrize("level", LEVELS)
def test_japanese_cards_leave_no_lever_in_english(level):
    scenario = load_level(find_level(level))
    cards = cards_by_code(pages(level, "ja")[0])
    for role in load_roles().roles:
        for kind in levers_of(role, scenario):
            assert shown(label_of(kind)) not in cards[role.code], (role.code, kind)
            assert shown(lever_explanation(kind)) not in cards[role.code], (role.code, kind)


def test_every_text_the_handouts_translate_has_a_japanese_entry(monkeypatch):
    monkeypatch.setattr(Language, "asked", set())
    for level in LEVELS:
        handouts_html(level, "ja")
    asked = Language.asked
    assert len(asked) > 40
    missing = sorted(text for text in asked if text not in table("ja"))
    assert not missing, "texts missing from assets/strings/ja.toml:\n" + "\n".join(f"  {t!r}" for t in missing)


def test_handouts_show_no_reference_ids():
    known_id = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
    for level in LEVELS:
        for language in LANGUAGES:
            for page in pages(level, language):
                assert not known_id.findall(page[page.index("<body>"):]), (level, language)


# --- the guide ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("level", LEVELS)
def test_the_guide_has_both_agendas_the_questions_and_every_event(level, language):
    scenario = load_level(find_level(level))
    roles = load_roles()
    guide = pages(level, language)[1]
    agendas = re.findall(r'<div class="agenda">(.*?)</div>', guide, re.DOTALL)
    assert len(agendas) == len(AGENDAS) == 2
    for found, (heading, _) in zip(agendas, AGENDAS, strict=True):
        assert shown(Language(language).tr(heading)) in found
    assert [sum(map(int, re.findall(r'<td class="minutes">(\d+)</td>', found))) for found in agendas] == [90, 180]
    for question in roles.questions:
        assert shown(question[language]) in guide
    for event in scenario.events:
        headline = event.headline_ja if language == "ja" and event.headline_ja else event.headline
        assert shown(without_citations(headline)) in guide, event.headline
    for role in roles.roles:
        assert shown(role.watch[language]) in guide and shown(role.bot[language]) in guide
    assert f"--level {level} " in guide


@pytest.mark.parametrize("level", LEVELS)
def test_each_agenda_plays_the_turns_in_order_at_a_workable_pace(level):
    scenario = load_level(find_level(level))
    for _, rows in AGENDAS:
        found, note = agenda(rows, scenario, Language("en"))
        assert [row.minutes for row in found] == [minutes for minutes, _ in rows]
        assert [row.start for row in found] == [sum(m for m, _ in rows[:k]) for k in range(len(rows))]
        played = [row for row, (_, text) in zip(found, rows, strict=True) if text == PLAY]
        assert all(row.turns for row in played)
        turns = [turn for row in played for turn in range(row.turns[0], row.turns[1] + 1)]
        assert turns == list(range(1, len(turns) + 1))  # every turn once, in order
        assert all(row.minutes / (row.turns[1] - row.turns[0] + 1) >= 3 for row in played)
        assert (len(turns) == scenario.n_turns) == (note == "")


@pytest.mark.parametrize("level", LEVELS)
def test_on_a_hot_seat_a_quarter_takes_every_team_s_turn(level):
    """The agendas gave 5 minutes a turn whatever the mode: on a hot seat the teams take their turns
    at one machine one after the other, so a quarter takes each team's minutes, and the same time
    plays fewer quarters the more teams there are."""
    scenario = load_level(find_level(level))
    words = Language("en")
    for _, rows in AGENDAS:
        at_once = turns_played(agenda(rows, scenario, words)[0])[0]
        fewer = at_once
        for teams in HOTSEAT_TEAMS:
            found, note = agenda(rows, scenario, words, teams_taking_turns=teams)
            turns = turns_played(found)[0]
            assert 0 < turns <= fewer, (teams, turns, fewer)
            played = [row for row in found if row.turns]
            assert all(row.minutes / (row.turns[1] - row.turns[0] + 1) >= MIN_MINUTES_PER_TURN * teams
                       for row in played)
            assert (turns == scenario.n_turns) == (note == "")
            fewer = turns


def test_the_guide_plans_a_hot_seat_by_its_number_of_teams():
    scenario = load_level(find_level("2010-trawler"))
    plan = dict(hotseat_plan(scenario, Language("en")))
    # teams at their own machines play the ten quarters of the 90 minutes; three at a hot seat, five
    assert turns_played(agenda(AGENDAS[0][1], scenario, Language("en"))[0])[0] == 10
    assert plan[3][0] == "turns 1 to 5 (2010Q3 to 2011Q3), about 10 min a quarter"
    for language in LANGUAGES:
        guide = pages("2010-trawler", language)[1]
        hotseat = re.search(r'<div class="hotseat">(.*?)</div>', guide, re.DOTALL).group(1)
        for teams, cells in hotseat_plan(scenario, Language(language)):
            assert f'<td class="teams">{teams}</td>' + "".join(f"<td>{shown(cell)}</td>" for cell in cells) in hotseat


# --- the same bytes ----------------------------------------------------------------------------


def test_handouts_are_the_same_bytes_on_every_run(tmp_path):
    first = write_handouts("2010-trawler", tmp_path / "a")
    second = write_handouts("2010-trawler", tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert handouts_html("2013-mud", "ja") == handouts_html("2013-mud", "ja")


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("level", "language", "named"), [
    ("no-such-level", "en", "no-such-level"),
    ("2010-trawler", "fr", "fr"),
])
def test_an_unknown_level_or_language_is_refused_in_one_line(level, language, named, tmp_path):
    with pytest.raises(HandoutError) as refused:
        handouts_html(level, language)
    message = str(refused.value)
    assert named in message and "\n" not in message
    with pytest.raises(HandoutError):
        write_handouts(level, tmp_path / "out", (language,))
    assert not (tmp_path / "out").exists()  # nothing written


def test_a_disk_that_fills_on_the_last_page_keeps_every_earlier_handout(tmp_path, monkeypatch, capsys):
    """It left three new handouts beside one of an earlier level, and said only that it failed."""
    import errno

    import game.whole_files
    from game.cli import main

    for name in ("2010-trawler-role-cards-en.html", "2010-trawler-facilitator-guide-en.html",
                 "2010-trawler-role-cards-ja.html", "2010-trawler-facilitator-guide-ja.html"):
        (tmp_path / name).write_text("earlier\n", encoding="utf-8")
    real_write_partial = game.whole_files._write_partial
    pages = []

    def fills_on_the_fourth(path, write, private=False):
        pages.append(path)
        if len(pages) == 4:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write_partial(path, write, private)

    monkeypatch.setattr(game.whole_files, "_write_partial", fills_on_the_fourth)
    assert main(["workshop", "handouts", "--level", "2010-trawler", "--out", str(tmp_path)]) == 1
    error = capsys.readouterr().err.strip()
    assert error == f"rare-earths workshop handouts: cannot write the handouts in {tmp_path}: No space left on device"
    assert len(pages) == 4
    assert sorted(p.read_text(encoding="utf-8") for p in tmp_path.iterdir()) == ["earlier\n"] * 4  # no partial left


def test_handout_error_is_a_value_error():
    assert issubclass(HandoutError, ValueError)


# --- in a browser ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium():
    return chromium_or_skip()


def longest_cards_level() -> str:
    """The level whose role cards say the most: the one most likely to spill onto a second page."""
    return max(LEVELS, key=lambda level: max(len(pages(level, language)[0]) for language in LANGUAGES))


def test_chromium_renders_the_japanese_cards(chromium, tmp_path):
    level = "2010-trawler"
    written = write_handouts(level, tmp_path, ("ja",))
    dom = render(written[0])
    roles = load_roles().roles
    assert dom.count('<section class="card"') == len(roles)
    for role in roles:
        assert f'id="role-{role.code.lower()}"' in dom
        assert escape(role.name["ja"], quote=False) in dom
        assert escape(role.situation["ja"], quote=False) in dom
    assert escape(Language("ja").tr("Your levers"), quote=False) in dom


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_printed_cards_are_one_a4_page_per_role(chromium, language, tmp_path):
    level = longest_cards_level()
    cards = write_handouts(level, tmp_path, (language,))[0]
    pdf = tmp_path / f"{cards.stem}.pdf"
    assert print_pdf(cards, pdf) == len(load_roles().roles)
    for width, height in pdf_page_sizes(pdf):
        assert width == pytest.approx(A4_POINTS[0], abs=2) and height == pytest.approx(A4_POINTS[1], abs=2)


def test_the_handouts_of_a_level_of_ones_own_go_by_its_id_and_its_guide_names_its_file(tmp_path):
    """A file "a.toml" of id "my-a" gave "a-role-cards-en.html", and its guide's commands read
    "--level a", which names no level."""
    import shutil

    from game.scenario import levels_dir
    from game.workshop.handouts import handouts_html

    text = (levels_dir() / "2010-trawler.toml").read_text(encoding="utf-8")
    own = tmp_path / "my folder" / "a.toml"
    own.parent.mkdir()
    shutil.copyfile(levels_dir() / "world-2010.toml", own.parent / "world-2010.toml")
    own.write_text(text.replace('id = "2010-trawler"', 'id = "my-a"', 1), encoding="utf-8")
    pages = handouts_html(str(own), "en")
    assert sorted(pages) == ["my-a-facilitator-guide-en.html", "my-a-role-cards-en.html"]
    assert f"--level &#x27;{own}&#x27;" in pages["my-a-facilitator-guide-en.html"]
    assert "--level 2010-trawler" in handouts_html("2010-trawler", "en")["2010-trawler-facilitator-guide-en.html"]


def test_the_facilitators_guide_says_how_a_class_goes_on_after_a_stop(tmp_path):
    """Neither guide said a stopped class could go on (``--resume``), for the hot seat or a server."""
    paths = write_handouts("2010-trawler", tmp_path)
    guides = [path for path in paths if "guide" in path.name]
    assert len(guides) == 2
    for path in guides:
        guide = path.read_text(encoding="utf-8")
        assert "workshop hotseat --resume" in guide and "workshop serve --resume" in guide
