"""The workshop's game: roles and their levers, bots for the roles nobody takes, the
facilitator's controls, what each team sees, and the results file."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import stat

import pytest

from game.research.runner import scenario_for
from game.scenario import ScenarioError
from game.scenario.roles_file import load_roles
from game.workshop.classroom import Workshop, WorkshopError
from game.workshop.results import (
    ResultsError,
    read_results,
    replay,
    results_of,
    write_results,
)
from game.workshop.roles import JAPAN_LEVERS, levers_of, objectives_of
from game.workshop.table import LocalTable
from game.workshop.views import team_view

LEVEL = "2010-trawler"


@pytest.fixture(scope="module")
def scenario():
    return scenario_for(LEVEL, {})


def play(scenario, roles, moves, seed=3, flags=(), turns=None):
    """A class's game: ``moves`` maps a turn to [(role, action)]; every team is done each turn."""
    workshop = Workshop(scenario, seed, roles, flags=set(flags))
    workshop.start()
    turn = 1
    while not workshop.is_over and (turns is None or turn <= turns):
        for role, action in moves.get(turn, []):
            workshop.submit(role, action)
        for role in workshop.roles:
            workshop.finish(role)
        workshop.set_paused(False)
        turn += 1
    return workshop


# ----------------------------------------------------------------------------- the roles file


def test_every_role_has_a_card_levers_and_objectives_in_both_languages(scenario):
    roles = load_roles()
    assert [r.code for r in roles.roles] == ["JPN", "CHN", "USA", "AUS", "EU", "KOR", "LYN"]
    assert roles.role("LYN").is_company and not roles.role("USA").is_company
    for role in roles.roles:
        assert role.situation["en"] and role.situation["ja"]
        assert levers_of(role, scenario)
        objectives = objectives_of(role, scenario)
        assert {o.star for o in objectives} == {1, 2, 3}
        for objective in objectives:
            assert "{" not in objective.text["en"] and "{" not in objective.text["ja"]
    assert levers_of(roles.role("JPN"), scenario) == tuple(k for k in JAPAN_LEVERS
                                                            if not scenario.unlocked_actions
                                                            or k in scenario.unlocked_actions)
    assert len(roles.questions) >= 3


def test_a_level_may_set_its_own_threshold_and_the_text_shows_it():
    roles = load_roles()
    china = roles.role("CHN")
    earnings = {o.id: o for o in objectives_of(china, scenario_for("2013-mud", {}))}["china-earnings"]
    assert earnings.threshold == 40 and "US$40M" in earnings.text["en"] and "40" in earnings.text["ja"]
    usa = {o.id: o for o in objectives_of(roles.role("USA"), scenario_for("2012-wto", {}))}["usa-secured"]
    assert usa.by == scenario_for("2012-wto", {}).end  # judged at the level's last quarter


@pytest.mark.parametrize("change, problem", [
    ('levers = ["propose_offtake"', 'levers = ["propose_offtake", "print_money"'),
    ('"2013-mud" = 40', '"2099-nowhere" = 40'),
    ('id = "kor-stockpile"\ntext = { en = "Hold a stockpile: at least {threshold:.0f} days',
     'id = "kor-stockpile"\ntext = { en = "Hold a stockpile: at least {days} days'),
    ('rule = "never_below"', 'rule = "sometimes_below"'),
    # Australia's objectives for stars 1 and 3 only: star 1's alone gave two stars
    ('thresholds = { "2010-trawler" = 0.03, "2011-spike" = 0.03, "2012-wto" = 0.08, "2013-mud" = 0.06, '
     '"2019-trade-war" = 0.08, "2025-licensing" = 0.12, "2026-deep-sea" = 0.13 }\nstar = 2',
     'thresholds = { "2010-trawler" = 0.03, "2011-spike" = 0.03, "2012-wto" = 0.08, "2013-mud" = 0.06, '
     '"2019-trade-war" = 0.08, "2025-licensing" = 0.12, "2026-deep-sea" = 0.13 }\nstar = 3'),
    # a threshold the indicator can never reach (an index runs from 0 to 1), as a level's objective
    ('indicator = "output_index"\nrule = "never_below"\nthreshold = 0.85',
     'indicator = "output_index"\nrule = "never_below"\nthreshold = 1.85'),
    ('thresholds = { "2025-licensing" = 0.7, "2026-deep-sea" = 0.7 }',
     'thresholds = { "2025-licensing" = 0.7, "2026-deep-sea" = -0.7 }'),
])
def test_a_broken_roles_file_names_each_problem(tmp_path, change, problem):
    from game.scenario.catalogue import ROLES_FILE, levels_dir

    text = (levels_dir() / ROLES_FILE).read_text(encoding="utf-8")
    assert change in text
    path = tmp_path / "roles.toml"
    path.write_text(text.replace(change, problem, 1), encoding="utf-8")
    with pytest.raises(ScenarioError) as error:
        load_roles(path)
    lines = [str(p) for p in error.value.problems]
    assert lines and all("\n" not in line and str(path) in line for line in lines)
    if "star = 3" in problem:
        assert any("objectives: no objective for star 2" in line for line in lines), lines
    if "0.85" in change or "-0.7" in problem:
        assert any("threshold" in line and "expected a number from 0 to 1" in line for line in lines), lines


# ----------------------------------------------------------------------------- playing


def test_the_same_code_and_actions_give_the_same_game_and_other_actions_another(scenario):
    moves = {1: [("CHN", {"kind": "set_export_duty", "material": "ndpr", "rate": 0.4}),
                 ("USA", {"kind": "set_import_tariff", "partner": "CHN", "rate": 0.25})]}
    one = results_of(play(scenario, ("JPN", "CHN", "USA"), moves))
    two = results_of(play(scenario, ("JPN", "CHN", "USA"), moves))
    assert one == two
    other = results_of(play(scenario, ("JPN", "CHN", "USA"),
                            {1: [("CHN", {"kind": "impose_embargo", "partner": "JPN"})]}))
    assert other["nations"]["JPN"]["rows"] != one["nations"]["JPN"]["rows"]


def test_bots_play_the_roles_nobody_takes_and_china_untaken_is_its_doctrine(scenario):
    workshop = play(scenario, ("JPN",), {})
    by = {(e.record.nation, e.by) for e in workshop.entries}
    assert ("EU", "bot") in by and not any(n == "CHN" for n, _ in by)
    assert not workshop.world.nation("CHN").played and not workshop.world.nation("EU").played
    results = results_of(workshop)
    assert results["nations"]["CHN"]["played_by"] == "doctrine"
    assert results["nations"]["EU"]["played_by"] == "bot"
    assert results["nations"]["JPN"]["played_by"] == "team"


def test_a_team_that_said_done_and_then_dropped_out_keeps_its_quarter_as_it_decided(scenario):
    """A team's window closed after it said done: its stand-in bot added its own moves to the
    quarter the team had finished (a release of the stockpile on top of the team's purchase)."""
    workshop = Workshop(scenario, 3, ("JPN", "USA"))
    workshop.start()
    workshop.finish("JPN")
    workshop.leave("JPN")
    workshop.finish("USA")
    assert workshop.world.turn == 2
    assert not [e for e in workshop.entries if e.record.nation == "JPN"]
    workshop.leave("USA")  # away and not done: its bot plays for it
    workshop.end_turn()
    assert {e.by for e in workshop.entries if e.record.nation == "USA"} == {"bot"}


def test_a_team_pulls_only_its_own_levers_and_only_while_the_game_runs(scenario):
    workshop = Workshop(scenario, 1, ("JPN", "USA"))
    with pytest.raises(WorkshopError, match="not started"):
        workshop.submit("USA", {"kind": "hold_talks", "partner": "CHN"})
    workshop.start()
    with pytest.raises(WorkshopError, match="not one of your levers"):
        workshop.submit("USA", {"kind": "impose_embargo", "partner": "JPN"})
    with pytest.raises(WorkshopError, match="no team plays"):
        workshop.submit("CHN", {"kind": "impose_embargo", "partner": "JPN"})
    with pytest.raises(WorkshopError, match="not an action"):
        workshop.submit("USA", {"kind": "set_import_tariff", "partner": "CHN"})
    workshop.set_paused(True)
    with pytest.raises(WorkshopError, match="paused"):
        workshop.submit("USA", {"kind": "hold_talks", "partner": "CHN"})
    workshop.set_paused(False)
    workshop.finish("USA")
    with pytest.raises(WorkshopError, match="submitted"):
        workshop.submit("USA", {"kind": "hold_talks", "partner": "CHN"})
    assert workshop.entries == []
    with pytest.raises(WorkshopError, match="no role"):
        Workshop(scenario, 1, ("JPN", "ATLANTIS"))


def test_chinas_levers_act_on_the_world(scenario):
    quiet = play(scenario, ("JPN", "CHN"), {}, turns=4)
    capped = play(scenario, ("JPN", "CHN"), {1: [("CHN", {"kind": "cap_mining", "tonnes_per_year": 60000})]}, turns=4)
    assert capped.rows["CHN"][-1]["mined_t"] < 0.8 * quiet.rows["CHN"][-1]["mined_t"]
    assert capped.world.nation("CHN").political_capital < quiet.world.nation("CHN").political_capital + 1e-9


def test_a_tariff_moves_buying_away_from_the_exporter(scenario):
    free = play(scenario, ("USA",), {}, turns=6)
    taxed = play(scenario, ("USA",), {1: [("USA", {"kind": "set_import_tariff", "partner": "CHN", "rate": 1.0})]},
                 turns=6)
    received = [r["china_share"] for r in free.rows["USA"]]
    assert max(received) > 0.1  # US buyers do buy from China in this world
    assert sum(r["china_share"] for r in taxed.rows["USA"]) < sum(received)


def test_australia_approves_or_refuses_what_is_built_on_its_soil_and_earns_royalties(scenario):
    workshop = Workshop(scenario, 2, ("AUS",))
    workshop.start()
    waiting = [p.id for p in workshop.world.investment.awaiting_approval("AUS")]
    assert waiting == ["mt-weld-concentrator"]  # the level's own start of it waits for the team
    for _ in range(3):
        for role in workshop.roles:
            workshop.finish(role)
    assert not workshop.world.projects["mt-weld-concentrator"].is_building  # still waiting
    record = workshop.submit("AUS", {"kind": "refuse_project", "project": "mt-weld-concentrator"})
    assert record.accepted and workshop.world.projects["mt-weld-concentrator"].failed
    again = workshop.submit("AUS", {"kind": "approve_project", "project": "mt-weld-concentrator"})
    assert not again.accepted and "not waiting" in again.message


def test_a_team_that_cannot_approve_projects_has_them_start_as_history_says(scenario):
    """Mountain Pass awaited the United States' approval, and the US team has no approve_project
    lever (nor its stand-in bot): it waited for ever. A host's team approves by hand only where
    its role can; elsewhere the projects on its soil go as if nobody played the nation."""
    workshop = play(scenario, ("JPN", "USA", "AUS"), {}, turns=3)  # past 2011Q1, when it starts
    assert not workshop.world.nation("USA").approves_projects and workshop.world.nation("AUS").approves_projects
    assert "mountain-pass-restart" not in [p.id for p in workshop.world.investment.awaiting_approval("USA")]
    assert workshop.world.projects["mountain-pass-restart"].is_building


def test_a_team_s_budget_leaves_out_its_stockpile_bids(scenario):
    """After a bid the team's header said US$10M while a refusal said US$4M was left: a bid holds
    its money until the market fills it, as the one-player window's bar says."""
    from game.actions import budget_left_musd
    from game.workshop.views import team_view

    workshop = Workshop(scenario, 2, ("USA",))
    workshop.start()
    before = team_view(workshop, "USA")["budget_musd"]
    record = workshop.submit("USA", {"kind": "buy_stockpile", "material": "ndpr", "tonnes": 50.0,
                                     "max_price_usd_per_kg": 80.0})
    assert record.accepted
    after = team_view(workshop, "USA")
    assert after["budget_musd"] == budget_left_musd(workshop.world, "USA") < before
    assert after["budget_musd"] < workshop.world.nation("USA").budget_musd


def test_a_royalty_pays_the_host_and_costs_its_mines():
    mining = scenario_for("2013-mud", {})  # Mt Weld digs by 2013
    free = play(mining, ("AUS",), {}, turns=4)
    taxed = play(mining, ("AUS",), {1: [("AUS", {"kind": "set_royalty", "usd_per_kg": 3.0})]}, turns=4)
    assert free.rows["AUS"][-1]["royalties_musd"] == 0
    paid = taxed.rows["AUS"][-1]["royalties_musd"]
    assert paid > 1.0
    assert taxed.rows["AUS"][-1]["budget_musd"] == pytest.approx(free.rows["AUS"][-1]["budget_musd"] + paid, rel=0.2)
    assert taxed.world.firm("mt-weld").cash_musd < free.world.firm("mt-weld").cash_musd


def test_a_team_runs_a_company_and_its_firms_stop_deciding_for_themselves(scenario):
    untaken = play(scenario, ("JPN",), {})
    assert results_of(untaken)["nations"]["LYN"]["played_by"] == "itself"
    workshop = Workshop(scenario, 1, ("JPN", "LYN"))
    workshop.start()
    assert all(workshop.world.firm(f).played for f in ("mt-weld", "lynas-lamp"))
    # what Lynas did in history is now the team's to decide, and only it is told
    notes = [n.headline for n in workshop.visible_news("LYN") if n.kind == "history"]
    assert any("LAMP" in n for n in notes) and not [n for n in workshop.visible_news("JPN") if n.kind == "history"]
    assert workshop.world.projects["lamp-phase1"].started is None
    view = team_view(workshop, "LYN")
    assert view["kind"] == "company" and view["political_capital"] == 0
    firms = {c[0] for form in view["levers"] for f in form["fields"] if f["name"] == "firm" for c in f["choices"]}
    assert firms == {"mt-weld", "lynas-lamp"}
    refused = workshop.submit("LYN", {"kind": "expand_plant", "firm": "bayan-obo", "tonnes_per_year": 1000})
    assert not refused.accepted and "not one of your company's" in refused.message
    assert workshop.submit("LYN", {"kind": "build_project", "project": "lamp-phase1"}).accepted
    assert workshop.submit("LYN", {"kind": "mothball_plant", "firm": "mt-weld"}).accepted
    for _ in range(4):  # a mothballed mine the team leaves so stays so (its firm would reopen it)
        for role in workshop.roles:
            workshop.finish(role)
    assert workshop.world.firm("mt-weld").mothballed
    cash = workshop.rows["LYN"][-1]["cash_musd"]
    assert workshop.submit("LYN", {"kind": "reopen_plant", "firm": "mt-weld"}).accepted
    assert not workshop.world.firm("mt-weld").mothballed
    nothing_built = workshop.submit("LYN", {"kind": "borrow", "firm": "mt-weld", "amount_musd": 20})
    assert not nothing_built.accepted and "lenders advance at most" in nothing_built.message  # no plant yet
    assert cash > 0
    built = Workshop(scenario_for("2013-mud", {}), 1, ("LYN",))  # by 2013 Mt Weld digs
    built.start()
    debt = built.world.firm("mt-weld").debt_musd
    assert built.submit("LYN", {"kind": "borrow", "firm": "mt-weld", "amount_musd": 20}).accepted
    assert built.world.firm("mt-weld").debt_musd == pytest.approx(debt + 20)
    assert {o.id for o in objectives_of(load_roles().role("LYN"), scenario)} == {
        "lynas-survives", "lynas-supplier", "lynas-cash"}


def test_a_played_nations_own_decisions_in_history_are_told_to_it_only(scenario):
    workshop = Workshop(scenario, 1, ("JPN", "CHN"))
    news = workshop.visible_news("CHN")
    notes = [n for n in news if n.kind == "history"]
    assert notes and all(n.headline.startswith("History at this point:") for n in notes)
    assert not [n for n in workshop.visible_news("JPN") if n.kind == "history"]
    assert [n for n in workshop.visible_news(None) if n.kind == "history"] == notes  # the facilitator sees them
    untaken = Workshop(scenario, 1, ("JPN",))
    assert not [n for n in untaken.world.news if n.kind == "history"]
    # the level's export quota did not change China's policy: the team decides it
    assert float(workshop.world.policy.quota_per_turn("CHN").sum()) \
        != float(untaken.world.policy.quota_per_turn("CHN").sum())


def test_what_history_decided_for_a_played_nation_is_not_news_to_the_others(scenario):
    """China's team embargoed Japan and kept it so, yet every team read in 2010Q4 that "Chinese
    customs approve Japan-bound cargoes": the level's news of China's own decision, not its effect."""
    workshop = play(scenario, ("JPN", "CHN"), {1: [("CHN", {"kind": "impose_embargo", "partner": "JPN"})]}, turns=1)
    assert str(workshop.quarter) == "2010Q4"
    approval = "Chinese customs approve Japan-bound cargoes"
    for role in ("JPN", None):
        assert not [n for n in workshop.visible_news(role) if n.headline == approval]
    assert [n for n in workshop.visible_news("CHN") if n.headline == f"History at this point: {approval}"]
    untaken = play(scenario, ("JPN",), {}, turns=1)  # where history decides, it is the news
    assert [n for n in untaken.visible_news("JPN") if n.headline == approval]


def test_the_facilitator_cannot_bring_forward_a_teams_own_decision(scenario):
    """The list offered China's "Second 2011 batch" while China was a team: brought forward, it set
    no quota, yet every other team read that the facilitator brought it forward."""
    workshop = Workshop(scenario, 4, ("JPN", "CHN"))
    workshop.start()
    batch = next(i for i, e in enumerate(scenario.events) if e.headline.startswith("Second 2011 batch"))
    offered = [e.headline for _, e in workshop.waiting_events()]
    assert scenario.events[batch].headline not in offered
    assert "Chinese customs approve Japan-bound cargoes" not in offered  # the level says it is China's
    assert "Hitachi unveils machines to recover magnets from HDDs and compressors" in offered  # not China's
    record = workshop.inject(batch)
    assert not record.accepted and record.message.startswith("the team playing China decides")
    assert not [n for n in workshop.world.news if n.kind == "facilitator"]
    untaken = Workshop(scenario, 4, ("JPN",))
    assert scenario.events[batch].headline in [e.headline for _, e in untaken.waiting_events()]
    assert untaken.inject(batch).accepted


def test_a_facilitators_command_refuses_what_it_does_not_take(scenario):
    """{"evnt": 3} for inject, or any argument to start, was dropped without a word, and reveal
    answered ok in a class whose events are revealed as they come."""
    workshop = Workshop(scenario, 4, ("JPN", "CHN"))
    table = LocalTable(workshop)
    with pytest.raises(WorkshopError, match="^start takes no argument, not 'x'$"):
        table.facilitate("start", x=1)
    table.facilitate("start")
    with pytest.raises(WorkshopError, match="^inject takes event, not 'evnt'$"):
        table.facilitate("inject", evnt=3)
    with pytest.raises(WorkshopError, match="^set_flag takes flag, on, not 'onn'$"):
        table.facilitate("set_flag", flag="pause_after_each_turn", onn=True)
    with pytest.raises(WorkshopError, match="reveal_events_by_hand is off"):
        table.facilitate("reveal")
    table.facilitate("set_flag", flag="reveal_events_by_hand", on=True)
    table.facilitate("reveal")


def test_the_facilitator_brings_an_event_forward_reveals_news_and_pauses(scenario):
    workshop = Workshop(scenario, 4, ("JPN", "CHN"), flags={"reveal_events_by_hand", "pause_after_each_turn"})
    table = LocalTable(workshop)
    table.facilitate("start")
    scheduled = workshop._scheduled_news()
    assert scheduled and not set(scheduled) & {id(n) for n in workshop.visible_news("JPN")}
    shown_before = len(workshop.visible_news("JPN"))
    table.facilitate("reveal")
    assert len(workshop.visible_news("JPN")) == shown_before + 1
    index, _event = workshop.waiting_events()[-1]
    table.facilitate("inject", event=index)
    assert index not in [i for i, _ in workshop.waiting_events()]
    with pytest.raises(WorkshopError, match="already happened"):
        table.facilitate("inject", event=index)
    with pytest.raises(WorkshopError, match="no facilitator command"):
        table.facilitate("cheat")
    table.finish("JPN")
    table.finish("CHN")
    assert workshop.paused  # pause after each turn
    with pytest.raises(WorkshopError, match="paused"):
        table.submit("JPN", {"kind": "hold_talks", "partner": "CHN"})
    table.facilitate("resume")
    assert any(e.by == "facilitator" for e in workshop.entries)
    table.facilitate("end")
    results = table.results()
    assert results["ended_early"] and results["turns_played"] == 1
    again = results_of(replay(results))
    assert again["nations"] == results["nations"]


def test_every_view_is_plain_data_for_every_role_of_every_level():
    from game.scenario import shipped_level_paths

    for path in shipped_level_paths():
        workshop = Workshop(scenario_for(path.stem, {}), 0, ("JPN", "CHN", "USA", "AUS", "EU", "KOR", "LYN"))
        for role in workshop.roles:
            view = team_view(workshop, role)
            json.dumps(view, allow_nan=False)
            for form in view["levers"]:
                assert form["label"] and all(f["type"] for f in form["fields"])
        json.dumps(LocalTable(workshop).facilitator_view(), allow_nan=False)


# ----------------------------------------------------------------------------- results files


def test_results_are_written_whole_and_read_back(scenario, tmp_path):
    data = results_of(play(scenario, ("JPN", "AUS"), {2: [("AUS", {"kind": "set_royalty", "usd_per_kg": 1.0})]}),
                      "Team Kangaroo")
    path = write_results(tmp_path / "class.json", data)
    assert read_results(path) == json.loads(json.dumps(data))
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["class.json"]


@pytest.mark.parametrize("content, reason", [
    (b"", "not JSON"),
    (b"\xff\xfe{}", "not a UTF-8"),
    (b'{"version": 3, "level": "2010-trawler", "seed": 1}', "not a workshop results file"),
    (b'{"format": "rare-earths-workshop-results", "version": 99}', "version 99"),
    (b'[' * 100000 + b']' * 100000, "not JSON"),
    (b'{"format": "rare-earths-workshop-results", "version": 1, "title": "x"', "not JSON"),
])
def test_a_broken_or_foreign_results_file_is_named_in_one_line(tmp_path, content, reason):
    path = tmp_path / "results.json"
    path.write_bytes(content)
    with pytest.raises(ResultsError) as error:
        read_results(path)
    assert str(path) in str(error.value) and reason in str(error.value) and "\n" not in str(error.value)


def test_a_results_file_with_bad_figures_is_refused(scenario, tmp_path):
    data = results_of(play(scenario, ("JPN",), {}, turns=2))
    text = json.dumps(data).replace('"stars": 0', '"stars": 7', 1).replace('"stars": 1', '"stars": 7', 1)
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ResultsError, match="stars"):
        read_results(path)
    data["nations"]["JPN"]["rows"][0]["output_index"] = "high"
    path.write_text(json.dumps(data))
    with pytest.raises(ResultsError, match="output_index"):
        read_results(path)


def test_a_class_game_saved_as_a_game_loads_and_plays_the_same():
    """A session a workshop plays (a company played from outside, nations' least budgets, bots
    acting for the roles nobody took, the facilitator) saved as a game: the save named none of
    them, and did not load ("save has an action of 'USA', which nobody plays in it")."""
    from game.savefile import load_text, save_text
    from game.scenario import find_level, load_level

    workshop = Workshop(load_level(find_level("2010-trawler")), 7, ("JPN", "LYN"))
    workshop.start()
    assert workshop.inject(workshop.waiting_events()[0][0]).accepted
    for _ in range(4):
        workshop.end_turn()
    assert {"USA", "FAC"} <= {r.nation for r in workshop.session.actions if r.accepted}
    loaded, _ = load_text(save_text(workshop.session, "2010-trawler"))
    assert loaded.rows() == workshop.session.rows() and loaded.companies == workshop.session.companies
    loaded.close()


def _choices(view: dict, kind: str, name: str) -> list[list[str]]:
    form = next(form for form in view["levers"] if form["kind"] == kind)
    return next(field["choices"] for field in form["fields"] if field["name"] == name)


def test_a_form_s_projects_that_read_alike_are_told_apart_by_when_they_are_built(scenario):
    """Lynas's two plant phases both read "Lynas Advanced Materials Plant (Kuantan) (+11,000 t/yr)"
    in a team's list; the one-player form tells them apart by their building time, and so does it."""
    workshop = Workshop(scenario, 1, ("JPN", "LYN"))
    workshop.start()
    for role, kind in (("JPN", "invest_in_project"), ("LYN", "build_project")):
        labels = dict(_choices(team_view(workshop, role), kind, "project"))
        phases = [labels["lamp-phase1"], labels["lamp-phase2"]]
        assert phases[0] != phases[1] and all("quarters to build" in label for label in phases), phases
        assert labels["mt-weld-concentrator"] == "Mt Weld (Lynas) (+22,000 t/yr)"  # no twin: as it was


def test_the_invest_form_lists_and_prices_the_projects_open_to_the_nation_and_no_others(scenario):
    """The Invest form's project choices and what its money buys of each were filtered apart, by
    the same rule written twice; both now come from the world's one query."""
    from game.world.views import projects_open_to

    workshop = Workshop(scenario, 1, ("JPN", "AUS"))
    workshop.start()
    world = workshop.world
    finished, failed = list(world.projects.values())[:2]
    finished.done, failed.failed = True, True
    for role in ("JPN", "AUS"):
        open_to = [p.id for p in projects_open_to(world, role)]
        assert open_to and finished.id not in open_to and failed.id not in open_to
        assert all(world.projects[p].host != role for p in open_to)
        form = next(form for form in team_view(workshop, role)["levers"] if form["kind"] == "invest_in_project")
        fields = {field["name"]: field for field in form["fields"]}
        assert [project for project, _ in fields["project"]["choices"]] == open_to
        assert list(fields["offtake_tpy"]["buys"]["projects"]) == open_to


def test_an_objective_the_game_ended_before_is_not_measured_rather_than_failed(scenario):
    """After the facilitator ended the game early, every end-of-level objective read
    "✗ 2012Q4 not reached yet": a teacher could not tell failed from never measured."""
    workshop = play(scenario, ("JPN", "AUS"), {}, turns=3)
    workshop.end()
    assert workshop.rows["AUS"][-1]["quarter"] == "2011Q1"
    reasons = {o["id"]: (o["reason"], o["met"]) for role in ("JPN", "AUS") for o in team_view(workshop, role)["objectives"]}
    ended = ("not measured: the game ended after 2011Q1", False)
    assert reasons["aus-royalties"] == reasons["aus-mining"] == ended  # judged in 2012Q4
    assert reasons["factories-running"][0].startswith("lowest")  # judged on the quarters played
    going_on = play(scenario, ("JPN", "AUS"), {}, turns=3)  # while it goes on, the date is still to come
    assert {o["reason"] for o in team_view(going_on, "AUS")["objectives"]} == {"2012Q4 not reached yet"}


def test_a_team_that_cannot_approve_projects_is_not_told_they_await_its_approval(scenario):
    """Japan's news said "Hitachi Metals: 938 t/yr awaits Japan's approval", but Japan's team has
    no lever to approve it: its regulators do, at random, as if nobody played Japan."""
    workshop = play(scenario, ("JPN", "USA", "AUS"), {}, seed=1, turns=1)
    assert "approve_project" not in workshop.levers("JPN") and "approve_project" in workshop.levers("AUS")
    news = [n.headline for n in workshop.visible_news("JPN")]
    assert "Hitachi Metals: 938 t/yr awaits its permits from Japan's regulators" in news
    assert not [line for line in news if "awaits Japan's approval" in line or "awaits United States" in line]
    while not workshop.is_over:
        for role in workshop.roles:
            workshop.finish(role)
    approved = [n.headline for n in workshop.world.news if "approve" in n.headline and "Hitachi" in n.headline]
    assert approved == ["Japan's regulators approve Hitachi Metals' project"]
    untaken = play(scenario, ("AUS",), {}, seed=1, turns=1)  # where nobody plays Japan, Japan's government decides
    assert "Hitachi Metals: 938 t/yr awaits Japan's approval" in [n.headline for n in untaken.visible_news("AUS")]


def test_a_wto_case_a_played_nation_filed_in_history_is_its_team_s_to_file():
    """The level's "The US and the EU request WTO consultations" filed the case for the United
    States' and the EU's teams, whose own decision it is, as a played China's export quota is."""
    level = scenario_for("2012-wto", {})
    [event] = [e for e in level.events if e.kind == "wto_case"]
    assert event.effect.complainants == ("USA", "EU")

    def cases(workshop):
        return [(case.respondent, list(case.complainants)) for case in workshop.world.diplomacy.wto_cases]

    untaken = Workshop(level, 1, ("JPN",))  # where nobody plays them, history files it
    assert cases(untaken) == [("CHN", ["USA", "EU"])]
    assert event.headline in [n.headline for n in untaken.visible_news("JPN")]
    both = Workshop(level, 1, ("JPN", "USA", "EU"))
    assert cases(both) == []
    for role in ("USA", "EU"):  # each told what history did, and only it
        notes = [n for n in both.visible_news(role) if n.kind == "history"]
        assert [n.headline for n in notes] == [f"History at this point: {event.headline}"]
    assert not [n for n in both.visible_news("JPN") if n.kind == "history" or n.headline == event.headline]
    one = Workshop(level, 1, ("JPN", "USA"))  # the EU, a bot's, files as history did; its news names it alone
    assert cases(one) == [("CHN", ["EU"])]
    news = [n for n in one.visible_news("JPN") if n.kind == "wto_case"]
    assert [dict(n.fields)["complainants_code"] for n in news] == ["EU"]
    assert event.headline not in [n.headline for n in news]
    assert [n.kind for n in one.visible_news("USA") if n.kind == "history"] == ["history"]
    one.start()
    assert one.submit("USA", {"kind": "file_wto_case", "respondent": "CHN"}).accepted  # the team decides
    assert cases(one) == [("CHN", ["EU", "USA"])]


def test_a_project_brought_forward_onto_a_teams_soil_is_announced_as_awaiting_approval(scenario):
    """Brought forward, the level's headline ("Lynas builds the Mt Weld concentration plant")
    reached every team while the project waited for Australia's team, which might refuse it."""
    index, event = next((k, e) for k, e in enumerate(scenario.events)
                        if getattr(e.effect, "project", "") == "mt-weld-concentrator")
    later = dataclasses.replace(event, date=dt.date(2011, 6, 1))
    level = dataclasses.replace(scenario, events=scenario.events[:index] + (later,) + scenario.events[index + 1:])
    workshop = Workshop(level, 2, ("JPN", "AUS"))
    workshop.start()
    record = workshop.inject(index)
    assert record.accepted and "awaits Australia's approval" in str(record.message)
    assert [p.id for p in workshop.world.investment.awaiting_approval("AUS")] == ["mt-weld-concentrator"]
    for role in ("JPN", "AUS", None):  # Australia's team alone is told what history did
        told = [n.headline for n in workshop.visible_news(role) if event.headline in n.headline]
        assert told == ([f"History at this point: {event.headline}"] if role != "JPN" else [])
    lines = [n.headline for n in workshop.visible_news("JPN") if n.kind == "facilitator"]
    assert lines == ["The facilitator brings forward the project of Mt Weld (Lynas), which awaits Australia's approval"]


@pytest.mark.parametrize("decision", ["approve_project", "refuse_project"])
def test_a_project_waiting_for_its_host_team_is_no_headline_until_the_team_approves_it(scenario, decision):
    """With Australia's team, every team read "Lynas builds the Mt Weld concentration plant" at the
    start while the project waited for the team's approval, which it might never give. The news
    says it awaits approval; the team alone is told what history did; the headline comes with the
    approval (and never, if the team refuses it)."""
    [event] = [e for e in scenario.events if getattr(e.effect, "project", "") == "mt-weld-concentrator"]
    workshop = Workshop(scenario, 2, ("JPN", "AUS"))
    workshop.start()
    assert [p.id for p in workshop.world.investment.awaiting_approval("AUS")] == ["mt-weld-concentrator"]
    for role in ("JPN", None):
        news = workshop.visible_news(role)
        assert event.headline not in [n.headline for n in news]
        waiting = [dict(n.fields).get("project_id") for n in news if n.kind == "project"]
        assert waiting.count("mt-weld-concentrator") == 1  # the news it awaits approval
    assert not [n for n in workshop.visible_news("JPN") if n.kind == "history"]
    assert [n.headline for n in workshop.visible_news("AUS") if n.kind == "history"] == \
        [f"History at this point: {event.headline}"]
    for role in workshop.roles:
        workshop.finish(role)
    assert workshop.submit("AUS", {"kind": decision, "project": "mt-weld-concentrator"}).accepted
    told = [n for n in workshop.visible_news("JPN") if n.headline == event.headline]
    if decision == "approve_project":
        assert [(str(n.quarter), n.source) for n in told] == [(str(workshop.quarter), event.source)]
    else:
        assert told == []
    untaken = Workshop(scenario, 2, ("JPN",))  # where nobody plays Australia, history's headline as it was
    assert event.headline in [n.headline for n in untaken.visible_news("JPN")]


def test_the_wto_case_the_untaken_complainants_file_waits_for_the_facilitator_to_reveal_it():
    """With the United States played, the EU files the WTO case of 2012-wto alone, and its news
    line (worded from a template, not the level's headline) reached the teams at once where the
    class's other event lines wait for the facilitator to reveal them."""
    workshop = Workshop(scenario_for("2012-wto", {}), 0, ("USA", "JPN"), flags={"reveal_events_by_hand"})
    table = LocalTable(workshop)
    table.facilitate("start")
    filed = [item for item in workshop.world.news if item.quarter == workshop.quarter
             and dict(item.fields).get("complainants_code") == "EU"]
    assert filed, "the EU's filing is in the news"
    for role in ("USA", "JPN", None):
        assert not set(map(id, filed)) & set(map(id, workshop.visible_news(role))), role
    while workshop.reveal_next() is not None:
        pass
    assert set(map(id, filed)) <= set(map(id, workshop.visible_news("JPN")))
