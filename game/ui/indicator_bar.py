"""The indicator bar across the top of the turn screen: the turn and its quarter, then Japan's
budget, political capital and how its industry fares, each a button with its tooltip. Clicking
an indicator charts it; the date and the stars have no chart and stay out of the focus order."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from game.ui.levels import stars_text
from game.vocab.nations import CHINA, JAPAN

#: Indicators on the bar: (column, label, how it reads, the tooltip).
INDICATORS = (
    ("japan_budget_musd", "Budget", "US${v:,.0f}M",
     "Money left this quarter for levers. A new allowance arrives every quarter; unspent money carries over."),
    ("japan_political_capital", "Political capital", "{v:.0f}",
     "Spent by diplomacy, proposals and rules; it comes back slowly each quarter."),
    ("japan_output_index", "Output index", "{v:.2f}",
     "How fully Japan's factories were supplied last quarter: 1.00 means every order filled."),
    ("japan_china_share", "China share", "{v:.0%}",
     "Share of the rare earths Japan received last quarter that came from China."),
    ("japan_stockpile_days", "Stockpile", "{v:.0f} days",
     "Days of Japan's use the national stockpile would cover."),
    ("china_tension_japan", "Tension", "{v:.2f}",
     "Tension between China and Japan, 0 to 1. High tension invites export pressure; talks ease it."),
    ("japan_secured_share", "Secured", "{v:.0%}",
     ("Tonnes a year secured outside China (contracts still to run, offtake rights in projects being built) "
     "over a year of Japan's needs.")),
)

CHARTABLE = ("japan_output_index", "japan_china_share", "japan_stockpile_days", "japan_budget_musd",
             "china_tension_japan", "japan_political_capital", "japan_secured_share")


def build_indicator_bar(scene, area: pygame.Rect, chart: Callable[[str], None],
                        show_objectives: Callable[[], None]) -> None:
    """The bar's buttons across ``area`` of ``scene``; a chartable one calls ``chart(column)``,
    the stars ``show_objectives()``."""
    tr, game = scene.app.tr, scene.app.game
    world = game.world
    japan = world.nation(JAPAN)
    rows = game.rows() if world.turns_done else []
    last = rows[-1] if rows else {}
    # Money, capital and tension as they stand now (a lever spends them); the rest as last recorded.
    now = {"japan_budget_musd": japan.budget_musd, "japan_political_capital": japan.political_capital,
           "china_tension_japan": float(world.nation(CHINA).tension.get(JAPAN, 0.0)) if world.has_nation(CHINA) else 0.0}
    items = [(None, tr("Turn {n} of {total}", n=world.turns_done + 1, total=game.scenario.n_turns),
              str(world.quarter), tr("One turn is a quarter. The level ends after {end}.", end=game.scenario.end))]
    for column, label, fmt, tip in INDICATORS:
        value = now.get(column, last.get(column))
        items.append((column, tr(label), "-" if value is None else tr(fmt, v=value), tr(tip)))
    if game.scenario.objectives:
        result = game.result() if rows else None
        items.append(("stars", tr("Stars so far"), stars_text(result.stars if result else 0),
                      tr("Stars the level would give if it ended now. Click (or O) for each objective and "
                         "where it stands.")))
    pad = scene.u(4)
    width = (area.w - pad * (len(items) + 1)) / len(items)
    for i, (column, label, value, tip) in enumerate(items):
        rect = scene.rect(area.x + pad + i * (width + pad), area.y + pad, width, area.h - 2 * pad)
        if column == "stars":
            command = show_objectives
        else:
            command = (lambda c=column: chart(c)) if column in CHARTABLE else (lambda: None)
        scene.button(rect, f"{label}: {value}", command, tip, object_id="#indicator",
                     focus=column in CHARTABLE or column == "stars")
