"""Every lever form of a workshop team's seat fits its panel, in each language, at the window
sizes and UI scales a class uses: at 200% in the default 1280x720 window the Project investment
form ran under the bottom bar, its cost line and Submit hidden (Tab reached Submit unseen, and
Space sent the lever blind). Driven on the dummy video driver."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pytest

from game.research.runner import scenario_for
from game.ui.storage import Settings
from game.ui.workshop_window import open_team_app
from game.workshop.classroom import Workshop
from game.workshop.table import LocalTable

ROLES = ("JPN", "CHN", "USA")


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize(("size", "scale"), [((1280, 720), 2.0), ((1024, 576), 2.0), ((1280, 720), 1.5),
                                             ((1920, 1080), 2.0)])
def test_every_lever_form_keeps_its_fields_cost_and_submit_inside_the_levers_panel(data_dir, language, size, scale):
    workshop = Workshop(scenario_for("2010-trawler", {}), 7, ROLES)
    table = LocalTable(workshop)
    table.facilitate("start")
    problems = []
    for role in ROLES:
        app = open_team_app(table, role, size=size, settings=Settings(sound=False, language=language, scale=scale))
        app.frame([])
        team = app.top
        for form in team.view["levers"]:
            team.levers.choose_lever(form["kind"])
            app.frame([])
            panel = team.regions["levers"]
            assert team.levers.submit_button in team.levers.form
            for element in team.levers.form:
                if element.alive() and element.visible and not panel.contains(element.get_abs_rect()):
                    problems.append(f"{role} {form['kind']}: {getattr(element, 'text', element)!r} at "
                                    f"{element.get_abs_rect()} is outside the levers' panel {panel}")
    assert not problems, "\n".join(problems)


def test_a_teams_submit_is_greyed_with_its_reason_where_the_lever_cannot_be_afforded(data_dir):
    """The one-player form greys Take action and says why when the budget or the political
    capital left cannot pay for the lever; a team's Submit was offered, to be refused."""
    workshop = Workshop(scenario_for("2010-trawler", {}), 7, ROLES)
    table = LocalTable(workshop)
    table.facilitate("start")
    app = open_team_app(table, "JPN", settings=Settings(sound=False))
    app.frame([])
    team = app.top
    forms = {form["kind"]: form for form in team.view["levers"]}
    costly = next(kind for kind, form in forms.items() if (form.get("capital") or 0) > 0)
    team.levers.choose_lever(costly)
    app.frame([])
    assert team.levers.submit_button.is_enabled
    workshop.world.nation("JPN").political_capital = 0.0  # spent by the team's earlier levers
    team.refresh()
    assert float(team.view["political_capital"]) == 0.0
    team.levers.choose_lever(costly)
    app.frame([])
    assert not team.levers.submit_button.is_enabled
    assert "political capital" in team.levers.shown_under_submit
    assert team.levers.cannot_send(forms[costly], 1000.0, 0.0)[0] == "Needs {capital:g} political capital, {held:g} left"
    # A lever of money, with none left: greyed too.
    money = next(kind for kind, form in forms.items()
                 if any(field["name"] == "amount_musd" for field in form.get("fields", [])))
    workshop.world.nation("JPN").political_capital = 100.0
    workshop.world.nation("JPN").budget_musd = 0.0
    team.refresh()
    team.levers.choose_lever(money)
    app.frame([])
    assert float(team.view["budget_musd"]) <= 0.0 and not team.levers.submit_button.is_enabled
    form = next(form for form in team.view["levers"] if form["kind"] == money)
    assert team.levers.cannot_send(form, 0.0, 100.0) == ("No budget left this quarter", {})
    assert team.levers.shown_under_submit == "No budget left this quarter"
