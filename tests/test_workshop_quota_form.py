"""China's export quota form in a workshop starts where the quota stands, says what it is, and
steps in round shares of it: in 2025-licensing (no quota in force) it started at 0 t/yr, a halt
of all exports one Submit away, and stepped by jumps of the one-player tonnages (50,000 t/yr
then the most, 1,000,000 t/yr). Driven on the dummy video driver."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import re

import pytest

from game.research.runner import scenario_for
from game.ui.storage import Settings
from game.ui.workshop_levers import field_amount
from game.ui.workshop_window import open_team_app
from game.workshop.classroom import Workshop
from game.workshop.table import LocalTable
from game.workshop.views import lever_forms
from game.world.indicators import exports_t

ROLES = ("JPN", "CHN", "USA")


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path / "data"))
    return tmp_path / "data"


def _quota_field(workshop):
    form = next(f for f in lever_forms(workshop, "CHN") if f["kind"] == "set_export_quota")
    return form["fields"][0]


def test_without_a_quota_the_form_starts_at_what_china_exports_a_year_and_says_there_is_none(data_dir):
    workshop = Workshop(scenario_for("2025-licensing", {}), 7, ROLES)
    workshop.start()
    field = _quota_field(workshop)
    exported = 4.0 * exports_t(workshop.world, "CHN")
    assert exported > 1000
    assert field["default"] == pytest.approx(exported, abs=50)
    assert field["now"]["fields"]["tonnes"] == pytest.approx(exported)
    assert "{tonnes" in field["now"]["template"]


def test_with_a_quota_in_force_the_form_starts_at_it_and_says_it(data_dir):
    workshop = Workshop(scenario_for("2010-trawler", {}), 7, ROLES)
    workshop.start()
    quota = 4.0 * float(sum(workshop.world.policy.quota_per_turn("CHN")))
    field = _quota_field(workshop)
    assert field["default"] == pytest.approx(quota, abs=50)
    assert field["now"]["fields"]["tonnes"] == pytest.approx(quota)


def test_the_quota_steps_a_few_percent_either_side_of_where_it_starts(data_dir):
    workshop = Workshop(scenario_for("2025-licensing", {}), 7, ROLES)
    workshop.start()
    field = _quota_field(workshop)
    amount = field_amount(field, budget=0.0)
    start = float(field["default"])
    down, up = amount.step_from(start, -1, None, {}), amount.step_from(start, 1, None, {})
    assert 0.9 * start <= down < start
    assert start < up <= 1.1 * start


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_team_window_shows_the_quota_now_and_starts_the_value_there(data_dir, language):
    workshop = Workshop(scenario_for("2025-licensing", {}), 7, ROLES)
    table = LocalTable(workshop)
    table.facilitate("start")
    app = open_team_app(table, "CHN", size=(1280, 720), settings=Settings(sound=False, language=language, scale=1.0))
    app.frame([])
    team = app.top
    team.levers.choose_lever("set_export_quota")
    app.frame([])
    field = _quota_field(workshop)
    shown = [getattr(element, "text", "") for element in team.levers.form]
    figure = f"{field['now']['fields']['tonnes']:,.0f}"
    assert any(figure in text for text in shown), shown
    form = next(f for f in team.view["levers"] if f["kind"] == "set_export_quota")
    assert team.levers.values(form)["tonnes_per_year"] == field["default"]


def test_no_lever_help_gives_a_share_as_a_fraction_where_its_field_is_typed_in_percent(data_dir):
    workshop = Workshop(scenario_for("2025-licensing", {}), 7, ROLES)
    for role in ROLES:
        for form in lever_forms(workshop, role):
            percent = [f for f in form["fields"] if field_amount(f, 0.0).percent]
            if percent:
                assert not re.search(r"\b0\.\d+\s*=\s*\d+\s*%", form["help"]), (form["kind"], form["help"])
