"""Where the level's objectives stand, as the screens tell it: a state with a symbol and a
colour for each, and the value that decides it now against what it needs, in the player's
language. Used by the objectives dialog and by the warning before End turn."""

from __future__ import annotations

from game.objectives import RULES, Standing, format_threshold, format_value, standings

#: state -> (symbol, what it says, colour name): a symbol as well as a colour, for colour-blind players.
STATES = {
    "met": ("✓", "met", "good"),
    "on_track": ("●", "on track", "good"),
    "at_risk": ("▲", "at risk this quarter", "star"),
    "behind": ("▼", "behind, can still be met", "bad"),
    "lost": ("✗", "lost", "bad"),
    "not_started": ("○", "not started yet", "muted"),
}


def objective_standings(game):
    """The level's objectives with where each stands, after the quarters played."""
    world = game.world
    rows = game.rows() if world.turns_done else []
    next_quarter = world.quarter if not game.session.is_over else game.scenario.end + 1
    return standings(game.scenario.objectives, rows, next_quarter, game.scenario.end)


def describe(app, standing) -> str:
    """The value that decides the objective now, against what it needs, in the player's language."""
    tr = app.tr
    verdict, objective = standing.verdict, standing.objective
    needs = tr("needs {rule} {threshold}", rule=tr(RULES[objective.rule][0]),
               threshold=format_threshold(objective.threshold))
    if objective.by is not None:
        needs = tr("{needs} by {quarter}", needs=needs, quarter=objective.by)
    elif objective.start is not None or objective.end is not None:
        needs = tr("{needs}, {start} to {end}", needs=needs, start=objective.start or app.game.scenario.start,
                   end=objective.end or app.game.scenario.end)
    if verdict.value is None:
        return needs
    return tr("{value} ({where}); {needs}", value=format_value(verdict.value), where=verdict.where, needs=needs)


def at_risk(game) -> list[Standing]:
    """Objectives the quarter about to be played can break (or decides while they fall short)."""
    return [s for s in objective_standings(game) if s.state == "at_risk"
            or (s.state == "behind" and s.objective.by is not None and s.objective.by == game.world.quarter)]
