"""A fact's note as a player reads it (game.scenario.reference.fact_wording): the notes of
facts.toml also tell the project's researchers what was and was not found, and a 2011 news
pop-up showed "Actual output incl. illegal mining not found." as history."""

from __future__ import annotations

import pytest

from game.scenario.reference import fact_wording, facts, for_players


@pytest.mark.parametrize("language, kept, dropped", [
    ("en", "Official 2011 mining cap: 80,400 t light + 13,400 t medium/heavy; 2010 cap was 89,200 t.",
     "illegal mining"),
    ("ja", "2011年の公式採掘上限：軽希土類80,400t＋中・重希土類13,400t。2010年の上限は89,200t。", "違法採掘"),
])
def test_the_2011_output_cap_reads_without_what_was_not_found(language, kept, dropped):
    _, note = fact_wording(facts()["prod_china_2011"], language)
    assert note == kept and dropped not in note


@pytest.mark.parametrize("note, shown", [
    ("Compiler's arithmetic; metal, not oxide.", "Metal, not oxide."),
    ("JV formed May 2010; planned 3,000 t by 2015 (later outcome not found).", "JV formed May 2010; planned 3,000 t by 2015."),
    ("~US$165-172/kg at ~6.38 CNY/USD (compiler conversion); export prices were much higher.",
     "~US$165-172/kg at ~6.38 CNY/USD; export prices were much higher."),
    ("Approximate, labelled low; stored USGS series only gives world totals for 2009.", ""),
    ("未確認。CGTNは設備投資750億円としている。", "CGTNは設備投資750億円としている。"),
    # Which table a figure came from and how to use it, seen in the 2018 and 2027 news by a play-tester.
    ("USGS yearbook table; figures for China are the official production quota (undocumented output excluded).",
     "Figures for China are the official production quota (undocumented output excluded)."),
    ("Another summary says up to 50 t/day plus a dewatering plant on Minamitorishima; treat as 50-350.",
     "Another summary says up to 50 t/day plus a dewatering plant on Minamitorishima."),
    ("USGS年鑑の表。中国の数値は公式の生産割当量（把握されていない生産は除く）。",
     "中国の数値は公式の生産割当量（把握されていない生産は除く）。"),
    ("別の資料では最大で1日50tに加え、南鳥島に脱水施設。50〜350tとみなす。", "別の資料では最大で1日50tに加え、南鳥島に脱水施設。"),
    ("Prices peaked incl. Dy in mid-2011.", "Prices peaked incl. Dy in mid-2011."),  # nothing for researchers
])
def test_what_is_said_to_researchers_is_left_out_and_the_rest_kept(note, shown):
    assert for_players(note) == shown


def test_no_note_the_window_shows_speaks_of_the_search():
    for fact in facts().values():
        for language in ("en", "ja"):
            note = fact_wording(fact, language)[1]
            assert "not found" not in note and "見つから" not in note and "Compiler" not in note, fact.id
