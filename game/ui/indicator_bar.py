"""The indicator bar across the top of the turn screen: the turn and its quarter, then Japan's
budget, political capital and how its industry fares, each a button with its tooltip. Clicking
an indicator charts it; the date and the stars have no chart and stay out of the focus order."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from game.actions import committed_musd
from game.ui.levels import stars_text
from game.ui.objective_view import tension_at_quarter_end, values_now
from game.ui.text import sentences
from game.vocab.nations import JAPAN
from game.world.indicators import REPORTERS
from game.world.supply_report import supply_report

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
     "Days of Japan's use of rare earths the national stockpile holds, as the last quarter ended: each "
     "material's days, averaged by what industry's need of it is worth. Buying any material adds days; a "
     "stockpile of one material alone counts for its share. The supply panel gives each material's own "
     "days, over this quarter's needs."),
    ("china_tension_japan", "Tension", "{v:.2f}",
     "Tension between China and Japan, 0 to 1. High tension invites export pressure; talks ease it."),
    ("japan_secured_share", "Secured", "{v:.0%}",
     ("Tonnes a year secured outside China (contracts still to run, offtake rights in projects being built) "
     "over a year of Japan's needs.")),
)

#: Indicators a level's objectives may judge that the bar shows only in such a level, in the
#: places of tension and secured supply (after those the objectives use): what decides a star
#: is always on screen.
LEVEL_INDICATORS = (
    ("japan_deep_sea_stages", "Deep sea", "{v:.0f} of 5 stages",
     ("Stages of the Minamitorishima mud programme completed: survey, pilot, test recovery, demonstration, "
      "commercial.")),
    ("japan_environmental_impact", "Seabed harm", "{v:.2f}",
     "Harm done to the seabed by the deep-sea programme so far, 0 to 1; each stage adds to it."),
    ("japan_recycling_tpy", "Recycling", "{v:,.0f} t/yr",
     "Recycling capacity that takes Japan's scrap, in tonnes of oxide a year."),
    ("japan_recycled_tpy", "Recycled", "{v:,.0f} t/yr",
     ("Oxide recycled from Japan's scrap last quarter, at a yearly rate: as much as the scrap collected "
      "allows, whatever the capacity.")),
    ("japan_received_outside_china_t", "From outside China", "{v:,.0f} t",
     "Tonnes of rare earths that reached Japan last quarter from anywhere but China."),
)
#: Shown beside the deep-sea stages wherever they decide a star.
GOES_WITH = {"japan_deep_sea_stages": "japan_environmental_impact"}

#: What the bar says where a full label does not fit (a narrow window, a large UI scale).
SHORT_LABELS = {"japan_budget_musd": "", "japan_political_capital": "Capital",
                "japan_output_index": "Output", "japan_china_share": "China", "japan_stockpile_days": "Stock",
                "china_tension_japan": "Tension", "japan_secured_share": "Secured", "stars": "",
                "japan_deep_sea_stages": "Deep sea", "japan_environmental_impact": "Harm",
                "japan_recycling_tpy": "Recycling", "japan_recycled_tpy": "Recycled",
                "japan_received_outside_china_t": "Non-China"}
#: How a value reads beside its short label where the full one does not fit either, the full
#: value going to the tip ("Deep sea 0 of 5 stages" was cut to "Deep sea 0 of 5 sta…" at 100%).
SHORT_VALUES = {"japan_deep_sea_stages": "{v:.0f}/5", "japan_recycling_tpy": "{v:,.0f} t",
                "japan_recycled_tpy": "{v:,.0f} t"}

CHARTABLE = ("japan_output_index", "japan_china_share", "japan_stockpile_days", "japan_budget_musd",
             "china_tension_japan", "japan_political_capital", "japan_secured_share",
             *(column for column, *_ in LEVEL_INDICATORS))

#: A chartable indicator's chart title, with its unit where the axis does not give it (shares'
#: axes are in %). The charts of a level's own indicators were titled by their column's name
#: ("japan_recycling_tpy").
CHART_TITLES = {
    "japan_output_index": "Output index", "japan_china_share": "China share",
    "japan_stockpile_days": "Stockpile (days)", "japan_budget_musd": "Budget (US$M)", "china_tension_japan": "Tension",
    "japan_political_capital": "Political capital", "japan_secured_share": "Secured",
    "japan_deep_sea_stages": "Deep sea (stages of 5)", "japan_environmental_impact": "Seabed harm",
    "japan_recycling_tpy": "Recycling (t/yr)", "japan_recycled_tpy": "Recycled (t/yr)",
    "japan_received_outside_china_t": "From outside China (t)",
}
#: Those whose axis reads in percent.
PERCENT_CHARTS = ("japan_china_share", "japan_secured_share")


def bar_indicators(objectives, unlocked: tuple[str, ...] = ()) -> list[tuple[str, str, str, str]]:
    """The bar's indicators for a level: the six that always show, then two more: first those
    its objectives judge that are not among them (with what goes with them), then the deep-sea
    programme's stages and harm where the level opens that lever, then tension and secured supply."""
    core, optional = list(INDICATORS[:5]), list(INDICATORS[5:])
    extra = {entry[0]: entry for entry in LEVEL_INDICATORS}
    judged = [o.indicator for o in objectives]
    if "fund_deep_sea" in unlocked:
        judged.append("japan_deep_sea_stages")
    wanted: list[str] = []
    for indicator in judged:
        for column in (indicator, GOES_WITH.get(indicator)):
            if column in extra and column not in wanted:
                wanted.append(column)
    chosen = [extra[c] for c in wanted]
    for entry in optional:
        if entry[0] in [o.indicator for o in objectives]:
            chosen.insert(0, entry)  # tension, when a star depends on it
    for entry in optional:
        if entry not in chosen:
            chosen.append(entry)
    return core + chosen[:len(optional)]


def stockpile_days_shown(game) -> float:
    """The stockpile's days as the bar shows them (and the objectives judge them): every material
    by what industry's need of it is worth, as the last quarter ended; on a level's first turn,
    over this quarter's needs. The supply panel names this figure beside its materials' own."""
    world = game.world
    rows = game.rows() if world.turns_done else []
    if rows and rows[-1].get("japan_stockpile_days") is not None:
        return float(rows[-1]["japan_stockpile_days"])
    if world.quarters_simulated:
        return float(REPORTERS["japan_stockpile_days"](world))
    return supply_report(world, JAPAN).stockpile_days


def turn_label(tr, turn: int, turns: int) -> str:
    """What the bar calls a turn: the last is called that ("Turn 10 of 10", or "10/10" where
    there was no room, had the player work it out)."""
    return tr("Last turn") if turn >= turns else tr("Turn {n} of {total}", n=turn, total=turns)


def turn_texts(scenario, tr) -> list[str]:
    """The turn's indicator as it reads in each quarter of the level, in full."""
    return [tr("{label}: {value}", label=turn_label(tr, turn, scenario.n_turns), value=str(scenario.start + (turn - 1)))
            for turn in range(1, scenario.n_turns + 1)]


def build_indicator_bar(scene, area: pygame.Rect, chart: Callable[[str], None],
                        show_objectives: Callable[[], None], lines: int = 1,
                        only: tuple[str | None, ...] | None = None) -> None:
    """The bar's buttons across ``area`` of ``scene`` in ``lines`` rows; a chartable one calls
    ``chart(column)``, the stars ``show_objectives()``. ``only``: just these (the turn is None),
    for a compact screen with room for the few a lever needs."""
    tr, game = scene.app.tr, scene.app.game
    world = game.world
    rows = game.rows() if world.turns_done else []
    last = rows[-1] if rows else {}
    if not rows and world.quarters_simulated:
        # A level that starts where history left off: its first quarter shows the last one of
        # that history, as the world's reporters read it now.
        last = {column: reporter(world) for column, reporter in REPORTERS.items()}
    # Money, capital and tension as they stand now (a lever spends them); the rest as last recorded.
    # The money is what is left to commit: stockpile bids hold theirs until the market fills them
    # (the bar showed the whole budget, while the levers' forms had the bids' share out).
    bids_musd = committed_musd(world, JAPAN)
    now = values_now(world)
    turn, turns = world.turns_done + 1, game.scenario.n_turns
    last_turn = turn >= turns
    # The figures measured over a quarter are the last one's, beside this quarter's label: a
    # player read "2026Q2 ... Output index 0.59" where the debrief gave 0.59 to 2026Q1.
    measured_in = world.quarter - 1 if last else None
    turn_tip = tr("One turn is a quarter. The level ends after {end}.", end=game.scenario.end)
    if measured_in is not None:
        turn_tip = sentences(turn_tip, tr("Money, political capital and tension stand as they are now; the other "
                                          "figures were measured over {last}, the quarter before this one.",
                                          last=measured_in))
    items = [(None, turn_label(tr, turn, turns), str(world.quarter), turn_tip, None, None)]
    for column, label, fmt, tip in bar_indicators(game.scenario.objectives, game.scenario.unlocked_actions):
        value = now.get(column, last.get(column))
        tip = tr(tip)
        dated = measured_in is not None and column not in now and value is not None
        if dated:
            tip = sentences(tr("{quarter}, last quarter:", quarter=measured_in), tip)
        if column == "japan_budget_musd" and bids_musd > 0:
            tip = sentences(tip, tr("US${bids:,.0f}M more is bid for the stockpile this quarter; what the bids do not "
                                    "buy at their price caps stays in the budget.", bids=bids_musd))
        if column == "china_tension_japan" and value is not None:
            # The bar reads tension now; the quarter records it at its end, eased (what the chart
            # and the objectives read), and a player saw 0.60 here and 0.56 in the objective.
            ends_at = tension_at_quarter_end(world)
            if f"{ends_at:.2f}" != f"{value:.2f}":
                tip = sentences(tip, tr("This is tension now, after this quarter's events. It eases over the quarter: "
                                        "unless something moves it again, the quarter ends at {end:.2f}, the figure "
                                        "the chart and the objectives read.", end=ends_at))
        if value is None and column == "japan_stockpile_days":
            # What it holds is known before any quarter is played (the bar read "-" beside the
            # supply panel's 790 t); only the needs are this quarter's, not last quarter's.
            value = supply_report(world, JAPAN).stockpile_days
            tip = sentences(tip, tr("On a level's first turn, over this quarter's needs."))
        elif value is None and column == "japan_secured_share":
            # The contracts and projects it counts, and the year of needs it is taken over, are
            # known before any quarter is played (the bar read "-"): as they stand now, as the
            # quarter's record will count them with whatever it signs.
            value = REPORTERS[column](world)
            tip = sentences(tip, tr("On a level's first turn, as the contracts stand now."))
        elif value is None:  # a level's first quarter, before anything was measured
            tip = sentences(tip, tr("Measured over a quarter: it shows once the first turn has been played."))
        items.append((column, tr(label), "-" if value is None else tr(fmt, v=value), tip, value,
                      measured_in if dated else None))
    if game.scenario.objectives:
        result = game.result() if rows else None
        items.append(("stars", tr("Stars so far"), stars_text(result.stars if result else 0),
                      tr("Stars the level would give if it ended now. Click (or O) for each objective and "
                         "where it stands."), None, None))
    if only is not None:
        items = [item for item in items if item[0] in only]
    pad = scene.u(4)
    per_row = -(-len(items) // lines)
    width = (area.w - pad * (per_row + 1)) / per_row
    height = (area.h - pad * (lines + 1)) / lines
    bar = []
    for i, (column, label, value, tip, raw, dated_by) in enumerate(items):
        row, place = divmod(i, per_row)
        rect = scene.rect(area.x + pad + place * (width + pad), area.y + pad + row * (height + pad), width, height)
        if column == "stars":
            command = show_objectives
        else:
            command = (lambda c=column: chart(c)) if column in CHARTABLE else (lambda: None)
        text = tr("{label}: {value}", label=label, value=value)  # "予算：US$60M", as the forms join them
        room = rect.w - scene.u(14)
        # The turn's form holds for the whole level: the longest any of its quarters reads decides
        # it ("Turn 7 of 12: 2013Q3" turned into "11/12 2014Q3" in the same game).
        widest = text if column is not None else max(turn_texts(game.scenario, tr),
                                                     key=lambda said: scene.app.font("small").size(said)[0])
        if dated_by is not None:
            # Where it fits, the quarter a figure was measured over is on the bar itself.
            with_quarter = tr("{label} ({quarter}): {value}", label=label, quarter=dated_by, value=value)
            if scene.app.font("small").size(with_quarter)[0] <= room:
                text = widest = with_quarter
        if scene.app.font("small").size(widest)[0] > room:  # a narrow window: the short name, the full one in the tip
            short = SHORT_LABELS.get(column, label)
            # The turn keeps its number ("3/10 2011Q1"): "Turn 2011Q1" said less than the quarter alone.
            if column is None:
                short = tr("Last") if last_turn else f"{turn}/{turns}"  # ("最終ターン 20…" lost the quarter)
            else:
                short = tr(short) if short else ""
            text = f"{short} {value}".strip()
            if column in SHORT_VALUES and raw is not None and scene.app.font("small").size(text)[0] > room:
                text = f"{short} {tr(SHORT_VALUES[column], v=raw)}".strip()
            text = scene.fit(text, room, "small")
            tip = sentences(tr("{label}: {value}.", label=label, value=value), tip)
        bar.append(scene.button(rect, text, command, tip, object_id="#indicator",
                                focus=column in CHARTABLE or column == "stars"))
    for element in bar:
        # An indicator's tip goes clear of the whole bar: below one of the top row at 200%, it hid
        # the indicators of the second, which the player reads it beside.
        element.tip_keeps_clear = bar
