"""Settings: language, UI scale, colour-blind palette, sound, window or full screen, and the
warning before End turn.

Each change applies at once and lays the screen out again (never a scaled surface); a change of
scale puts the pointer back on the scale's button, which the new layout moved."""

from __future__ import annotations

import pygame

from game.ui import storage
from game.ui.backdrop import draw_backdrop
from game.ui.registry import register_scene
from game.ui.scene import Scene


@register_scene("settings")
class SettingsScene(Scene):
    """``back_to``: the scene Back returns to (the title, or the turn screen of the level in play)."""

    focus_follows_clicks = True

    def __init__(self, app, back_to: str = "title"):
        super().__init__(app)
        self.back_to = back_to
        self._scale_button = None

    def build(self) -> None:
        app, tr, st = self.app, self.app.tr, self.app.settings
        margin = self.u(24 if app.compact else 60)
        self.label(self.rect(margin, self.u(10 if app.compact else 30), app.w - 2 * margin, self.u(50)), tr("Settings"),
                   "#heading")
        on, off = tr("On"), tr("Off")
        scale_note = ""
        if abs(app.s - st.scale) > 1e-6:
            scale_note = tr("(this window holds {shown}%)", shown=round(app.s * 100))
        rows = [
            (tr("Language"), "English" if st.language == "en" else "日本語", self.toggle_language,
             tr("English or Japanese: levels, objectives, the interface and the news from the world all change.")),
            (tr("UI scale"), f"{round(st.scale * 100)}% {scale_note}".strip(), self.next_scale,
             tr("100% to 200%: text and controls are laid out again at the new size.")),
            (tr("Colour-blind palette"), on if st.colour_blind else off, self.toggle_colours,
             tr("Okabe-Ito colours. Flows and chart lines also differ by dash, marker and label.")),
            (tr("Sound"), (on if app.click_sound.available else tr("On (no sound device)")) if st.sound else off,
             self.toggle_sound, tr("A soft click on every choice.")),
            (tr("Display"), tr("Full screen") if st.fullscreen else tr("Window"), self.toggle_fullscreen,
             tr("Window or full screen (F11 anywhere).")),
            (tr("Warn before End turn"), on if st.warn_before_end else off, self.toggle_warnings,
             tr("Once a turn, before it ends: an objective the quarter can break, or political capital that "
                "would go to waste.")),
        ]
        top = self.u(64 if app.compact else 100)
        back_h = self.u(40 if app.compact else 46)
        back_y = app.h - back_h - self.u(14 if app.compact else 34)
        h, gap = self.stack(len(rows), top, back_y - self.u(10), 44, 10)
        name_w, value_w = self._columns(rows, margin)
        y = top
        table = []
        for name, value, command, tip in rows:
            table.append(self.label(self.rect(margin, y, name_w, h), name))
            table.append(self.button(self.rect(margin + name_w, y, value_w, h), value, command, tip))
            if command == self.next_scale:
                self._scale_button = table[-1]
            y += h + gap
        for value_button in table[1::2]:
            # A setting's tip goes clear of the whole table, as the indicator bar's do: at 200%
            # it fell over the rows below, the settings a player reads it beside.
            value_button.tip_keeps_clear = table
        self.button(self.rect(margin, back_y, self.u(220), back_h), tr("Back"), self.back)
        self.focus = max(self.focus, 0)

    def _columns(self, rows: list[tuple[str, str, object, str]], margin: int) -> tuple[int, int]:
        """The widths of the names' and the values' columns: wide ones, as long as a setting's tip
        still finds room beside the table; else what the names and values need. From 150% in a
        1280x720 window the wide table left no room, and every tip went below the table, five
        rows away from the first setting it explained."""
        name_w = self.u(300)
        value_w = min(self.u(380), self.app.w - 2 * margin - name_w)
        tip_room = self.u(200 + 24)  # a tip wrapped at 200 (tips wrap at 380 down to 140), its gap and edge
        if self.app.w - margin - (margin + name_w + value_w) >= tip_room:
            return name_w, value_w
        font = self.app.font("text")
        name_w = min(name_w, max(font.size(name)[0] for name, *_ in rows) + self.u(24))
        needed_value = max(font.size(value)[0] for _, value, *_ in rows) + self.u(40)
        return name_w, min(value_w, max(needed_value, self.app.w - 2 * margin - name_w - tip_room))

    def toggle_language(self) -> None:
        self.app.settings.language = "ja" if self.app.settings.language == "en" else "en"
        self.app.apply_settings()

    def next_scale(self) -> None:
        scales = storage.SCALES
        current = min(range(len(scales)), key=lambda i: abs(scales[i] - self.app.settings.scale))
        pointed_at = self._scale_button is not None and \
            self._scale_button.get_abs_rect().collidepoint(self.app.pointer())
        self.app.settings.scale = scales[(current + 1) % len(scales)]
        self.app.apply_settings()
        if pointed_at and self.app.top is self and self._scale_button is not None:
            # The rows grew (or shrank) under a still pointer: a second click meant for the scale
            # landed on the row above it, the language, and the game went on in Japanese.
            x, y = self._scale_button.get_abs_rect().center
            pygame.mouse.set_pos(round(x / self.app.view_scale), round(y / self.app.view_scale))

    def toggle_colours(self) -> None:
        self.app.settings.colour_blind = not self.app.settings.colour_blind
        self.app.apply_settings()

    def toggle_sound(self) -> None:
        self.app.settings.sound = not self.app.settings.sound
        self.app.apply_settings()

    def toggle_warnings(self) -> None:
        self.app.settings.warn_before_end = not self.app.settings.warn_before_end
        self.app.apply_settings()

    def toggle_fullscreen(self) -> None:
        self.app.settings.fullscreen = not self.app.settings.fullscreen
        self.app.apply_settings(reopen_window=True)

    def back(self) -> None:
        self.app.switch(self.back_to)

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)
