"""How texts name the reference facts (``levels/reference/facts.toml``): by id, alone
(``jp_china_share_2010``) or in a bracketed list, "(a, b)" or "（a、b）". The window's citations,
the workshop's handouts and its report turn them into numbered sources, with the same patterns.
"""

from __future__ import annotations

__all__ = ["CITATION", "FACT_ID"]

#: A fact's id: a lowercase word, then words of letters and digits joined by "_"; a few carry a
#: quarter in capitals (``price_nd_2010_Q42010``, which a lowercase pattern left in a briefing
#: as it was written).
FACT_ID = r"[a-z][a-z0-9]*_[A-Za-z0-9_]+"
#: A bracketed list of fact ids, in English "(a, b)" or Japanese "（a、b）"; the ids are its group 1.
CITATION = r"[（(]\s*([a-z][A-Za-z0-9_]*(?:\s*[、,]\s*[a-z][A-Za-z0-9_]*)*)\s*[）)]"
