"""Citations in the briefing and the debrief: an opening bracket never ends a line (the 2019
briefing at 1920x1080, 200%, had a line end on "(" and the next begin "[2], low confidence)"),
and two facts cited as a span read as one citation ("([15] to [16])" read oddly)."""

from __future__ import annotations

import pytest
from pygame_gui.elements import UITextBox

from game.line_breaks import NO_LINE_END
from game.ui.app import open_app
from game.ui.citations import cite
from game.ui.storage import Settings


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    return tmp_path


def _rows_ending_open(app) -> list[str]:
    ends = []
    for element in app.ui.get_sprite_group().sprites():
        if isinstance(element, UITextBox) and element.alive() and element.text_box_layout is not None:
            for row in element.text_box_layout.layout_rows:
                text = "".join(getattr(item, "text", "") for item in row.items).rstrip(" ")
                if text and text[-1] in NO_LINE_END:
                    ends.append(text[-40:])
    return ends


@pytest.mark.parametrize("scale", [1.0, 1.5, 1.75, 2.0])
def test_no_line_of_the_2019_briefing_ends_on_an_opening_bracket(data_dir, scale):
    app = open_app((1920, 1080), "2019-trade-war", settings=Settings(sound=False, scale=scale))
    app.frame([])
    assert not _rows_ending_open(app)


def test_a_bracket_before_a_citation_goes_into_its_chunk():
    shown = cite("imports (jp_china_share_2018, low confidence).", "#888")
    body = shown.split("<br><br>")[0]
    assert "(<font" not in body and "<font color='#888'>([1], </font>" in body


def test_two_facts_as_a_span_are_one_citation():
    body = cite("a large supplier (prod_burma_2018 to prod_burma_2025); China", "#888").split("<br><br>")[0]
    assert "[1,2]" in body and "(" not in body and " to " not in body
