"""Load a saved game. A save that is corrupt, truncated or made by a different game is refused
with its reason on screen; nothing else is touched (the autosave stays as it was). A file in the
saves folder that cannot be read as a save is listed by its name as unreadable, and the saves
beside it list and load as ever."""

from __future__ import annotations

import time

import pygame

from game.savefile import SaveError
from game.scenario import ScenarioError
from game.ui import levels, storage
from game.ui.backdrop import draw_backdrop
from game.ui.play import Game
from game.ui.registry import register_scene
from game.ui.scene import Scene

SHOWN = 9


@register_scene("load")
class LoadScene(Scene):
    """``back_to``: where Back goes (the title, or the turn screen of the level in play)."""

    def __init__(self, app, back_to: str = "title"):
        super().__init__(app)
        self.back_to = back_to if app.game is not None or back_to == "title" else "title"
        self.page = 0  # pages of as many saves as fit, newest first

    def build(self) -> None:
        app, tr = self.app, self.app.tr
        margin = self.u(60)
        self.label(self.rect(margin, self.u(30), app.w - 2 * margin, self.u(50)), tr("Load game"), "#heading")
        y, h, width = self.u(96), self.u(46), min(app.w - 2 * margin, self.u(760))
        # As many rows as fit above the folder's caption (two at 200% in a 1280x720 window).
        fits = max(1, min(SHOWN, (app.h - self.u(132) - y) // (h + self.u(8))))
        slots = storage.list_saves(fits + 1, skip=self.page * fits)
        if not slots and self.page == 0:
            self.label(self.rect(margin, self.u(100), app.w - 2 * margin, self.u(30)), tr("No saved games yet."), "#muted")
        older = len(slots) > fits
        for slot in slots[:fits]:
            text = f"{_when(slot.modified)}   {self._describe(slot, width - self.u(200))}"
            self.button(self.rect(margin, y, width, h), text, lambda path=slot.path: self.open(path),
                        slot.path.name.translate(_VISIBLE))
            y += h + self.u(8)
        self.button(self.rect(margin, app.h - self.u(80), self.u(220), self.u(46)), tr("Back"), self.back)
        # Older and newer pages when not every save fits (two rows at 200% in a 1280x720 window).
        pager_x = margin + self.u(236)
        if self.page > 0:
            self.button(self.rect(pager_x, app.h - self.u(80), self.u(160), self.u(46)), tr("Previous"),
                        lambda: self.turn_page(-1), tr("Newer saves"))
        if older:
            self.button(self.rect(pager_x + self.u(176), app.h - self.u(80), self.u(160), self.u(46)), tr("Next"),
                        lambda: self.turn_page(1), tr("Older saves"))
        self.label(self.rect(margin, app.h - self.u(124), app.w - 2 * margin, self.u(30)),
                   tr("Saved games are kept in {folder}", folder=self.fit(str(storage.saves_dir()), app.w // 2, "small")), "#small")
        self.focus = max(self.focus, 0)

    def _describe(self, slot: storage.SaveSlot, width: int) -> str:
        """The level's title in the player's language, the quarter and which autosave it is,
        else what the file says; a file that cannot be read, by its name. Fitted to ``width``
        pixels by shortening the title: the quarter and the autosave's number are what tell a
        level's saves apart."""
        tr = self.app.tr
        if slot.problem:
            return self.fit(tr("{name} (unreadable)", name=slot.path.name.translate(_VISIBLE)), width)
        try:
            title = self.app.language.pick(levels.scenario(slot.level).title, slot.level) if slot.level else ""
        except ScenarioError:
            title = ""
        if not title:
            return self.fit(slot.label, width)
        number = storage.autosave_number(slot.path)
        # Each game's autosave is told apart by its number (autosave.json is the first).
        tail = f" · {slot.quarter}"
        if number == 1:
            tail = tr("{save} (autosave)", save=tail)
        elif number is not None:
            tail = tr("{save} (autosave {n})", save=tail, n=number)
        font = self.app.font("text")
        return self.fit(title, max(width - font.size(tail)[0], width // 3)) + tail

    def open(self, path) -> None:
        try:
            game = Game.from_file(path)
        except OSError:
            self.app.notify(self.app.tr("{name} was refused: it cannot be read as text", name=path.name.translate(_VISIBLE)),
                            "error")
            return
        except SaveError as error:
            self.app.notify(self.app.tr("{name} was refused: {reason}", name=path.name.translate(_VISIBLE),
                                        reason=str(error).translate(_VISIBLE)), "error")
            return
        self.app.resume(game)
        self.app.notify(self.app.tr("Loaded {name}", name=path.name.translate(_VISIBLE)), "ok", 3.0)

    def turn_page(self, step: int) -> None:
        self.page = max(0, self.page + step)
        self.rebuild_keeping_focus()

    def back(self) -> None:
        self.app.switch(self.back_to)

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)


#: Control characters and lone surrogates (a file name may hold any but ``/`` and NUL, and bytes
#: that are not UTF-8 come back as surrogates; a refusal may quote the save) as the replacement
#: character: the text widgets refuse NUL and cannot draw a surrogate, and the rest garble a line.
_VISIBLE = {code: "\ufffd" for code in (*range(0x20), *range(0x7f, 0xa0), 0x2028, 0x2029, *range(0xD800, 0xE000))}


def _when(modified: float) -> str:
    """A file's date and time; a date the calendar cannot show (a file dated by hand to the
    year 300,000, or before 1900 on some systems) as question marks."""
    try:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(modified))
    except (OverflowError, OSError, ValueError):
        return "????-??-?? ??:??"
