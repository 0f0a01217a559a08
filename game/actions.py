"""The player's levers as data: each Action validates itself, costs money, and acts
through the world's mechanisms (never a flat bonus).

Every change from outside the world is an Action applied by the session, so a human,
a script, a bot, a replay and the RL environment all go the same way. An action that
is refused says why and leaves the world untouched.
"""

from __future__ import annotations

import math
from dataclasses import MISSING, dataclass, fields
from typing import TYPE_CHECKING, Any, ClassVar

from game.world.materials import MATERIAL_INDEX, Material

if TYPE_CHECKING:
    from game.world.model import RareEarthWorld

#: Largest tonnage one action may move: well above any nation's yearly use.
MAX_TONNES = 1_000_000.0
MAX_MUSD = 1_000_000.0


class ActionRefused(ValueError):
    """An action that cannot be carried out, with the reason."""


@dataclass(frozen=True)
class Action:
    """Base of all actions: ``check`` returns a reason to refuse (or None); ``apply`` acts."""

    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""

    def check(self, world: RareEarthWorld, nation: str) -> str | None:
        raise NotImplementedError

    def apply(self, world: RareEarthWorld, nation: str) -> str:
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        data = {"kind": self.kind}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                value = [v.value if isinstance(v, Material) else v for v in value]
            data[f.name] = value.value if isinstance(value, Material) else value
        return data


@dataclass(frozen=True)
class ReleaseStockpile(Action):
    """Offer tonnes from the national stockpile on the home market this quarter."""

    kind: ClassVar[str] = "release_stockpile"
    label: ClassVar[str] = "Release stockpile"
    material: Material
    tonnes: float

    def check(self, world, nation):
        held = world.nation(nation).stockpile[MATERIAL_INDEX[self.material]]
        ordered = world.nation(nation).release_orders[MATERIAL_INDEX[self.material]]
        if self.tonnes > held - ordered + 1e-9:
            return f"only {held - ordered:,.0f} t of {self.material.label} left in the stockpile to release"
        return None

    def apply(self, world, nation):
        world.order_stockpile_release(nation, MATERIAL_INDEX[self.material], self.tonnes)
        return f"Release {self.tonnes:,.0f} t of {self.material.label} from the stockpile"


@dataclass(frozen=True)
class BuyStockpile(Action):
    """Bid for tonnes to add to the national stockpile, paying at most a price."""

    kind: ClassVar[str] = "buy_stockpile"
    label: ClassVar[str] = "Buy for the stockpile"
    material: Material
    tonnes: float
    max_price_usd_per_kg: float

    def check(self, world, nation):
        if self.max_price_usd_per_kg <= 0:
            return "the highest price must be above zero"
        most = self.tonnes * self.max_price_usd_per_kg / 1000.0
        budget = world.nation(nation).budget_musd - _committed(world, nation)
        if most > budget + 1e-9:
            return f"could cost up to US${most:,.0f}M, more than the US${budget:,.0f}M budget left"
        return None

    def apply(self, world, nation):
        world.order_stockpile_purchase(nation, MATERIAL_INDEX[self.material], self.tonnes, self.max_price_usd_per_kg)
        return (f"Bid for {self.tonnes:,.0f} t of {self.material.label} for the stockpile, "
                f"up to US${self.max_price_usd_per_kg:,.2f}/kg")


@dataclass(frozen=True)
class InvestInProject(Action):
    """Fund a project abroad for offtake rights: it starts building if it was waiting for money,
    and once it produces, its owner owes the investor ``offtake_tpy`` for ``years`` years."""

    kind: ClassVar[str] = "invest_in_project"
    label: ClassVar[str] = "Invest in a project"
    project: str
    amount_musd: float
    offtake_tpy: float = 0.0
    years: int = 10
    price_usd_per_kg: float = 0.0  # 0: the level's reference price of each material
    materials: tuple[Material, ...] = ()  # the oxides the offtake covers; () for all it makes

    def check(self, world, nation):
        project = world.projects.get(self.project)
        if project is None:
            return f"no project {self.project!r} in this world"
        if project.done or project.failed:
            return f"project {self.project!r} has already {'finished' if project.done else 'failed'}"
        if self.amount_musd <= 0:
            return "the amount must be above zero"
        budget = world.nation(nation).budget_musd - _committed(world, nation)
        if self.amount_musd > budget + 1e-9:
            return f"costs US${self.amount_musd:,.0f}M, more than the US${budget:,.0f}M budget left"
        if not 1 <= self.years <= 30:
            return "offtake years must be from 1 to 30"
        if self.offtake_tpy > project.adds_tpy + 1e-9:
            return f"offtake of {self.offtake_tpy:,.0f} t/yr is more than the {project.adds_tpy:,.0f} t/yr the project adds"
        return None

    def apply(self, world, nation):
        world.invest_in_project(nation, self.project, self.amount_musd, self.offtake_tpy, self.years,
                                self.price_usd_per_kg, self.materials)
        return f"Invest US${self.amount_musd:,.0f}M in {self.project} for {self.offtake_tpy:,.0f} t/yr over {self.years} years"


def _committed(world: RareEarthWorld, nation: str) -> float:
    """Budget already promised this turn to stockpile bids (at their highest price)."""
    return sum(t * p / 1000.0 for _, t, p in world.nation(nation).purchase_orders)


ACTION_TYPES: dict[str, type[Action]] = {cls.kind: cls for cls in (ReleaseStockpile, BuyStockpile, InvestInProject)}


def action_from_dict(data: dict[str, Any]) -> Action:
    """Build an Action from plain data (a strategy file, a save, the RL env).

    Raises:
        ValueError: naming the field that is missing, unknown or of the wrong type.
    """
    kind = data.get("kind")
    cls = ACTION_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ValueError(f"unknown action kind {kind!r} (expected one of {', '.join(ACTION_TYPES)})")
    values: dict[str, Any] = {}
    known = {f.name: f for f in fields(cls)}
    for name in data:
        if name != "kind" and name not in known:
            raise ValueError(f"{kind}: unknown field {name!r} (expected {', '.join(known)})")
    for name, f in known.items():
        if name not in data:
            if f.default is MISSING and f.default_factory is MISSING:
                raise ValueError(f"{kind}: missing field {name!r}")
            continue
        values[name] = _coerce(kind, name, data[name], f.type)
    return cls(**values)


def _coerce(kind: str, name: str, value: Any, annotation: str) -> Any:
    if annotation == "tuple[Material, ...]":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"{kind}.{name}: expected a list of materials (ndpr, dytb, cela)")
        return tuple(_coerce(kind, name, v, "Material") for v in value)
    if annotation == "Material":
        try:
            return Material(value)
        except ValueError:
            raise ValueError(f"{kind}.{name}: unknown material {value!r} (expected ndpr, dytb or cela)") from None
    if annotation == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{kind}.{name}: expected a number, got {_describe(value)}")
        try:
            value = float(value)
        except OverflowError:
            raise ValueError(f"{kind}.{name}: expected a number, got {_describe(value)}") from None
        if not math.isfinite(value):
            raise ValueError(f"{kind}.{name}: expected a number, got {value!r}")
        limit = MAX_MUSD if "musd" in name else (1e5 if "price" in name else MAX_TONNES)
        if not 0 <= value <= limit:
            raise ValueError(f"{kind}.{name}: expected a number from 0 to {limit:g}, got {value:g}")
        return float(value)
    if annotation == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{kind}.{name}: expected a whole number, got {_describe(value)}")
        return value
    if annotation == "str":
        if not isinstance(value, str):
            raise ValueError(f"{kind}.{name}: expected a string, got {_describe(value)}")
        return value
    return value


def _describe(value: Any) -> str:
    """A short description of a bad value: never a megabyte of digits or text."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**15:
        return f"a whole number of {len(str(abs(value)))} digits"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
