"""How a workshop role's recorded figures read, wherever a class sees them: the team's and the
facilitator's screens, and the debrief report, which gives an objective's value and threshold in
its figure's unit as the screens do ("US$692M", not "692")."""

from __future__ import annotations

import re

from game.vocab.money import sign_before_money

#: A nation's recorded figures as the workshop screens show them (the columns of
#: game.vocab.indicators.NATION_RECORDED): (label, how a value reads, the chart's unit).
FIGURES: dict[str, tuple[str, str, str]] = {
    "output_index": ("Output index", "{v:.2f}", ""),
    "china_share": ("China share", "{v:.0%}", "%"),
    "stockpile_days": ("Stockpile", "{v:.0f} days", ""),
    "secured_share": ("Secured", "{v:.0%}", "%"),
    "budget_musd": ("Budget", "US${v:,.0f}M", ""),
    "political_capital": ("Political capital", "{v:.0f}", ""),
    "mined_t": ("Mined", "{v:,.0f} t", ""),
    "world_mining_share": ("Share of world mining", "{v:.0%}", "%"),
    "exports_t": ("Exports", "{v:,.0f} t", ""),
    "export_value_musd": ("Export earnings", "US${v:,.0f}M", ""),
    "imports_t": ("Imports", "{v:,.0f} t", ""),
    "received_outside_china_t": ("From outside China", "{v:,.0f} t", ""),
    "royalties_musd": ("Royalties", "US${v:,.1f}M", ""),
    "highest_tension": ("Highest tension", "{v:.2f}", ""),
    "tension_with_china": ("Tension with China", "{v:.2f}", ""),
    "price_ndpr": ("NdPr price", "US${v:,.0f}/kg", ""),
    # a company's (game.vocab.indicators.COMPANY_RECORDED)
    "in_business": ("In business", "{v:.0f}", ""),
    "cash_musd": ("Cash", "US${v:,.0f}M", ""),
    "debt_musd": ("Debt", "US${v:,.0f}M", ""),
    "capacity_tpy": ("Plant capacity", "{v:,.0f} t/yr", ""),
    "oxide_t": ("Oxide made", "{v:,.0f} t", ""),
    "ndpr_t": ("NdPr made", "{v:,.0f} t", ""),
    "ndpr_share_outside_china": ("Share of NdPr made outside China", "{v:.0%}", "%"),
    "running_share": ("Plants running", "{v:.0%}", "%"),
}

#: The figure in one of FIGURES' formats ("{v:,.0f}" in "US${v:,.0f}M").
_FIGURE = re.compile(r"\{v(?::[^}]*)?\}")


def in_unit(figure: str, unit: str) -> str:
    """A figure already written (an objective's reason rounds it: "692") in a format of
    ``FIGURES`` (``unit``, translated: "US${v:,.0f}M"), as it stands: "US$692M" ("-US$22M" below zero)."""
    return sign_before_money(_FIGURE.sub(lambda _: figure, unit))
