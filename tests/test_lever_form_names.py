"""A lever form's value names each thing it chose: at 1280x720 a WTO case with the United States
and the EU read "United States…Union", the EU's name cut to its last word. Where the whole names
do not fit, the partners go by the codes the map labels them with; a name too long is cut before
a figure, never inside it."""

from __future__ import annotations

import re

import pytest

from game.ui.driver import open_at_level
from game.ui.levers import LEVER_BY_KIND
from game.ui.text import cut_before_a_figure


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
                                           ("12…", "12…"), ("Mt Weld (Lynas) (+22,000 t/yr)", "Mt Weld (Lynas) (+22,000 t/yr)")])
def test_a_cut_name_ends_before_a_figure_it_would_cut(cut, kept):
    assert cut_before_a_figure(cut) == kept


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
