"""The names firms take as they change hands (a world file's ``renamed``), each from its quarter;
a firm bought free of its old owner's debts leaves them behind then."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from game.spec import FirmName, FirmSpec
from game.vocab.quarters import Quarter

if TYPE_CHECKING:
    import mesa


class NamesDue:
    """The names the world's firms are still to take, soonest first (a firm's in its own order)."""

    def __init__(self, firms: Iterable[FirmSpec]):
        # The firm's place breaks ties, so two firms renamed in one quarter take their names in file order.
        due = [(named.since, place, firm.id, named) for place, firm in enumerate(firms) for named in firm.renamed]
        self._due: list[tuple[Quarter, int, str, FirmName]] = sorted(due, key=lambda entry: entry[:2])

    def give(self, world: mesa.Model, quarter: Quarter) -> None:
        """Each firm takes the names due by ``quarter`` (the last of them is the one it keeps)."""
        while self._due and self._due[0][0] <= quarter:
            _, _, firm_id, named = self._due.pop(0)
            firm = world.firm(firm_id)
            firm.take_name(named)
            if named.bought_free_of_debts:
                failed = not firm.alive
                firm.pass_to_new_owners_free_of_debts()
                if failed:
                    world.report("firm", "{firm} is bought and restarted", firm=firm.name, firm_id=firm.firm_id,
                                 fate_id="restarted")

    def __len__(self) -> int:
        return len(self._due)
