"""The help overlay (F1): every key, drawn over whatever screen is open. Any key closes it."""

from __future__ import annotations

import pygame

from game.ui.text import wrap

KEYS = (
    ("F1", "This help (any key closes it)"),
    ("Tab / Shift+Tab, arrows", "Move between buttons"),
    ("Space", "Press the highlighted button"),
    ("Enter", "End the turn (on the turn screen); elsewhere, press the highlighted button"),
    ("Esc", "Back, or the menu during a level"),
    ("1 - 5", "Lever tabs: stockpile, invest, trade, diplomacy, industry"),
    ("S", "The supply panel: Japan's tonnes of each material, and back to the map"),
    ("O", "The objectives and where each stands"),
    ("Ctrl+Z", "Undo the last action of this turn"),
    ("Ctrl+S", "Save the game"),
    ("F11", "Window or full screen"),
)


def draw_help(app) -> None:
    tr, c, u = app.tr, app.colours, app.u
    veil = pygame.Surface((app.w, app.h), pygame.SRCALPHA)
    veil.fill((0, 0, 0, 200))
    app.screen.blit(veil, (0, 0))
    width = min(u(760), app.w - u(40))
    box = pygame.Rect((app.w - width) // 2, u(40), width, app.h - u(80))
    pygame.draw.rect(app.screen, c.rgb("panel"), box, border_radius=u(8))
    pygame.draw.rect(app.screen, c.rgb("accent"), box, max(2, u(2)), border_radius=u(8))
    heading, bold, text = app.font("heading", bold=True), app.font("text", bold=True), app.font("text")
    y = box.y + u(18)
    app.screen.blit(heading.render(tr("Keys and help"), True, c.rgb("text")), (box.x + u(24), y))
    y += heading.get_linesize() + u(12)
    key_w = u(230)
    for key, meaning in KEYS:
        app.screen.blit(bold.render(tr(key), True, c.rgb("focus")), (box.x + u(24), y))
        for line in wrap(tr(meaning), text, box.w - key_w - u(48)):
            app.screen.blit(text.render(line, True, c.rgb("text")), (box.x + u(24) + key_w, y))
            y += text.get_linesize()
        y += u(6)
    y += u(10)
    about = tr("Everything works with the mouse alone as well: every choice is a button. Point at any button "
               "or indicator to read what it does and the mechanism behind it.")
    for line in wrap(about, text, box.w - u(48)):
        app.screen.blit(text.render(line, True, c.rgb("muted")), (box.x + u(24), y))
        y += text.get_linesize()
