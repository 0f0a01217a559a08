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
