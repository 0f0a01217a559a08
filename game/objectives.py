"""Objectives: thresholds on the recorded indicators, scored into zero to three stars.

An objective is a rule over one indicator column of a run (Japan's output index, China's
share of its supply, days of stockpile, budget, tension...), either over the whole level,
over a span of quarters, or at a date. Each objective belongs to a star tier: one star
needs every tier-1 objective met, two stars tiers 1 and 2, three stars all of them. Each
verdict comes with its reason, naming the quarter and the value that decided it.

Pure functions over the rows a session records, so they score a replay, a headless run or
a live game the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from game.quoting import Worded
from game.spec import Objective
from game.vocab.arithmetic import added_up
from game.vocab.quarters import Quarter

#: rule -> (what it checks, whether higher values are better)
RULES = {
    "never_below": ("never below", True),
    "never_above": ("never above", False),
    "at_least_by": ("at least", True),
    "at_most_by": ("at most", False),
    "average_at_least": ("on average at least", True),
    "average_at_most": ("on average at most", False),
}
#: Rules judged at one quarter (``by``) rather than over a span.
DATED_RULES = ("at_least_by", "at_most_by")
#: The reason of an objective whose date or span the game never reached because it was ended
#: early (a workshop's facilitator ended it): never measured, which is not failed.
NOT_MEASURED = "not measured: the game ended after {quarter}"
NOT_MEASURED_AT_ALL = "not measured: the game ended before its first quarter"
#: A reason ``judge`` gives once something decides the objective: (lowest|highest|value, the
#: value, where, the rule's words, the threshold).
JUDGED = re.compile(r"(lowest|highest|value) (\S+) in (\S+), threshold (.+) (\S+)")


@dataclass(frozen=True)
class Verdict:
    objective: Objective
    met: bool
    reason: str
    margin: float  # how far past the threshold (positive) or short of it (negative)
    value: float | None = None  # the deciding value, None while nothing decides it yet
    where: str = ""  # the quarter (or span) it was found in
    #: What the value is: the span's "lowest" or "highest" so far, its "average", the indicator
    #: "now" (a date not reached yet, or the quarter being played), or the "value" at the date.
    measure: str = "value"
    #: The first and last quarter an average was taken over, where it was more than one (the
    #: screens write them as their language writes a span, as ``where`` cannot).
    span: tuple[str, str] | None = None


@dataclass(frozen=True)
class LevelResult:
    stars: int
    score: float  # 0..100: share of objectives met, weighted by tier, plus a little for margin
    verdicts: tuple[Verdict, ...]

    def reasons(self, language: str = "en") -> list[str]:
        return [f"{'met' if v.met else 'not met'}: {v.objective.text.get(language, v.objective.id)} ({v.reason})"
                for v in self.verdicts]


def judge(objective: Objective, rows: Sequence[Mapping[str, Any]], ended: bool = False) -> Verdict:
    """Whether the rows played so far meet the objective, and why; ``ended``: the game is over,
    so a date or span not reached never will be (it was ended early)."""
    words, higher_is_better = RULES[objective.rule]
    column = objective.indicator
    quarters = None  # an average's first and last quarter, where they differ
    if objective.rule in DATED_RULES:
        row = next((r for r in rows if r["quarter"] == str(objective.by)), None)
        if row is None:
            return Verdict(objective, False, not_measured(rows) if ended else f"{objective.by} not reached yet", 0.0)
        value, where = float(row[column]), str(objective.by)
    else:
        span = [r for r in rows if _within(r["quarter"], objective.start, objective.end)]
        if not span:
            return Verdict(objective, False, not_measured(rows) if ended else "no quarter of its span played yet", 0.0)
        values = [float(r[column]) for r in span]
        if objective.rule.startswith("average"):
            first, last = span[0]["quarter"], span[-1]["quarter"]
            value, where = added_up(values) / len(values), first if first == last else f"{first}-{last}"
            quarters = None if first == last else (first, last)
        else:
            worst = min if higher_is_better else max
            value = worst(values)
            where = span[values.index(value)]["quarter"]
    margin = value - objective.threshold if higher_is_better else objective.threshold - value
    met = margin >= -1e-12
    shown = "lowest" if objective.rule == "never_below" else "highest" if objective.rule == "never_above" else "value"
    reason = (f"{shown} {format_beside(value, objective.threshold)} in {where}, "
              f"threshold {words} {format_threshold(objective.threshold)}")
    return Verdict(objective, met, reason, margin, value, where,
                   "average" if objective.rule.startswith("average") else shown, quarters)


def not_measured(rows: Sequence[Mapping[str, Any]]) -> str:
    """The reason of an objective a game ended before it could be measured."""
    return NOT_MEASURED.format(quarter=rows[-1]["quarter"]) if rows else NOT_MEASURED_AT_ALL


def star_gap(objectives: Sequence[Objective]) -> str:
    """What is wrong with the objectives' stars as tiers ("" if nothing): a star, up to the
    highest any objective earns, with no objective of its own was met by the tiers below
    (objectives for stars 1 and 3 gave two stars for star 1's alone). Level and roles files
    refuse it; ``score`` gives no star for it. A star that is no tier is said elsewhere."""
    tiers = {objective.star for objective in objectives}
    if not tiers <= {1, 2, 3}:
        return ""
    missing = next((tier for tier in range(1, max(tiers, default=0) + 1) if tier not in tiers), None)
    if missing is None:
        return ""
    return Worded("no objective for star {star}: each star up to the highest ({highest}) needs one of its own",
                  star=missing, highest=max(tiers))


def score(objectives: Sequence[Objective], rows: Sequence[Mapping[str, Any]], ended: bool = False) -> LevelResult:
    """Stars (0-3) and a 0-100 score for the rows played so far (``ended``: all there will be)."""
    verdicts = tuple(judge(o, rows, ended) for o in objectives)
    stars = 0
    for tier in (1, 2, 3):
        # A tier with no objective of its own gives no star (levels refuse such a gap; a level
        # built in code may still have one).
        tier_verdicts = [v for v in verdicts if v.objective.star <= tier]
        if any(v.objective.star == tier for v in verdicts) and all(v.met for v in tier_verdicts):
            stars = tier
        else:
            break
    if not verdicts:
        return LevelResult(0, 0.0, ())
    weights = [4 - v.objective.star for v in verdicts]  # tier-1 goals count most
    met = added_up(w for w, v in zip(weights, verdicts) if v.met) / added_up(weights)
    return LevelResult(stars, round(100.0 * met, 2), verdicts)


#: How near its threshold (as a share of it) a value that still meets an objective counts as at risk.
AT_RISK_MARGIN = 0.05


@dataclass(frozen=True)
class Standing:
    """Where an objective stands while the level is played.

    ``state`` is one of: ``met`` (decided, met), ``lost`` (decided, or already broken for
    good), ``on_track`` (met so far), ``at_risk`` (met so far, but the quarter to be played
    can break it: a value within AT_RISK_MARGIN of the threshold, or the date that decides it),
    ``behind`` (not met so far, can still be), ``not_started`` (its span lies ahead).
    """

    verdict: Verdict
    state: str

    @property
    def objective(self) -> Objective:
        return self.verdict.objective


def standings(objectives: Sequence[Objective], rows: Sequence[Mapping[str, Any]], next_quarter: Quarter,
              level_end: Quarter, now: Mapping[str, float] | None = None) -> list[Standing]:
    """Each objective's standing after the rows played, with ``next_quarter`` the one to be
    played next (after ``level_end`` once the level is over). ``now``: indicators as they stand
    in the quarter being played, where its events and levers move them before it is measured
    (tension, political capital, the budget); a "never" objective they break or come near is at
    risk this quarter."""
    return [_standing(o, rows, next_quarter, level_end, now or {}) for o in objectives]


def _standing(objective: Objective, rows: Sequence[Mapping[str, Any]], next_quarter: Quarter,
              level_end: Quarter, now: Mapping[str, float]) -> Standing:
    verdict = judge(objective, rows)
    coming = str(next_quarter)
    at_risk_now = _at_risk_now(objective, verdict, coming, now)
    if at_risk_now is not None:
        return at_risk_now
    if objective.rule in DATED_RULES:
        if any(r["quarter"] == str(objective.by) for r in rows):
            return Standing(verdict, "met" if verdict.met else "lost")
        if not rows:
            return Standing(verdict, "not_started")
        # Not reached yet: judge the latest value as if it were the date.
        now, near = _latest_judged(objective, rows, f" by {objective.by}")
        if not now.met:
            return Standing(now, "behind")
        return Standing(now, "at_risk" if coming == str(objective.by) or near else "on_track")
    span_over = coming > str(objective.end or level_end)
    if span_over:
        return Standing(verdict, "met" if verdict.met else "lost")
    in_span = [r for r in rows if _within(r["quarter"], objective.start, objective.end)]
    if not in_span:
        if not _within(coming, objective.start, objective.end):
            return Standing(verdict, "not_started")
        return _first_quarter_standing(objective, verdict, rows)
    if objective.rule in ("never_below", "never_above"):
        if not verdict.met:
            return Standing(verdict, "lost")  # once broken, it stays broken
        higher = RULES[objective.rule][1]
        latest = float(in_span[-1][objective.indicator])
        margin = latest - objective.threshold if higher else objective.threshold - latest
        near = margin < AT_RISK_MARGIN * max(abs(objective.threshold), 1e-9)
        return Standing(verdict, "at_risk" if near and _within(coming, objective.start, objective.end) else "on_track")
    if not verdict.met:
        return Standing(verdict, "lost" if _out_of_reach(objective, in_span, next_quarter, level_end) else "behind")
    near = verdict.margin < AT_RISK_MARGIN * max(abs(objective.threshold), 1e-9)
    if near and objective.rule in ("average_at_least", "average_at_most"):
        # An average whose latest quarter lies well on the safe side moves away from the
        # threshold: 78 days on average against 75, with 126 held in the last quarter, is not
        # at risk (a play-tester was warned of it).
        higher = RULES[objective.rule][1]
        latest = float(in_span[-1][objective.indicator])
        latest_margin = latest - objective.threshold if higher else objective.threshold - latest
        near = latest_margin < AT_RISK_MARGIN * max(abs(objective.threshold), 1e-9)
    return Standing(verdict, "at_risk" if near else "on_track")


def _first_quarter_standing(objective: Objective, verdict: Verdict, rows: Sequence[Mapping[str, Any]]) -> Standing:
    """An objective whose span's first quarter is being played: under way, not "not started"
    (End turn's forecast, which looks at objectives under way, passed it over). Nothing of its
    span is measured yet, so it is judged on the latest value known, as a date not reached is:
    short of its threshold, a "never" objective is at risk this quarter and an average behind;
    on a level's first turn, with nothing measured, nothing is against it."""
    if not rows:
        return Standing(verdict, "on_track")
    now, near = _latest_judged(objective, rows)
    if not now.met and objective.rule not in ("never_below", "never_above"):
        return Standing(now, "behind")
    return Standing(now, "at_risk" if near else "on_track")


def _latest_judged(objective: Objective, rows: Sequence[Mapping[str, Any]], until: str = "") -> tuple[Verdict, bool]:
    """The latest value known judged as if it were the deciding one (a date not reached, a span
    not yet measured; ``until``: " by 2011Q2" for a dated objective), and whether it lies near
    the threshold."""
    words, higher = RULES[objective.rule]
    value = float(rows[-1][objective.indicator])
    margin = value - objective.threshold if higher else objective.threshold - value
    now = Verdict(objective, margin >= -1e-12, f"now {format_beside(value, objective.threshold)}, "
                  f"threshold {words} {format_threshold(objective.threshold)}{until}", margin, value,
                  rows[-1]["quarter"], "now")
    return now, margin < AT_RISK_MARGIN * max(abs(objective.threshold), 1e-9)


#: The least and the most an indicator can be, where it has such bounds: an average short of its
#: threshold by more than the quarters left can make up at the bound is lost, not "behind".
BOUNDS = {"japan_output_index": (0.0, 1.0), "japan_china_share": (0.0, 1.0), "japan_secured_share": (0.0, None)}


def _out_of_reach(objective: Objective, in_span: Sequence[Mapping[str, Any]], next_quarter: Quarter,
                  level_end: Quarter) -> bool:
    """Whether an average objective falling short can no longer be met: every quarter left in its
    span at the indicator's bound would still leave the average short (2010-trawler's output on
    average at least 0.918 over four quarters, at 0.86 after three, needed 1.09 in the last,
    above the index's most, and read "behind, can still be met")."""
    if objective.rule not in ("average_at_least", "average_at_most"):
        return False
    least, most = BOUNDS.get(objective.indicator, (None, None))
    best = most if RULES[objective.rule][1] else least
    if best is None:
        return False
    left = max(0, (objective.end or level_end) - next_quarter + 1)  # quarters of the span still to play
    values = [float(r[objective.indicator]) for r in in_span]
    average = (added_up(values) + left * best) / (len(values) + left)
    short = objective.threshold - average if RULES[objective.rule][1] else average - objective.threshold
    return short > 1e-12


def _at_risk_now(objective: Objective, verdict: Verdict, coming: str, now: Mapping[str, float]) -> Standing | None:
    """A "never" objective not yet broken, in its span this quarter, that the indicator as it
    stands now breaks or comes near: at risk, judged on the value now. (The panel judged
    tension on the last quarter played: an event took it from 0.30 to 0.60, above the level's
    0.55, and the panel said "on track" and End turn warned of nothing; the quarter then lost
    the star.)"""
    broken = verdict.value is not None and not verdict.met  # (None: no quarter of its span played yet)
    if objective.rule not in ("never_below", "never_above") or objective.indicator not in now or broken \
            or not _within(coming, objective.start, objective.end):
        return None
    words, higher = RULES[objective.rule]
    value = float(now[objective.indicator])
    margin = value - objective.threshold if higher else objective.threshold - value
    if margin >= AT_RISK_MARGIN * max(abs(objective.threshold), 1e-9):
        return None
    return Standing(Verdict(objective, margin >= -1e-12, f"now {format_beside(value, objective.threshold)}, "
                            f"threshold {words} {format_threshold(objective.threshold)}", margin, value, coming, "now"),
                    "at_risk")


def _within(quarter: str, start: Quarter | None, end: Quarter | None) -> bool:
    return (start is None or quarter >= str(start)) and (end is None or quarter <= str(end))


def format_threshold(value: float) -> str:
    """A threshold as the level states it: a third decimal when it has one (0.918, not 0.92), and
    none when it is a whole number (75 days, not 75.00)."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    if abs(value) < 100 and round(value, 3) != round(value, 2):
        return f"{value:.3f}"
    return format_value(value)


def format_value(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}"


def format_beside(value: float, threshold: float) -> str:
    """``value`` as ``format_value`` shows it, with as many more decimals (up to six) as it takes
    not to read as its threshold when it is not that: a lowest of 0.7497 beside a threshold of
    0.75 shows as 0.7497, where "0.75" would have read as met. Beside a whole threshold of 10 or
    more (days, tonnes) it is whole, as its threshold is: 48 days, not 48.11, and 59.6 beside 60.
    A value within the judge's tolerance of the threshold is the threshold, and shows as one."""
    digits = 0 if abs(value) >= 100 or (float(threshold).is_integer() and abs(threshold) >= 10) else 2
    if abs(value - threshold) <= 1e-12:
        return f"{value:,.{digits}f}"
    shown = digits
    while shown < 6 and f"{value:.{shown}f}" == f"{threshold:.{shown}f}":
        shown += 1
    return f"{value:,.{shown}f}"


def format_percent(share: float, beside: float | None = None) -> str:
    """A share as a percentage. A threshold (``beside`` None) to as many decimals as it has: 3%,
    2.5%. A value to one decimal, whatever its threshold, and more only where it would read as
    its threshold when it is not (2.99% beside 3%, not 3.0%)."""
    shown = share * 100
    if beside is None:
        decimals = next((d for d in range(4) if round(shown, d) == round(shown, 6)), 4)
        return f"{shown:.{decimals}f}%"
    decimals, threshold = 1, beside * 100
    while decimals < 4 and abs(shown - threshold) > 1e-9 and f"{shown:.{decimals}f}" == f"{threshold:.{decimals}f}":
        decimals += 1
    return f"{shown:.{decimals}f}%"


def reason_in_percent(reason: str, value: float | None = None, threshold: float | None = None) -> str:
    """The reason ``judge`` gave for an objective on a share, its figures as percentages, as the
    objective's text states them ("value 96.0% in 2011Q4, threshold on average at least 60%",
    not "value 0.96 ... 0.60"); ``value`` and ``threshold`` are the verdict's own figures where
    known (the reason's are rounded). A reason of another form (nothing decides it yet) as it is."""
    match = JUDGED.fullmatch(reason)
    if match is None:
        return reason
    shown, value_text, where, words, threshold_text = match.groups()
    try:
        value = float(value_text) if value is None else float(value)
        threshold = float(threshold_text) if threshold is None else float(threshold)
    except ValueError:
        return reason
    return (f"{shown} {format_percent(value, beside=threshold)} in {where}, "
            f"threshold {words} {format_percent(threshold)}")
