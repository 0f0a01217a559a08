"""The window's numbered citations (game.ui.citations), as the briefing, the debrief and its
exported page show them."""

from __future__ import annotations

from game.scenario.reference import facts
from game.ui.citations import cite


def test_two_facts_from_one_source_share_its_number_and_it_is_listed_once():
    """The exported debrief listed one source twice under different numbers (3 = 4, 7 = 8)."""
    known = facts()
    assert known["lynas_reo_fy2023"].source == known["lynas_ndpr_fy2023"].source  # the case itself
    shown = cite("Collision (ep2010_collision). Lynas made 16,000 t (lynas_reo_fy2023), of it NdPr "
                 "5,800 t (lynas_ndpr_fy2023); both (lynas_reo_fy2023, lynas_ndpr_fy2023).", "#888", "Sources")
    body, listed = shown.split("<br><br>")
    assert "[1]" in body and body.count("[2]") == 3 and "[3]" not in body and "[2,2]" not in body
    source = known["lynas_reo_fy2023"].source
    assert listed.count(source) == 1 and f"2. {source}" in listed and "3. " not in listed
