"""The class's debrief page (game.workshop.report): every game's results role by role, charts
against history and the real figures, each team's turning points, where games of one scenario
part ways, the questions and the sources; broken files named and left out; one self-contained
page, the same bytes on every run, in English and Japanese, as headless Chromium shows it."""

from __future__ import annotations

import json
import re
from html import escape

import pytest
from browser import chromium_or_skip, pdf_page_sizes, print_pdf, render

from game.research.runner import scenario_for
from game.scenario.reference import facts
from game.scenario.roles_file import load_roles
from game.ui.strings import Language, table
from game.workshop import report
from game.workshop.classroom import Workshop
from game.workshop.figures import FIGURES
from game.workshop.report import ReportError, report_html, write_report
from game.workshop.results import results_of, write_results

LEVEL = "2010-trawler"  # ten quarters: a game takes about 0.15 s
SEED = 7
CODE = "TEST-CODE"
A4_POINTS = (595.3, 841.9)
INVEST = {"kind": "invest_in_project", "project": "lamp-phase1", "amount_musd": 50.0, "offtake_tpy": 1000.0,
          "years": 10, "price_usd_per_kg": 0.0, "materials": []}
RELEASE = {"kind": "release_stockpile", "material": "ndpr", "tonnes": 300.0}
EMBARGO = {"kind": "impose_embargo", "partner": "JPN", "materials": ["ndpr", "dytb", "cela"]}
#: A title a page must escape.
AWKWARD_TITLE = 'Fuji <again> & "co"'


def play(title: str, roles: tuple[str, ...], moves: dict[tuple[str, str], list[dict]], code: str = CODE) -> dict:
    """A workshop game to its end: each team makes its ``moves[(quarter, role)]``, then finishes."""
    teams = {role: f"{title} {role}" for role in roles}
    workshop = Workshop(scenario_for(LEVEL, {}), SEED, roles, code=code, teams=teams)
    workshop.start()
    while not workshop.is_over:
        quarter = str(workshop.quarter)
        for role in workshop.roles:
            for action in moves.get((quarter, role), ()):
                assert workshop.submit(role, action).accepted
        for role in workshop.roles:
            if workshop.finish(role):
                break
    return results_of(workshop, title)


@pytest.fixture(scope="module")
def games() -> dict[str, dict]:
    """A: Japan alone, investing in Lynas; B: the same actions (and the same code); C: the same
    first quarter, then a stockpile release; D: a class as Japan and China, with an embargo."""
    return {
        "A": play("Team Fuji", ("JPN",), {("2010Q3", "JPN"): [INVEST]}),
        "B": play(AWKWARD_TITLE, ("JPN",), {("2010Q3", "JPN"): [INVEST]}),
        "C": play("Team Sakura", ("JPN",), {("2010Q3", "JPN"): [INVEST], ("2010Q4", "JPN"): [RELEASE]}),
        "D": play("Class 3B", ("JPN", "CHN"), {("2010Q3", "CHN"): [EMBARGO]}, code=""),
    }


@pytest.fixture(scope="module")
def files(games, tmp_path_factory) -> list:
    folder = tmp_path_factory.mktemp("results")
    return [write_results(folder / f"{letter}.json", data) for letter, data in games.items()]


@pytest.fixture(scope="module")
def pages(games) -> dict[str, str]:
    results = list(games.values())
    return {language: report_html(results, [], language) for language in ("en", "ja")}


def section(page: str, heading: str, language: str = "en") -> str:
    """The part of the page from a heading to the next one of its rank."""
    start = page.index(f"<h2>{escape(Language(language).tr(heading))}</h2>")
    end = page.find("<h2>", start + 4)
    return page[start:end if end > 0 else len(page)]


def row_cells(page: str, game: str, role: str) -> str:
    """A role table's row of a game, without its first cell (the game's name)."""
    row = re.search(rf'<tr data-game="{game}" data-role="{role}"><td>.*?</td>(.*?)</tr>', page)
    assert row, (game, role)
    return row.group(1)


# --- what the page holds ----------------------------------------------------------------------


def test_the_page_has_a_row_per_game_per_role(games, pages):
    page = pages["en"]
    for letter, data in zip("ABCD", games.values(), strict=True):
        for code, nation in data["nations"].items():
            cells = row_cells(page, letter, code)
            assert f"{float(nation['score']):.0f}" in cells
            assert cells.count("✓") == sum(o["met"] for o in nation["objectives"])
            assert cells.count("✗") == sum(not o["met"] for o in nation["objectives"])
            for objective in nation["objectives"]:
                assert escape(objective["text"]["en"]) in page
    team = games["D"]["nations"]["CHN"]["team"]
    assert escape(team) in row_cells(page, "D", "CHN")
    assert escape(Language("en").tr(report.DOCTRINE)) in row_cells(page, "A", "CHN")


def test_an_objective_a_game_ended_before_reads_not_measured_rather_than_failed():
    """A game the facilitator ended early showed every end-of-level objective as ✗ "2012Q4 not
    reached yet"; and so do the files saved before the game said so, which the page can tell
    from their ended_early."""
    workshop = Workshop(scenario_for(LEVEL, {}), SEED, ("JPN", "AUS"), teams={"AUS": "Perth"})
    workshop.start()
    for _ in range(3):
        for role in workshop.roles:
            workshop.finish(role)
    workshop.end()
    data = results_of(workshop, "Ended")
    older = json.loads(json.dumps(data))  # as this game's files said it before
    for objective in older["nations"]["AUS"]["objectives"]:
        objective["reason"] = "2012Q4 not reached yet"
    for results in (data, older):
        for language in ("en", "ja"):
            cells = row_cells(report_html([results], [], language), "A", "AUS")
            assert "✗" not in cells and cells.count("–") == 3, language
            assert escape(Language(language).tr("not measured: the game ended after {quarter}", quarter="2011Q1")) \
                in cells


def test_an_unfinished_game_s_objectives_read_as_the_game_reads_them():
    """A class saved part-way marked its objectives nothing had judged yet ✗ ("2012Q4 not
    reached yet") where the game's own list marks them ○, and China's read "value 692 in
    2010Q3, threshold on average at least 700" beside "at least US$700M a quarter"."""
    workshop = Workshop(scenario_for(LEVEL, {}), SEED, ("JPN", "CHN", "USA"))
    workshop.start()
    for role in workshop.roles:
        workshop.finish(role)
    data = results_of(workshop, "Part-way")
    for language in ("en", "ja"):
        page = report_html([data], [], language)
        for role in ("JPN", "USA"):
            verdicts = data["nations"][role]["objectives"]
            waiting = [v for v in verdicts if v["reason"].endswith(" not reached yet")
                       or v["reason"] == report.SPAN_NOT_PLAYED]
            cells = row_cells(page, "A", role)
            assert waiting and cells.count("○") == len(waiting), (language, role, cells)
            assert cells.count("✗") == sum(not v["met"] for v in verdicts) - len(waiting), (language, role, cells)
        earnings = next(v for v in data["nations"]["CHN"]["objectives"] if v["id"] == "china-earnings")
        value = Language(language).tr("US${v:,.0f}M", v=earnings["value"])
        cells = row_cells(page, "A", "CHN")
        assert value in cells and "US$700M" in cells, (language, cells)
        if language == "en":
            assert f"value {value} in 2010Q3, threshold on average at least US$700M" in cells, cells


def test_a_share_objective_reads_in_percent_and_a_figure_alike_in_every_cell():
    """"at least 3% of the world's ore" read "value 0.025 in 2012Q4, threshold at least 0.03", and
    the same Australian figure was 0.025 beside the 3% goal and 0.03 beside the 5% one."""
    workshop = Workshop(scenario_for(LEVEL, {}), SEED, ("JPN", "AUS"))
    workshop.start()
    while not workshop.is_over:
        for role in workshop.roles:
            workshop.finish(role)
    workshop.rows["AUS"][-1]["world_mining_share"] = 0.0254  # the play-test's Australia
    data = results_of(workshop, "Shares")
    for language in ("en", "ja"):
        cells = row_cells(report_html([data], [], language), "A", "AUS")
        if language == "en":
            assert "value 2.5% in 2012Q4, threshold at least 3%" in cells
            assert "value 2.5% in 2012Q4, threshold at least 5%" in cells
        assert cells.count("2.5%") == 2 and "0.0" not in cells and "0.03" not in cells, language
    older = json.loads(json.dumps(data))  # saved before the file held the figures: the reason's own
    for objective in older["nations"]["AUS"]["objectives"]:
        for key in ("value", "threshold", "indicator"):
            objective.pop(key, None)
    cells = row_cells(report_html([older], [], "en"), "A", "AUS")
    assert "threshold at least 3%" in cells and "threshold at least 5%" in cells and "0.0" not in cells


def test_the_header_pairs_each_scenario_code_with_its_seed():
    """Codes and seeds were listed each in its own order: "scenario code A, scenario code B ·
    seed 1, seed 9" for A with seed 9 and B with seed 1."""
    games = []
    for code, seed in (("B-CODE", 1), ("A-CODE", 9), ("", 4)):
        workshop = Workshop(scenario_for(LEVEL, {}), seed, ("JPN",), code=code)
        workshop.start()
        workshop.finish("JPN")
        workshop.end()
        games.append(results_of(workshop, code))
    meta = re.search(r'<p class="meta">(.*?)</p>', report_html(games, [], "en")).group(1)
    assert "scenario code A-CODE (seed 9), scenario code B-CODE (seed 1), no scenario code (seed 4)" in meta


def test_the_charts_show_each_game_history_and_the_real_figures(pages):
    page = pages["en"]
    charts = dict(re.findall(r'<figure data-chart="([^"]+)">(.*?)</figure>', page, re.DOTALL))
    japan = [f"JPN:{column}" for column in report.JAPAN_CHARTS]
    assert set(japan) <= set(charts)
    assert any(key.startswith("CHN:") for key in charts), "China's team gets a chart of its own"
    for key in japan:
        svg = charts[key]
        assert svg.count("<polyline") >= 5, key  # four games and the history line
        assert escape(report.HISTORY_LINE) in svg
        for letter in "ABCD":
            assert f">{letter}: " in svg
    for key in ("JPN:japan_china_share", "JPN:price_ndpr_japan"):
        assert escape(report.REAL) in charts[key], key  # the reference has figures for these
        assert charts[key].count('class="real"') >= 2  # in the legend, and at least one figure


def test_the_page_has_the_questions_and_the_sources(pages):
    page = pages["en"]
    questions = section(page, report.QUESTIONS)
    for question in load_roles().questions:
        assert escape(question["en"]) in questions
    sources = section(page, report.SOURCES)
    scenario = scenario_for(LEVEL, {})
    assert scenario.sources
    for fact_id in scenario.sources:
        assert escape(facts()[fact_id].source) in sources
    cited = {int(n) for n in re.findall(r'href="#source-(\d+)"', page)}
    listed = {int(n) for n in re.findall(r'<li id="source-(\d+)"', sources)}
    assert cited and cited <= listed


def test_each_team_has_its_turning_points(games, pages):
    page = section(pages["en"], report.TURNING_POINTS)
    for letter, data in zip("ABCD", games.values(), strict=True):
        for code in data["roles"]:
            assert f'<div class="team" data-game="{letter}" data-role="{code}">' in page
    team_a = re.search(r'data-game="A" data-role="JPN">(.*?)</div>', page, re.DOTALL).group(1)
    quarters = re.findall(r'<tr data-quarter="(\d{4}Q\d)">', team_a)
    assert 2 <= len(quarters) <= 3 and quarters == sorted(quarters)
    assert "2010Q4" in quarters  # the halt: where Japan's output index falls most
    assert escape(games["A"]["actions"][0]["message"]) in team_a  # its 2010Q3 action, the quarter before


# --- the games compared -----------------------------------------------------------------------


def test_the_same_actions_give_identical_tables(games, pages):
    same = {k: v for k, v in games["A"].items() if k not in ("title", "nations", "actions")}
    again = {k: v for k, v in games["B"].items() if k not in ("title", "nations", "actions")}
    assert same == again
    for language, page in pages.items():
        for code in games["A"]["nations"]:
            if code != "JPN":  # the team's name is its own
                assert row_cells(page, "A", code) == row_cells(page, "B", code), (language, code)
        differences = section(page, report.DIFFERENCES, language)
        assert '<li data-games="A B" data-same="1">' in differences


def test_different_actions_are_compared_from_the_first_quarter_they_differ(games, pages):
    differences = section(pages["en"], report.DIFFERENCES)
    item = re.search(r'<li data-games="A C" data-first-difference="(\w+)">(.*?)</li>\s*</ul>', differences, re.DOTALL)
    assert item and item.group(1) == "2010Q4"
    release = next(e for e in games["C"]["actions"] if e["action"]["kind"] == "release_stockpile")
    assert escape(release["message"]) in item.group(2)
    assert escape(games["A"]["actions"][0]["message"]) not in item.group(2)  # the common first quarter is not repeated
    # D played with other teams and no code: another scenario, not compared with A.
    assert 'data-games="A D"' not in differences


# --- broken files -----------------------------------------------------------------------------


def test_broken_foreign_and_other_level_files_are_named_and_left_out(files, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "rare-earths-workshop-results", "version": 1, "title": 3', encoding="utf-8")
    foreign = tmp_path / "foreign.json"
    foreign.write_text(json.dumps({"version": 3, "level": LEVEL, "seed": 1}), encoding="utf-8")
    other = json.loads(files[0].read_text(encoding="utf-8"))
    other["level"] = "2012-wto"
    other_level = write_results(tmp_path / "other.json", other)
    missing = tmp_path / "missing.json"
    out, skipped = write_report([broken, files[0], foreign, other_level, missing, files[1], files[0]],
                                tmp_path / "report.html")
    reasons = dict(skipped)
    assert list(reasons) == [str(broken), str(foreign), str(other_level), str(missing), str(files[0])]
    assert all(reason and "\n" not in reason for reason in reasons.values())
    assert "2012-wto" in reasons[str(other_level)] and LEVEL in reasons[str(other_level)]
    page = out.read_text(encoding="utf-8")
    for path in reasons:
        assert f'data-skipped="{escape(path)}"' in page
    assert page.count('<tr data-game="') >= 2 * 6 and 'data-game="C"' not in page


def test_a_class_saved_more_than_once_is_one_game(tmp_path):
    """A hot seat saved mid-game, then at its end (or again after a resume): "Games compared: 3"
    for one class. Each earlier save is left out for the latest, and said so."""
    workshop = Workshop(scenario_for(LEVEL, {}), SEED, ("JPN",), code=CODE, teams={"JPN": "Fuji"})
    workshop.start()
    workshop.submit("JPN", INVEST)
    workshop.finish("JPN")
    early = write_results(tmp_path / "class-1.json", results_of(workshop, "Fuji"))
    again = write_results(tmp_path / "class-2.json", results_of(workshop, "Fuji"))
    while not workshop.is_over:
        workshop.finish("JPN")
    late = write_results(tmp_path / "class-3.json", results_of(workshop, "Fuji"))
    out, skipped = write_report([early, again, late], tmp_path / "report.html")
    assert [path for path, _ in skipped] == [str(again), str(early)]
    assert all(f"an earlier save of the class in {late} (1 of its quarters played)" == why for _, why in skipped)
    page = out.read_text(encoding="utf-8")
    assert 'data-game="A"' in page and 'data-game="B"' not in page


def test_no_usable_file_or_an_unknown_language_is_one_error_line(files, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("not json", encoding="utf-8")
    for paths, language in (([broken], "en"), ([], "en"), (files[:1], "fr")):
        with pytest.raises(ReportError) as error:
            write_report(paths, tmp_path / "report.html", language)
        assert "\n" not in str(error.value)
    assert not (tmp_path / "report.html").exists()
    assert issubclass(ReportError, ValueError)
    with pytest.raises(ReportError):
        report_html([], [], "en")


# --- one page, the same every time ------------------------------------------------------------


def test_the_page_is_self_contained_and_escaped(pages):
    for page in pages.values():
        assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
        assert "<script" not in page.lower() and "http" not in page.lower()
        for link in re.findall(r'(?:src|href)\s*=\s*["\']([^"\']*)', page, re.IGNORECASE):
            assert link.startswith(("#", "data:")), link
        assert "@media print" in page and "break-inside: avoid" in page and "size: A4" in page
        assert AWKWARD_TITLE not in page and escape(AWKWARD_TITLE) in page


def test_the_same_files_give_the_same_bytes(files, tmp_path):
    first, _ = write_report(files, tmp_path / "one.html", "ja")
    second, _ = write_report(files, tmp_path / "two.html", "ja")
    assert first.read_bytes() == second.read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


# --- Japanese ---------------------------------------------------------------------------------


HEADINGS = (report.GAMES, report.RESULTS, report.CHARTS, report.TURNING_POINTS, report.DIFFERENCES,
            report.QUESTIONS, report.SOURCES)


def test_the_japanese_page_is_in_japanese(games, pages):
    page = pages["ja"]
    assert '<html lang="ja">' in page
    ja = Language("ja")
    for heading in HEADINGS:
        assert f"<h2>{escape(ja.tr(heading))}</h2>" in page
        assert f">{escape(heading)}<" not in page
    for question in load_roles().questions:
        assert escape(question["ja"]) in page
    for nation in games["D"]["nations"].values():
        for objective in nation["objectives"]:
            assert escape(objective["text"]["ja"]) in page
            assert escape(objective["text"]["en"]) not in page
    # Headings and table heads hold no English word (names of teams, games and the EU aside).
    names = {role.name["ja"] for role in load_roles().roles}
    for text in re.findall(r"<(?:h2|h3|th)[^>]*>(.*?)</(?:h2|h3|th)>", page):
        assert text in names or re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text), text
    # What the teams did is worded in Japanese, not left in the file's English.
    for data in games.values():
        for entry in data["actions"]:
            assert escape(entry["message"]) not in page, entry["message"]


def test_every_text_the_report_translates_has_a_japanese_entry(games, monkeypatch):
    monkeypatch.setattr(Language, "asked", set())
    report_html(list(games.values()), [("x.json", "not JSON (no)"), ("y.json", "the same file as x.json")], "ja")
    missing = sorted(text for text in Language.asked if text not in table("ja"))
    assert not missing, "texts missing from assets/strings/ja.toml:\n" + "\n".join(f"  {t!r}" for t in missing)
    words = [value for name, value in vars(report).items() if name.isupper() and isinstance(value, str)
             and name != "STYLE"]
    words += [figure.title for figure in FIGURES.values()] + [title for title, _ in report.JAPAN_INDICATORS.values()]
    assert not [w for w in words if w not in table("ja")]


def test_the_report_names_and_measures_the_class_figures_from_the_screens_table():
    """The report kept a near-copy of FIGURES (a title and a kind for each of the same columns):
    one table now, so a figure the screens gain or change is charted and worded alike."""
    assert not hasattr(report, "INDICATORS")
    for column, figure in FIGURES.items():
        assert figure.kind in ("index", "share", "amount") and figure.title and figure.label
        assert report._Page._unit_of(column) == figure.kind
        assert report._Page._format_of(column) == ("" if figure.kind == "share" else figure.shown)
        assert figure.unit == ("%" if figure.kind == "share" else "")


# --- in a browser -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium():
    return chromium_or_skip()


@pytest.mark.parametrize("language", ("en", "ja"))
def test_chromium_shows_the_charts_and_tables(chromium, files, language, tmp_path):
    out, _ = write_report(files, tmp_path / f"report-{language}.html", language)
    dom = render(out)
    assert f'lang="{language}"' in dom
    assert dom.count("<svg") >= 4 and dom.count("<polyline") >= 4 * 4  # a line per game in each
    assert dom.count('data-role="JPN"') >= 4 and dom.count('data-role="CHN"') >= 4
    ja = Language(language)
    for heading in HEADINGS:
        assert escape(ja.tr(heading), quote=False) in dom
    pdf = tmp_path / f"report-{language}.pdf"
    assert print_pdf(out, pdf) >= 2
    for width, height in pdf_page_sizes(pdf):
        assert width == pytest.approx(A4_POINTS[0], abs=2) and height == pytest.approx(A4_POINTS[1], abs=2)


def test_a_file_edited_to_name_another_level_is_left_out(files, tmp_path):
    """Its quarters are checked against the level it names: the page was titled after one level
    and charted another's quarters."""
    edited = json.loads(files[0].read_text(encoding="utf-8"))
    edited["level"] = "2013-mud"
    edited = write_results(tmp_path / "edited.json", edited)
    out, skipped = write_report([edited, files[1]], tmp_path / "report.html")
    assert skipped == [(str(edited), "its quarters are not those of level 2013-mud (2013Q1 to 2015Q4)")]


def test_an_unfinished_game_and_a_team_that_never_named_itself_are_said_as_such(tmp_path):
    """A class stopped part-way showed its stars as if it had ended; a team that never joined
    (no name) was credited with the class's title."""
    workshop = Workshop(scenario_for(LEVEL, {}), SEED, ("JPN", "USA"), teams={"JPN": "Fuji"})
    workshop.start()
    for role in ("JPN", "USA"):
        workshop.finish(role)
    page = report_html([results_of(workshop, "Class 3B")], [], "en")
    games = section(page, report.GAMES)
    assert "1 (unfinished: the level has 10)" in games
    assert "Japan (Fuji)" in games and "United States (a team without a name)" in games
    assert "Class 3B)" not in page


def test_a_results_file_saved_with_a_byte_order_mark_is_read(files, tmp_path):
    """Windows' Notepad saves UTF-8 with a byte-order mark: the file was refused in Python's words
    ("Unexpected UTF-8 BOM (decode using utf-8-sig)")."""
    from game.workshop.results import read_results

    marked = tmp_path / "class-notepad.json"
    marked.write_bytes(b"\xef\xbb\xbf" + files[0].read_bytes())
    assert read_results(marked) == read_results(files[0])


def test_a_bot_that_stood_in_once_stood_in_for_one_quarter(games, monkeypatch):
    """The report said "(its bot stood in for 1 quarters)"."""
    monkeypatch.setattr(report.Game, "played_for", lambda self, code: 1)
    page = report_html(list(games.values()), [], "en")
    assert "its bot stood in for 1 quarter)" in page and "1 quarters" not in page


def test_a_results_file_edited_by_hand_is_named_and_left_out(files, tmp_path):
    """A figure changed in a results file was charted as if the game had made it: the file keeps
    a checksum of its contents, and the report leaves out one that does not match it."""
    data = json.loads(files[0].read_text(encoding="utf-8"))
    assert data["checksum"].startswith("sha256:")
    data["nations"]["JPN"]["stars"] = 3 - data["nations"]["JPN"]["stars"]
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    out, skipped = write_report([edited, files[1]], tmp_path / "report.html")
    assert [path for path, _ in skipped] == [str(edited)]
    assert "edited" in skipped[0][1] and "\n" not in skipped[0][1]
    with pytest.raises(ReportError, match="edited"):
        write_report([edited], tmp_path / "alone.html")
    # Its checksum taken out as well, it is refused all the same: its version keeps one.
    del data["checksum"]
    unchecked = tmp_path / "unchecked.json"
    unchecked.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    with pytest.raises(ReportError, match="keeps no checksum"):
        write_report([unchecked], tmp_path / "unchecked.html")
    # A file of version 1, which kept none, is read as before.
    data["nations"]["JPN"]["stars"] = 3 - data["nations"]["JPN"]["stars"]
    data["version"] = 1
    earlier = tmp_path / "earlier.json"
    earlier.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    assert write_report([earlier], tmp_path / "earlier.html")[1] == []


def test_money_below_zero_has_its_sign_before_the_currency_in_the_debriefs_words():
    """As the window writes it (Language.tr): "-US$22M", not the "US$-22M" a template makes of a
    budget spent past nothing, in English and in Japanese."""
    from game.workshop.wording import Wording

    refused = {"message": "costs US$50M, more than the US$-22M budget left",
               "action": {"kind": "buy_stockpile", "material": "ndpr", "tonnes": 1000.0, "max_price": 50.0}}
    for language in ("en", "ja"):
        words = Wording(language, scenario_for("2010-trawler"), None)
        worded = words.action(refused), words.text(refused["message"])
        assert all("-US$22M" in line and "US$-" not in line for line in worded), worded
        assert worded[0] == Language(language).tr("costs US${cost:,.0f}M, more than the US${budget:,.0f}M budget left",
                                                  cost=50.0, budget=-22.0)


def test_a_class_saved_again_as_its_facilitator_ended_it_is_kept_for_its_earlier_save(tmp_path):
    """A hot seat saved part-way, resumed, and ended by the facilitator at once: the two files
    hold the same moves, and the report kept the first, unfinished one (the first of identical
    saves) and left out the one its end was saved in."""
    workshop = Workshop(scenario_for(LEVEL, {}), SEED, ("JPN",), code=CODE, teams={"JPN": "Fuji"})
    workshop.start()
    workshop.submit("JPN", INVEST)
    workshop.finish("JPN")
    early = write_results(tmp_path / "class-1.json", results_of(workshop, "Fuji"))
    workshop.end()
    ended = write_results(tmp_path / "class-2.json", results_of(workshop, "Fuji"))
    for order in ([early, ended], [ended, early]):
        out, skipped = write_report(order, tmp_path / "report.html")
        assert [path for path, _ in skipped] == [str(early)], skipped


def test_a_line_whose_template_formats_a_figure_by_another_field_is_worded_in_japanese():
    """A nation's stockpile buy ("United States' stockpile buys 40 t of NdPr oxide at US$65.99/kg")
    stayed in English on the Japanese page: its template's figure is formatted by another field
    ("{bought:,.{decimals}f}"), and the templates were read as if fields held no braces."""
    from game.workshop.wording import Wording

    words = Wording("ja", scenario_for(LEVEL, {}), load_roles())
    for nation, said in (("United States' ", "アメリカ"), ("Japan's ", "日本")):
        worded = words.text(f"{nation}stockpile buys 1,040.5 t of NdPr oxide at US$65.99/kg")
        assert said in worded and "stockpile" not in worded and "1,040.5" in worded, worded


def test_the_japanese_sources_name_each_fact_and_its_unit_in_japanese(pages):
    """The Japanese report listed "Neodymium oxide price, ~Oct 2011: 260 US$/kg", "8,500 t/yr REO"
    and "100 billion JPY": the charts' facts had no Japanese, and units came as facts.toml writes
    them in English."""
    import html

    from game.scenario.reference import fact_value_wording, fact_wording

    sources = section(pages["ja"], report.SOURCES, "ja")
    entries = [html.unescape(re.sub(r"<[^>]+>", "", item))
               for item in re.findall(r'<li id="source-\d+"[^>]*>(.*?)<span', sources)]
    assert entries
    english = re.compile(r"\b(price|oxide|annual|average|share|demand|t/yr|billion|million|JPY|USD)\b")
    wrong = [entry for entry in entries if english.search(entry)]
    assert not wrong, wrong
    known = facts()
    assert fact_value_wording(known["lynas_offtake_2011"], "ja").endswith("t/年 REO")
    assert fact_value_wording(known["lynas_offtake_2011"], "en").endswith("t/yr REO")
    assert fact_wording(known["price_nd_2011_oct"], "ja")[0] == "酸化ネオジム価格（2011年10月ごろ）"
