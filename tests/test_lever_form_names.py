"""A lever form's value names each thing it chose: at 1280x720 a WTO case with the United States
and the EU read "United States…Union", the EU's name cut to its last word. Where the whole names
do not fit, the partners go by the codes the map labels them with; a name too long is cut before
a figure, never inside it."""

from __future__ import annotations

import re

import pytest

from game.ui.driver import open_at_level
from game.ui.levers import LEVER_BY_KIND, option_text
from game.ui.text import cut_at_a_word, cut_before_a_figure


@pytest.mark.parametrize(("size", "scale"), [((1280, 720), 1.0), ((1280, 720), 2.0), ((1024, 576), 1.0)])
def test_the_wto_case_form_names_every_partner(tmp_path, monkeypatch, size, scale):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_at_level("2012-wto", size=size, scale=scale)
    turn = app.top
    turn.pane = "levers"
    lever = LEVER_BY_KIND["file_wto_case"]
    turn.levers.tab, turn.levers.lever_kind = lever.tab, lever.kind
    app.rebuild()
    app.frame([])
    partners = turn.levers._values(lever)["partners"]
    assert len(partners) >= 2
    texts = [getattr(element, "text", "") for element in turn.levers.form]
    named = [text for text in texts
             if all(code in text or app.game.nation_name(code, "en") in text for code in partners)]
    assert named, (partners, texts)
    app.game.close()


@pytest.mark.parametrize(("language", "size"), [("en", (1280, 720)), ("ja", (1280, 720)), ("ja", (1920, 1080))])
def test_a_project_s_name_is_never_cut_inside_a_figure(tmp_path, monkeypatch, language, size):
    """"Mt Weld (Lynas) (+2…" read as a project adding 2 t a year; it adds 22,000."""
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_at_level("2011-spike", size=size, language=language)
    turn = app.top
    lever = LEVER_BY_KIND["invest_in_project"]
    turn.levers.tab, turn.levers.lever_kind = lever.tab, lever.kind
    app.rebuild()
    app.frame([])
    texts = [getattr(element, "text", "") for element in turn.levers.form]
    assert not [text for text in texts if re.search(r"[\d,]…", text)], texts
    app.game.close()


@pytest.mark.parametrize(("cut", "kept"), [("Mt Weld (Lynas) (+2…", "Mt Weld (Lynas)…"),
                                           ("マウント・ウェルド（ライナス）（年22,…", "マウント・ウェルド（ライナス）…"),
                                           ("Dong Pao separatio…", "Dong Pao separatio…"),
                                           ("12…", "12…"), ("Mt Weld (Lynas) (+22,000 t/yr)", "Mt Weld (Lynas) (+22,000 t/yr)"),
                                           ("Mt Weld (Lynas, +2…", "Mt Weld (Lynas)…"),
                                           ("マウント・ウェルド（ライナス、年22,…", "マウント・ウェルド（ライナス）…")])
def test_a_cut_name_ends_before_a_figure_it_would_cut(cut, kept):
    assert cut_before_a_figure(cut) == kept


def _opens_an_aside_it_does_not_close(text: str) -> bool:
    return text.count("（") > text.count("）") or text.count("(") > text.count(")")


@pytest.mark.parametrize(("language", "size", "scale"), [("ja", (1920, 1080), 1.0), ("ja", (1280, 720), 2.0)])
def test_a_name_cut_in_its_aside_ends_before_the_aside(tmp_path, monkeypatch, language, size, scale):
    """The sandbox's Invest form in Japanese at 1920x1080 read 「マウント・ウェルド（ライナス…」: a
    name cut inside its bracket, which never closes. It ends before the aside instead."""
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_at_level("sandbox", size=size, language=language, scale=scale)
    turn = app.top
    turn.pane = "levers"
    lever = LEVER_BY_KIND["invest_in_project"]
    turn.levers.tab, turn.levers.lever_kind = lever.tab, lever.kind
    app.rebuild()
    app.frame([])
    texts = [getattr(element, "text", "") for element in turn.levers.form]
    cut = [text.partition("…")[0] for text in texts if "…" in text]  # (what is kept before the cut)
    assert cut, texts
    assert not [head for head in cut if _opens_an_aside_it_does_not_close(head)], texts
    app.game.close()


@pytest.mark.parametrize("level", ["2011-spike", "2023-tech-ban", "sandbox"])
def test_a_project_s_own_aside_and_its_capacity_make_one_aside_in_japanese(tmp_path, monkeypatch, level):
    """The list read 「マウント・ウェルド（ライナス）（年22,000t増）」: the name's aside and the
    template's back to back. Japanese writes them as one: 「マウント・ウェルド（ライナス、年22,000t増）」."""
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_at_level(level, language="ja")
    turn = app.top
    named = []
    for kind in ("invest_in_project", "refinance_supplier", "fund_recycling"):
        lever = LEVER_BY_KIND[kind]
        turn.levers.tab, turn.levers.lever_kind = lever.tab, lever.kind
        app.rebuild()
        app.frame([])
        for choice in lever.choices:
            if choice.amount is None:
                turn.levers.open_list(lever, choice)
                app.frame([])
                named += [text for _, text in app.top.options]
                app.pop(app.top)
    assert any("（" in text for text in named), named
    assert not [text for text in named if re.search(r"）\s*（", text)], named
    app.game.close()


#: Where a word of a name ends: before a space or an opening bracket, after a closing one or a mark.
_BEFORE_A_WORD, _AFTER_A_WORD = " (（・", ")）・、,"


def _katakana(char: str) -> bool:
    return "\u30a1" <= char <= "\u30fa" or char == "ー"


def cut_inside_a_word(cut: str, whole: str) -> bool:
    """Whether ``cut`` ("Showa Denko Vietn…") ends inside a word of ``whole``: English by its
    spaces, Japanese by its katakana words (a run of kanji has no mark where its words part)."""
    head = cut[:-1]
    if not whole.startswith(head) or len(head) >= len(whole):
        return False
    after = whole[len(head)]
    if after in _BEFORE_A_WORD or head[-1] in _AFTER_A_WORD:
        return False
    return (head[-1].isascii() and head[-1].isalnum() and after.isascii() and after.isalnum()) \
        or (_katakana(head[-1]) and _katakana(after))


@pytest.mark.parametrize("level", ["2019-trade-war", "2023-tech-ban", "2026-deep-sea"])
@pytest.mark.parametrize(("language", "scale"), [("en", 1.0), ("en", 2.0), ("ja", 1.0), ("ja", 2.0)])
def test_a_name_cut_short_in_a_lever_form_ends_at_a_word_and_its_tip_names_it_whole(
        tmp_path, monkeypatch, level, language, scale):
    """At 1280x720 the form read "Showa Denko Vietn…", "Kachin ionic-clay m…", 「カチン州のイオン吸…」:
    a name cut inside a word. A cut name ends at a word, and hovering it names it whole."""
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_at_level(level, size=(1280, 720), language=language, scale=scale)
    turn = app.top
    namer = app.game.namer(language)
    turn.pane = "levers"  # the form's own pane; at 100% it also shows beside the map, as wide
    for kind in ("invest_in_project", "refinance_supplier", "fund_recycling"):
        lever = LEVER_BY_KIND[kind]
        turn.levers.tab, turn.levers.lever_kind = lever.tab, lever.kind
        app.rebuild()
        app.frame([])
        wholes = [option_text(choice, app.game.world, value, label, namer, app.tr)
                  for choice in lever.choices if choice.amount is None
                  for value, label in choice.options(app.game.world)]
        tips = {id(element): tip for element, tip in turn.tips}
        for element in turn.levers.form:
            text = getattr(element, "text", "")
            for whole in wholes:
                if text.endswith("…") and text != whole and whole.startswith(text[:-1]):
                    assert not cut_inside_a_word(text, whole), (kind, text, whole)
                    tip = tips.get(id(element)) or getattr(element, "tool_tip_text", "") or ""
                    assert whole in tip, (kind, text, tip)
    app.game.close()


@pytest.mark.parametrize(("whole", "kept", "cut"), [
    ("Showa Denko Vietnam alloy recycling", 17, "Showa Denko"),
    ("Dong Pao mine (Vietnam)", 18, "Dong Pao mine"),
    ("Mt Weld (Lynas) (+22,000 t/yr)", 19, "Mt Weld (Lynas)"),
    ("Mt Weld (Lynas, +22,000 t/yr)", 18, "Mt Weld (Lynas)"),  # not "Mt Weld (Lynas": a bracket never closed
    ("マウント・ウェルド（ライナス、年22,000t増）", 15, "マウント・ウェルド（ライナス）"),
    ("Mt Weld (Lynas Corporation, +22,000 t/yr)", 20, "Mt Weld"),  # its aside's first part cut: before it
    ("マウント・ウェルド（ライナス・コーポレーション、年22,000t増）", 20, "マウント・ウェルド"),
    ("マウント・ウェルド（ライナス、年22,000t増）", 19, "マウント・ウェルド（ライナス）"),  # not 「（ライナス、年22）」
    ("Mt Weld (Lynas, +22,000 t/yr)", 21, "Mt Weld (Lynas)"),
    ("Mt (Lynas Malaysia phase two)", 20, "Mt (Lynas Malaysia"),  # "Mt" alone is too little of it
    ("カチン州のイオン吸着型鉱山", 9, "カチン州のイオン"),
    ("ドンパオ鉱山（ベトナム）", 8, "ドンパオ鉱山"),
    ("昭和電工ベトナム 合金リサイクル", 10, "昭和電工ベトナム"),
    ("ライナス先端材料工場（クアンタン）", 9, "ライナス先端材料工"),  # no word ends soon enough
    ("Negotiate", 5, "Negot")])
def test_a_cut_ends_at_the_last_word_that_ends_soon_enough(whole, kept, cut):
    assert cut_at_a_word(whole, kept) == cut
