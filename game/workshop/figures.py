"""How a workshop role's recorded figures read, wherever a class sees them: the team's and the
facilitator's screens, and the debrief report, which titles its charts from the same table and
gives an objective's value and threshold in its figure's unit as the screens do ("US$692M", not
"692")."""

from __future__ import annotations

import re
from typing import NamedTuple

from game.vocab.money import sign_before_money

class Figure(NamedTuple):
    """One recorded figure of a role, as a class sees it."""

    #: Its name on the screens: "Output index".
    label: str
    #: How a value reads: "US${v:,.0f}M".
    shown: str
    #: What it measures: "index", "share" (a fraction, shown in percent) or "amount".
    kind: str
    #: Its chart's title in the debrief report, which says what it counts in: "Budget (US$M)".
    title: str

    @property
    def unit(self) -> str:
        """Its chart's unit on the screens: "%" for a share."""
        return "%" if self.kind == "share" else ""


#: A nation's recorded figures (the columns of game.vocab.indicators.NATION_RECORDED), then a
#: company's (COMPANY_RECORDED): the one table the screens and the debrief report name them by.
FIGURES: dict[str, Figure] = {
    "output_index": Figure("Output index", "{v:.2f}", "index", "Output index"),
    "china_share": Figure("China share", "{v:.0%}", "share", "China's share of supply"),
    "stockpile_days": Figure("Stockpile", "{v:.0f} days", "amount", "Stockpile (days of use)"),
    "secured_share": Figure("Secured", "{v:.0%}", "share", "Supply secured outside China (share of a year's need)"),
    "budget_musd": Figure("Budget", "US${v:,.0f}M", "amount", "Budget (US$M)"),
    "political_capital": Figure("Political capital", "{v:.0f}", "amount", "Political capital"),
    "mined_t": Figure("Mined", "{v:,.0f} t", "amount", "Ore mined (t a quarter)"),
    "world_mining_share": Figure("Share of world mining", "{v:.0%}", "share", "Share of the world's mining"),
    "exports_t": Figure("Exports", "{v:,.0f} t", "amount", "Exports (t a quarter)"),
    "export_value_musd": Figure("Export earnings", "US${v:,.0f}M", "amount", "Export earnings (US$M a quarter)"),
    "imports_t": Figure("Imports", "{v:,.0f} t", "amount", "Imports (t a quarter)"),
    "received_outside_china_t": Figure("From outside China", "{v:,.0f} t", "amount",
                                       "Oxide received from outside China (t a quarter)"),
    "royalties_musd": Figure("Royalties", "US${v:,.1f}M", "amount", "Royalties (US$M)"),
    "highest_tension": Figure("Highest tension", "{v:.2f}", "index", "Highest tension"),
    "tension_with_china": Figure("Tension with China", "{v:.2f}", "index", "Tension with China"),
    "price_ndpr": Figure("NdPr price", "US${v:,.0f}/kg", "amount", "NdPr price (US$/kg)"),
    # a company's (game.vocab.indicators.COMPANY_RECORDED)
    "in_business": Figure("In business", "{v:.0f}", "index", "In business (1: all its firms)"),
    "cash_musd": Figure("Cash", "US${v:,.0f}M", "amount", "Cash (US$M)"),
    "debt_musd": Figure("Debt", "US${v:,.0f}M", "amount", "Debt (US$M)"),
    "capacity_tpy": Figure("Plant capacity", "{v:,.0f} t/yr", "amount", "Plant capacity (t a year)"),
    "oxide_t": Figure("Oxide made", "{v:,.0f} t", "amount", "Oxide made (t a quarter)"),
    "ndpr_t": Figure("NdPr made", "{v:,.0f} t", "amount", "NdPr made (t a quarter)"),
    "ndpr_share_outside_china": Figure("Share of NdPr made outside China", "{v:.0%}", "share",
                                       "Share of the NdPr made outside China"),
    "running_share": Figure("Plants running", "{v:.0%}", "share", "Share of its plants running"),
}

#: The figure in one of FIGURES' formats ("{v:,.0f}" in "US${v:,.0f}M").
_FIGURE = re.compile(r"\{v(?::[^}]*)?\}")


def in_unit(figure: str, unit: str) -> str:
    """A figure already written (an objective's reason rounds it: "692") in a format of
    ``FIGURES`` (``unit``, translated: "US${v:,.0f}M"), as it stands: "US$692M" ("-US$22M" below zero)."""
    return sign_before_money(_FIGURE.sub(lambda _: figure, unit))
