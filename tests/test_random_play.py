"""Random play: every shipped level played with random actions, the world checked after every
door (``test_world_invariants.TurnChecker``), and the same random game always the same history.

Actions are drawn as a player, a team or a facilitator could submit them: any of the acting
side's levers (Japan's, locked ones included; a workshop role's; a company's; the
facilitator's), naming what the world holds (its projects, plants, nations, events) and now
and then what it does not, with amounts on the world's own scale or nonsense (negative, zero,
huge, NaN, infinite). Nonsense must be refused with a reason, never raise, never reach the
world (``ONCE_TAKEN`` lists what levers built in code took before they were held to a file's
rules; ``ACCEPTED_NONSENSE`` would list what is still taken, left out of random games).

Hypothesis explores a few short games per level, new ones each run; a seeded game per level,
played to the level's end, is the same in every run and every process.
"""

from __future__ import annotations

import dataclasses
import math
import os
import random
import subprocess
import sys
import zlib
from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from test_world_invariants import TurnChecker, check_state

from game.action_base import ACTION_TYPES, Action
from game.actions import JAPAN_LEVERS
from game.cli import rows_to_csv
from game.controllers import PassiveController
from game.facilitation import FACILITATOR, FACILITATOR_ACTIONS
from game.players import controller_for
from game.scenario import load_level, shipped_level_paths
from game.scenario.roles_file import load_roles
from game.session import Session
from game.vocab.materials import MATERIAL_INDEX, MATERIALS, OXIDE_SELLER_ROLES, Role

LEVELS = [path.stem for path in shipped_level_paths()]
TESTS_DIR = Path(__file__).resolve().parent
#: Seeds the random games use: the history runs that later levels start from are computed once
#: per seed in a process (``game.session.HISTORY_STARTS``), so a few seeds keep the tests fast.
SEEDS = (0, 1, 2)
#: Amounts no lever should take: what a strategy file or a save may not hold either
#: (``game.actions.action_from_dict``: a number from 0 to its limit).
NONSENSE_NUMBERS = (-1.0, -1e9, 1e12, 1e300, math.nan, math.inf, -math.inf)
#: Amounts that mean something for some levers (a quota of 0 stops exports) and nothing for
#: others: drawn, never required to be refused.
ODD_NUMBERS = (0.0, -0.0, 5e-324)
#: Whole numbers no lever should take (every count of years, round and event starts at 0 or 1).
NONSENSE_INTEGERS = (-1, -(10**6), 10**6)
NO_SUCH_ID = "no-such-thing"
#: The workshop's roles: the levers each team may pull, its budget, a company's plants.
ROLES = load_roles()

#: (kind, field, class of value, see ``value_class``) that levers built in code took or raised on
#: before ``game.actions.unusable_amount`` held them to what a file or a save may hold: NaN
#: budgets, negative bids and releases, a NaN bid that stopped the market, offtakes over the
#: limit. Each must stay refused (test_nonsense_amounts_once_taken_stay_refused).
ONCE_TAKEN: tuple[tuple[str, str, str], ...] = (
    ("release_stockpile", "tonnes", "negative"), ("release_stockpile", "tonnes", "-inf"),
    ("release_stockpile", "tonnes", "nan"), ("buy_stockpile", "tonnes", "negative"),
    ("buy_stockpile", "tonnes", "-inf"), ("buy_stockpile", "tonnes", "nan"),
    ("buy_stockpile", "max_price_usd_per_kg", "nan"), ("buy_stockpile", "max_price_usd_per_kg", "inf"),
    ("invest_in_project", "amount_musd", "nan"), ("refinance_supplier", "amount_musd", "nan"),
    ("fund_recycling", "amount_musd", "nan"), ("fund_magnet_research", "amount_musd", "nan"),
    ("support_industry", "amount_musd", "nan"),
    ("invest_in_project", "offtake_tpy", "negative"), ("invest_in_project", "offtake_tpy", "-inf"),
    ("invest_in_project", "offtake_tpy", "nan"),
    ("invest_in_project", "price_usd_per_kg", "negative"), ("invest_in_project", "price_usd_per_kg", "-inf"),
    ("invest_in_project", "price_usd_per_kg", "huge"), ("invest_in_project", "price_usd_per_kg", "inf"),
    ("invest_in_project", "price_usd_per_kg", "nan"),
    ("propose_offtake", "tonnes_per_year", "nan"), ("propose_offtake", "tonnes_per_year", "inf"),
    ("propose_offtake", "tonnes_per_year", "huge"), ("propose_offtake", "price_usd_per_kg", "nan"),
    ("propose_offtake", "price_usd_per_kg", "inf"), ("propose_offtake", "price_usd_per_kg", "huge"),
    ("set_export_quota", "tonnes_per_year", "huge"),
)
#: Nonsense a lever still takes or raises on (a bug each; random games leave them out): none now.
ACCEPTED_NONSENSE: dict[tuple[str, str, str], str] = {}
#: The other fields a ONCE_TAKEN entry needed to be taken (else it was refused for them).
NONSENSE_TAKEN_WITH: dict[tuple[str, str, str], dict[str, float]] = {
    ("buy_stockpile", "max_price_usd_per_kg", "inf"): {"tonnes": 0.0},
}


def value_class(value: float) -> str:
    """What kind of odd number this is: the keys of ACCEPTED_NONSENSE name these classes."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if value == 0:
        return "zero"
    if value < 0:
        return "negative"
    return "tiny" if value < 1e-300 else "huge"


#: The classes every lever must refuse; the others (zero, tiny) it may take, but must not raise on.
REFUSED_CLASSES = ("nan", "inf", "-inf", "negative", "huge")


class Chooser:
    """The random choices of a game, from ``random.Random`` or from Hypothesis (every draw an
    integer, so Hypothesis shrinks a failing game to a short, plain one)."""

    def __init__(self, rng: random.Random | None = None, data=None):
        self.rng, self.data = rng, data

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high) if self.rng else self.data.draw(st.integers(low, high))

    def pick(self, items):
        items = list(items)
        return items[self.integer(0, len(items) - 1)]

    def chance(self, probability: float) -> bool:
        return self.integer(0, 999) < probability * 1000

    def fraction(self, low: float, high: float) -> float:
        return low + (high - low) * self.integer(0, 1000) / 1000


# --------------------------------------------------------------------------- drawing actions


def levers_of(session: Session, acting: str) -> tuple[str, ...]:
    """The kinds the acting side may submit: Japan all of its own (the level's lock refuses
    the rest), a team its role's, the facilitator its own."""
    if acting == "JPN":
        return JAPAN_LEVERS
    if acting == FACILITATOR:
        return FACILITATOR_ACTIONS
    return ROLES.role(acting).levers


def random_action(session: Session, acting: str, choose: Chooser, nonsense: float = 0.1) -> Action:
    """An action of one of the acting side's levers, each field drawn from the world as it is;
    with probability ``nonsense`` a number is one no lever should take (not those in
    ``ACCEPTED_NONSENSE``)."""
    world = session.world
    cls = ACTION_TYPES[choose.pick(levers_of(session, acting))]
    values: dict[str, object] = {}
    for f in fields(cls):
        values[f.name] = _value(world, acting, cls.kind, f.name, str(f.type), values, choose, nonsense)
    return cls(**values)


def _value(world, acting: str, kind: str, name: str, annotation: str, values: dict, choose: Chooser,
           nonsense: float):
    if annotation == "Material":
        return choose.pick(MATERIALS)
    if annotation == "tuple[Material, ...]":
        return tuple(m for m in MATERIALS if choose.chance(0.6))  # sometimes none: refused
    if annotation == "tuple[str, ...]":
        return tuple(code for code in world.nation_codes if choose.chance(0.15)) \
            + ((NO_SUCH_ID,) if choose.chance(0.05) else ())
    if annotation == "str":
        return _name(world, acting, kind, name, choose)
    if annotation == "int":
        if choose.chance(nonsense):
            return choose.pick(NONSENSE_INTEGERS)  # no lever takes these: none is listed as taken
        if name == "round":
            return choose.integer(0, world.assumptions.negotiation_rounds - 1)
        if name == "event":
            return choose.integer(0, max(0, len(world.scenario.events) - 1))
        return choose.integer(1, 20)  # years
    if annotation == "float":
        if choose.chance(nonsense):
            odd = choose.pick(NONSENSE_NUMBERS + ODD_NUMBERS)
            if (kind, name, value_class(odd)) not in ACCEPTED_NONSENSE:
                return odd
        return choose.fraction(0.0, 1.2) * _scale(world, acting, kind, name, values)
    raise AssertionError(f"{kind}.{name}: no way to draw a {annotation}")


def _name(world, acting: str, kind: str, name: str, choose: Chooser) -> str:
    """A project, firm or nation of the world, mostly one the lever can act on."""
    if choose.chance(0.04):
        return choose.pick((NO_SUCH_ID, ""))
    if name == "project":  # mostly one still open to act on; a finished one is refused
        open_projects = [p.id for p in world.projects.values() if not (p.done or p.failed)]
        return choose.pick(open_projects if open_projects and choose.chance(0.8) else list(world.projects) or
                           [NO_SUCH_ID])
    if name in ("partner", "respondent"):
        return choose.pick(world.nation_codes)  # its own code now and then: refused
    if name in ("seller", "recycler", "firm"):
        own = world.companies.get(acting, ())  # a company acts on its own plants
        fitting = {"seller": lambda f: f.role in OXIDE_SELLER_ROLES, "recycler": lambda f: f.role is Role.RECYCLER,
                   "firm": lambda f: f.firm_id in own if own else f.role in (
                       Role.MINER, Role.SEPARATOR, Role.RECYCLER, Role.DEEP_SEA)}[name]
        firms = [f.firm_id for f in world.firm_list if fitting(f)]
        return choose.pick(firms if firms and choose.chance(0.9) else [f.firm_id for f in world.firm_list])
    raise AssertionError(f"{kind}.{name}: no way to draw a name")


def _scale(world, acting: str, kind: str, name: str, values: dict) -> float:
    """The size a sensible amount of this field has in the world as it is."""
    material = values.get("material")
    m = MATERIAL_INDEX[material] if material is not None else 0
    nation = world.nation(acting) if world.has_nation(acting) else None
    if name == "amount_musd":
        return max(50.0, float(nation.budget_musd)) if nation is not None else 300.0
    if "price" in name:
        return 2.0 * float(world.reference_price[m])
    if name in ("rate", "approval_rate", "enforcement", "collection_rate"):
        return 1.0
    if name == "usd_per_kg":
        return 20.0
    if kind == "release_stockpile":
        return max(1.0, float(nation.stockpile[m]))
    if name == "offtake_tpy":
        project = world.projects.get(values.get("project"))
        return project.adds_tpy if project is not None else 1000.0
    if kind in ("set_export_quota", "cap_mining"):
        return 150_000.0
    return 3000.0  # tonnes: a bid, an offtake a year, an expansion


# --------------------------------------------------------------------------- playing


def random_session(level: str, choose: Chooser, unlock_all: bool = False) -> Session:
    """The level with a drawn seed, and either Japan alone or a hot seat: every role's nation
    and company that the level's world holds played by a team, with its role's budget.
    ``unlock_all``: every one of Japan's levers unlocked, as in the sandbox."""
    scenario = load_level(shipped_level_paths()[LEVELS.index(level)])
    if unlock_all:
        scenario = dataclasses.replace(scenario, unlocked_actions=())
    seed = choose.pick(SEEDS)
    if not choose.chance(0.5):
        return Session(scenario, seed=seed, agent_data=False)
    nations = {n.code for n in scenario.world.nations}
    firms = {f.id for f in scenario.world.firms}
    teams = [r for r in ROLES.roles if r.code != "JPN" and (r.code in nations if not r.is_company
                                                             else set(r.firms) <= firms)]
    return Session(scenario, seed=seed, agent_data=False,
                   others={r.code: PassiveController() for r in teams if not r.is_company},
                   budgets={r.code: r.budget_musd_per_quarter for r in teams if r.budget_musd_per_quarter > 0},
                   companies={r.code: r.firms for r in teams if r.is_company})


def random_turn(session: Session, choose: Chooser) -> list[tuple[Action, str]]:
    """This turn's actions: Japan's, then each team's in the world's order, sometimes the
    facilitator's (a session takes them in any order; this is a workshop's)."""
    actions = [(random_action(session, "JPN", choose), "JPN") for _ in range(choose.integer(0, 3))]
    for code in [*session.others, *session.companies]:
        actions += [(random_action(session, code, choose), code) for _ in range(choose.integer(0, 2))]
    if session.others and choose.chance(0.1):
        actions.append((random_action(session, FACILITATOR, choose), FACILITATOR))
    return actions


def play_randomly(level: str, choose: Chooser, turns: int | None = None) -> tuple[Session, TurnChecker]:
    """A random game of the level, checked after every door, for ``turns`` turns or to its end."""
    session = random_session(level, choose)
    checker = TurnChecker(session)
    played = 0
    while not session.is_over and (turns is None or played < turns):
        checker.open_turn()
        for action, acting in random_turn(session, choose):
            checker.submit(action, acting)
        checker.end_turn()
        played += 1
    check_state(session.world, session.rows())
    return session, checker


def game_record(session: Session) -> str:
    """A game as text: its rows as the CSV the command line writes, then every action and
    what became of it."""
    log = [f"{r.quarter} {r.nation} {r.action!r} {'taken' if r.accepted else 'refused'} | {r.message}"
           for r in session.actions]
    return rows_to_csv(session.rows()) + "\n".join(log) + "\n"


def seeded_game(level: str, turns: int | None = None) -> str:
    """The seeded random game of the level (the same in every process), as ``game_record``."""
    session, _ = play_randomly(level, Chooser(rng=random.Random(zlib.crc32(level.encode()))), turns)
    try:
        return game_record(session)
    finally:
        session.close()


# --------------------------------------------------------------------------- the tests


#: Each example plays whole turns, so shrinking a failure would take Hypothesis minutes: it
#: reports the first failing game as drawn instead (each draw, and the blob to repeat it).
@settings(max_examples=8, deadline=None, database=None, report_multiple_bugs=False, print_blob=True,
          phases=(Phase.explicit, Phase.reuse, Phase.generate),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
@pytest.mark.parametrize("level", LEVELS)
def test_random_turns_keep_every_invariant(level, data):
    """Up to 8 random turns from the level's start, drawn by Hypothesis."""
    choose = Chooser(data=data)
    session, checker = play_randomly(level, choose, turns=choose.integer(1, 8))
    session.close()
    assert checker.checks["turns"] >= 1


@pytest.mark.parametrize("level", LEVELS)
def test_a_seeded_random_game_to_the_end_keeps_every_invariant(level):
    """One whole random game per level from a fixed seed: repeatable whatever Hypothesis drew.
    It takes levers and has levers refused, every turn is checked, and the level ends."""
    session, checker = play_randomly(level, Chooser(rng=random.Random(zlib.crc32(level.encode()))))
    session.close()
    assert session.is_over
    assert checker.checks["turns"] == session.scenario.n_turns
    assert checker.checks["taken"] > 0 and checker.checks["refused"] > 0, checker.checks


def test_the_same_random_game_is_the_same_history_here_and_in_another_process():
    """Played twice here, and once in a fresh interpreter with another hash seed, the same
    random actions give byte-identical rows and answers."""
    level = "2011-spike"
    first, second = seeded_game(level, turns=6), seeded_game(level, turns=6)
    assert first == second
    script = f"from test_random_play import seeded_game; import sys; sys.stdout.write(seeded_game({level!r}, 6))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS_DIR.parent), str(TESTS_DIR)]),
           "PYTHONHASHSEED": "12345"}
    other = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env,
                           cwd=TESTS_DIR.parent, timeout=300, check=False)
    assert other.returncode == 0, other.stderr[-2000:]
    assert other.stdout == first


def test_refused_actions_leave_no_trace_in_the_history():
    """A random game, rebuilt from its taken actions alone (``Session.replay``, as undo does),
    has the same rows: the refused ones changed nothing."""
    session, checker = play_randomly("2010-trawler", Chooser(rng=random.Random(4)), turns=6)
    assert checker.checks["taken"] > 0 and checker.checks["refused"] > 0, checker.checks
    rows = session.rows()
    session.replay(list(session.actions))
    assert rows_to_csv(session.rows()) == rows_to_csv(rows)
    session.close()


# --------------------------------------------------------------------------- nonsense, lever by lever

#: Where the nonsense sweep plays: a hot seat in a level whose world holds something for nearly
#: every lever to act on (Lynas's plants for the company's, projects, stockpiles, partners).
SWEEP_LEVEL = "2019-trade-war"
REPRESENTATIVE = {"negative": -1.0, "-inf": -math.inf, "nan": math.nan, "inf": math.inf, "huge": 1e12,
                  "zero": 0.0, "tiny": 5e-324}


def sweep_session() -> Session:
    """The sweep's hot seat, every lever unlocked, at its second turn with the turn open (the
    quarter's budgets arrived)."""
    chosen = Chooser(rng=random.Random(0))
    session = random_session(SWEEP_LEVEL, chosen, unlock_all=True)
    while not session.others:
        session.close()
        session = random_session(SWEEP_LEVEL, chosen, unlock_all=True)
    session.end_turn()
    session.open_turn()
    return session


def takeable(session: Session, acting: str, kind: str) -> Action | None:
    """A sensible action of this kind the session would take now (found by drawing), or None."""
    world, cls = session.world, ACTION_TYPES[kind]
    spends_capital = acting != FACILITATOR and acting not in session.companies
    for draw in range(300):
        choose, values = Chooser(rng=random.Random(draw)), {}
        for f in fields(cls):
            values[f.name] = _value(world, acting, kind, f.name, str(f.type), values, choose, nonsense=0.0)
        action = cls(**values)
        if (spends_capital and action.check_capital(world, acting)) or action.check(world, acting):
            continue
        return action
    return None


def numeric_fields(action: Action) -> list[tuple[str, str]]:
    return [(f.name, str(f.type)) for f in fields(action) if str(f.type) in ("float", "int")]


def test_nonsense_amounts_are_refused_by_every_lever():
    """Each lever of each side, from an action it would take, with each number in turn made
    nonsense: refused with a reason, the world untouched (checked by TurnChecker.submit); made
    zero or tiny: taken or refused, never raising. What is still taken or raises is listed in
    ACCEPTED_NONSENSE and shown as bugs below."""
    session = sweep_session()
    checker = TurnChecker(session)
    swept = 0
    for acting in ["JPN", *session.others, *session.companies, FACILITATOR]:
        for kind in levers_of(session, acting):
            base = takeable(session, acting, kind)
            if base is None:
                continue  # nothing to act on in this world now (no embargo to lift, an empty stockpile)
            for name, annotation in numeric_fields(base):
                for value in NONSENSE_NUMBERS + ODD_NUMBERS if annotation == "float" else NONSENSE_INTEGERS:
                    number_class = value_class(value) if annotation == "float" else "whole"
                    if (kind, name, number_class) in ACCEPTED_NONSENSE:
                        continue  # a known bug, shown below
                    record = checker.submit(dataclasses.replace(base, **{name: value}), acting)
                    must_refuse = annotation == "int" or number_class in REFUSED_CLASSES
                    assert not (record.accepted and must_refuse), \
                        f"{acting} {kind}.{name} = {value!r} taken: {record.message}"
                    swept += 1
    session.close()
    assert swept > 150, swept


@pytest.mark.parametrize(("kind", "name", "value_class"), [pytest.param(*key, id=".".join(key)) for key in ONCE_TAKEN])
def test_nonsense_amounts_once_taken_stay_refused(kind, name, value_class):
    """The nonsense levers built in code once took or raised on (ONCE_TAKEN): each refused,
    without raising."""
    session = sweep_session()
    acting = next(code for code in ["JPN", *session.others] if kind in levers_of(session, code))
    base = takeable(session, acting, kind)
    assert base is not None, f"no {kind} to take in {SWEEP_LEVEL}"
    taken_with = NONSENSE_TAKEN_WITH.get((kind, name, value_class), {})
    record = session.submit(dataclasses.replace(base, **{name: REPRESENTATIVE[value_class]}, **taken_with),
                            nation=acting)
    session.close()
    assert not (record.accepted and value_class in REFUSED_CLASSES), record.message


def test_rows_hold_no_negative_tonnes_even_by_rounding():
    """The sandbox played by the bot, seed 0 (its golden run): no tonnage in the rows below 0."""
    scenario = load_level(shipped_level_paths()[LEVELS.index("sandbox")])
    session = Session(scenario, controller_for("bot", scenario), seed=0, agent_data=False)
    session.run()
    negative = [(row["quarter"], column, value) for row in session.rows() for column, value in row.items()
                if column.endswith("_t") and value < 0]
    session.close()
    assert not negative, negative
