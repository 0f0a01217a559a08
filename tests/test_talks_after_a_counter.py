"""The offtake talks after a counter-offer: setting the tonnes again to what they were reset
"Round 2 of 8" to "Round 1 of 8" and disabled Accept, while the counter and "Propose again"
stayed on screen; terms that do change end the counter, its headline and "Propose again" with
it. Accept says what it costs."""

from __future__ import annotations

import pygame
import pytest

from game.ui.driver import click, open_at_level, press


@pytest.fixture
def talks(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_at_level("sandbox", seed=0)
    press(app, pygame.K_3)
    click(app, "Offtake contract")
    click(app, "Negotiate…")
    scene = app.top
    click(app, "Propose")
    assert scene.counter is not None and scene.round == 1
    yield app, scene
    app.game.close()


def tonnes_choice(scene):
    return next(choice for choice in scene.choices if choice.name == "tonnes")


def test_setting_the_tonnes_to_what_they_were_keeps_the_counter_and_its_round(talks):
    app, scene = talks
    tonnes = tonnes_choice(scene)
    scene.set_amount(tonnes, scene._values()[0]["tonnes"])
    app.frame([])
    assert scene.round == 1 and scene.counter is not None
    accept = next(f.element for f in scene.focusables if f.element.text == app.tr("Accept their terms"))
    assert accept.is_enabled


def test_new_tonnes_end_the_counter_its_headline_and_propose_again(talks):
    app, scene = talks
    tonnes = tonnes_choice(scene)
    scene.set_amount(tonnes, scene._values()[0]["tonnes"] - 1.0)
    app.frame([])
    assert scene.round == 0 and scene.counter is None and scene.answer is None
    texts = [f.element.text for f in scene.focusables]
    assert app.tr("Propose") in texts and app.tr("Propose again") not in texts


@pytest.mark.parametrize("language", ["en", "ja"])
def test_accept_s_tip_names_the_political_capital_it_costs(talks, language):
    app, scene = talks
    app.settings.language = language
    app.apply_settings()
    tip = next(f.tooltip for f in app.top.focusables if f.element.text == app.tr("Accept their terms"))
    assert app.tr("Send the same terms again, for another political capital; sellers give ground as the rounds "
                  "pass.") != tip
    assert ("political capital" if language == "en" else "政治資本") in tip


def _answer_lines(app, page) -> list[pygame.Rect]:
    """Where the seller's answer shows on the talks' page: its written lines before the first
    empty one (the answer is the page's first paragraph)."""
    rows = page.text_box_layout.layout_rows
    written = ["".join(getattr(item, "text", "") for item in row.items).strip() for row in rows]
    ends = written.index("") if "" in written else len(written)
    return app._page_line_rects(page)[:ends]


@pytest.mark.parametrize("language, scale, size", [("en", 2.0, (1280, 720)), ("ja", 2.0, (1280, 720)),
                                                   ("en", 1.0, (1280, 720))])
def test_propose_again_s_tip_leaves_the_seller_s_answer_in_sight(tmp_path, monkeypatch, language, scale, size):
    """At 200% in 1280x720 the pointer left on Propose showed "Send the same terms again..." over
    the counter it had just brought: "...counters: we can do 594 t/yr for 3 years at ..."."""
    import game.ui.app as app_module

    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    monkeypatch.setattr(app_module, "TOOLTIP_DELAY", 0.0)
    app = open_at_level("sandbox", seed=0, size=size, language=language, scale=scale)
    press(app, pygame.K_3)
    click(app, app.tr("Offtake contract"))
    click(app, app.tr("Negotiate…"))
    click(app, app.tr("Propose"))
    scene = app.top
    assert scene.counter is not None
    again = next(f.element for f in scene.focusables if f.element.text == app.tr("Propose again"))
    where = again.get_abs_rect().center
    monkeypatch.setattr(pygame.mouse, "get_pos", lambda: where)
    app.frame([pygame.event.Event(pygame.MOUSEMOTION, pos=where, rel=(0, 0), buttons=(0, 0, 0))])
    tip = app._draw_hover_tip()
    answer = _answer_lines(app, scene.reading[0])
    assert tip is not None and answer
    assert tip.collidelist(answer) < 0, (tip, answer)
    app.game.close()
