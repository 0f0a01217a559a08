"""The ledger of signed offtake contracts: what is due each quarter, and breaches."""

from __future__ import annotations

from dataclasses import dataclass, field

from game.vocab.materials import Material
from game.vocab.quarters import Quarter


@dataclass
class Contract:
    """A seller firm owes a buyer nation ``tonnes_per_year`` of a material at a fixed price."""

    id: str
    seller: str
    buyer: str
    material: Material
    tonnes_per_year: float
    price: float
    start: Quarter
    end: Quarter
    cancelled: bool = False
    #: An investor's offtake is a share of what the plant makes (up to tonnes_per_year);
    #: 0 for a contract of fixed tonnage.
    share_of_output: float = 0.0
    #: Indexed price: this share of the price follows the market in the buyer's country
    #: (base plus a share of the index), the rest stays at ``price``; 0 for a fixed price.
    index_share: float = 0.0

    def price_now(self, market_price: float) -> float:
        """US$/kg paid this quarter, given the buyer's market price."""
        return (1.0 - self.index_share) * self.price + self.index_share * market_price

    def is_active(self, quarter: Quarter) -> bool:
        return not self.cancelled and self.start <= quarter <= self.end

    @property
    def due_per_turn(self) -> float:
        return self.tonnes_per_year / 4.0

    def due_from(self, output_t: float) -> float:
        """Tonnes due this quarter, given what the seller made of this material."""
        if self.share_of_output > 0:
            return min(self.due_per_turn, self.share_of_output * output_t)
        return self.due_per_turn


@dataclass(frozen=True)
class Breach:
    """A delivery that fell short, with the reason: the last limit that bound (a closed seller,
    an embargo, licences, the export quota, or not enough stock). What a state's measures stopped
    is force majeure: the seller pays damages on the rest only (``deliver_contracts``)."""

    quarter: Quarter
    contract_id: str
    seller: str
    buyer: str
    material: Material
    due_t: float
    delivered_t: float
    reason: str

    @property
    def shortfall_t(self) -> float:
        return self.due_t - self.delivered_t


@dataclass(frozen=True)
class Delivery:
    quarter: Quarter
    contract_id: str
    due_t: float
    delivered_t: float



@dataclass
class ContractLedger:
    """Every contract signed, in the order signed, with what was delivered and breached.

    Contracts join only through ``sign`` and are cancelled only through ``cancel_contracts_of``
    (nothing else changes a signed contract), so the ledger can keep what it is asked for
    often: the ids taken, and the contracts open in the quarters last asked about."""

    contracts: list[Contract] = field(default_factory=list)
    breaches: list[Breach] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    #: Published share of contracted tonnes each seller delivered (1.0 until it has a record).
    reputations: dict[str, float] = field(default_factory=dict)
    #: The ids of ``contracts``: a signature checks and finds ids without walking them all.
    _ids: set[str] = field(default_factory=set, init=False, repr=False, compare=False)
    #: The open contracts (``active``) of the last two quarters asked about, in signing order:
    #: every phase asks about this quarter or the next. A contract signed joins the lists of
    #: the quarters it is open in, a cancelled one leaves them; asking about another quarter
    #: forgets the older of the two. Open or not otherwise depends on the quarter alone.
    _active_in: dict[Quarter, list[Contract]] = field(default_factory=dict, init=False, repr=False,
                                                      compare=False)

    def __post_init__(self) -> None:
        self._ids = {c.id for c in self.contracts}

    def reputation(self, seller: str) -> float:
        return self.reputations.get(seller, 1.0)

    def publish_reputations(self, quarter: Quarter, period: int) -> None:
        """Each seller's delivered share of what it owed over the last ``period`` quarters
        (reputations are published every period, from the deliveries since the last)."""
        since = quarter - (period - 1)
        due: dict[str, float] = {}
        delivered: dict[str, float] = {}
        by_id = {c.id: c for c in self.contracts}
        for delivery in self.deliveries:
            if delivery.quarter >= since:
                contract = by_id[delivery.contract_id]
                due[contract.seller] = due.get(contract.seller, 0.0) + delivery.due_t
                delivered[contract.seller] = delivered.get(contract.seller, 0.0) + delivery.delivered_t
        for seller, owed in due.items():
            if owed > 0:
                self.reputations[seller] = min(1.0, delivered[seller] / owed)

    def unused_id(self, wanted: str) -> str:
        """``wanted`` if no contract has it yet, else ``wanted#2``, ``#3``...: ids the world makes
        (an investor's offtake, a deal) may meet one a level file chose."""
        taken = self._ids
        contract_id, copies = wanted, 1
        while contract_id in taken:
            copies += 1
            contract_id = f"{wanted}#{copies}"
        return contract_id

    def sign(self, contract: Contract) -> None:
        if contract.id in self._ids:
            raise ValueError(f"a contract with id {contract.id!r} already exists")
        self.contracts.append(contract)
        self._ids.add(contract.id)
        for quarter, open_then in self._active_in.items():
            if contract.is_active(quarter):
                open_then.append(contract)

    def active(self, quarter: Quarter) -> list[Contract]:
        """The contracts open in ``quarter``, in the order signed (a new list: the caller's own)."""
        open_then = self._active_in.get(quarter)
        if open_then is None:
            if len(self._active_in) >= 2:
                del self._active_in[next(iter(self._active_in))]
            open_then = self._active_in[quarter] = [c for c in self.contracts if c.is_active(quarter)]
        return list(open_then)

    def record_delivery(self, quarter: Quarter, contract: Contract, due_t: float, delivered_t: float,
                        reason: str) -> None:
        self.deliveries.append(Delivery(quarter, contract.id, due_t, delivered_t))
        if delivered_t < due_t * (1.0 - 1e-9):
            self.breaches.append(Breach(quarter, contract.id, contract.seller, contract.buyer, contract.material,
                                        due_t, delivered_t, reason))

    def cancel_contracts_of(self, seller: str) -> int:
        """A bankrupt seller's contracts end; returns how many were still open."""
        cancelled = 0
        for contract in self.contracts:
            if contract.seller == seller and not contract.cancelled:
                contract.cancelled = True
                cancelled += 1
        if cancelled:
            for open_then in self._active_in.values():
                open_then[:] = [c for c in open_then if not c.cancelled]
        return cancelled
