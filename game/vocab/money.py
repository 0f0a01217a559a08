"""How a line writes a sum of money below zero, in any language: the sign before the currency."""

from __future__ import annotations

import re

#: A sum of money below zero as a template writes it: "US$" then the number's own sign.
_MONEY_BELOW_ZERO = re.compile(r"US\$-(\d[\d,]*(?:\.\d+)?)")


def sign_before_money(text: str) -> str:
    """Money below zero with its sign before the currency, as it is written: "-US$22M", not the
    "US$-22M" a template's "US${cash:,.0f}M" makes of it; a loss that rounds to nothing as
    "US$0M", without a sign."""
    def said(found: re.Match) -> str:
        digits = found.group(1)
        return ("-US$" if any(digit in digits for digit in "123456789") else "US$") + digits
    return _MONEY_BELOW_ZERO.sub(said, text)
