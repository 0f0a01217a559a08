"""Where the level's objectives stand, as the screens tell it: a state with a symbol and a
colour for each, and the value that decides it now against what it needs, in the player's
language. Used by the objectives dialog and by the warning before End turn."""

from __future__ import annotations

import re
from dataclasses import replace

from game.objectives import RULES, Standing, format_beside, format_percent, format_threshold, standings
from game.actions import budget_left_musd
from game.vocab.nations import CHINA, JAPAN
from game.world.supply_report import supply_report

#: The indicators that are shares, which the bar and the objectives' own texts give in percent
#: (a test keeps this in step with the bar's formats).
SHARE_COLUMNS = frozenset({"japan_china_share", "japan_secured_share"})

#: The bar's format of each indicator whose figures have a unit (days, tonnes, money, stages), so
#: an objective's threshold and value read as the bar's figure does: "75 days", not "75" (a test
#: keeps this in step with the bar's formats).
UNIT_FORMATS = {"japan_budget_musd": "US${v:,.0f}M", "japan_stockpile_days": "{v:.0f} days",
                "japan_deep_sea_stages": "{v:.0f} of 5 stages", "japan_recycling_tpy": "{v:,.0f} t/yr",
                "japan_recycled_tpy": "{v:,.0f} t/yr",
                "japan_received_outside_china_t": "{v:,.0f} t"}
_FIGURE = re.compile(r"\{v(?::[^}]*)?\}")

#: A verdict's measure -> how its value reads: the deciding value is the lowest or highest so far
#: for a "never" objective, not the value now ("現在 0.85" beside a bar at 1.00).
MEASURED = {"lowest": "lowest {value}", "highest": "highest {value}", "average": "average {value}",
            "now": "now {value}", "quarter_end": "{value} once eased at the quarter's end"}

#: state -> (symbol, what it says, colour name): a symbol as well as a colour, for colour-blind players.
STATES = {
    "met": ("✓", "met", "good"),
    "on_track": ("●", "on track", "good"),
    "at_risk": ("▲", "at risk this quarter", "star"),
    "behind": ("▼", "behind, can still be met", "bad"),
    "lost": ("×", "lost", "bad"),
    "not_started": ("○", "not started yet", "muted"),
}


#: ``objective_standings``' default: work out this quarter's projected output itself.
_PROJECT = object()


def objective_standings(game, projected: float | None | object = _PROJECT):
    """The level's objectives with where each stands, after the quarters played and with what
    stands now in the quarter being played (``values_now``); ``projected``: this quarter's
    projected output (``projected_output``), where the caller has it already (a supply report
    is worked out for it)."""
    world = game.world
    rows = game.rows() if world.turns_done else []
    over = game.session.is_over
    next_quarter = world.quarter if not over else game.scenario.end + 1
    found = standings(game.scenario.objectives, rows, next_quarter, game.scenario.end,
                      None if over else values_judged(world))
    # Tension is judged as the quarter will record it, once eased, not as the bar reads it now
    # (0.60 on the bar was 0.56 in the objective): the line says which figure it is.
    found = [Standing(replace(s.verdict, measure="quarter_end"), s.state)
             if s.verdict.measure == "now" and s.verdict.where == str(next_quarter)
             and s.objective.indicator == "china_tension_japan" else s for s in found]
    if projected is _PROJECT:
        projected = None if over else projected_output(game)
    if over or projected is None:
        return found
    # An output objective near its threshold (within AT_RISK_MARGIN) is at risk only if the
    # output this quarter's supply allows would break it: "never below 0.97" was at risk every
    # quarter at an index of 1.00, which cannot go higher, and End turn warned of it each time,
    # saying output "could fall to about 1.00".
    return [Standing(s.verdict, "on_track") if s.state == "at_risk" and judged_by_projection(s.objective)
            and not breaks_with(game, s, projected) else s for s in found]


def judged_by_projection(objective) -> bool:
    """Whether this quarter's projected output (``projected_output``) tells if the objective
    breaks (``breaks_with``)."""
    return objective.indicator == "japan_output_index" and objective.rule in ("never_below", "average_at_least")


def values_now(world) -> dict[str, float]:
    """Japan's indicators that move within a quarter before it is measured, as they stand now and
    the bar reads them: the money left to commit (stockpile bids hold theirs until the market
    fills them), political capital and China's tension with Japan (an event, a lever). The
    objectives judge tension at the quarter's end (``values_judged``)."""
    return {"japan_budget_musd": budget_left_musd(world, JAPAN),
            "japan_political_capital": world.nation(JAPAN).political_capital,
            "china_tension_japan": float(world.nation(CHINA).tension.get(JAPAN, 0.0)) if world.has_nation(CHINA)
            else 0.0}


def values_judged(world) -> dict[str, float]:
    """``values_now`` as the objectives judge them: tension at the quarter's end
    (``tension_at_quarter_end``), the figure the quarter records and its objective reads."""
    return {**values_now(world), "china_tension_japan": tension_at_quarter_end(world)}


def tension_at_quarter_end(world) -> float:
    """China's tension with Japan as the quarter being played will record it if nothing moves it
    again: the bar's figure (``values_now``) is before the quarter's easing, the chart's and the
    objectives' after it (0.60 on the bar was 0.56 in the objective)."""
    return world.nation(CHINA).eased_tension(JAPAN) if world.has_nation(CHINA) else 0.0


def threshold_text(tr, objective) -> str:
    """An objective's threshold as the player reads it: in percent for a share, with its unit
    where its indicator has one ("75 days"), in the player's language (``tr``)."""
    if objective.indicator in SHARE_COLUMNS:
        return format_percent(objective.threshold)
    return with_unit(tr, objective.indicator, format_threshold(objective.threshold))


def value_text(tr, objective, value: float) -> str:
    """A value of an objective's indicator as ``threshold_text`` gives its threshold, with as many
    decimals as it takes not to read as the threshold when it is not."""
    if objective.indicator in SHARE_COLUMNS:
        return format_percent(value, beside=objective.threshold)
    return with_unit(tr, objective.indicator, format_beside(value, objective.threshold))


def with_unit(tr, column: str, figure: str) -> str:
    """``figure`` with the unit of the indicator ``column`` as the bar writes it, in the player's
    language ("75 days", "75日分"); as it is for an indicator without one (the output index)."""
    shown = UNIT_FORMATS.get(column)
    return _FIGURE.sub(lambda _: figure, tr(shown)) if shown else figure


def describe(app, standing) -> str:
    """The value that decides the objective now, against what it needs, in the player's language."""
    tr = app.tr
    verdict, objective = standing.verdict, standing.objective
    needs = tr("needs {rule} {threshold}", rule=tr(RULES[objective.rule][0]), threshold=threshold_text(tr, objective))
    if objective.by is not None:
        needs = tr("{needs} by {quarter}", needs=needs, quarter=objective.by)
    elif objective.start is not None or objective.end is not None:
        needs = tr("{needs}, {start} to {end}", needs=needs, start=objective.start or app.game.scenario.start,
                   end=objective.end or app.game.scenario.end)
    if verdict.value is None:
        return needs
    value = measured(tr, verdict, value_text(tr, objective, verdict.value))
    return tr("{value} ({where}); {needs}", value=value, where=where_text(tr, verdict), needs=needs)


def where_text(tr, verdict) -> str:
    """The quarter, or an average's quarters, the verdict's value comes from, written as the
    objective's span is ("2010Q3〜2010Q4", not "2010Q3-2010Q4" beside "2010Q3〜2011Q2")."""
    if verdict.span is None:
        return verdict.where
    return tr("{start} to {end}", start=verdict.span[0], end=verdict.span[1])


def measured(tr, verdict, value: str) -> str:
    """``value`` (the verdict's, as shown) labelled with what it is, in the player's language."""
    return tr(MEASURED[verdict.measure], value=value) if verdict.measure in MEASURED else value


def at_risk(game, projected: float | None) -> list[Standing]:
    """Objectives the quarter about to be played can break (or decides while they fall short):
    near their threshold already, or, for the output index, below it at ``projected`` (the
    output the supply panel's cover allows: ``projected_output``)."""
    risky = []
    for standing in objective_standings(game, projected):
        decided_now = standing.state == "behind" and standing.objective.by == game.world.quarter
        forecast = standing.state == "on_track" and projected is not None and breaks_with(game, standing, projected)
        if standing.state == "at_risk" or decided_now or forecast:
            risky.append(standing)
    return risky


def projected_output(game) -> float | None:
    """The output index this quarter's supply would allow if the market brought no more than
    last quarter (game.world.supply_report), or None before any quarter has run."""
    return supply_report(game.world, JAPAN).projected_output_index


def breaks_with(game, standing: Standing, projected: float) -> bool:
    """Whether an output-index objective in its span would fail with ``projected`` this quarter."""
    objective = standing.objective
    quarter = str(game.world.quarter)
    if not judged_by_projection(objective):
        return False
    if (objective.start is not None and quarter < str(objective.start)) or \
            (objective.end is not None and quarter > str(objective.end)):
        return False
    if objective.rule == "never_below":
        return projected < objective.threshold
    rows = [r for r in game.rows() if (objective.start is None or r["quarter"] >= str(objective.start))]
    values = [float(r["japan_output_index"]) for r in rows] + [projected]
    span_left = (objective.end or game.scenario.end) - game.world.quarter  # quarters after this one
    # The average at the span's end if this quarter comes in at ``projected`` and the rest at full output.
    average = (sum(values) + max(0, span_left)) / (len(values) + max(0, span_left))
    return average < objective.threshold
