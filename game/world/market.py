"""Spot-market clearing for one material on a small node network.

The market is the welfare-maximisation LP

    maximise   sum_d value[d]*served[d] - sum_s cost[s]*sold[s] - sum_a arc_cost[a]*flow[a]
    subject to mass balance at every node, 0 <= sold <= supply_qty,
               0 <= served <= demand_qty, 0 <= flow <= arc_cap,

with quantities in tonnes of oxide and prices in US$/kg, so welfare comes out in
tonnes*US$/kg (= US$ thousand).

It is a min-cost flow problem, solved by successive shortest paths on the *node* graph
rather than on the graph of individual steps: a virtual source feeds every node through
its cheapest unfilled supply step and every node drains to a virtual sink through its
dearest unserved demand step, so the residual graph has as many vertices as the network
has nodes however many steps there are. Exact all-pairs distances between the nodes are
kept in a dense matrix, so the cheapest source->sink path is one vectorised minimum over
(supply node, demand node) pairs, and whole runs of steps along one row or column of that
matrix are then filled with scalar work (see ``_Clearing.run``). Nodes that cannot both
be reached from supply and reach demand cannot trade and are left out of the solve, and
nodes that merely pass flow on from one uncapped arc (export gates without a quota) are
folded into their arcs. That plan, and whatever else follows from the network alone, is
kept in small bounded caches keyed on the network's bytes: the world's markets share one
network, and their traders sit in the same few nations quarter after quarter.

Node prices are the right derivative of welfare with respect to free supply at the node:
the best use of one more tonne there (serve an unserved demand step or displace a sold
supply step, net of transport) or 0 if there is no use. They come from a Bellman pass over
the final residual graph with exact costs; in a non-degenerate LP they are its duals.

This module uses numpy, the standard library and the game's ``added_up`` only, reads no files
and draws no random numbers; ties are broken by a fixed rule, so the same problem always gives
the same result.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Integral

import numpy as np

from game.vocab.arithmetic import added_up

__all__ = ["MarketProblem", "MarketResult", "clear_flows", "clear_market", "clear_markets"]

# A residual quantity below this share of the market volume counts as zero. Quantities
# are sums of at most a few thousand augmentations, so rounding stays orders of magnitude
# below it, while real steps and capacities are far above it.
_QUANTITY_REL_TOL = 1e-12

# Every residual edge costs this share of the cost scale more than its true cost. It
# makes every cycle strictly positive (so walking down shortest distances never loops)
# and breaks ties between equally cheap routes towards fewer hops, deterministically. It
# is far above floating-point noise in path sums (~1e-14 of the cost scale) and far below
# any price difference that matters; prices and welfare are computed with true costs.
_TIE_BREAK_REL = 1e-12

# A market with at least this many demand steps fills runs of them in bulk (see
# ``_Clearing._fill_in_bulk``); below it the scalar rounds cost less than setting a bulk
# up. The shipped levels' markets have about fifty demand steps, so they never bulk;
# a world of thousands of buyers has thousands of steps that all value oxide differently.
_BULK_MIN_STEPS = 256
# How many of each demand node's next steps a bulk looks at first; it doubles whenever
# a bulk runs to its end.
_BULK_FIRST_WINDOW = 256

# The ufuncs' own reductions. An array's ``max``, ``any``... and ``np.clip``, ``np.cumsum``,
# ``np.flatnonzero`` go through a layer of Python that costs as much as the work itself on
# arrays as small as a world's nodes; a clearing makes about a hundred such calls. Same
# results, bit for bit.
_max, _min = np.maximum.reduce, np.minimum.reduce
_any = np.logical_or.reduce
_sum = np.add.reduce
# ``np.cumsum`` is this accumulation (left to right, along the first axis) behind that layer;
# a bulk fill (``_Clearing._fill_in_bulk``) makes a few dozen of them.
_cumsum = np.add.accumulate


def _holds_true(mask: np.ndarray) -> bool:
    """Whether a boolean array holds a True: ``_any(mask)`` without a reduction.

    A ufunc reduction sets up an iterator that costs more than the comparison that made
    the mask on arrays of a world's nodes; numpy stores each bool as one byte, 0 or 1.
    """
    return b"\x01" in mask.tobytes()


def _order_by_node(node: np.ndarray, price: np.ndarray, dearest_first: bool) -> np.ndarray:
    """Steps by node, then by price (cheapest or dearest first), ties in input order.

    The order ``np.lexsort((price or -price, node))`` gives, for a problem's prices (finite,
    not negative, not NaN), from two stable integer sorts, which cost half of that float
    lexsort on a market of thousands of buyers: a non-negative float's bits, read as an
    integer, rise with its value, and equal floats have equal bits once ``-0.0`` is made
    ``0.0``.
    """
    bits = (price + 0.0).view(np.int64)
    order = (np.negative(bits) if dearest_first else bits).argsort(kind="stable")
    return order[node[order].argsort(kind="stable")]


def _filled(size: int, value: float, dtype: type = float) -> np.ndarray:
    """``np.full(size, value)`` without its layer of Python."""
    array = np.empty(size, dtype=dtype)
    array.fill(value)
    return array


# --------------------------------------------------------------------------- data types


@dataclass(frozen=True)
class MarketProblem:
    """One material's spot market: supply steps, demand steps and arcs between nodes.

    Arrays are copied on construction, coerced to ``int64`` / ``float64`` and made
    read-only, so a problem cannot change after it has been validated.

    Attributes:
        n_nodes: Number of nodes in the network.
        supply_node: Node of each supply step, shape (S,).
        supply_qty: Tonnes offered by each supply step, >= 0, shape (S,).
        supply_cost: Marginal cost of each supply step in US$/kg, >= 0, shape (S,).
        demand_node: Node of each demand step, shape (D,).
        demand_qty: Tonnes wanted by each demand step, >= 0, shape (D,).
        demand_value: Willingness to pay of each demand step in US$/kg, >= 0, shape (D,).
        arc_from: Tail node of each arc, shape (A,).
        arc_to: Head node of each arc, shape (A,).
        arc_cost: Transport cost along each arc in US$/kg, >= 0, shape (A,).
        arc_cap: Capacity of each arc in tonnes, >= 0, may be ``np.inf``, shape (A,).

    Raises:
        ValueError: If a field has the wrong shape or type, a node index is out of range,
            or a quantity or cost is NaN, negative, or infinite where that is not allowed.
    """

    n_nodes: int
    supply_node: np.ndarray
    supply_qty: np.ndarray
    supply_cost: np.ndarray
    demand_node: np.ndarray
    demand_qty: np.ndarray
    demand_value: np.ndarray
    arc_from: np.ndarray
    arc_to: np.ndarray
    arc_cost: np.ndarray
    arc_cap: np.ndarray

    def __post_init__(self) -> None:
        n_nodes = self.n_nodes
        if isinstance(n_nodes, bool) or not isinstance(n_nodes, Integral) or n_nodes < 0:
            raise ValueError(f"n_nodes must be a non-negative integer, got {n_nodes!r}")
        n_nodes = int(n_nodes)
        object.__setattr__(self, "n_nodes", n_nodes)
        checked = _checked_in_bulk(self, n_nodes)
        if checked is not None:
            for name, array in checked.items():
                array.flags.writeable = False
                object.__setattr__(self, name, array)
            return
        # Something is amiss: the checks field by field say what.
        for name in ("supply_node", "demand_node", "arc_from", "arc_to"):
            object.__setattr__(self, name, _node_index_array(name, getattr(self, name), n_nodes))
        if self.arc_to.shape != self.arc_from.shape:
            raise ValueError(
                f"arc_to must have shape {self.arc_from.shape} like arc_from, "
                f"got {self.arc_to.shape}"
            )
        for name, like, allow_inf in (
            ("supply_qty", self.supply_node, False),
            ("supply_cost", self.supply_node, False),
            ("demand_qty", self.demand_node, False),
            ("demand_value", self.demand_node, False),
            ("arc_cost", self.arc_from, False),
            ("arc_cap", self.arc_from, True),
        ):
            checked = _non_negative_array(name, getattr(self, name), like.shape[0], allow_inf)
            object.__setattr__(self, name, checked)

    @property
    def n_supply(self) -> int:
        """Number of supply steps."""
        return self.supply_node.shape[0]

    @property
    def n_demand(self) -> int:
        """Number of demand steps."""
        return self.demand_node.shape[0]

    @property
    def n_arcs(self) -> int:
        """Number of arcs."""
        return self.arc_from.shape[0]


@dataclass(frozen=True)
class MarketResult:
    """The cleared market (read-only arrays).

    Attributes:
        sold: Tonnes sold by each supply step, shape (S,).
        served: Tonnes delivered to each demand step, shape (D,).
        flow: Tonnes shipped along each arc, shape (A,).
        price: Marginal value of one more tonne at each node in US$/kg (right
            derivative of welfare), shape (n_nodes,).
        welfare: Value to buyers minus production and transport cost, in
            tonnes*US$/kg (= US$ thousand).
    """

    sold: np.ndarray
    served: np.ndarray
    flow: np.ndarray
    price: np.ndarray
    welfare: float


def _checked_in_bulk(problem: MarketProblem, n_nodes: int) -> dict[str, np.ndarray] | None:
    """A problem's arrays, copied and coerced, if they pass every check; else None.

    The usual case at a few reductions over all fields together rather than two per
    field; a problem that fails anything here goes through the checks field by field,
    which raise the error. Nothing is made read-only yet.
    """
    checked = {}
    for name in ("supply_node", "demand_node", "arc_from", "arc_to"):
        array = np.asarray(getattr(problem, name))
        if array.ndim != 1 or array.dtype.kind not in "iu":  # an empty list arrives as float64
            return None
        checked[name] = array.astype(np.int64)
    if checked["arc_to"].shape != checked["arc_from"].shape:
        return None
    for name, like in (("supply_qty", "supply_node"), ("supply_cost", "supply_node"),
                       ("demand_qty", "demand_node"), ("demand_value", "demand_node"),
                       ("arc_cost", "arc_from"), ("arc_cap", "arc_from")):
        try:
            array = np.array(getattr(problem, name), dtype=np.float64)
        except (TypeError, ValueError):
            return None
        if array.shape != checked[like].shape:
            return None
        checked[name] = array
    indices = np.concatenate([checked[name] for name in ("supply_node", "demand_node", "arc_from", "arc_to")])
    # A negative index, seen unsigned, is out of range too.
    if indices.size and _max(indices.view(np.uint64)) >= n_nodes:
        return None
    finite = np.concatenate([checked[name] for name in ("supply_qty", "supply_cost", "demand_qty",
                                                        "demand_value", "arc_cost")])
    # A NaN fails every comparison; only capacities may be infinite.
    if finite.size and not (_min(finite) >= 0.0 and _max(finite) < np.inf):
        return None
    if checked["arc_cap"].size and not _min(checked["arc_cap"]) >= 0.0:
        return None
    return checked


def _node_index_array(name: str, values: object, n_nodes: int) -> np.ndarray:
    """Validate a 1-D array of node indices; return a read-only int64 copy."""
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if array.size == 0:
        array = np.zeros(0, dtype=np.int64)  # an empty list arrives as float64
    elif array.dtype.kind not in "iu":
        raise ValueError(f"{name} must hold integer node indices, got dtype {array.dtype}")
    array = array.astype(np.int64, copy=True)
    if array.size and (_min(array) < 0 or _max(array) >= n_nodes):
        raise ValueError(f"{name} holds a node index outside [0, {n_nodes})")
    array.flags.writeable = False
    return array


def _non_negative_array(name: str, values: object, length: int, allow_inf: bool) -> np.ndarray:
    """Validate a 1-D array of non-negative numbers; return a read-only float64 copy."""
    try:
        array = np.array(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must hold numbers") from error
    if array.shape != (length,):
        raise ValueError(f"{name} must have shape ({length},), got {array.shape}")
    # The usual case in one pass each way (a NaN fails both comparisons); the checks below
    # then say what is wrong.
    if not length or (_min(array) >= 0.0 and (allow_inf or _max(array) < np.inf)):
        array.flags.writeable = False
        return array
    if np.isnan(array).any():
        raise ValueError(f"{name} contains NaN")
    if (array < 0.0).any():
        raise ValueError(f"{name} contains negative values")
    if not allow_inf and np.isinf(array).any():
        raise ValueError(f"{name} must be finite")
    array.flags.writeable = False
    return array


# --------------------------------------------------------------------------- public API


def clear_markets(problems: Sequence[MarketProblem]) -> list[MarketResult]:
    """Clear several independent markets (one per material).

    A plain loop: almost all of a market's time goes into a long chain of small,
    dependent scalar steps, so there is next to nothing to share between materials.

    Args:
        problems: The markets to clear.

    Returns:
        One result per problem, in the same order.
    """
    return [clear_market(problem) for problem in problems]


def clear_market(problem: MarketProblem) -> MarketResult:
    """Find the welfare-maximising trade and the node prices of one market.

    Args:
        problem: A validated market.

    Returns:
        Quantities sold, served and shipped, node prices and total welfare. When the LP
        has several optimal solutions (ties), one of them is returned, always the same.

    Raises:
        RuntimeError: Only on an internal inconsistency, which would be a bug rather
            than a bad input.
    """
    sold, served, flow, usable, qty_tol = _trade(problem)
    # Products summed by numpy's own reduction, not ``@``: BLAS hands a dot product of over
    # 10,000 terms (a market of thousands of buyers) to its threads, and waking them cost
    # several milliseconds a clearing on a busy machine, against microseconds for the sum.
    welfare = float(
        _sum(served * problem.demand_value) - _sum(sold * problem.supply_cost)
        - _sum(flow * problem.arc_cost)
    )
    places = _residual_places(problem.n_nodes, problem.arc_from.tobytes(), problem.arc_to.tobytes())
    price = _node_prices(problem, sold, served, flow, usable, qty_tol, places)
    for array in (sold, served, flow, price):
        array.setflags(write=False)  # cheaper than going through the flags object
    return MarketResult(sold=sold, served=served, flow=flow, price=price, welfare=welfare)


def clear_flows(problem: MarketProblem) -> np.ndarray:
    """The arcs' flows of ``clear_market(problem)``, bit for bit, without its prices and welfare.

    For a clearing made only to see what would move (an embargo over part of a quarter lets
    through a share of that): the node prices are about a tenth of a clearing's cost.

    Args:
        problem: A validated market.

    Returns:
        Tonnes shipped along each arc, shape (A,), read-only.
    """
    flow = _trade(problem)[2]
    flow.setflags(write=False)
    return flow


def _trade(problem: MarketProblem) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]:
    """The welfare-maximising trade of a market: ``(sold, served, flow, usable, qty_tol)``,
    with the arcs that could carry flow and the quantity that counts as zero, which its
    prices are worked out from."""
    n = problem.n_nodes
    volume = max(float(_sum(problem.supply_qty)), float(_sum(problem.demand_qty)))
    qty_tol = _QUANTITY_REL_TOL * volume
    # One reduction over all prices and costs: the same maximum as one per field.
    cost_scale = float(_max(
        np.concatenate((problem.supply_cost, problem.demand_value, problem.arc_cost)), initial=0.0,
    ))
    tie_break = _TIE_BREAK_REL * (cost_scale if cost_scale > 0.0 else 1.0)

    sold = np.zeros(problem.n_supply)
    served = np.zeros(problem.n_demand)
    flow = np.zeros(problem.n_arcs)
    usable = (problem.arc_cap > qty_tol) & (problem.arc_from != problem.arc_to)
    supply_kept = problem.supply_qty > qty_tol
    demand_kept = problem.demand_qty > qty_tol
    has_supply = np.zeros(n, dtype=bool)
    has_supply[problem.supply_node[supply_kept]] = True
    has_demand = np.zeros(n, dtype=bool)
    has_demand[problem.demand_node[demand_kept]] = True
    arc_from, arc_to = problem.arc_from.tobytes(), problem.arc_to.tobytes()  # the network, as keys
    plan = _network_plan(
        n, arc_from, arc_to, usable.tobytes(),
        (problem.arc_cap >= volume).tobytes(), has_supply.tobytes(), has_demand.tobytes(),
    )
    if plan is not None:
        # Solve on the nodes that can carry flow only (nothing else can trade at all),
        # with pass-through nodes folded into their arcs.
        supplies = (supply_kept & plan.active[problem.supply_node]).nonzero()[0]
        demands = (demand_kept & plan.active[problem.demand_node]).nonzero()[0]
        costs = problem.arc_cost[plan.arcs]
        caps = problem.arc_cap[plan.arcs]
        if plan.folds:
            # A folded arc costs both arcs together and has its outgoing arc's capacity.
            costs = costs[plan.through_arc] + np.where(plan.fed, costs[plan.feeder_or_any], 0.0)
            caps = caps[plan.through_arc]
        node_id = plan.node_id
        clearing = _Clearing(
            plan.solve_arcs,
            node_id[problem.supply_node[supplies]], problem.supply_qty[supplies],
            problem.supply_cost[supplies],
            node_id[problem.demand_node[demands]], problem.demand_qty[demands],
            problem.demand_value[demands],
            costs, caps, qty_tol, tie_break,
        )
        clearing.run()
        sold[supplies] = clearing.sold()
        served[demands] = clearing.served()
        solved_flow = np.array(clearing.arc_flow)
        flow[plan.carried_arc] = solved_flow
        if plan.folds:
            np.add.at(flow, plan.fed_arc, solved_flow[plan.fed])
        # Sums of exact bottlenecks can overshoot a bound by rounding only.
        for array, bound in ((sold, problem.supply_qty), (served, problem.demand_qty), (flow, problem.arc_cap)):
            np.minimum(np.maximum(array, 0.0, out=array), bound, out=array)  # np.clip's arithmetic
    return sold, served, flow, usable, qty_tol


# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class _NetworkPlan:
    """Which nodes and arcs of a market take part in the solve, and how they fold.

    Attributes:
        active: Nodes that can carry flow, shape (n,).
        arcs: The usable arcs between active nodes, as indices into the problem's arcs.
        node_id: Each node's index in the solve (meaningful for active, unfolded nodes).
        solve_arcs: The solve's arcs, in its node indices.
        folds: Whether any node folds away; if not, the solve's arcs are ``arcs``.
        through_arc: Of each solve arc, the index into ``arcs`` of the arc it stands for.
        fed: Which solve arcs also carry a folded node's way in ...
        feeder_or_any: ... and that way in as an index into ``arcs`` (any where not fed).
        carried_arc: Of each solve arc, the problem arc whose flow it is.
        fed_arc: Of each fed solve arc, the problem arc of the way in it also carries.
    """

    active: np.ndarray
    arcs: np.ndarray
    node_id: np.ndarray
    solve_arcs: _SolveArcs
    folds: bool
    through_arc: np.ndarray
    fed: np.ndarray
    feeder_or_any: np.ndarray
    carried_arc: np.ndarray
    fed_arc: np.ndarray


# The world's markets share one network, and quarter after quarter their sellers and buyers
# sit in the same few nations behind the same quotas: the plan depends on nothing else, so
# it is worked out once per pattern rather than once per clearing.
@functools.lru_cache(maxsize=128)
def _network_plan(
    n: int, arc_from: bytes, arc_to: bytes, usable: bytes, uncapped: bytes,
    has_supply: bytes, has_demand: bytes,
) -> _NetworkPlan | None:
    """The plan of a market, or None if no node can trade.

    Args:
        n: Number of nodes.
        arc_from, arc_to: The arcs' ends (int64 bytes).
        usable: Which arcs can carry flow (bool bytes).
        uncapped: Which arcs have capacity at least the market volume (bool bytes).
        has_supply, has_demand: Which nodes have a supply step, a demand step (bool bytes).
    """
    tails_all, heads_all = np.frombuffer(arc_from, dtype=np.int64), np.frombuffer(arc_to, dtype=np.int64)
    usable_mask = np.frombuffer(usable, dtype=bool)
    supply_mask, demand_mask = np.frombuffer(has_supply, dtype=bool), np.frombuffer(has_demand, dtype=bool)
    active = _active_nodes(supply_mask, demand_mask, tails_all[usable_mask], heads_all[usable_mask])
    if not _any(active):
        return None
    arcs = (usable_mask & active[tails_all] & active[heads_all]).nonzero()[0]
    folded, tails, heads, through_arc, feeder_arc = _fold_pass_through_nodes(
        n, tails_all[arcs], heads_all[arcs], np.frombuffer(uncapped, dtype=bool)[arcs],
        active, (supply_mask | demand_mask) & active,
    )
    node_id = (active & ~folded).cumsum() - 1
    fed = feeder_arc >= 0
    plan = _NetworkPlan(
        active=active, arcs=arcs, node_id=node_id,
        solve_arcs=_SolveArcs(int(node_id[-1]) + 1, node_id[tails], node_id[heads]),
        folds=bool(_any(folded)),
        through_arc=through_arc, fed=fed, feeder_or_any=np.maximum(feeder_arc, 0),
        carried_arc=arcs[through_arc], fed_arc=arcs[feeder_arc[fed]],
    )
    for array in (plan.active, plan.arcs, plan.node_id, plan.through_arc,
                  plan.fed, plan.feeder_or_any, plan.carried_arc, plan.fed_arc):
        array.flags.writeable = False  # shared by every clearing with this plan
    return plan


def _active_nodes(
    has_supply: np.ndarray, has_demand: np.ndarray, tails: np.ndarray, heads: np.ndarray,
) -> np.ndarray:
    """Nodes that flow could pass: reachable from a supply step and reaching a demand step.

    Flow only ever moves forward along arcs from supply to demand, and backward edges
    exist only where flow has moved, so no other node can take part. In the world graph
    this drops the nations that neither sell nor buy a material, and their gates.
    """
    if not (_any(has_supply) and _any(has_demand)):
        return np.zeros(has_supply.size, dtype=bool)
    reached = has_supply.copy()
    reaching = has_demand.copy()
    # Spread along the arcs until nothing new is marked (a few passes: the world graph
    # is three arcs deep).
    for marked, sources, targets in ((reached, tails, heads), (reaching, heads, tails)):
        while True:
            before = np.count_nonzero(marked)
            marked[targets[marked[sources]]] = True
            if np.count_nonzero(marked) == before:
                break
    return reached & reaching


def _fold_pass_through_nodes(
    n: int, tails: np.ndarray, heads: np.ndarray, uncapped: np.ndarray,
    active: np.ndarray, has_step: np.ndarray,
) -> tuple[np.ndarray, ...]:
    """Fold away nodes that only pass flow on from a single uncapped arc.

    A node g with no steps, one way in (s->g, with capacity at least the market volume,
    so it can never bind) and any ways out (g->h) carries exactly what leaves it, so
    each g->h can be replaced by s->h costing both arcs together, with g->h's capacity.
    In the world graph that is every export gate without a quota: fewer nodes, shorter
    paths and half the backward edges to open.

    Args:
        n: Number of nodes.
        tails, heads: The arcs, usable and between active nodes.
        uncapped: Which of them have capacity at least the market volume.
        active: Nodes taking part.
        has_step: Nodes with a supply or demand step.

    Returns:
        ``(folded, tails, heads, through_arc, feeder_arc)``: the mask of folded nodes,
        and the arcs to solve on; arc k carries the flow of input arc ``through_arc[k]``,
        and also of input arc ``feeder_arc[k]`` when that is >= 0 (the folded node's way
        in).
    """
    count_in = np.bincount(heads, minlength=n)
    way_in = _filled(n, -1, np.int64)
    way_in[heads] = np.arange(heads.size)  # the only one, where count_in == 1
    foldable = active & ~has_step & (count_in == 1) & (np.bincount(tails, minlength=n) > 0)
    foldable[foldable] = uncapped[way_in[foldable]]
    # One level at a time: a node fed by another foldable node stays (chains are rare).
    foldable[foldable] = ~foldable[tails[way_in[foldable]]]
    if not _any(foldable):
        return foldable, tails, heads, np.arange(tails.size), _filled(tails.size, -1, np.int64)
    feeder = np.where(foldable[tails], way_in[tails], -1)
    keep = ~foldable[heads]  # the ways in to folded nodes go
    new_tails = np.where(feeder >= 0, tails[np.maximum(feeder, 0)], tails)
    keep &= new_tails != heads  # a fold that loops back to its source is useless
    through_arc = keep.nonzero()[0]
    return foldable, new_tails[through_arc], heads[through_arc], through_arc, feeder[through_arc]


class _SolveArcs:
    """The arcs a clearing solves on, and what follows from them alone (kept with a plan).

    Attributes:
        n: Number of nodes.
        tail, head: Each arc's ends, as tuples for scalar loops.
        pair: Each arc's ordered node pair, ``tail * n + head``.
        distinct: Whether no two arcs share a pair (no parallel arcs).
        through_nodes: Ascending, the nodes with an arc in and an arc out: those that
            can shorten a path before any flow has moved (see ``_shortest_distances``).
    """

    def __init__(self, n: int, tails: np.ndarray, heads: np.ndarray) -> None:
        self.n = n
        self.tail, self.head = tuple(tails.tolist()), tuple(heads.tolist())
        self.pair = tails * n + heads
        self.pair.flags.writeable = False
        self.distinct = _all_distinct(self.pair)
        self.through_nodes = sorted(set(tails.tolist()).intersection(heads.tolist()))

    @functools.cached_property
    def rivals(self) -> dict[int, list[int]]:
        """Residual edges that can stand in for one another, by ordered pair.

        Parallel arcs, or an arc's backward edge and an antiparallel arc; ids ascending.
        Rare, so only looked for once an edge in use closes.
        """
        # Position i in these arrays is residual edge i: the forward edges, then the
        # backward ones.
        pair = np.array(self.tail + self.head) * self.n + np.array(self.head + self.tail)
        order = np.argsort(pair, kind="stable")
        same = pair[order[1:]] == pair[order[:-1]]
        rivals: dict[int, list[int]] = {}
        if same.any():
            shared = np.zeros(pair.size, dtype=bool)
            shared[order[1:][same]] = shared[order[:-1][same]] = True
            for rival in np.flatnonzero(shared).tolist():
                rivals.setdefault(int(pair[rival]), []).append(rival)
        return rivals

    def cheapest_edges(self, costs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Dense matrices of the cheapest arc per ordered node pair, and its id.

        Among equally cheap parallel arcs the first one wins, so the result depends on
        nothing but the inputs.

        Args:
            costs: Cost of each arc.

        Returns:
            ``(weight, edge)``: cost (inf where there is no arc) and id (-1 where none).
        """
        n, pair = self.n, self.pair
        weight = _filled(n * n, np.inf)
        edge = _filled(n * n, -1, np.int64)
        if self.distinct:  # the usual case
            weight[pair] = costs
            edge[pair] = np.arange(pair.size)
        else:
            # Stable sort by (pair, cost): the first arc of each pair is the cheapest.
            order = np.lexsort((costs, pair))
            first = np.ones(order.size, dtype=bool)
            first[1:] = pair[order[1:]] != pair[order[:-1]]
            chosen = order[first]
            weight[pair[chosen]] = costs[chosen]
            edge[pair[chosen]] = chosen
        return weight.reshape(n, n), edge.reshape(n, n)


def _shortest_distances(weight: np.ndarray, through_nodes: list[int] | None = None) -> np.ndarray:
    """All-pairs shortest distances (Floyd-Warshall) on a graph without negative cycles.

    Args:
        weight: Dense edge costs, inf where there is no edge; the diagonal is ignored.
        through_nodes: Ascending, the nodes with an edge in and an edge out (more nodes
            change nothing: a path cannot pass one without either), if known; by default
            read off ``weight``.

    Returns:
        The distance matrix, 0 on the diagonal.
    """
    # The diagonal as a stride of the flattened matrix: np.fill_diagonal's layer of Python
    # costs more than the fill on a matrix this small.
    diagonal = slice(None, None, weight.shape[0] + 1)
    dist = weight.copy()
    dist.ravel()[diagonal] = 0.0
    if through_nodes is None:
        has_edge = np.isfinite(weight)
        has_edge.ravel()[diagonal] = False
        through_nodes = (_any(has_edge, axis=0) & _any(has_edge, axis=1)).nonzero()[0].tolist()
    # Only a node with both an in-edge and an out-edge can shorten a path; in the world
    # graph before any trade that leaves just the export gates.
    through = np.empty_like(dist)
    for k in through_nodes:
        np.add(dist[:, k, None], dist[k], out=through)
        np.minimum(dist, through, out=dist)
    return dist


def _all_distinct(values: np.ndarray) -> bool:
    """Whether no two of ``values`` (integers) are equal. Not ``np.unique``: its first call
    imports ``numpy.ma`` (tens of milliseconds, once a process, inside a run's first clearing)."""
    ordered = np.sort(values)
    return not (ordered[1:] == ordered[:-1]).any()


@functools.lru_cache(maxsize=16)
def _residual_places(n: int, arc_from: bytes, arc_to: bytes) -> tuple[np.ndarray, np.ndarray, bool]:
    """Where each arc's residual edges sit in a head-major n*n matrix, ``head * n + tail``.

    Args:
        n: Number of nodes.
        arc_from, arc_to: The arcs' ends (int64 bytes).

    Returns:
        ``(forward_place, backward_place, distinct)``: the places of each arc's forward
        and backward edge, and whether all of them differ (no parallel or antiparallel
        arcs, no self-loops), so that no two edges ever compete for one place.
    """
    tails, heads = np.frombuffer(arc_from, dtype=np.int64), np.frombuffer(arc_to, dtype=np.int64)
    forward_place = heads * n + tails
    backward_place = tails * n + heads
    places = np.concatenate((forward_place, backward_place))
    distinct = _all_distinct(places)
    forward_place.flags.writeable = backward_place.flags.writeable = False
    return forward_place, backward_place, distinct


@functools.lru_cache(maxsize=16)
def _residual_edges_by_tail(n: int, arc_from: bytes, arc_to: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The residual edges of a network and a loop at every node, ordered by tail, then head,
    for a sparse price pass.

    Edge i is arc i forward (i < A), arc i - A backward (i < 2A), as in ``_SolveArcs.rivals``,
    or the loop at node i - 2A, which costs nothing and is always open: a node's own value is
    then one of its candidates, and every node heads a run of edges.

    Args:
        n: Number of nodes.
        arc_from, arc_to: The arcs' ends (int64 bytes).

    Returns:
        ``(order, tail, head)``: the edges' ids in that order, and their tails and heads.
    """
    tails, heads = np.frombuffer(arc_from, dtype=np.int64), np.frombuffer(arc_to, dtype=np.int64)
    nodes = np.arange(n)
    tail, head = np.concatenate((tails, heads, nodes)), np.concatenate((heads, tails, nodes))
    order = (tail * n + head).argsort(kind="stable")
    tail, head = tail[order], head[order]
    for array in (order, tail, head):
        array.flags.writeable = False
    return order, tail, head


def _node_prices(
    problem: MarketProblem, sold: np.ndarray, served: np.ndarray, flow: np.ndarray,
    usable: np.ndarray, qty_tol: float, places: tuple[np.ndarray, np.ndarray, bool],
) -> np.ndarray:
    """Right derivative of welfare with respect to free supply at each node.

    A tonne appearing at node v is worth the best of, over the nodes m that the residual
    graph reaches from v: the dearest unserved demand step at m, or the dearest sold
    supply step at m (which it displaces), minus the transport cost v->m; and 0 if
    nothing is reachable or every use loses money. Exact costs, no tie-break.

    ``places`` is ``_residual_places`` of the problem's network.
    """
    n = problem.n_nodes
    use_value = _filled(n, -np.inf)
    unserved = served < problem.demand_qty - qty_tol
    displaceable = sold > qty_tol
    np.maximum.at(
        use_value,
        np.concatenate((problem.demand_node[unserved], problem.supply_node[displaceable])),
        np.concatenate((problem.demand_value[unserved], problem.supply_cost[displaceable])),
    )
    if not _holds_true(use_value > -np.inf):
        return np.zeros(n)
    forward_open = usable & (problem.arc_cap - flow > qty_tol)
    backward_open = flow > qty_tol
    forward_place, backward_place, distinct = places
    if distinct and not _holds_true(use_value == 0.0):
        return _node_prices_by_tail(problem, use_value, forward_open, backward_open)
    forward = forward_open.nonzero()[0]
    backward = backward_open.nonzero()[0]
    place = np.concatenate((forward_place[forward], backward_place[backward]))
    cost = np.concatenate((problem.arc_cost[forward], -problem.arc_cost[backward]))
    if not distinct:
        # Edges may share a place: the cheapest wins, the first of equals (stable sort).
        order = np.lexsort((cost, place))
        first = np.ones(order.size, dtype=bool)
        first[1:] = place[order[1:]] != place[order[:-1]]
        place, cost = place[order[first]], cost[order[first]]
    # Stored head-major, cost_in[head, tail], so that each pass reduces down columns.
    cost_in = _filled(n * n, np.inf)
    cost_in[place] = cost
    cost_in = cost_in.reshape(n, n)
    # Bellman iteration towards the uses; it settles in as many passes as the longest
    # best route has hops (a handful), the bound only guards the loop.
    value = use_value
    for _ in range(n + 1):
        improved = _max(value[:, None] - cost_in, axis=0)
        np.maximum(improved, value, out=improved)
        if not _holds_true(improved != value):
            break
        value = improved
    return np.maximum(value, 0.0)


def _node_prices_by_tail(
    problem: MarketProblem, use_value: np.ndarray, forward_open: np.ndarray, backward_open: np.ndarray,
) -> np.ndarray:
    """``_node_prices``' Bellman passes over the open residual edges alone, bit for bit.

    A dense pass works out n*n candidates where a world's network has a few hundred
    edges; here each pass takes the best candidate of each node's run of edges, its own
    value among them (a loop that costs nothing: ``x - 0.0`` is ``x``). Each node's maximum
    is over the same candidates as a dense pass's (a missing edge only ever offered -inf)
    and a maximum does not depend on the order it is taken in, so the values are those of
    the dense passes, pass for pass: except between 0.0 and -0.0, which the caller rules
    out by sending only markets with no use worth zero (no other sum makes -0.0) and
    without edges that share a place.
    """
    n = problem.n_nodes
    order, tail, head = _residual_edges_by_tail(n, problem.arc_from.tobytes(), problem.arc_to.tobytes())
    open_edges = np.concatenate((forward_open, backward_open, _filled(n, True, bool)))[order].nonzero()[0]
    cost = np.concatenate((problem.arc_cost, -problem.arc_cost, np.zeros(n)))[order[open_edges]]
    heads = head[open_edges]
    tails = tail[open_edges]
    starts = np.concatenate(((0,), (tails[1:] != tails[:-1]).nonzero()[0] + 1))  # one run a node
    value = use_value
    for _ in range(n + 1):
        best = np.maximum.reduceat(value[heads] - cost, starts)
        if not _holds_true(best != value):
            break
        value = best
    return np.maximum(value, 0.0)


# --------------------------------------------------------------------------- solver


class _Clearing:
    """Successive shortest paths on the node graph of one market; used once.

    Residual edges between nodes are numbered ``a`` (arc a forward, open while it has
    spare capacity) and ``n_arcs + a`` (arc a backward, open while it carries flow).
    ``weight``/``edge`` hold the cheapest open edge per ordered node pair (its cost plus
    the tie-break) and its id.

    ``dist`` holds the exact all-pairs shortest distances over the *union* of the edges
    open when it was last exact and every edge opened since (a rank-one ``min`` update
    per opened edge). An edge that closes stays in the union: that only makes ``dist`` a
    lower bound on the true distances, so a path read off ``dist`` through open edges
    whose cost matches its bound is a true shortest path. Only when the chosen pair has
    no such path is ``dist`` made exact again (``_restore``), so closures that no later
    path depends on cost nothing.

    Args:
        arcs: The arcs and their nodes (no self-loops).
        supply_node, supply_qty, supply_cost: Supply steps (quantities > tolerance).
        demand_node, demand_qty, demand_value: Demand steps (quantities > tolerance).
        arc_cost, arc_cap: The arcs' costs and capacities (> tolerance).
        qty_tol: Residual quantity that counts as zero.
        tie_break: Cost added to every residual edge (see ``_TIE_BREAK_REL``).
    """

    def __init__(
        self, arcs: _SolveArcs,
        supply_node: np.ndarray, supply_qty: np.ndarray, supply_cost: np.ndarray,
        demand_node: np.ndarray, demand_qty: np.ndarray, demand_value: np.ndarray,
        arc_cost: np.ndarray, arc_cap: np.ndarray, qty_tol: float, tie_break: float,
    ) -> None:
        self.n = n = arcs.n
        self.arcs = arcs
        self.qty_tol = qty_tol
        self.tie_break = tie_break
        # A path may cost this much more than the bound on its pair and still be used:
        # the reduced costs of its edges then add up to at most this, far below the two
        # tie-breaks a backward edge gains over its forward edge, so every backward edge
        # it opens keeps a non-negative reduced cost and no negative cycle can form.
        self.path_slack = 0.25 * tie_break

        # Supply steps per node, cheapest first; demand steps per node, dearest first;
        # ties in input order. Scalar loops run on lists: much cheaper to index.
        self.supply_order = _order_by_node(supply_node, supply_cost, dearest_first=False)
        self.demand_order = _order_by_node(demand_node, demand_value, dearest_first=True)
        supply_count = np.bincount(supply_node, minlength=n)
        demand_count = np.bincount(demand_node, minlength=n)
        self.supply_nodes = supply_count.nonzero()[0]
        self.demand_nodes = demand_count.nonzero()[0]
        supply_end = supply_count.cumsum()
        demand_end = demand_count.cumsum()
        self.supply_end = supply_end.tolist()
        self.demand_end = demand_end.tolist()
        self.supply_next = (supply_end - supply_count).tolist()  # first unfilled step
        self.demand_next = (demand_end - demand_count).tolist()  # first unserved step
        self.step_cost = supply_cost[self.supply_order].tolist()
        self.step_supply_left = supply_qty[self.supply_order].tolist()
        self.step_sold = [0.0] * len(self.step_cost)
        self.step_value = demand_value[self.demand_order].tolist()
        self.step_demand_left = demand_qty[self.demand_order].tolist()
        self.step_served = [0.0] * len(self.step_value)

        self.n_arcs = n_arcs = arc_cost.size
        self.arc_tail, self.arc_head = arcs.tail, arcs.head
        self.arc_cost = arc_cost.tolist()
        self.arc_cap = arc_cap.tolist()
        self.arc_flow = [0.0] * n_arcs
        self.forward_open = [True] * n_arcs
        self.backward_open = [False] * n_arcs
        self.weight, self.edge = arcs.cheapest_edges(arc_cost + tie_break)
        # Bulk filling (see _fill_in_bulk): sorted step values and quantities as arrays,
        # and for every supply step the end of the run of steps after it at its cost.
        self.bulk = len(self.step_value) >= _BULK_MIN_STEPS
        if self.bulk:
            self.value_sorted = demand_value[self.demand_order]
            self.qty_sorted = demand_qty[self.demand_order]
            cost_sorted = supply_cost[self.supply_order]
            node_sorted = supply_node[self.supply_order]
            new_run = np.ones(cost_sorted.size, dtype=bool)
            new_run[1:] = (cost_sorted[1:] != cost_sorted[:-1]) | (node_sorted[1:] != node_sorted[:-1])
            run_start = np.flatnonzero(new_run)
            run_end = np.append(run_start[1:], cost_sorted.size)
            self.same_cost_end = np.repeat(run_end, np.diff(np.append(run_start, cost_sorted.size))).tolist()
            self.window = _BULK_FIRST_WINDOW
        self.known_paths: dict[int, tuple[list[int], float]] = {}
        self.hops: dict[int, list[int]] = {}  # next-hop pointers, valid while dist is
        self.closed_since: list[int] = []  # edges closed since dist was last exact

    def sold(self) -> np.ndarray:
        """Tonnes sold per supply step, in input order."""
        result = np.empty(len(self.step_sold))
        result[self.supply_order] = self.step_sold
        return result

    def served(self) -> np.ndarray:
        """Tonnes served per demand step, in input order."""
        result = np.empty(len(self.step_served))
        result[self.demand_order] = self.step_served
        return result

    # ---------------------------------------------------------------- residual graph

    def _edge_ends(self, edge_id: int) -> tuple[int, int, float]:
        """Tail, head and tie-broken cost of a residual edge."""
        if edge_id < self.n_arcs:
            return (self.arc_tail[edge_id], self.arc_head[edge_id],
                    self.arc_cost[edge_id] + self.tie_break)
        arc = edge_id - self.n_arcs
        return self.arc_head[arc], self.arc_tail[arc], self.tie_break - self.arc_cost[arc]

    def _is_open(self, path: Sequence[int]) -> bool:
        """Whether every edge of ``path`` is open."""
        n_arcs = self.n_arcs
        for edge_id in path:
            if edge_id < n_arcs:
                if not self.forward_open[edge_id]:
                    return False
            elif not self.backward_open[edge_id - n_arcs]:
                return False
        return True

    def _close_edge(self, edge_id: int) -> None:
        """Take a closed edge out of ``weight``/``edge``, falling back on a rival."""
        tail, head, _ = self._edge_ends(edge_id)
        if self.edge.item(tail, head) != edge_id:
            return
        best_cost, best_edge = np.inf, -1
        for rival in self.arcs.rivals.get(tail * self.n + head, ()):
            if self._is_open((rival,)):
                cost = self._edge_ends(rival)[2]
                if cost < best_cost:
                    best_cost, best_edge = cost, rival
        self.weight[tail, head] = best_cost
        self.edge[tail, head] = best_edge

    def _open_edge(self, edge_id: int) -> bool:
        """Put an opened edge into ``weight``/``edge``; True if it is the new cheapest."""
        tail, head, cost = self._edge_ends(edge_id)
        if cost > self.weight.item(tail, head) or (
            cost == self.weight.item(tail, head) and self.edge.item(tail, head) < edge_id
        ):
            return False  # an open rival is at least as cheap
        self.weight[tail, head] = cost
        self.edge[tail, head] = edge_id
        return True

    def _restore(self) -> None:
        """Make ``dist`` exact for the open graph again after edges have closed.

        Only a row with a shortest path through a closed edge can be wrong, and such a
        row is tight through that edge. Those rows are recomputed from their direct
        edges: Floyd-Warshall with only their own nodes as intermediates, then one
        min-plus step through the first node outside them, whose row is exact and
        finishes the path. Usually a few rows, so much cheaper than a full rebuild.
        """
        dist, n = self.dist, self.n
        affected = np.zeros(n, dtype=bool)
        for edge_id in self.closed_since:
            tail, head, cost = self._edge_ends(edge_id)
            affected |= (dist[:, tail] + cost <= dist[:, head] + self.path_slack) & (
                dist[:, head] < np.inf
            )
        self.closed_since.clear()
        self.hops.clear()
        rows = affected.nonzero()[0]
        if 2 * rows.size > n:
            self.dist = _shortest_distances(self.weight)
            return
        if rows.size == 0:
            return
        block = self.weight[rows]
        block[np.arange(rows.size), rows] = 0.0
        through = np.empty_like(block)
        for index, node in enumerate(rows.tolist()):
            np.add(block[:, node, None], block[index], out=through)
            np.minimum(block, through, out=block)
        others = (~affected).nonzero()[0]
        if others.size:
            onward = _min(block[:, others][:, :, None] + dist[others][None, :, :], axis=1)
            np.minimum(block, onward, out=block)
        dist[rows] = block

    def _extend_union(self, edge_id: int) -> bool:
        """Fold an opened edge into the union distances; False if a rebuild is needed."""
        tail, head, cost = self._edge_ends(edge_id)
        dist = self.dist
        if dist.item(head, tail) + cost < 0.5 * self.tie_break:
            # A cycle this cheap can only close through an edge that has since closed:
            # the open graph never has one. Start again from the open edges.
            return False
        # Paths may now run ...->tail->head->...: one rank-one update gives them all.
        np.minimum(dist, np.add.outer(dist[:, tail] + cost, dist[head]), out=dist)
        return True

    def _follow(
        self, source: int, target: int, hops: list[int], from_source: bool
    ) -> tuple[list[int], float] | None:
        """The edges and cost of the path from source to target along ``hops``.

        Args:
            source: Start of the path.
            target: End of the path.
            hops: From ``dist``, for every node, the node before it on a cheapest path
                from ``source`` (``from_source``) or the node after it on a cheapest path
                to ``target``.
            from_source: Which of the two ``hops`` holds.

        Returns:
            ``(edges, cost)``, or None if the pointers loop, which only stale bounds can
            make them do (every cycle costs at least half a tie-break).
        """
        weight, edge = self.weight, self.edge
        path: list[int] = []
        cost = 0.0
        if from_source:
            node = target
            while node != source:
                before = hops[node]
                cost += weight.item(before, node)
                path.append(edge.item(before, node))
                node = before
                if len(path) > self.n:
                    return None
            path.reverse()
        else:
            node = source
            while node != target:
                after = hops[node]
                cost += weight.item(node, after)
                path.append(edge.item(node, after))
                node = after
                if len(path) > self.n:
                    return None
        return path, cost

    def _shortest_path(self, source: int, target: int, from_source: bool) -> list[int] | None:
        """A shortest open source->target path, or None if ``dist`` needs a rebuild.

        A path is shortest when it is open and costs no more than the bound on its pair,
        up to ``path_slack``. A path found earlier is reused while that still holds;
        otherwise one is read off ``dist`` through next-hop pointers, computed for all
        nodes at once for ``source`` (``from_source``) or for ``target`` and kept until
        ``dist`` changes.
        """
        bound = self.dist.item(source, target) + self.path_slack
        key = source * self.n + target
        known = self.known_paths.get(key)
        if known is not None and known[1] <= bound and self._is_open(known[0]):
            return known[0]
        hops_key = source if from_source else ~target
        hops = self.hops.get(hops_key)
        if hops is None:
            if from_source:
                hops = (self.dist[source, :, None] + self.weight).argmin(axis=0).tolist()
            else:
                hops = (self.weight + self.dist[:, target]).argmin(axis=1).tolist()
            self.hops[hops_key] = hops
        found = self._follow(source, target, hops, from_source)
        if found is None or found[1] > bound:
            return None
        self.known_paths[key] = found
        return found[0]

    # ---------------------------------------------------------------- main loop

    def _push(
        self, source: int, target: int, path: list[int], opened: list[int], closed: list[int]
    ) -> int:
        """Send the bottleneck amount from ``source``'s next step to ``target``'s.

        Args:
            source: Supply node.
            target: Demand node.
            path: Open residual edges from source to target.
            opened: Receives the residual edges this opens.
            closed: Receives the residual edges this closes.

        Returns:
            Bit flags: 1 if the supply step filled, 2 if the demand step did, 4 if an
            edge of the path closed.
        """
        qty_tol, n_arcs = self.qty_tol, self.n_arcs
        arc_flow, arc_cap = self.arc_flow, self.arc_cap
        forward_open, backward_open = self.forward_open, self.backward_open
        supply_step = self.supply_next[source]
        demand_step = self.demand_next[target]
        supply_left, demand_left = self.step_supply_left, self.step_demand_left
        closed_before = len(closed)
        amount = min(supply_left[supply_step], demand_left[demand_step])
        for edge_id in path:
            spare = (arc_cap[edge_id] - arc_flow[edge_id] if edge_id < n_arcs
                     else arc_flow[edge_id - n_arcs])
            if spare < amount:
                amount = spare
        flags = 0
        supply_left[supply_step] -= amount
        self.step_sold[supply_step] += amount
        if supply_left[supply_step] <= qty_tol:
            self.supply_next[source] = supply_step + 1
            flags = 1
        demand_left[demand_step] -= amount
        self.step_served[demand_step] += amount
        if demand_left[demand_step] <= qty_tol:
            self.demand_next[target] = demand_step + 1
            flags |= 2
        for edge_id in path:
            if edge_id < n_arcs:
                arc = edge_id
                arc_flow[arc] += amount
            else:
                arc = edge_id - n_arcs
                arc_flow[arc] -= amount
            now_forward = arc_cap[arc] - arc_flow[arc] > qty_tol
            if now_forward != forward_open[arc]:
                forward_open[arc] = now_forward
                (opened if now_forward else closed).append(arc)
            now_backward = arc_flow[arc] > qty_tol
            if now_backward != backward_open[arc]:
                backward_open[arc] = now_backward
                (opened if now_backward else closed).append(arc + n_arcs)
        if len(closed) > closed_before:
            flags |= 4
        return flags

    def _fill_in_bulk(
        self, supply_nodes: list[int], demand_nodes: list[int], pair_dist: np.ndarray,
        entry_cost: np.ndarray, opened: list[int],
    ) -> int:
        """Fill the run of demand steps that the coming rounds would fill one by one.

        While no supply node's marginal cost changes and no edge closes, every demand
        node keeps its cheapest supply node and path, so the rounds fill the demand steps
        of all nodes in one merged order, by path cost less step value, each from its
        node's cheapest source, until the best one gains nothing. The backward edges that
        the first flow on an arc opens do not change that: an edge opened on a source's
        path only leads back towards that source, which reaches every node of the path
        at least as cheaply as any other source, so no node's cheapest cost falls. This
        fills that order's steps with array arithmetic, up to the first step that would
        exhaust a supply node's run of equally priced steps, close or reopen an edge, or
        need a path that ``dist`` cannot vouch for; the scalar rounds take it from there.

        Args:
            supply_nodes, demand_nodes: The rows' and columns' nodes.
            pair_dist: Bounds on the (supply node, demand node) distances.
            entry_cost: Each row's marginal supply cost, inf once it has sold out.
            opened: Receives the residual edges this opens.

        Returns:
            How many demand steps were filled; 0 if the next step needs a scalar round.
        """
        qty_tol, n_arcs = self.qty_tol, self.n_arcs
        demand_next, demand_end = self.demand_next, self.demand_end
        window = self.window
        source_cost = pair_dist + entry_cost[:, None]
        best_row = source_cost.argmin(axis=0)
        best_cost = source_cost[best_row, np.arange(len(demand_nodes))].tolist()

        # What each row can sell before its marginal cost changes: its run of equal asks.
        run_left = {}
        for row, node in enumerate(supply_nodes):
            first = self.supply_next[node]
            if first < self.supply_end[node]:
                run_left[row] = added_up(self.step_supply_left[first:self.same_cost_end[first]])

        # Each column's next steps that gain welfare, as far as its window shows them and
        # up to the first that its row's run could not cover even alone. A column cut
        # short bounds the merged order: its unseen steps cost at least its last key, so
        # only keys below that are known to come first.
        limit = 0.0
        window_cut = False
        columns = []
        for col, node in enumerate(demand_nodes):
            start, end = demand_next[node], demand_end[node]
            stop = min(end, start + window)
            row = best_row.item(col)
            if start == end or row not in run_left:
                continue
            covered = _cumsum(self.qty_sorted[start:stop]).searchsorted(run_left[row], side="right")
            stop = min(stop, start + int(covered) + 1)
            keys = best_cost[col] - self.value_sorted[start:stop]
            gaining = int(keys.searchsorted(0.0))
            if gaining == 0:
                continue
            if gaining == stop - start and stop < end:
                limit = min(limit, keys.item(gaining - 1))
                window_cut |= stop == start + window
            columns.append((col, start, keys[:gaining]))
        if not columns:
            return 0
        key_parts, col_parts, qty_parts = [], [], []
        taking: list[int] = []  # the columns with candidates
        for col, start, keys in columns:
            count = int(keys.searchsorted(limit))
            if count:
                taking.append(col)
                key_parts.append(keys[:count])
                col_parts.append(_filled(count, col, dtype=np.int64))
                tonnes = self.qty_sorted[start:start + count].copy()
                tonnes[0] = self.step_demand_left[start]  # the first may be partly served
                qty_parts.append(tonnes)
        if not key_parts:
            self.window = min(4 * window, 1 << 16)
            return 0
        order = np.argsort(np.concatenate(key_parts), kind="stable")
        col_of = np.concatenate(col_parts)[order]
        qty = np.concatenate(qty_parts)[order]
        n_candidates = end_at = qty.size

        # Each column's path from its cheapest source; a column without a vouched-for path,
        # or whose path would reopen a closed forward edge, ends the bulk at its first step.
        forward_open, backward_open = self.forward_open, self.backward_open
        path_arcs: dict[int, tuple[list[int], list[float]]] = {}
        for col in taking:
            node = demand_nodes[col]
            path = self._shortest_path(supply_nodes[best_row.item(col)], node, from_source=True)
            arcs, signs = [], []
            for edge_id in path or ():
                if edge_id < n_arcs:
                    arcs.append(edge_id)
                    signs.append(1.0)
                else:
                    arcs.append(edge_id - n_arcs)
                    signs.append(-1.0)
                    if not forward_open[edge_id - n_arcs]:
                        path = None
                        break
            if path is None:
                end_at = min(end_at, int(np.argmax(col_of == col)))
            else:
                path_arcs[col] = (arcs, signs)

        # Supply: each row's run of equally priced steps must cover its columns' steps.
        row_of = best_row[col_of]
        row_totals = {}
        for row in sorted({best_row.item(col) for col in taking}):
            taken = _cumsum(np.where(row_of == row, qty, 0.0))
            over = (taken > run_left[row]).nonzero()[0]
            if over.size:
                end_at = min(end_at, int(over[0]))
            row_totals[row] = taken
        if end_at == 0:
            return 0

        # Arcs: no forward edge may close or open and no open backward edge may close;
        # a backward edge opens on an arc's first flow.
        used = sorted({arc for arcs, _ in path_arcs.values() for arc in arcs})
        if used:
            place = {arc: index for index, arc in enumerate(used)}
            incidence = np.zeros((len(demand_nodes), len(used)))
            for col, (arcs, signs) in path_arcs.items():
                incidence[col, [place[arc] for arc in arcs]] = signs
            start_flow = np.array([self.arc_flow[arc] for arc in used])
            cap = np.array([self.arc_cap[arc] for arc in used])
            flows = _cumsum(incidence[col_of[:end_at]] * qty[:end_at, None])  # down each arc's column
            flows += start_flow
            was_forward = np.array([forward_open[arc] for arc in used])
            was_backward = np.array([backward_open[arc] for arc in used])
            broken = ((cap - flows > qty_tol) != was_forward) | (was_backward & ~(flows > qty_tol))
            broken_rows = _any(broken, axis=1).nonzero()[0]
            if broken_rows.size:
                end_at = int(broken_rows[0])
                if end_at == 0:
                    return 0

        # Book the run.
        if end_at == n_candidates and window_cut:
            self.window = min(2 * window, 1 << 16)  # the window, not an event, ended it
        step_served, step_demand_left = self.step_served, self.step_demand_left
        filled_cols = col_of[:end_at]
        counts = np.bincount(filled_cols, minlength=len(demand_nodes)).tolist()
        for col, count in enumerate(counts):
            if count:
                node = demand_nodes[col]
                head = demand_next[node]
                served = self.qty_sorted[head:head + count].tolist()
                served[0] = step_served[head] + step_demand_left[head]
                step_served[head:head + count] = served
                step_demand_left[head:head + count] = [0.0] * count
                demand_next[node] = head + count
        for row, taken in row_totals.items():
            # The row's steps sell in order: whole ones up to the total taken, then part
            # of the next.
            total = taken.item(end_at - 1)
            if not total > 0.0:
                continue
            node = supply_nodes[row]
            first = self.supply_next[node]
            run_end = self.same_cost_end[first]
            left = np.array(self.step_supply_left[first:run_end])
            through = _cumsum(left)
            whole = min(int(through.searchsorted(total, side="right")), left.size)
            if whole:
                sold = left[:whole].tolist()
                sold[0] += self.step_sold[first]  # the first may have sold some already
                self.step_sold[first:first + whole] = sold
                self.step_supply_left[first:first + whole] = [0.0] * whole
            step = first + whole
            if step < run_end:
                use = total - through.item(whole - 1) if whole else total
                if use > 0.0:
                    self.step_supply_left[step] -= use
                    self.step_sold[step] += use
                    if self.step_supply_left[step] <= qty_tol:
                        step += 1
            self.supply_next[node] = step
        if used:
            for arc, flow in zip(used, flows[end_at - 1].tolist()):
                self.arc_flow[arc] = flow
                if not backward_open[arc] and flow > qty_tol:
                    backward_open[arc] = True
                    opened.append(arc + n_arcs)
        return end_at

    def run(self) -> None:
        """Push flow along cheapest source->sink paths while they gain welfare.

        Each round takes the cheapest (supply node, demand node) pair over ``dist`` and
        fills along it. If only the demand step filled, the next cheapest pair is either
        in the same supply node's row or in another row at its current exit cost: the
        backward edges just opened only make routes through this row's node, which stays
        the cheapest source for them while its own marginal cost is unchanged, and they
        cannot shorten its own paths. Symmetrically for a column when only the supply
        step filled. So a round keeps filling along one row or column with scalar work,
        and the opened edges go into ``dist`` once, when it ends. A step of the row's own
        node that fills with another at the same cost next (a supply step in a row, a demand
        step in a column) leaves the row's costs as they were, so the round goes on: many
        equal firms at a node offer runs of steps at one cost.
        """
        if self.supply_nodes.size == 0 or self.demand_nodes.size == 0:
            return
        inf = float("inf")
        supply_nodes = self.supply_nodes.tolist()
        demand_nodes = self.demand_nodes.tolist()
        n_rows, n_cols = len(supply_nodes), len(demand_nodes)
        # Where each (supply node, demand node) pair sits in ``dist``, shaped as their matrix:
        # ``take`` gives the pairs' distances in that shape.
        pair_index = np.add.outer(self.supply_nodes * self.n, self.demand_nodes)
        step_cost, step_value = self.step_cost, self.step_value
        supply_next, demand_next = self.supply_next, self.demand_next
        supply_end, demand_end = self.supply_end, self.demand_end

        def entry(node: int) -> float:  # cost of the source->node edge
            step = supply_next[node]
            return step_cost[step] if step < supply_end[node] else inf

        def exit_(node: int) -> float:  # cost of the node->sink edge
            step = demand_next[node]
            return -step_value[step] if step < demand_end[node] else inf

        entry_cost = np.array([entry(y) for y in supply_nodes])
        exit_cost = np.array([exit_(x) for x in demand_nodes])
        entry_column = entry_cost[:, None]
        source_cost = np.empty((n_rows, n_cols))  # pair_dist + entry_cost, as of this round
        path_cost = np.empty((n_rows, n_cols))
        opened: list[int] = []
        closed: list[int] = []

        self.dist = _shortest_distances(self.weight, self.arcs.through_nodes)
        pair_dist = self.dist.take(pair_index)
        # Scalar pushes before the next bulk is tried (see _fill_in_bulk); a round breaks
        # off when it reaches 0. A bulk that filled little costs more than the pushes it
        # saved, so after each such bulk the next waits twice as long: in a market whose
        # asks all differ, bulks stop at every sold-out step and are soon rarely tried.
        bulk, bulk_wait, bulk_backoff = self.bulk, 0, 64
        # Each round fills a step, closes an edge or restores ``dist``; the bound is far
        # above any real count and only guards against a livelock, which would be a bug.
        for _ in range(50 * (len(step_cost) + len(step_value) + self.n_arcs) + 1000):
            if bulk and bulk_wait <= 0:
                filled = self._fill_in_bulk(supply_nodes, demand_nodes, pair_dist, entry_cost, opened)
                if filled >= 16:
                    bulk_wait, bulk_backoff = 16, 64
                else:
                    bulk_wait, bulk_backoff = bulk_backoff, min(2 * bulk_backoff, 1 << 14)
                if filled:
                    entry_cost[:] = [entry(y) for y in supply_nodes]
                    exit_cost[:] = [exit_(x) for x in demand_nodes]
                    if self._settle(opened, closed):
                        pair_dist = self.dist.take(pair_index)
            np.add(pair_dist, entry_column, out=source_cost)
            np.add(source_cost, exit_cost, out=path_cost)
            best_pair = int(path_cost.argmin())
            if not path_cost.item(best_pair) < 0.0:
                return  # no source->sink path gains welfare: optimal
            row, col = divmod(best_pair, n_cols)
            source, target = supply_nodes[row], demand_nodes[col]
            path = self._shortest_path(source, target, from_source=True)
            if path is None:
                if not self.closed_since:
                    raise RuntimeError("market clearing: broken shortest-path walk")
                self._restore()
                pair_dist = self.dist.take(pair_index)
                continue

            flags = self._push(source, target, path, opened, closed)
            bulk_wait -= 1
            if flags & 1:
                entry_cost[row] = entry(source)
            if flags & 2:
                exit_cost[col] = exit_(target)
            if flags == 2:
                # Only the demand step filled: keep going along this supply node's row
                # while it beats every other row (whose entry costs stay put; their exit
                # costs are kept current column by column).
                unit_cost = entry_cost.item(row)
                row_values = (pair_dist[row] + exit_cost).tolist()
                source_cost[row] = inf  # the entry costs have not changed since it was worked out
                best_other = _min(source_cost, axis=0)
                others = best_other.tolist()
                competitors = (best_other + exit_cost).tolist()
                batch_paths = {col: path}  # nothing changes them until the round ends
                while True:
                    col = row_values.index(min(row_values))
                    marginal = unit_cost + row_values[col]
                    if not (marginal < 0.0 and marginal <= min(competitors)):
                        break
                    target = demand_nodes[col]
                    path = batch_paths.get(col)
                    if path is None:
                        path = self._shortest_path(source, target, from_source=True)
                        if path is None:
                            break
                        batch_paths[col] = path
                    flags = self._push(source, target, path, opened, closed)
                    bulk_wait -= 1
                    if flags & 2:
                        exit_value = exit_(target)
                        exit_cost[col] = exit_value
                        row_values[col] = pair_dist.item(row, col) + exit_value
                        competitors[col] = others[col] + exit_value
                    if flags & 1:
                        entry_value = entry(source)
                        entry_cost[row] = entry_value
                        if entry_value != unit_cost:
                            break
                    if flags & 4 or (bulk and bulk_wait <= 0):
                        break
            elif flags == 1:
                # Only the supply step filled: the same along this demand node's column.
                unit_value = exit_cost.item(col)
                col_values = (pair_dist[:, col] + entry_cost).tolist()
                np.add(pair_dist, exit_cost, out=path_cost)
                path_cost[:, col] = inf
                best_other = _min(path_cost, axis=1)
                others = best_other.tolist()
                competitors = (best_other + entry_cost).tolist()
                batch_paths = {row: path}
                while True:
                    row = col_values.index(min(col_values))
                    marginal = col_values[row] + unit_value
                    if not (marginal < 0.0 and marginal <= min(competitors)):
                        break
                    source = supply_nodes[row]
                    path = batch_paths.get(row)
                    if path is None:
                        path = self._shortest_path(source, target, from_source=False)
                        if path is None:
                            break
                        batch_paths[row] = path
                    flags = self._push(source, target, path, opened, closed)
                    bulk_wait -= 1
                    if flags & 1:
                        entry_value = entry(source)
                        entry_cost[row] = entry_value
                        col_values[row] = pair_dist.item(row, col) + entry_value
                        competitors[row] = others[row] + entry_value
                    if flags & 2:
                        exit_value = exit_(target)
                        exit_cost[col] = exit_value
                        if exit_value != unit_value:
                            break
                    if flags & 4 or (bulk and bulk_wait <= 0):
                        break

            if self._settle(opened, closed):
                pair_dist = self.dist.take(pair_index)
        raise RuntimeError("market clearing did not converge")

    def _settle(self, opened: list[int], closed: list[int]) -> bool:
        """Take the edges a round closed and opened into ``weight`` and ``dist``.

        Returns:
            True if ``dist`` changed.
        """
        if closed:
            for edge_id in closed:
                self._close_edge(edge_id)
            self.closed_since.extend(closed)
            closed.clear()
        if not opened:
            return False
        cheaper = [edge_id for edge_id in opened
                   if self._is_open((edge_id,)) and self._open_edge(edge_id)]
        opened.clear()
        for edge_id in cheaper:
            if not self._extend_union(edge_id):
                self.dist = _shortest_distances(self.weight)
                self.closed_since.clear()
                break
        self.hops.clear()
        return True
