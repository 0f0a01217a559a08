"""A lever form's value names each thing it chose: at 1280x720 a WTO case with the United States
and the EU read "United States…Union", the EU's name cut to its last word. Where the whole names
do not fit, the partners go by the codes the map labels them with."""

from __future__ import annotations

import pytest

from game.ui.driver import open_at_level
from game.ui.levers import LEVER_BY_KIND


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
