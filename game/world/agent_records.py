"""The agents' rows of each quarter, kept as columns until somebody reads them.

Mesa's DataCollector keeps a list of row tuples per step (``_agent_records``). At 10,000 firms
building those tuples costs about a twentieth of a turn, and the game and most sweeps never
read them. A quarter's values are read when it is collected, as Mesa's would be (copies, so
later quarters cannot change them); the rows are put together when first asked for, and are
then the same tuples Mesa's collector would have made.
"""

from __future__ import annotations

from itertools import repeat

import numpy as np


class QuarterRows:
    """One quarter's agent rows: the nations' rows as they are, the firms' as columns.

    Args:
        steps: the model's step, the first value of every row.
        others: the rows of the agents that are not firms, in their order.
        firm_columns: the firms' unique ids, firm ids, kinds and nations (tuples, which
            never change) and their output, cash, stock and whether they work (arrays).
        places: where each firm's row and each other row go among all rows, or None when
            the others come first and the firms after them (as a world adds its agents).
    """

    __slots__ = ("_steps", "_others", "_firm_columns", "_places")

    def __init__(self, steps: int, others: list[tuple], firm_columns: tuple,
                 places: tuple[list[int], list[int]] | None):
        for column in firm_columns:
            if isinstance(column, np.ndarray):
                column.flags.writeable = False  # shared, never copied (see __deepcopy__)
        self._steps, self._others, self._firm_columns, self._places = steps, others, firm_columns, places

    def __len__(self) -> int:
        return len(self._others) + len(self._firm_columns[0])

    def rows(self) -> list[tuple]:
        """The rows, in the agents' order: the tuples Mesa's collector makes."""
        unique_id, firm_id, kind, nation, output, cash, stock, working = self._firm_columns
        firm_rows = zip(repeat(self._steps), unique_id, firm_id, kind, nation, output.tolist(), cash.tolist(),
                        stock.tolist(), repeat(None), working.tolist())
        if self._places is None:
            return self._others + list(firm_rows)
        firm_places, other_places = self._places
        rows: list = [None] * len(self)
        for k, row in zip(firm_places, firm_rows):
            rows[k] = row
        for k, row in zip(other_places, self._others):
            rows[k] = row
        return rows

    def __deepcopy__(self, memo: dict) -> QuarterRows:
        return self  # nothing in it can change: tuples of plain values and read-only arrays

    def __getstate__(self) -> tuple:
        return self._steps, self._others, self._firm_columns, self._places

    def __setstate__(self, state: tuple) -> None:
        self._steps, self._others, self._firm_columns, self._places = state
        for column in self._firm_columns:
            if isinstance(column, np.ndarray):
                column.flags.writeable = False


class AgentRecords(dict):
    """Mesa's ``_agent_records``: each step's list of rows, a quarter's built when first read.

    Every way Mesa and the research tools read it (an item, ``get``, ``values``, ``items``,
    ``pop``) gives the lists of tuples; ``values`` and ``items`` give lists rather than views.
    """

    def _rows(self, key):
        value = dict.__getitem__(self, key)
        if isinstance(value, QuarterRows):
            value = value.rows()
            dict.__setitem__(self, key, value)
        return value

    def __getitem__(self, key):
        return self._rows(key)

    def get(self, key, default=None):
        return self._rows(key) if key in self else default

    def values(self) -> list:  # type: ignore[override]
        return [self._rows(key) for key in self]

    def items(self) -> list:  # type: ignore[override]
        return [(key, self._rows(key)) for key in self]

    def pop(self, key, *default):
        if key not in self:
            if default:
                return default[0]
            raise KeyError(key)
        value = self._rows(key)
        dict.__delitem__(self, key)
        return value

    def copy(self) -> dict:
        return dict(self.items())

    def __eq__(self, other) -> bool:
        if not isinstance(other, dict):
            return NotImplemented
        return dict(self.items()) == (dict(other.items()) if isinstance(other, AgentRecords) else other)

    def __ne__(self, other) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"AgentRecords({dict(self.items())!r})"

    def __reduce__(self):
        # Pickled and deep-copied with the quarters not yet read still as columns.
        return AgentRecords, (), None, None, iter(dict.items(self))
