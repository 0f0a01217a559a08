"""The bar's stockpile days and the supply panel's: the bar said 23 days, the panel "790 (42
days)" for NdPr and "82 (42 days)" for Dy/Tb, and the star is judged on the bar's figure. The
panel names the bar's figure beside its materials' own, the same number on every turn."""

from __future__ import annotations

import re

import pygame

from game.ui.driver import open_at_level, press
from game.ui.supply_panel import risks
from game.vocab.nations import JAPAN
from game.world.supply_report import supply_report


def test_the_supply_panel_names_the_bar_s_stockpile_days(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_at_level("2010-trawler", seed=1)
    for _ in range(3):
        bar = next(element.text for element, _ in app.top.tips
                   if element.object_ids[-1] == "#indicator" and element.text.startswith(app.tr("Stockpile")))
        bar_days = re.search(r"(\d+) days", bar).group(1)
        lines = risks(app, supply_report(app.game.world, JAPAN))
        named = [line for line in lines if "the bar's figure" in line]
        assert named and f"{bar_days} days" in named[0], (bar, named)
        each = [m.stockpile_days for m in supply_report(app.game.world, JAPAN).materials if m.stockpile_t >= 0.5]
        assert each  # (the table's own days, which the line tells apart)
        press(app, pygame.K_RETURN)  # End turn
        while len(app.scenes) > 1:
            press(app, pygame.K_ESCAPE)
    app.game.close()
