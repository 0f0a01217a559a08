"""Each role along the chain and the agent class that plays it."""

from __future__ import annotations

from agents.buyers import MagnetMakerFirm, ManufacturerFirm
from agents.firm import FirmAgent
from agents.producers import DeepSeaVenture, MinerFirm, RecyclerFirm, SeparatorFirm
from game.vocab.materials import Role

ROLE_CLASSES: dict[Role, type[FirmAgent]] = {
    Role.MINER: MinerFirm,
    Role.DEEP_SEA: DeepSeaVenture,
    Role.SEPARATOR: SeparatorFirm,
    Role.RECYCLER: RecyclerFirm,
    Role.MAGNET_MAKER: MagnetMakerFirm,
    Role.MANUFACTURER: ManufacturerFirm,
}
