"""The materials the world trades and the stages of the supply chain.

This is shared vocabulary: it imports nothing from the project, so both ``agents/``
and ``game/world/`` can use it without forming an import cycle.
"""

from __future__ import annotations

from enum import Enum


class Material(str, Enum):
    """A traded rare-earth product, measured in tonnes of oxide (t REO)."""

    NDPR = "ndpr"
    DYTB = "dytb"
    CELA = "cela"

    @property
    def label(self) -> str:
        return MATERIAL_LABELS[self]


MATERIAL_LABELS = {
    Material.NDPR: "NdPr oxide",
    Material.DYTB: "Dy/Tb oxide",
    Material.CELA: "Ce/La oxide",
}

#: Fixed order used for every per-material numpy vector in the world.
MATERIALS: tuple[Material, ...] = (Material.NDPR, Material.DYTB, Material.CELA)
MATERIAL_INDEX = {m: i for i, m in enumerate(MATERIALS)}
N_MATERIALS = len(MATERIALS)

#: Materials that go into permanent magnets (the rest go straight to manufacturers).
MAGNET_MATERIALS: tuple[Material, ...] = (Material.NDPR, Material.DYTB)


class Role(str, Enum):
    """A firm's place along the chain: ore -> oxides -> magnets -> products."""

    MINER = "miner"
    SEPARATOR = "separator"
    MAGNET_MAKER = "magnet_maker"
    MANUFACTURER = "manufacturer"
    RECYCLER = "recycler"
    DEEP_SEA = "deep_sea"


#: Roles whose output is mixed ore concentrate rather than separated oxide.
ORE_ROLES = frozenset({Role.MINER, Role.DEEP_SEA})
#: Roles that sell separated oxides on the market.
OXIDE_SELLER_ROLES = frozenset({Role.SEPARATOR, Role.RECYCLER})
#: Roles that buy separated oxides on the market.
OXIDE_BUYER_ROLES = frozenset({Role.MAGNET_MAKER, Role.MANUFACTURER})
