"""What the firms did over a set of runs: which failed, which were bought and restarted, on how
many runs and when. Calibration prints it under the figures, because a price that looks right
can hide producers going bankrupt for the wrong reason."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from game.research.runner import RunResult

#: How each fate reads in the summary, in this order.
_WORDS = {"bankrupt": "bankrupt", "restarted": "bought and restarted"}


def format_firm_fates(results: Sequence[RunResult], last_year: int | None = None) -> str:
    """One line per firm that failed or was restarted in any run (up to ``last_year``), in the
    order it first happened: on how many runs, and in which quarters (with how many runs)."""
    names: dict[str, str] = {}
    first: dict[str, str] = {}  # the quarter each firm's first fate came, in any run
    runs_with: dict[tuple[str, str], set[int]] = {}
    quarters: dict[tuple[str, str], Counter] = {}
    for index, result in enumerate(results):
        for quarter, firm_id, name, fate in result.firm_fates:
            if last_year is not None and int(quarter[:4]) > last_year:
                continue
            names.setdefault(firm_id, name)
            first[firm_id] = min(first.get(firm_id, quarter), quarter)
            runs_with.setdefault((firm_id, fate), set()).add(index)
            quarters.setdefault((firm_id, fate), Counter())[quarter] += 1
    title = f"What the firms did ({len(results)} runs{'' if last_year is None else f', to {last_year}'})"
    if not names:
        return f"{title}\n  no firm failed"
    lines = [title]
    for firm_id in sorted(names, key=lambda f: (first[f], f)):
        parts = []
        for fate, words in _WORDS.items():
            if (firm_id, fate) in quarters:
                when = ", ".join(f"{q} x{n}" if n > 1 else q for q, n in sorted(quarters[(firm_id, fate)].items()))
                parts.append(f"{words} on {len(runs_with[(firm_id, fate)])}/{len(results)} ({when})")
        lines.append(f"  {names[firm_id]}: " + "; ".join(parts))
    return "\n".join(lines)
