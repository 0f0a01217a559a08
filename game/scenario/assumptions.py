"""The ``[assumptions]`` table: the behavioural constants of ``game.spec.Assumptions``, checked
the same way wherever they come from.

- The world file must give every field, each with its source or the reason it is an assumption
  (``read_assumptions(..., required=True)``).
- A level file may override any of them in its own ``[assumptions]`` table.
- A run may override them again, from the command line (``--set assumptions.NAME=VALUE``, read
  by ``parse_setting``) or the Python API (``game.research.runner.run(..., assumptions={...})``),
  through ``with_assumptions``; the overrides are kept on the Scenario so that saves carry them.

Whole numbers are accepted where a number is expected, never true/false; numbers must be
finite and inside the field's range (``BOUNDS``), so that what is accepted never fails at run
time. Every refusal names the key: ``assumptions.NAME: what is wrong``.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import numbers
import re
import typing
from collections.abc import Collection, Mapping
from typing import Any

import tomli

from game.actions import MAX_PROPOSED_YEARS
from game.quoting import Worded, readable_number, said_back
from game.scenario.toml_reader import MAX_NUMBER, MIN_MAGNITUDE, TomlReader, type_name
from game.spec import Assumptions, Scenario

#: The table's name in world and level files, and the prefix of ``--set`` keys.
TABLE = "assumptions"
#: Field name -> its type (float, int, bool, or a tuple type), from the dataclass.
FIELD_TYPES: dict[str, Any] = {
    name: tp for name, tp in typing.get_type_hints(Assumptions).items()
    if name in {f.name for f in dataclasses.fields(Assumptions)}
}
NAMES: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Assumptions))
#: The assumptions whose value is a list (``offtake_years = [3, 5, 10]``), not one number.
LIST_NAMES: frozenset[str] = frozenset(name for name, tp in FIELD_TYPES.items() if typing.get_origin(tp) is tuple)


@dataclasses.dataclass(frozen=True)
class Bound:
    """The range a number (or each number of a list) must fall in, and a list's length."""

    low: float = 0.0
    high: float = MAX_NUMBER
    above_low: bool = False  # the low end itself is refused (a divisor, a log's argument)
    min_items: int = 0
    max_items: int = 100


_SHARE = Bound(0.0, 1.0)
_POSITIVE = Bound(0.0, MAX_NUMBER, above_low=True)
#: Ranges that differ from "from 0 to 1,000,000,000": what the code divides by, takes a log of, or
#: indexes, and what is a probability or a share. Every number must also be finite.
BOUNDS: dict[str, Bound] = {
    "stock_credit_share": _SHARE,
    "concentrate_value_share": _SHARE,
    "run_rate_cost_band": Bound(0.0, 1.0, above_low=True),
    "planned_run_rate_cost_band": Bound(0.0, 1.0, above_low=True),
    "contract_index_share": _SHARE,
    "glut_price_cut": _SHARE,
    "sold_out_price_rise": _SHARE,
    "held_back_price_rise": _SHARE,
    "max_ask_cut_per_quarter": _SHARE,
    "min_run_rate": _SHARE,
    "holding_interest_per_quarter": _SHARE,
    "switching_cost_share": _SHARE,
    "idle_below_utilisation": _SHARE,
    "fixed_cost_share": _SHARE,
    "mothballed_fixed_cost_share": _SHARE,
    "interest_rate_per_year": _SHARE,
    "price_expectation_weight": _SHARE,
    "loss_quarters_to_mothball": Bound(1, 400),
    "reopen_margin": Bound(-1.0, 100.0),
    "quarters_before_restart": Bound(0, 400),
    "restart_margin": Bound(-1.0, 100.0),
    "thrift_above_price_ratio": _POSITIVE,
    "max_thrift_per_quarter": _SHARE,
    "min_use_intensity": _SHARE,
    "relocate_above_price_ratio": _POSITIVE,
    "max_relocation_per_quarter": _SHARE,
    "max_relocated_share": _SHARE,
    # the second step's multiple caps what buyers pay for stock: at least two steps
    "need_bid_steps": Bound(min_items=2, max_items=20),
    "buffer_bid_steps": Bound(max_items=20),
    "tension_easing_per_quarter": _SHARE,
    "embargo_fright": _SHARE,
    "bystander_fright": _SHARE,
    "security_premium_fading_per_quarter": _SHARE,
    "doctrine_friction_from_score": Bound(-MAX_NUMBER, 0.99),  # the code divides by 1 - this
    "doctrine_halt_from_score": Bound(-MAX_NUMBER, MAX_NUMBER),
    "doctrine_halt_min_tension": _SHARE,
    "negotiation_rounds": Bound(1, 100),
    "max_secure_share": _SHARE,
    "contract_discount": _SHARE,
    "price_index_quarters": Bound(1, 400),
    "price_index_discount": Bound(0.0, 1.0, above_low=True),
    "offtake_volume_tiers": Bound(0.0, 1.0, above_low=True, min_items=1, max_items=10),
    # A counter from the menu is accepted by proposing it: no longer than a proposal may run.
    "offtake_years": Bound(1, MAX_PROPOSED_YEARS, min_items=1, max_items=10),
    "offtake_price_steps": Bound(2, 200),
    "capex_miner_usd_per_tpy": _POSITIVE,
    "capex_separator_usd_per_tpy": _POSITIVE,
    "capex_recycler_usd_per_tpy": _POSITIVE,
    "capex_magnet_maker_usd_per_tpy": _POSITIVE,
    "build_quarters_miner": Bound(1, 400),
    "build_quarters_separator": Bound(1, 400),
    "build_quarters_recycler": Bound(1, 400),
    "build_quarters_magnet_maker": Bound(1, 400),
    "expansion_delay_chance": Bound(0.0, 0.95),
    "expansion_equity_share": _SHARE,
    "quota_capacity_headroom": _SHARE,
    "dytb_stock_cap_scale": Bound(0.1, 10.0),
    "approval_chance_per_quarter": _SHARE,
    "approval_foreign_money_bonus": _SHARE,
    "approval_tension_penalty": _SHARE,
    "approval_partner_bonus": _SHARE,
    "commissioning_first_share": _SHARE,
    "commissioning_ramp_quarters": Bound(1, 400),
    "max_research_dytb_cut": _SHARE,
    "research_scale_musd": _POSITIVE,
    "research_quarters": Bound(0, 400),
    "talks_ease_share": _SHARE,
    "partnership_tension_ease": _SHARE,
    "reputation_period_quarters": Bound(1, 400),
    "licence_base_quarters": Bound(1, 400),
    "wto_respondent_wins_chance": _SHARE,
}
_DEFAULT_BOUND = Bound()


class AssumptionError(ValueError):
    """An assumption refused: ``key`` is its path (``assumptions.NAME`` or deeper), ``message``
    what is wrong, made from ``message`` with ``{name}`` fields that ``values`` fill (words that
    keep their template: ``Worded``); ``str()`` is the one line ``key: message``. A window says
    it in its own language through its ``template`` and ``values``, as it does a ``Refusal``."""

    def __init__(self, key: str, message: str, **values: object):
        self.key, self.message = key, message if isinstance(message, Worded) else Worded(message, **values)
        self.template, self.values = "{key}: {problem}", {"key": key, "problem": self.message}
        super().__init__(f"{key}: {self.message}")


def unknown_message(name: object) -> Worded:
    """What to say of a name that is not an assumption, with the nearest names if any."""
    text = str(name)
    near = difflib.get_close_matches(text, NAMES, n=3, cutoff=0.6)
    near += [n for n in NAMES if text and len(text) >= 4 and text in n and n not in near][: 3 - len(near)]
    if near:
        return Worded("unknown assumption (did you mean {names}?)", names=", ".join(near))
    return Worded("unknown assumption (the [{table}] table of the world file lists them all)", table=TABLE)


def describe(name: str) -> Worded:
    """What a field expects, for 'missing' problems: 'a number', 'a list of whole numbers'..."""
    return _describe(FIELD_TYPES[name])


def check_value(name: str, value: Any) -> Any:
    """``value`` checked and converted for the field ``name`` (ints become floats where a float
    is expected, lists become tuples). Raises AssumptionError naming the key."""
    if not isinstance(name, str) or name not in FIELD_TYPES:
        raise AssumptionError(f"{TABLE}.{name}", unknown_message(name))
    return _convert(value, FIELD_TYPES[name], f"{TABLE}.{name}", BOUNDS.get(name, _DEFAULT_BOUND))


def clash(values: Mapping[str, Any], given: Collection[str] | None = None) -> AssumptionError | None:
    """Two assumptions that make no sense together (``values``: every assumption, or those read
    so far), the first such pair as an error naming the one to change; None if none. A level
    starting Japan with 300 political capital where it can hold 12 was accepted and read 12.
    Level and world files refuse such a pair; overrides in code and ``--set`` may make one (an
    experiment sampling both may draw it), and the world then holds what it can."""
    start, most = values.get("political_capital_start"), values.get("political_capital_max")
    if start is not None and most is not None and start > most:
        # Named by the one the file gives (``given``: the names it sets; a level may set only the
        # most, below the world file's start).
        if given is not None and "political_capital_max" in given and "political_capital_start" not in given:
            return AssumptionError(f"{TABLE}.political_capital_max",
                                   "{most} is less than political_capital_start ({start}, the world file's), where a "
                                   "nation begins", most=readable_number(most), start=readable_number(start))
        return AssumptionError(f"{TABLE}.political_capital_start",
                               "{start} is more than political_capital_max ({most}), the most a nation can hold",
                               start=readable_number(start), most=readable_number(most))
    return None


def check_overrides(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Every (name, value) checked, in the order given; the first bad one raises AssumptionError."""
    if not isinstance(overrides, Mapping):
        raise AssumptionError(TABLE, "expected a mapping of assumption names to values, got {value}",
                              value=said_back(overrides))
    return {name: check_value(name, value) for name, value in overrides.items()}


def with_assumptions(scenario: Scenario, overrides: Mapping[str, Any]) -> Scenario:
    """The scenario with some assumptions overridden (the API's and ``--set``'s way in).

    The overrides are checked first (AssumptionError, a ValueError naming the key, for an
    unknown name or a value of the wrong type or range), then applied over the scenario's
    assumptions and recorded in ``assumption_overrides`` (for saves, and for the history a
    level continues). No overrides: the scenario itself.
    """
    checked = check_overrides(overrides)
    if not checked:
        return scenario
    recorded = dict(scenario.assumption_overrides)
    recorded.update(checked)
    return dataclasses.replace(scenario, assumptions=dataclasses.replace(scenario.assumptions, **checked),
                               assumption_overrides=tuple(sorted(recorded.items())))


def parse_setting(text: str) -> tuple[str, Any]:
    """``assumptions.NAME=VALUE`` (or ``NAME=VALUE``) from the command line -> (NAME, checked value).

    VALUE is read as a TOML value: ``0.08``, ``8``, ``[3, 5, 10]``, ``[[0.25, 9.0], [0.25, 5.5]]``;
    anything else is taken as text, which no assumption accepts. Raises AssumptionError.
    """
    key, equals, raw = text.partition("=")
    key = key.strip()
    if not equals or not key:
        raise AssumptionError(key or text, "expected {table}.NAME=VALUE", table=TABLE)
    # An assumption's bare name is taken too, as `sweep --set` takes it; a near miss of one is a
    # misspelt assumption; anything else (seed=3) is no assumption.
    if not key.startswith(TABLE + ".") and key not in FIELD_TYPES:
        if difflib.get_close_matches(key, NAMES, n=1, cutoff=0.8):
            raise AssumptionError(f"{TABLE}.{key}", unknown_message(key))
        raise AssumptionError(key, "only assumptions can be set: expected {table}.NAME=VALUE", table=TABLE)
    name = key.removeprefix(TABLE + ".")
    if name not in FIELD_TYPES:
        raise AssumptionError(key, unknown_message(name))
    if not raw.strip():  # read as text, it was "expected a number, got a string"
        raise AssumptionError(key, "no value after '='")
    return name, check_value(name, _parse_value(raw.strip()))


def value_text(value: Any) -> str:
    """An assumption's value as TOML and ``--set`` write it, which ``parse_setting`` reads back as
    the same value: ``0.05``, ``8``, ``true``, ``[3, 5]``, ``[[0.5, 9.0], [0.5, 1.0]]``. (Python
    writes a tuple as ``(3, 5)``, which neither reads.)

    Raises:
        TypeError: a value no assumption holds (text, a table).
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):  # repr: the shortest text that reads back as the same float
        return repr(float(value))
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(value_text(item) for item in value) + "]"
    raise TypeError(f"no assumption holds {type_name(value)}")


def read_assumptions(reader: TomlReader, data: dict, required: bool) -> dict[str, Any]:
    """The ``[assumptions]`` table of a world file (``required``: every field) or a level file
    (any subset); each problem is recorded on ``reader`` with its key path. Returns the values
    that passed."""
    table = reader.table(data, "", TABLE, required=required)
    values: dict[str, Any] = {}
    for name, value in table.items():
        try:
            values[name] = check_value(name, value)
        except AssumptionError as error:
            reader.problem(error.key, error.message)
    if required and isinstance(data.get(TABLE), dict):
        for name in NAMES:
            if name not in table:
                reader.problem(f"{TABLE}.{name}", "missing (expected {what})", what=describe(name))
    return values


# --------------------------------------------------------------------------- checking one value


def _parse_value(raw: str) -> Any:
    if not raw or any(c in raw for c in "\r\n"):
        return raw
    if _DECIMAL_WITHOUT_A_DIGIT.fullmatch(raw):  # .05 and 5. as a person writes them; TOML wants 0.05, 5.0
        return float(raw)
    try:
        parsed = tomli.loads(f"value = {raw}")
    except (tomli.TOMLDecodeError, ValueError, RecursionError):
        return raw  # text, which every field refuses with "expected ..., got a string"
    return parsed.get("value", raw) if len(parsed) == 1 else raw


#: A decimal number with no digit before or after its point (".05", "-.5", "5."), which TOML refuses.
_DECIMAL_WITHOUT_A_DIGIT = re.compile(r"[+-]?(\.[0-9]+|[0-9]+\.)([eE][+-]?[0-9]+)?")


#: What a list of each kind of value is called: "a list of whole numbers".
_LISTS = {"a number": Worded("a list of numbers"), "a whole number": Worded("a list of whole numbers"),
          "true or false": Worded("a list of true/false values"), "a pair of numbers": Worded("a list of pairs of numbers")}


def _describe(tp: Any) -> Worded:
    """What a field of type ``tp`` expects, in words that keep their template (``Worded``)."""
    if tp is bool:
        return Worded("true or false")
    if tp is int:
        return Worded("a whole number")
    if tp is float:
        return Worded("a number")
    args = typing.get_args(tp)
    if len(args) == 2 and args[1] is Ellipsis:
        inner = _describe(args[0])
        return _LISTS.get(inner) or Worded("a list of {items}", items=inner)
    if args == (float, float):
        return Worded("a pair of numbers")
    # (no assumption is such a list now: a fixed list of mixed kinds, said by its parts)
    return Worded("a list of {count}: {items}", count=len(args), items=", ".join(_describe(a) for a in args))


def _convert(value: Any, tp: Any, where: str, bound: Bound) -> Any:
    if tp is bool:
        if not isinstance(value, bool):
            raise AssumptionError(where, "expected true or false, got {value}", value=said_back(value))
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):  # a NumPy integer is one
            raise AssumptionError(where, "expected a whole number, got {value}", value=said_back(value))
        value = int(value)
        if not bound.low <= value <= bound.high:
            raise AssumptionError(where, "expected a whole number from {low} to {high}, got {value}",
                                  low=readable_number(bound.low), high=readable_number(bound.high), value=said_back(value))
        return int(value)
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (numbers.Integral, numbers.Real)):  # NumPy's too
            raise AssumptionError(where, "expected a number, got {value}", value=said_back(value))
        if not isinstance(value, int):
            value = float(value)
        if isinstance(value, float) and not math.isfinite(value):
            raise AssumptionError(where, "expected a finite number, got {value}", value=said_back(value))
        # A field that refuses 0 refuses what is nearer to it than MIN_MAGNITUDE too (it vanishes
        # when divided): its least value is MIN_MAGNITUDE.
        refuses_zero = bound.above_low and bound.low == 0
        if (not bound.low <= value <= bound.high or (bound.above_low and value == bound.low)
                or (refuses_zero and value < MIN_MAGNITUDE) or 0 < abs(value) < MIN_MAGNITUDE):
            raise AssumptionError(where, "expected {what}, got {value}", what=_numbers_allowed(bound), value=said_back(value))
        return float(value)
    args = typing.get_args(tp)
    if not isinstance(value, (list, tuple)):
        raise AssumptionError(where, "expected {what}, got {value}", what=_describe(tp), value=said_back(value))
    if len(args) == 2 and args[1] is Ellipsis:
        if not bound.min_items <= len(value) <= bound.max_items:
            raise AssumptionError(where, "expected {least} to {most} items ({what}), got {count}", least=bound.min_items,
                                  most=bound.max_items, what=_describe(tp), count=len(value))
        return tuple(_convert(item, args[0], f"{where}[{i}]", bound) for i, item in enumerate(value))
    if len(value) != len(args):
        raise AssumptionError(where, "expected {what}, got {count} items", what=_describe(tp), count=len(value))
    return tuple(_convert(item, sub, f"{where}[{i}]", _DEFAULT_BOUND) for i, (item, sub) in enumerate(zip(value, args)))


def _numbers_allowed(bound: Bound) -> Worded:
    """What a number field takes, said whole: "from 0 to 1" was told of a share that refuses
    1e-7, since every field refuses a number nearer 0 than MIN_MAGNITUDE other than 0 itself."""
    low, high, least = (readable_number(x) for x in (bound.low, bound.high, MIN_MAGNITUDE))
    if bound.above_low and bound.low == 0:
        return Worded("a number from {least} to {high}", least=least, high=high)
    if bound.above_low:
        return Worded("a number above {low} and at most {high}", low=low, high=high)
    if bound.low == 0:
        return Worded("0 or a number from {least} to {high}", least=least, high=high)
    if bound.high == 0:
        return Worded("0 or a number from {low} to -{least}", low=low, least=least)
    if bound.low < 0 < bound.high:
        return Worded("a number from {low} to {high}, 0 or at least {least} in size", low=low, high=high, least=least)
    return Worded("a number from {low} to {high}", low=low, high=high)
