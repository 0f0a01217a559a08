"""The amount dialog: type a quantity for a lever (tonnes, money, years, a price), or take all
that is allowed or what is needed, with the limits said in words. Enter sets it, Esc leaves it."""

from __future__ import annotations

import pygame
from pygame_gui.core.utility import clipboard_paste
from pygame_gui.elements import UITextEntryLine

from game.quoting import cut
from game.ui.amounts import Amount
from game.ui.help import dialog_keys
from game.ui.modal import ModalScene
from game.ui.registry import register_scene
from game.ui.text import escape

#: The most characters an amount may be typed with ("1,234,567.891" and spaces to spare), and the
#: most of what was typed that the notice of a refused amount repeats.
MOST_TYPED = 40
MOST_TYPED_SHOWN = 24


@register_scene("amount")
class AmountScene(ModalScene):
    """``choice``: the lever's Choice (with its Amount); ``world_values``: the lever's other
    choices (the limits depend on them); ``on_set(value)``: what to do with the value set."""

    #: The text above the field scrolls by the page keys, even while typing: the field has no use
    #: for them, and Home, End and the arrows move in what is typed.
    reading_keys = frozenset((pygame.K_PAGEUP, pygame.K_PAGEDOWN))

    def __init__(self, app, title: str, choice, world_values: dict, value: float, on_set):
        super().__init__(app)
        self.title, self.choice, self.context = title, choice, dict(world_values)
        self.value, self.on_set = value, on_set
        self.entry: UITextEntryLine | None = None
        self.typed: str | None = None  # what stood in the field when the layout was last rebuilt

    @property
    def animating(self) -> bool:
        """While the player types, the field's cursor blinks: the window keeps drawing."""
        return self.entry is not None and self.entry.alive() and self.entry.is_focused

    @property
    def world(self):
        """The world the limits are worked out in: the level's in play, or None for a workshop's
        form, whose amounts know their limits from the view."""
        return self.app.game.world if self.app.game is not None else None

    @property
    def amount(self) -> Amount:
        return self.choice.amount

    def build(self) -> None:
        app, tr = self.app, self.app.tr
        world = self.world
        amount = self.amount
        rect = self.frame(640, 420)
        pad = self.u(16)
        self.label(self.rect(pad, pad, rect.w - 2 * pad, self.u(30)),
                   self.fit(f"{tr(self.title)}{tr(': ')}{tr(self.choice.label)}", rect.w - 2 * pad, "heading"), "#heading",
                   container=self.box)
        most, why = amount.most(world, self.context)
        need = amount.need(world, self.context) if amount.need is not None else None
        lines = [escape(tr("From {least} to {most}: {why}.", least=amount.shown(tr, amount.least),
                           most=amount.shown(tr, max(most, amount.least)), why=tr(why)))]
        if need is not None:
            lines.append(escape(tr("What is needed: {need} ({why}).", need=amount.shown(tr, need[0]),
                                   why=tr(need[1]))))
        lines.append(escape(tr("Type a number and press Enter.")))
        # From the buttons up: the field above them, clear of their focus ring, and the text in
        # what is left, at most its own height (it scrolls). At fixed heights the field ran into
        # the buttons where the dialog is shorter than its 420 px at 100% (a 1024x576 window at 160%).
        button_h, field_h, gap = self.u(44), self.u(48), self.u(10)
        buttons_y = rect.h - button_h - self.u(4) - pad // 2
        top = pad + self.u(38)
        lowest_field_y = buttons_y - self.u(12) - field_h
        text_h = max(self.app.font("text").get_linesize(), min(self.u(170), lowest_field_y - gap - top))
        self.reading.append(self.text_box(self.rect(pad, top, rect.w - 2 * pad, text_h), "<br>".join(lines),
                                          container=self.box))
        self.entry = UITextEntryLine(self.rect(pad, top + text_h + gap, rect.w - 2 * pad, field_h), manager=app.ui,
                                     container=self.box)
        # No amount needs more: a paste of 5,000 characters held the window for 50 s while
        # pygame_gui laid the line out again for each.
        self.entry.set_text_length_limit(MOST_TYPED)
        self.entry.set_text(self.typed if self.typed is not None else amount.figure(self.value).replace(",", ""))
        self.entry.focus()
        app.ui.set_focus_set(self.entry)
        if self.typed is None:  # the value shown is selected: typing replaces it
            text = self.entry.get_text()
            self.entry.select_range = [0, len(text)]
            self.entry.edit_position = len(text)
            self.entry.cursor_has_moved_recently = True
        y = buttons_y
        bw = (rect.w - 2 * pad - 3 * self.u(8)) // 4
        x = pad
        self.button(self.rect(x, y, bw, button_h), tr(amount.most_words), lambda: self.choose(most),
                    tr("The most allowed: {most}", most=amount.shown(tr, max(most, amount.least))),
                    container=self.box, enabled=most >= amount.least)
        x += bw + self.u(8)
        self.button(self.rect(x, y, bw, button_h), tr("What I need"), lambda: self.choose(need[0] if need else 0.0),
                    tr("What is needed: {need}", need=amount.shown(tr, need[0])) if need else
                    tr("Nothing to go by for this amount."), container=self.box,
                    enabled=need is not None and need[0] >= amount.least)
        x += bw + self.u(8)
        self.button(self.rect(x, y, bw, button_h), tr("Cancel"), self.back, tr("Keep the amount as it was (Esc)."),
                    container=self.box)
        x += bw + self.u(8)
        self.button(self.rect(x, y, bw, button_h), tr("Set"), self.confirm, tr("Use the amount typed (Enter)."),
                    object_id="#primary", container=self.box)
        self.focus = len(self.focusables) - 1

    def reset_elements(self) -> None:
        if self.entry is not None and self.entry.alive():
            self.typed = self.entry.get_text()  # a new layout keeps what was typed
        super().reset_elements()

    def choose(self, value: float) -> None:
        """All, or what is needed: set at once (within the limits)."""
        self.set(value)

    def confirm(self) -> None:
        typed = self.entry.get_text() if self.entry is not None else ""
        value = self.amount.parse(typed)
        world = self.world
        most, _ = self.amount.most(world, self.context)
        if value is None or value < self.amount.least - 1e-9 or value > max(most, self.amount.least) + 1e-9:
            # The typed text shortened: 5,000 pasted digits filled the window with the notice.
            self.app.notify(self.app.tr("{typed} is not an amount from {least} to {most}",
                                        typed=cut(typed.strip(), MOST_TYPED_SHOWN) or "-",
                                        least=self._with_unit(self.amount.least),
                                        most=self._with_unit(max(most, self.amount.least))), "error", 4.0)
            return
        self.set(value)

    def _with_unit(self, value: float) -> str:
        """A bound as the form shows amounts, with its unit (a price's bounds read "from 0.01 to
        558.10", which could be tonnes), and never as the unit's word for none."""
        return self.app.tr(self.amount.unit_for(value), v=self.amount.figure(value))

    def set(self, value: float) -> None:
        value = self.amount.clamp(value, self.world, self.context)
        self.app.pop(self)
        self.on_set(value)

    def handle(self, event) -> bool:
        if event.type != pygame.KEYDOWN:
            return False
        typing = self.entry is not None and self.entry.is_focused
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            focused = self.focused()
            self.app.later(self.confirm if typing or focused is None else focused.command)
            return True
        if event.key == pygame.K_TAB and typing:
            self.entry.unfocus()  # on to the buttons: Enter now presses the one in focus
            return False
        backwards = bool(event.mod & pygame.KMOD_SHIFT)
        if event.key == pygame.K_TAB and self.entry is not None and self.entry.alive() \
                and self.focus == (0 if backwards else len(self.focusables) - 1):
            # Past the last button (or before the first) is the field again: once Tab had left it,
            # no key came back to it.
            self.entry.focus()
            self.app.ui.set_focus_set(self.entry)
            return True
        if self.scroll_reading(event.key):
            return True
        if typing and event.key == pygame.K_v and event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META):
            self.paste(clipboard_paste() or "")
            return True
        if typing and event.key != pygame.K_ESCAPE:
            # Every other key is the field's: a space ("1 000") pressed the focused Set with half
            # a number typed, and the keys after it acted on the turn screen.
            self.app.ui.process_events(event)
            return True
        return False

    def help_keys(self) -> list[tuple[str, str]]:
        return dialog_keys(self.app, self, self.reading_help(self.app.tr("Scroll the text above the field")))

    def paste(self, text: str) -> None:
        """Paste as typing would go: the spaces and line ends round a figure copied from a table
        dropped, and what the field has no room for cut off. (pygame_gui pastes nothing at all
        that would overflow the field: a paste of 41 characters did nothing, without a word.)"""
        entry = self.entry
        pasted = " ".join(text.split())
        typed = entry.get_text()
        low, high = sorted(entry.select_range)
        if low == high:
            low = high = entry.edit_position
        pasted = pasted[:max(0, MOST_TYPED - (len(typed) - (high - low)))]
        entry.set_text(typed[:low] + pasted + typed[high:])
        entry.select_range = [0, 0]
        entry.edit_position = low + len(pasted)
        entry.cursor_has_moved_recently = True

    def back(self) -> None:
        self.app.pop(self)
