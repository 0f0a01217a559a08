"""The EMA Workbench connector: a level as an ``ema_workbench.Model`` for exploratory modelling.

An optional extra (``pip install ema_workbench SALib``): nothing else in the game imports this
module. ``build_model(level)`` returns a plain ``ema_workbench.Model`` whose function plays the
level once per experiment through ``game.research.runner.run``; ``run_experiments(model, N)``
samples it with seeded Latin hypercubes, so the same ``seed`` gives the same experiments and
the same outcomes, whichever evaluator ran them. ``examples/ema_scenario_discovery.py`` and
``examples/morris_screening.py`` are worked examples.

Uncertainties
    * Assumptions: any number of the ``[assumptions]`` table (``game.scenario.assumptions``),
      uniform over the level's value (the world file's, unless the level overrides it) plus or
      minus ``spread`` (half of it by default), clipped to the field's ``BOUNDS``; whole-number
      fields are ``IntegerParameter``. ``DEFAULT_ASSUMPTIONS`` are those used when the caller
      names none: buyers' fear, thrift and relocation, how prices are expected, how much
      supply buyers lock in.
    * The level's own (``LEVEL_UNCERTAINTIES``), each a transform of the level's Scenario:
      ``halt_extension_quarters`` moves the end of China's embargo on Japan (``extend_halt``),
      ``export_quota_scale`` scales China's export quotas (``scale_export_quota``),
      ``recycling_cost_scale`` scales what recycling capacity costs (``scale_recycling_cost``),
      ``deep_sea_delay_quarters`` delays the deep-sea projects (``delay_deep_sea``). A level
      without the thing an uncertainty moves is left as it is; by default a model only gets
      the level uncertainties that change its level (``level_uncertainties_for``).
    * The seed: a constant (``seed=0``), or an uncertainty when given as a range
      (``seed=range(10)``: the world's own chance, such as project delays and approvals, drawn
      alongside the deep uncertainties).

Levers
    ``strategy``: who plays Japan, one of ``passive``, ``history``, ``bot`` and the shipped
    strategies written for the level (``strategies_for``). ``action_scale`` (on request):
    multiplies the sizes of a scripted strategy's actions (tonnes, US$ millions, tonnes a year
    of offtake) - "what Japan did, half as big again"; actions the world does not allow at that
    size are refused, as in play. It leaves ``passive`` and ``bot`` as they are, since those have
    no sizes set in advance.

Outcomes (``OUTCOMES``)
    ``score`` and ``stars`` (the level's result), ``min_output_index`` and
    ``mean_output_index`` (Japan's industrial output index), ``mean_china_share`` (China's
    share of Japan's supply), ``peak_ndpr_price`` (NdPr oxide in Japan, US$/kg), and
    ``output_index``, the output index quarter by quarter (a ``TimeSeriesOutcome``).
"""

from __future__ import annotations

import calendar
import contextlib
import dataclasses
import datetime as dt
import decimal
import math
import numbers
import os
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

#: The workbench names the optional back-ends it could not load (ipyparallel): harmless here.
_MISSING_BACKEND_WARNING = "ignore:ipyparallel not installed:UserWarning"
try:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="ipyparallel not installed", category=UserWarning)
        warnings.filterwarnings("ignore", category=ImportWarning)
        import ema_workbench
except ModuleNotFoundError as error:  # an optional extra: say how to get it
    raise ModuleNotFoundError("game.research.ema needs the EMA Workbench: pip install 'rare-earths[ema]'") from error
# A point in the uncertainties or the levers: EMA Workbench 2.x has a Scenario and a Policy,
# 3.0 replaced both with Sample (Python 3.12 and later: pip chooses 2.5 on 3.11 and 3.x after).
# The connector samples its points itself (_latin_hypercube), so both give the same experiments.
_EMA_VERSION = tuple(int(part) if part.isdigit() else -1
                     for part in (str(getattr(ema_workbench, "__version__", "0")).split(".") + ["0"])[:2])
if not (2, 5) <= _EMA_VERSION < (4, 0):
    raise ImportError(f"game.research.ema works with EMA Workbench 2.5 to 3.x, and {ema_workbench.__version__} is "
                      "installed: pip install 'ema_workbench>=2.5,<4'")
_SCENARIO = getattr(ema_workbench, "Sample", None) or ema_workbench.Scenario
_POLICY = getattr(ema_workbench, "Sample", None) or ema_workbench.Policy

from game.controllers import STRATEGY_NAMES
from game.players import controller_for
from game.quoting import short_repr
from game.research.runner import RunResult, run
from game.scenario import (
    find_level,
    levels_dir,
    load_level,
    load_strategy_file,
    with_assumptions,
)
from game.scenario.assumptions import (
    BOUNDS,
    FIELD_TYPES,
    AssumptionError,
    Bound,
    check_value,
    describe,
    unknown_message,
)
from game.spec import (
    ActionSpec,
    Embargo,
    EmbargoLift,
    EventSpec,
    ExportQuota,
    ProjectStart,
    Scenario,
    StrategyTurn,
    WorldSpec,
)
from game.vocab.materials import Role
from game.vocab.seeds import checked_seed

__all__ = ["DEFAULT_ASSUMPTIONS", "LEVEL_UNCERTAINTIES", "LEVERS", "OUTCOMES", "LevelExperiment", "LevelUncertainty",
           "assumption_range", "build_model", "delay_deep_sea", "extend_halt", "level_uncertainties_for",
           "outcomes_of", "run_experiments", "scale_actions", "scale_export_quota", "scale_recycling_cost",
           "shift_date", "strategies_for"]

CHINA, JAPAN = "CHN", "JPN"
DAYS_PER_QUARTER = 365.25 / 4
#: Assumptions sampled when the caller names none: those that move Japan's output, China's share
#: or the NdPr price in 2010-trawler when set to either end of their range, one at a time (under
#: the history and passive strategies): buyers' fear and thrift, how prices are expected, how far
#: industry moves out of Japan, how much supply buyers lock in. Most of the others (China's
#: doctrine, approvals, build times) only tell over a longer level; name them to sample them.
DEFAULT_ASSUMPTIONS = (
    "embargo_fright",
    "fear_buffer_multiple",
    "fear_value_multiple",
    "price_expectation_weight",
    "relocate_above_price_ratio",
    "thrift_above_price_ratio",
    "max_thrift_per_quarter",
    "max_relocated_share",
    "max_secure_share",
)
#: How far an assumption's range reaches each side of its value, as a share of the value.
DEFAULT_SPREAD = 0.5
#: The strategy a policy plays when it names none.
DEFAULT_STRATEGY = "history"
#: Parameters of a scripted strategy's actions that are sizes, which ``action_scale`` multiplies.
SIZE_PARAMS = ("tonnes", "amount_musd", "offtake_tpy", "tonnes_per_year")


# --------------------------------------------------------------------------- the level's own uncertainties


#: How far a level uncertainty may move or scale the level: far beyond any range worth
#: sampling, well inside what the calendar and the level's numbers hold.
MOST_QUARTERS = 400
MOST_SCALE = 1000.0


def _number(name: str, value: object, low: float, high: float) -> float:
    """``value`` as a float from ``low`` to ``high``; ValueError naming ``name`` if it is not one
    (NaN, an infinity, a huge number moved a date out of the calendar or a quota to infinity)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not math.isfinite(float(value)) or not low <= float(value) <= high:
        raise ValueError(f"{name}: expected a number from {low:g} to {high:g}, got {short_repr(value, 40)}")
    return float(value)


def shift_date(day: dt.date, quarters: float) -> dt.date:
    """``day`` moved by ``quarters``: whole quarters by the calendar (so the quarter moves by
    exactly that many; the 31st becomes the month's last day), the rest by days."""
    whole = math.trunc(quarters)
    months = day.month - 1 + 3 * whole
    year, month = day.year + months // 12, months % 12 + 1
    moved = dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    return moved + dt.timedelta(days=round((quarters - whole) * DAYS_PER_QUARTER))


def _china_on_japan(effect: object) -> bool:
    return getattr(effect, "exporter", None) == CHINA and getattr(effect, "partner", None) == JAPAN


def extend_halt(scenario: Scenario, quarters: float) -> Scenario:
    """China's embargo on Japan lasting ``quarters`` longer (shorter when negative).

    Each scheduled end of it moves: an ``embargo_lift`` event from China on Japan, or the
    ``until`` date of an embargo that carries its own end. An end never moves to before its
    embargo began (the halt then lasts a day); an end moved past the level's last quarter
    leaves the halt on to the end. Unchanged: a level with no such embargo, an embargo that no
    event ends (it already lasts to the end), the news and tension events around the lift, and
    halts China's doctrine decides during the run.
    """
    quarters = _number("halt_extension_quarters", quarters, -MOST_QUARTERS, MOST_QUARTERS)
    if quarters == 0:
        return scenario
    starts = sorted(e.date for e in scenario.events if isinstance(e.effect, Embargo) and _china_on_japan(e.effect))
    if not starts:
        return scenario
    one_day = dt.timedelta(days=1)
    events = []
    for event in scenario.events:
        effect = event.effect
        if isinstance(effect, EmbargoLift) and _china_on_japan(effect):
            began = max((day for day in starts if day <= event.date), default=None)
            if began is not None:  # a lift with no halt before it ends nothing: leave it be
                event = dataclasses.replace(event, date=max(shift_date(event.date, quarters), began + one_day))
        elif isinstance(effect, Embargo) and _china_on_japan(effect) and effect.until is not None:
            until = max(shift_date(effect.until, quarters), event.date + one_day)
            event = dataclasses.replace(event, effect=dataclasses.replace(effect, until=until))
        events.append(event)
    return dataclasses.replace(scenario, events=tuple(events))


def scale_export_quota(scenario: Scenario, factor: float) -> Scenario:
    """China's export quotas times ``factor``: every ``export_quota`` event of China's, and the
    quota the world starts with (a level that continues another's history keeps the quota that
    history left, so there only the events change)."""
    factor = _number("export_quota_scale", factor, 0.0, MOST_SCALE)
    if factor == 1:
        return scenario

    def scaled(event: EventSpec) -> EventSpec:
        effect = event.effect
        if isinstance(effect, ExportQuota) and effect.exporter == CHINA:
            return dataclasses.replace(event, effect=dataclasses.replace(
                effect, tonnes_per_year=effect.tonnes_per_year * factor))
        return event

    scenario = dataclasses.replace(scenario, events=tuple(scaled(e) for e in scenario.events))
    if scenario.starts_from:  # its world's trade policy is the one the history left, not the world file's
        return scenario
    policies = tuple(dataclasses.replace(p, quota_tpy=p.quota_tpy * factor) if p.exporter == CHINA else p
                     for p in scenario.world.policies)
    return dataclasses.replace(scenario, world=dataclasses.replace(scenario.world, policies=policies))


def scale_recycling_cost(scenario: Scenario, factor: float) -> Scenario:
    """Recycling capacity costing ``factor`` times as much: the assumptions
    ``capex_recycler_usd_per_tpy`` (what Japan's ``fund_recycling`` buys per US$) and
    ``payback_capex_recycler_usd_per_tpy`` (what recyclers count on when they expand by
    themselves), both times ``factor``. Raises AssumptionError for a factor of 0 or less."""
    if factor == 1:
        return scenario
    held = scenario.assumptions
    return with_assumptions(scenario, {
        "capex_recycler_usd_per_tpy": held.capex_recycler_usd_per_tpy * factor,
        "payback_capex_recycler_usd_per_tpy": held.payback_capex_recycler_usd_per_tpy * factor,
    })


def _deep_sea_firms(world: WorldSpec) -> set[str]:
    """The deep-sea ventures, and the plants they feed (which the programme builds with them)."""
    ventures = {f.id for f in world.firms if f.role == Role.DEEP_SEA}
    return ventures | {f.id for f in world.firms if ventures.intersection(f.feed)}


def delay_deep_sea(scenario: Scenario, quarters: int) -> Scenario:
    """The deep-sea projects taking ``quarters`` longer: the lead time of every project of a
    deep-sea venture or its plant (such as 2026-deep-sea's Minamitorishima trial line), and the
    date of any ``project_start`` event of one. Unchanged: levels with no such project (the
    first levels), and the stage-by-stage programme Japan funds with ``fund_deep_sea``, whose
    stages are fixed in the simulation (game/world/deepsea.py)."""
    quarters = int(_number("deep_sea_delay_quarters", quarters, -MOST_QUARTERS, MOST_QUARTERS))
    firms = _deep_sea_firms(scenario.world)
    delayed = {p.id for p in scenario.world.projects if p.firm in firms}
    if quarters == 0 or not delayed:
        return scenario
    projects = tuple(dataclasses.replace(p, lead_quarters=max(1, p.lead_quarters + quarters)) if p.id in delayed else p
                     for p in scenario.world.projects)
    events = tuple(dataclasses.replace(e, date=shift_date(e.date, quarters))
                   if isinstance(e.effect, ProjectStart) and e.effect.project in delayed else e
                   for e in scenario.events)
    return dataclasses.replace(scenario, events=events, world=dataclasses.replace(scenario.world, projects=projects))


@dataclasses.dataclass(frozen=True)
class LevelUncertainty:
    """One of the level's own uncertainties: its default range, whether it takes whole numbers,
    and the transform that applies a value (0, or 1 for a scale, leaves the level as written)."""

    name: str
    low: float
    high: float
    whole: bool
    apply: Callable[[Scenario, float], Scenario]
    description: str


#: The ranges: the 2010 halt lasted two months (ep2010_halt_start to ep2010_resume); from -0.5
#: quarters (a fortnight) to +2 (eight months), past which the output of a whole quarter without
#: Chinese supply is already all there is to lose. Quotas from half to one and a half times the
#: level's, recycling from half to twice the assumed cost, deep-sea projects up to two years late.
LEVEL_UNCERTAINTIES: dict[str, LevelUncertainty] = {u.name: u for u in (
    LevelUncertainty("halt_extension_quarters", -0.5, 2.0, False, extend_halt,
                     "quarters added to China's embargo on Japan (moves its end)"),
    LevelUncertainty("export_quota_scale", 0.5, 1.5, False, scale_export_quota,
                     "China's export quotas, as a multiple of the level's"),
    LevelUncertainty("recycling_cost_scale", 0.5, 2.0, False, scale_recycling_cost,
                     "what recycling capacity costs, as a multiple of the assumption"),
    LevelUncertainty("deep_sea_delay_quarters", 0, 8, True, delay_deep_sea,
                     "quarters added to the deep-sea projects' lead times"),
)}


def level_uncertainties_for(scenario: Scenario) -> tuple[str, ...]:
    """The level uncertainties that change this level: those whose high end gives a different
    Scenario (the others would only add dimensions that do nothing)."""
    return tuple(name for name, u in LEVEL_UNCERTAINTIES.items() if u.apply(scenario, u.high) != scenario)


def apply_level_uncertainties(scenario: Scenario, values: Mapping[str, float]) -> Scenario:
    """The scenario with each level uncertainty in ``values`` applied, in ``LEVEL_UNCERTAINTIES``' order."""
    for name, uncertainty in LEVEL_UNCERTAINTIES.items():
        if name in values:
            value = values[name]
            scenario = uncertainty.apply(scenario, round(float(value)) if uncertainty.whole else float(value))
    return scenario


# --------------------------------------------------------------------------- assumptions as uncertainties


def _refuse_unknown(name: object) -> AssumptionError:
    return AssumptionError(f"assumptions.{name}", f"{unknown_message(name)}; the level's own uncertainties are "
                                                  + ", ".join(LEVEL_UNCERTAINTIES))


def assumption_range(scenario: Scenario, name: str, spread: float = DEFAULT_SPREAD,
                     given: tuple[float, float] | None = None) -> tuple[float, float]:
    """The range an assumption is sampled over: ``given`` (checked), or the level's value plus or
    minus ``spread`` of it (plus or minus ``spread`` itself for a value of 0), clipped to the
    field's bounds; whole-number fields get whole-number ends, at least one apart.

    Raises:
        AssumptionError: naming ``assumptions.NAME``, for an unknown name, a field that is not
        a single number, or a given range that is out of bounds or empty.
    """
    kind = FIELD_TYPES.get(name) if isinstance(name, str) else None
    key = f"assumptions.{name}"
    if kind is None:
        raise _refuse_unknown(name)
    if kind not in (int, float):
        raise AssumptionError(key, f"only single numbers can be uncertainties here, and this is {describe(name)}")
    if given is not None:
        if isinstance(given, (str, bytes)) or not isinstance(given, (Sequence, np.ndarray)) or len(given) != 2:
            # (three numbers were "too many values to unpack", one "'float' object is not iterable")
            raise AssumptionError(key, f"expected a range (low, high) of two numbers, got {short_repr(given, 40)}")
        low, high = (check_value(name, end) for end in given)
        if not low < high:
            raise AssumptionError(key, f"expected a range (low, high) with low below high, got ({low}, {high})")
        return low, high
    if not (spread > 0 and math.isfinite(spread)):
        raise ValueError(f"spread: expected a share above 0, got {spread}")
    value = getattr(scenario.assumptions, name)
    bound = BOUNDS.get(name, Bound())
    half = abs(value) * spread if value else spread
    if kind is int:
        low = max(math.floor(value - half), math.ceil(bound.low))
        high = min(math.ceil(value + half), math.floor(bound.high))
        if low == high:  # a value at a bound with a small spread: widen away from the bound
            low, high = (low - 1, high) if high == math.floor(bound.high) else (low, high + 1)
        return low, high
    low, high = max(value - half, bound.low), min(value + half, bound.high)
    if bound.above_low and low <= bound.low:  # the bound itself is refused: stop halfway to it
        low = (bound.low + value) / 2
    return low, high


def _as_field_value(name: str, value: Any) -> Any:
    """A sampled value as the field takes it (EMA and SALib hand over numpy numbers)."""
    kind = FIELD_TYPES.get(name)
    if kind is int:
        return round(float(value))
    if kind is float:
        return float(value)
    return value


# --------------------------------------------------------------------------- strategies as levers


def _shipped_strategy_path(name: str) -> Path:
    return levels_dir() / "strategies" / f"{name}.toml"


def strategies_for(scenario: Scenario) -> tuple[str, ...]:
    """``passive``, ``history``, ``bot``, then the shipped strategies written for the level:
    named after it (``LEVEL-...``), with every turn inside the level and, when the level limits
    them, only actions it unlocks."""
    found = []
    for path in sorted((levels_dir() / "strategies").glob(f"{scenario.id}-*.toml")):
        turns = load_strategy_file(path)
        inside = all(scenario.start <= t.quarter <= scenario.end for t in turns)
        unlocked = not scenario.unlocked_actions or all(
            a.kind in scenario.unlocked_actions for t in turns for a in t.actions)
        if inside and unlocked:
            found.append(path.stem)
    return STRATEGY_NAMES + tuple(found)


def _scripted_turns(scenario: Scenario, strategy: str) -> tuple[StrategyTurn, ...] | None:
    """The turns of a scripted strategy (history, shipped or a file); None for passive and bot."""
    if strategy == "history":
        return scenario.history
    if strategy in STRATEGY_NAMES:
        return None
    shipped = _shipped_strategy_path(strategy)
    return load_strategy_file(shipped if shipped.is_file() else Path(strategy), scenario.start, scenario.end)


def scale_actions(scenario: Scenario, strategy: str, factor: float) -> tuple[Scenario, str]:
    """The level and strategy that play ``strategy`` with its action sizes times ``factor``.

    A scripted strategy's turns become the scenario's history, scaled (``SIZE_PARAMS``;
    prices, years and targets stay), played as ``history``. The game's rules still hold: an
    action the world does not allow is refused whole, as in play (in 2010-trawler, from about
    1.3 times history's size the stockpile releases exceed what the stockpile holds, and an
    offtake exceeds what its project adds). ``passive`` and ``bot`` come back unchanged, and so
    does any strategy at a factor of 1.
    """
    if not factor > 0:
        raise ValueError(f"action_scale: expected a factor above 0, got {factor}")
    turns = None if factor == 1 else _scripted_turns(scenario, strategy)
    if turns is None:
        return scenario, strategy

    def scaled(action: ActionSpec) -> ActionSpec:
        params = tuple((k, v * factor if k in SIZE_PARAMS and isinstance(v, (int, float)) and not isinstance(v, bool)
                        else v) for k, v in action.params)
        return dataclasses.replace(action, params=params)

    history = tuple(dataclasses.replace(t, actions=tuple(scaled(a) for a in t.actions)) for t in turns)
    return dataclasses.replace(scenario, history=history), "history"


#: Levers a model may have: name -> what it is.
LEVERS = {
    "strategy": "who plays Japan (a CategoricalParameter over strategies_for(level) or the names given)",
    "action_scale": "a multiple of a scripted strategy's action sizes (default range 0.5 to 1.5)",
}
ACTION_SCALE_RANGE = (0.5, 1.5)


# --------------------------------------------------------------------------- outcomes


def _series(rows: Sequence[Mapping[str, Any]], column: str) -> np.ndarray:
    return np.array([float(row[column]) for row in rows])


#: Outcome name -> (what it is, how it is read from a run's rows).
OUTCOMES: dict[str, tuple[str, Callable[[Sequence[Mapping[str, Any]]], Any]]] = {
    "score": ("the level's score, 0-100", lambda rows: float(rows[-1]["score"])),
    "stars": ("the level's stars, 0-3", lambda rows: int(rows[-1]["stars"])),
    "min_output_index": ("Japan's lowest industrial output index",
                         lambda rows: float(_series(rows, "japan_output_index").min())),
    "mean_output_index": ("Japan's mean industrial output index",
                          lambda rows: float(_series(rows, "japan_output_index").mean())),
    "mean_china_share": ("China's mean share of Japan's supply",
                         lambda rows: float(_series(rows, "japan_china_share").mean())),
    "peak_ndpr_price": ("the highest NdPr oxide price in Japan, US$/kg",
                        lambda rows: float(_series(rows, "price_ndpr_japan").max())),
    "output_index": ("Japan's industrial output index, quarter by quarter",
                     lambda rows: _series(rows, "japan_output_index")),
}
#: Outcomes that are series (a TimeSeriesOutcome), not single numbers.
SERIES_OUTCOMES = frozenset({"output_index"})


def outcomes_of(rows: Sequence[Mapping[str, Any]], names: Iterable[str] = tuple(OUTCOMES)) -> dict[str, Any]:
    """The outcomes ``names`` of one run's rows."""
    if not rows:
        raise ValueError("outcomes_of: no rows (a run records one each quarter)")
    unknown = [name for name in names if name not in OUTCOMES]
    if unknown:
        raise ValueError(f"outcomes_of: no outcome {short_repr(unknown[0], 40)} (known: {', '.join(OUTCOMES)})")
    return {name: OUTCOMES[name][1](rows) for name in names}


# --------------------------------------------------------------------------- one experiment


@dataclasses.dataclass(frozen=True)
class LevelExperiment:
    """The model's function: a level played once under some uncertainties and levers.

    Called with keyword arguments, as EMA calls it (any assumption, level uncertainty,
    ``strategy``, ``action_scale``, ``seed``), it returns the outcomes ``outcome_names``. Plain
    data throughout, so MultiprocessingEvaluator can send it to its workers.
    """

    scenario: Scenario
    outcome_names: tuple[str, ...] = tuple(OUTCOMES)
    default_strategy: str = DEFAULT_STRATEGY
    seed: int = 0

    def __call__(self, **inputs: Any) -> dict[str, Any]:
        return outcomes_of(self.play(**inputs).rows, self.outcome_names)

    def setup(self, **inputs: Any) -> tuple[Scenario, str, int]:
        """The scenario, strategy and seed the inputs make. Raises AssumptionError naming an
        input that is neither an assumption, a level uncertainty nor a lever, before anything runs."""
        inputs = dict(inputs)
        seed = _seed_input(inputs.pop("seed", self.seed))
        strategy = str(inputs.pop("strategy", self.default_strategy))
        action_scale = float(inputs.pop("action_scale", 1.0))
        level_values = {name: inputs.pop(name) for name in list(inputs) if name in LEVEL_UNCERTAINTIES}
        for name in inputs:
            if name not in FIELD_TYPES:
                raise _refuse_unknown(name)
        # Assumptions first: recycling_cost_scale multiplies the recycling costs sampled here.
        scenario = with_assumptions(self.scenario, {name: _as_field_value(name, v) for name, v in inputs.items()})
        scenario = apply_level_uncertainties(scenario, level_values)
        scenario, strategy = scale_actions(scenario, strategy, action_scale)
        return scenario, strategy, seed

    def play(self, **inputs: Any) -> RunResult:
        scenario, strategy, seed = self.setup(**inputs)
        return run(scenario, strategy, seed=seed)


def _seed_input(value: object) -> int:
    """A seed as an experiment gets it: a whole number, or a float with a whole value (as a
    sampler may hand an integer parameter over); ValueError for a fraction, a bool or NaN, which
    ``int`` turned into another seed or a TypeError."""
    if isinstance(value, float | np.floating) and math.isfinite(value) and float(value).is_integer():
        value = int(value)
    return checked_seed(value)


# --------------------------------------------------------------------------- the model


def _model_name(level_id: str) -> str:
    # EMA takes letters and digits only.
    return "rareearths" + "".join(c for c in level_id if c.isalnum())


def _uncertainty_parameters(scenario: Scenario, uncertainties: Iterable[str] | Mapping[str, Any] | None,
                            spread: float) -> list[Any]:
    if uncertainties is None:
        chosen: dict[str, Any] = dict.fromkeys(DEFAULT_ASSUMPTIONS + level_uncertainties_for(scenario))
    elif isinstance(uncertainties, Mapping):
        chosen = dict(uncertainties)
    elif isinstance(uncertainties, str):
        raise TypeError("uncertainties: expected a list of names or a mapping of names to ranges, got a string")
    else:
        chosen = dict.fromkeys(uncertainties)
    parameters = []
    for name, given in chosen.items():
        if name in LEVEL_UNCERTAINTIES:
            level = LEVEL_UNCERTAINTIES[name]
            low, high = _range_given(name, given, level.whole) if given is not None else (level.low, level.high)
            if not low < high:
                raise ValueError(f"{name}: expected a range (low, high) with low below high, got ({low}, {high})")
            for end in (low, high):  # the run's own check, here: a range it refuses failed mid-experiments
                level.apply(scenario, end)
            kind = ema_workbench.IntegerParameter if level.whole else ema_workbench.RealParameter
            parameters.append(kind(name, low, high))
            continue
        low, high = assumption_range(scenario, name, spread, given)
        if FIELD_TYPES[name] is int:
            parameters.append(ema_workbench.IntegerParameter(name, int(low), int(high)))
        else:
            parameters.append(ema_workbench.RealParameter(name, float(low), float(high)))
    return parameters


def _range_given(name: str, given: Any, whole: bool) -> tuple[float, float]:
    """A level uncertainty's range as given: two numbers (whole ones for a whole-number
    uncertainty); ValueError naming it otherwise (True, "0", (0, 3, 5) and (0.5, 3) for a number
    of quarters reached the workbench, which failed mid-experiments or in its own words)."""
    ends = list(given) if isinstance(given, (Sequence, np.ndarray)) and not isinstance(given, (str, bytes)) else None
    if ends is None or len(ends) != 2 or any(
            isinstance(end, (bool, np.bool_)) or not isinstance(end, (numbers.Real, decimal.Decimal))
            or not math.isfinite(float(end)) for end in ends):  # (NumPy's numbers, fractions and decimals too)
        raise ValueError(f"{name}: expected a range (low, high) of two numbers, got {short_repr(given, 40)}")
    low, high = float(ends[0]), float(ends[1])
    if whole and not (low.is_integer() and high.is_integer()):
        raise ValueError(f"{name}: expected a range (low, high) of whole numbers of quarters, got ({low:g}, {high:g})")
    return (int(low), int(high)) if whole else (low, high)


def _lever_parameters(scenario: Scenario, levers: Iterable[str] | Mapping[str, Any] | None) -> list[Any]:
    if levers is None:
        chosen: dict[str, Any] = {"strategy": None}
    elif isinstance(levers, Mapping):
        chosen = dict(levers)
    elif isinstance(levers, str):
        raise TypeError("levers: expected a list of names or a mapping of names to values, got a string")
    else:
        chosen = dict.fromkeys(levers)
    parameters = []
    for name, given in chosen.items():
        if name == "strategy":
            names = tuple(given) if given is not None else strategies_for(scenario)
            if len(names) < 2:
                raise ValueError(f"strategy: a lever needs two strategies or more, got {list(names)} "
                                 "(to play one, pass levers=() and default_strategy=NAME)")
            for strategy in names:
                controller_for(strategy, scenario)  # an unknown strategy is refused here, naming it
            parameters.append(ema_workbench.CategoricalParameter("strategy", names))
        elif name == "action_scale":
            low, high = given if given is not None else ACTION_SCALE_RANGE
            if not 0 < low < high:
                raise ValueError(f"action_scale: expected a range (low, high) with 0 < low < high, got ({low}, {high})")
            parameters.append(ema_workbench.RealParameter("action_scale", low, high))
        else:
            raise ValueError(f"unknown lever {name!r} (expected {', '.join(LEVERS)})")
    return parameters


def _outcome_objects(outcomes: Iterable[str] | None) -> tuple[tuple[str, ...], list[Any]]:
    if isinstance(outcomes, str):
        raise ValueError(f"outcomes: expected a list of names, got the text {outcomes!r} (read letter by letter)")
    names = tuple(OUTCOMES) if outcomes is None else tuple(outcomes)
    if not names:
        raise ValueError(f"outcomes: name at least one (of {', '.join(OUTCOMES)}), or pass None for all")
    for name in names:
        if name not in OUTCOMES:
            raise ValueError(f"unknown outcome {name!r} (expected {', '.join(OUTCOMES)})")
    objects = [ema_workbench.TimeSeriesOutcome(n) if n in SERIES_OUTCOMES else ema_workbench.ScalarOutcome(n)
               for n in names]
    return names, objects


#: The largest seed a range of seeds may hold (the largest whole number a float holds exactly).
EXACT_FLOAT_SEEDS = 2 ** 53


def build_model(level: str | Scenario = "2010-trawler", uncertainties: Iterable[str] | Mapping[str, Any] | None = None,
                levers: Iterable[str] | Mapping[str, Any] | None = None, outcomes: Iterable[str] | None = None, *,
                seed: int | range = 0, spread: float = DEFAULT_SPREAD,
                default_strategy: str = DEFAULT_STRATEGY) -> ema_workbench.Model:
    """An ``ema_workbench.Model`` that plays ``level`` once per experiment.

    Args:
        level: a level id, a level file, or a Scenario.
        uncertainties: names of assumptions and level uncertainties, or a mapping of names to a
            range ``(low, high)`` (None: the default range). None: ``DEFAULT_ASSUMPTIONS`` and
            the level uncertainties that change this level.
        levers: ``"strategy"`` and/or ``"action_scale"``, or a mapping to the strategy names /
            the scale's range. None: ``strategy`` over ``strategies_for(level)``.
        outcomes: names from ``OUTCOMES`` (None: all).
        seed: the world's seed, a constant; a range (step 1) makes it an uncertainty.
        spread: an assumption's default range, as a share of its value each side.
        default_strategy: what Japan plays in a policy that sets no strategy.

    Raises:
        AssumptionError: an unknown assumption or a bad range, naming ``assumptions.NAME``.
        ScenarioError: an unknown level or strategy.
        ValueError: an unknown lever or outcome, or a bad range.
    """
    if not isinstance(level, (str, os.PathLike, Scenario)):
        raise TypeError(f"level: expected a level's id or file, or a Scenario, got {short_repr(level, 60)}")
    if not isinstance(default_strategy, str):
        raise TypeError(f"default_strategy: expected a strategy's name or file, got {short_repr(default_strategy, 60)}")
    scenario = level if isinstance(level, Scenario) else load_level(find_level(level))
    controller_for(default_strategy, scenario)
    uncertainty_parameters = _uncertainty_parameters(scenario, uncertainties, spread)
    lever_parameters = _lever_parameters(scenario, levers)
    outcome_names, outcome_objects = _outcome_objects(outcomes)
    if isinstance(seed, range):
        if seed.step != 1 or seed.stop - seed.start < 2:  # (len() of a range past 2^63 overflows)
            raise ValueError(f"seed: expected a whole number or a range of at least two seeds in steps of 1, got {seed}")
        checked_seed(seed.start), checked_seed(seed[-1])
        if seed[-1] > EXACT_FLOAT_SEEDS:
            # The Workbench samples an integer parameter as a float: 2^60 + k all became 2^60, and a
            # range near 2^63 - 1 drew 2^63, refused halfway through the experiments.
            raise ValueError(f"seed: a range's seeds must be at most 2^53 ({EXACT_FLOAT_SEEDS:,}): the Workbench samples "
                             f"them as floating-point numbers, which hold no larger whole number exactly; got {seed}")
        uncertainty_parameters.append(ema_workbench.IntegerParameter("seed", seed.start, seed.stop - 1))
        constant_seed = 0  # each experiment's own
    else:
        constant_seed = checked_seed(seed)  # a NumPy integer is one; 5.0 is not (it played seed 0)
    model = ema_workbench.Model(_model_name(scenario.id), function=LevelExperiment(
        scenario, outcome_names, default_strategy, constant_seed))
    model.uncertainties = uncertainty_parameters
    model.levers = lever_parameters
    model.outcomes = outcome_objects
    return model


# --------------------------------------------------------------------------- running experiments


def _latin_hypercube(parameters: Iterable[Any], n: int, rng: np.random.Generator) -> list[dict[str, Any]]:
    """``n`` points of a Latin hypercube over the parameters, drawn from ``rng`` (not numpy's
    global generator, so a seed repeats the sample and nothing else in the process moves it):
    for each parameter in the order of their names, one draw in each of ``n`` equal strata,
    the strata in random order, through the parameter's distribution. These are the draws and
    the values EMA Workbench 2.5's sampler gives with that generator, on 2.x and 3.x alike."""
    parameters = sorted(parameters, key=lambda parameter: parameter.name)
    columns = [parameter.dist.ppf((rng.permutation(n) + rng.random(n)) / n) for parameter in parameters]
    points = []
    for row in zip(*columns):
        point = {}
        for parameter, value in zip(parameters, row):
            if isinstance(parameter, ema_workbench.IntegerParameter):  # a category is one too: its index
                value = int(value)
            if isinstance(parameter, ema_workbench.CategoricalParameter):
                value = parameter.cat_for_index(value).value
            point[parameter.name] = value
        points.append(point)
    return points


def _sampled(model: ema_workbench.Model, kind: str, n: int, rng: np.random.Generator) -> list[Any]:
    """``n`` scenarios (``kind`` "scenario", over the model's uncertainties) or policies (over its
    levers), named 0 to n - 1: the workbench would number them from a counter that runs on
    through the process, so a second run with the same seed would come back under other names."""
    parameters = model.uncertainties if kind == "scenario" else model.levers
    point = _SCENARIO if kind == "scenario" else _POLICY
    return [point(i, **values) for i, values in enumerate(_latin_hypercube(parameters, n, rng))]


def _policies(model: ema_workbench.Model, policies: Any, rng: np.random.Generator) -> Any:
    """What perform_experiments takes: a list of policies, or 0 for none."""
    has_strategy = "strategy" in {lever.name for lever in model.levers}
    if policies is None:
        default = model.function.default_strategy
        return [_POLICY(default, strategy=default)] if has_strategy else 0
    if isinstance(policies, (int, np.integer)) and not isinstance(policies, (bool, np.bool_)):
        if policies < 0:  # NumPy's "negative dimensions are not allowed" named nothing
            raise ValueError(f"policies: expected how many to sample, 0 or more, got {policies}")
        return _sampled(model, "policy", int(policies), rng) if policies else 0
    if isinstance(policies, (bool, np.bool_, float, np.floating, bytes)) or not isinstance(policies, Iterable):
        raise TypeError(f"policies: expected None, how many to sample (a whole number), strategy names or "
                        f"policies, got {short_repr(policies, 40)}")
    if isinstance(policies, str):
        raise ValueError(f"policies: expected a list of strategy names or policies, got the text {policies!r} "
                         "(read letter by letter)")
    if isinstance(policies, Mapping):  # one policy (a workbench Policy is one too)
        policies = [policies]
    strategies = next(([c.value for c in lever.categories] for lever in model.levers if lever.name == "strategy"), [])
    chosen = []
    for policy in policies:
        if isinstance(policy, str):
            if policy not in strategies:
                raise ValueError(f"policy {policy!r}: not a strategy of the model's lever (expected one of "
                                 f"{', '.join(strategies) or 'none: the model has no strategy lever'})")
            policy = _POLICY(policy, strategy=policy)
        elif isinstance(policy, Mapping):
            _check_policy(model, policy, strategies)
            if not isinstance(policy, _POLICY):  # a workbench Policy keeps its own name
                policy = _POLICY("-".join(f"{k}={v}" for k, v in policy.items()), **policy)
        elif not isinstance(policy, _POLICY):  # (a workbench point that is no mapping goes as it is)
            # The workbench's own TypeError or AttributeError named nothing.
            raise TypeError(f"policies: each is a strategy's name, a workbench policy or a dict of lever values, "
                            f"got {short_repr(policy, 40)}")
        chosen.append(policy)
    return chosen


def _check_policy(model: ema_workbench.Model, policy: Mapping[str, Any], strategies: list[str]) -> None:
    """A policy given as a mapping sets the model's levers only, each to a value the lever can
    take; ValueError naming it otherwise (a misspelt key ran with no strategy at all, and an
    action scale of NaN or -3 failed mid-experiments)."""
    levers = {lever.name: lever for lever in model.levers}
    for key, value in policy.items():
        lever = levers.get(key)
        if lever is None:
            raise ValueError(f"policy {dict(policy)!r}: {key!r} is not one of the model's levers "
                             f"({', '.join(levers) or 'it has none'})")
        if key == "strategy" and value not in strategies:
            raise ValueError(f"policy {dict(policy)!r}: strategy {value!r} is not one of the model's lever "
                             f"(expected one of {', '.join(strategies)})")
        if key == "action_scale" and (isinstance(value, (bool, np.bool_)) or not isinstance(
                value, (int, float, np.integer, np.floating)) or not lever.lower_bound <= value <= lever.upper_bound):
            raise ValueError(f"policy {dict(policy)!r}: action_scale {short_repr(value, 30)} is outside the lever's "
                             f"range ({lever.lower_bound:g}, {lever.upper_bound:g})")


@contextlib.contextmanager
def _quiet_workers() -> Iterator[None]:
    """Worker processes import the workbench afresh (Mesa has multiprocessing spawn them rather
    than fork), each naming the optional back-ends it lacks: silence that in them too. The
    environment is theirs at start-up only, so it is put back once they run."""
    before = os.environ.get("PYTHONWARNINGS")
    os.environ["PYTHONWARNINGS"] = ",".join(filter(None, [before, _MISSING_BACKEND_WARNING]))
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("PYTHONWARNINGS", None)
        else:
            os.environ["PYTHONWARNINGS"] = before


def run_experiments(model: ema_workbench.Model, scenarios: int | Sequence[Any] = 100, policies: Any = None,
                    seed: int = 0, n_processes: int = 1, progress: bool = False) -> tuple[Any, dict[str, np.ndarray]]:
    """Sample ``scenarios`` points of the uncertainties and play each under each policy.

    Args:
        model: from ``build_model``.
        scenarios: how many to sample (a seeded Latin hypercube; named 0 to N - 1), or the
            workbench's own points (``ema_workbench.Scenario``s in 2.x, ``Sample``s from 3.0).
            0 samples none: the workbench then plays the uncertainties' default values once.
        policies: None (the model's default strategy), a number of policies to sample over the
            levers (0: none, and the workbench plays the levers' defaults once), strategy names
            (one policy each), or the workbench's points (``Policy`` in 2.x, ``Sample`` from 3.0)
            or dicts of lever values.
        seed: seeds the sampling; the world's own seed is the model's (``build_model(seed=...)``).
        n_processes: 1 plays in this process (SequentialEvaluator); more uses a
            MultiprocessingEvaluator with that many workers. Results are the same either way.
        progress: show the workbench's progress bar.

    Returns:
        EMA's (experiments DataFrame, {outcome name: array}), aligned by row.
    """
    seed = checked_seed(seed)
    if isinstance(scenarios, bool) or isinstance(scenarios, float | np.floating | str | bytes):
        raise TypeError(f"scenarios: expected how many to sample (a whole number) or the workbench's "
                        f"points, got {short_repr(scenarios, 40)}")
    if isinstance(n_processes, bool) or not isinstance(n_processes, int | np.integer) or n_processes < 1:
        raise ValueError(f"n_processes: expected a whole number of at least 1, got {short_repr(n_processes, 40)}")
    if isinstance(scenarios, int | np.integer):
        if scenarios < 0:
            raise ValueError(f"scenarios: expected how many to sample, 0 or more, got {scenarios}")
        scenarios = int(scenarios)
    scenario_rng, policy_rng = (np.random.default_rng(stream) for stream in np.random.SeedSequence(seed).spawn(2))
    if isinstance(scenarios, int):
        scenarios = _sampled(model, "scenario", scenarios, scenario_rng) if scenarios else 0
    policies = _policies(model, policies, policy_rng)
    evaluator = (ema_workbench.SequentialEvaluator(model) if n_processes == 1
                 else ema_workbench.MultiprocessingEvaluator(model, n_processes=n_processes))
    with _quiet_workers(), evaluator:
        # The workbench shows a progress bar when it does *not* log progress.
        return evaluator.perform_experiments(scenarios=scenarios, policies=policies, log_progress=not progress)
