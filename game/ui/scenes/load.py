"""Load a saved game. A save that is corrupt, truncated or made by a different game is refused
with its reason on screen; nothing else is touched (the autosave stays as it was). A file in the
saves folder that cannot be read as a save is listed by its name as unreadable, and the saves
beside it list and load as ever."""

from __future__ import annotations

import os
import time

import pygame

from game.quoting import printable
from game.savefile import SaveError
from game.scenario import ScenarioError
from game.ui import levels, storage
from game.ui.backdrop import draw_backdrop
from game.ui.play import AUTOSAVE_LABEL_PREFIX, Game
from game.ui.registry import register_scene
from game.ui.scene import Scene

SHOWN = 9
#: Where the rows of saves start, their height and the gap between them (at 100%); closer in a
#: compact layout, where the full ones held two saves a page above an empty band (200%, 1280x720).
ROWS_TOP, ROW_HEIGHT, ROW_GAP = 96, 46, 8
COMPACT_ROWS_TOP, COMPACT_ROW_HEIGHT, COMPACT_ROW_GAP = 86, 40, 6
#: Where the folder's caption stands, from the window's bottom: the rows end above it.
CAPTION_FROM_BOTTOM = 124


@register_scene("load")
class LoadScene(Scene):
    """``back_to``: where Back goes (the title, or the turn screen of the level in play)."""

    focus_follows_clicks = True

    def __init__(self, app, back_to: str = "title"):
        super().__init__(app)
        self.back_to = back_to if app.game is not None or back_to == "title" else "title"
        self.page = 0  # pages of as many saves as fit, newest first

    def build(self) -> None:
        app, tr = self.app, self.app.tr
        margin = self.u(60)
        self.label(self.rect(margin, self.u(30), app.w - 2 * margin, self.u(50)), tr("Load game"), "#heading")
        top, height, row_gap = self._rows()
        y, h, width = self.u(top), self.u(height), min(app.w - 2 * margin, self.u(860))
        fits = self._fits()
        slots = storage.list_saves(fits + 1, skip=self.page * fits)
        if not slots and self.page == 0:
            problem = storage.saves_folder_problem()
            text = (tr("The saves folder cannot be read ({reason}): {folder}", reason=tr(problem[0]),
                       folder=str(problem[1])) if problem else tr("No saved games yet."))
            self.label(self.rect(margin, self.u(100), app.w - 2 * margin, self.u(30)),
                       self.fit(printable(text), app.w - 2 * margin - self.u(16)), "#muted")
        older = len(slots) > fits
        # Each save's row opens it; the button beside it deletes it (after asking), so the
        # autosaves every new game adds can be cleared away.
        delete_w, gap = self.u(90), self.u(row_gap)
        row_w = width - delete_w - gap
        shown = slots[:fits]
        # Two saves of one level and quarter made in the same minute read alike: such rows say
        # the second, and where that is the same too, what tells their files' names apart (the
        # whole name did not fit a row in a small window, and was cut where it differed).
        texts = [self._row_text(slot, _when(slot.modified), row_w) for slot in shown]
        alike = [texts.count(text) > 1 for text in texts]
        texts = [self._row_text(slot, _when(slot.modified, seconds=True), row_w) if twin else text
                 for slot, text, twin in zip(shown, texts, alike)]
        for text in {text for text, twin in zip(texts, alike) if twin and texts.count(text) > 1}:
            twins = [k for k, other in enumerate(texts) if other == text]
            for k, tail in zip(twins, _differing_tails([shown[k].path.stem for k in twins])):
                mark = tr(" ({name})", name=printable(tail)) if tail else ""
                texts[k] = self._row_text(shown[k], _when(shown[k].modified, seconds=True), row_w, mark)
        for slot, text in zip(shown, texts):
            self.button(self.rect(margin, y, row_w, h), text, lambda path=slot.path: self.open(path),
                        self._row_tip(slot), object_id="#row_button")
            self.button(self.rect(margin + row_w + gap, y, delete_w, h), tr("Delete"),
                        lambda slot=slot, text=text: self.ask_to_delete(slot.path, text),
                        tr("Delete {name} from the saves folder (asks first).", name=printable(slot.path.name)))
            y += h + gap
        self.button(self.rect(margin, app.h - self.u(80), self.u(220), self.u(46)), tr("Back"), self.back)
        # Older and newer pages when not every save fits (two rows at 200% in a 1280x720 window).
        pager_x = margin + self.u(236)
        if self.page > 0:
            self.button(self.rect(pager_x, app.h - self.u(80), self.u(160), self.u(46)), tr("Previous"),
                        lambda: self.turn_page(-1), tr("Newer saves"))
        if older:
            self.button(self.rect(pager_x + self.u(176), app.h - self.u(80), self.u(160), self.u(46)), tr("Next"),
                        lambda: self.turn_page(1), tr("Older saves"))
        if older or self.page > 0:  # where in the list this is (34 pages told nothing of it)
            pages = max(self.page + 1, -(-storage.count_saves() // fits))
            self.page_label = self.label(self.rect(app.w - margin - self.u(200), app.h - self.u(CAPTION_FROM_BOTTOM),
                                                   self.u(200),
                                                   self.u(30)),
                                         tr("Page {page} of {pages}", page=self.page + 1, pages=pages), "#small")
        self.label(self.rect(margin, app.h - self.u(CAPTION_FROM_BOTTOM), app.w - 2 * margin, self.u(30)),
                   tr("Saved games are kept in {folder}", folder=self.fit(str(storage.saves_dir()), app.w // 2, "small")), "#small")
        self.focus = max(self.focus, 0)

    def _row_tip(self, slot: storage.SaveSlot) -> str:
        """A save's tip: its file's name; for one that cannot be read, why (its tip said only
        the name the row already gave)."""
        tr, name = self.app.tr, printable(slot.path.name)
        if not slot.problem:
            return name
        reason = slot.refusal.said(tr) if slot.refusal is not None else tr(slot.problem)
        return tr("{name} cannot be opened: {reason}. Delete removes it.", name=name, reason=printable(reason))

    def _row_text(self, slot: storage.SaveSlot, when: str, width: int, file_name: str = "") -> str:
        """A save's row: when it was saved, then what it plays, fitted to ``width`` pixels."""
        when = f"{when}   "
        font = self.app.font("text")
        return when + self._describe(slot, width - font.size(when)[0] - self.u(32), file_name)

    def _describe(self, slot: storage.SaveSlot, width: int, file_name: str = "") -> str:
        """The level's title in the player's language, the quarter and which autosave it is,
        else what the file says; a file that cannot be read, by its name. Fitted to ``width``
        pixels by shortening the title: the quarter and the autosave's number are what tell a
        level's saves apart."""
        tr = self.app.tr
        if slot.problem:
            return self.fit(tr("{name} (unreadable)", name=printable(slot.path.name)), width)
        if slot.level_changed:  # listed as a game to go on with, then refused when opened: said first
            # (what is cut where the row is short, at 200% in Japanese, is the autosave's number),
            # the game still named as the others are
            mark = self.app.font("text").size(tr("(level changed) {name}", name=""))[0]
            return self.fit(tr("(level changed) {name}", name=self._describe_game(slot, width - mark, file_name)),
                            width)
        return self._describe_game(slot, width, file_name)

    def _describe_game(self, slot: storage.SaveSlot, width: int, file_name: str) -> str:
        """A readable save's line (see ``_describe``)."""
        tr = self.app.tr
        # A level of the player's own is read from the copy the save plays, as a shipped one by its id.
        level_ref = str(slot.level_file) if slot.level_file else slot.level
        try:
            scenario = levels.scenario(level_ref) if level_ref else None
        except ScenarioError:
            scenario = None
        if scenario is not None and not _fits_its_level(slot, scenario):
            # Listed as the level's, then refused on a click ("turns_played 9 is more than its
            # level's 8 quarters"): what loading checks without a replay, the list checks too.
            return self.fit(tr("{name} (unreadable)", name=printable(slot.path.name)), width)
        title = self.app.language.pick(scenario.title, slot.level) if scenario is not None else ""
        number = storage.autosave_number(slot.path)
        if not title:
            if number is None:
                return self.fit(slot.label, width - self.app.font("text").size(file_name)[0]) + file_name
            # An autosave of a level that no longer reads: named as the others are, by what it plays.
            title = slot.label.removesuffix(f" · {slot.quarter}").removeprefix(AUTOSAVE_LABEL_PREFIX)
        # Each game's autosave is told apart by its number (autosave.json is the first).
        quarter = slot.quarter
        if scenario is not None and slot.turns_played >= scenario.n_turns:  # not the quarter after its last
            quarter = tr("{quarter}, finished", quarter=str(scenario.end))
        tail = f" · {quarter}"
        if number == 1:
            tail = tr("{save} (autosave)", save=tail)
        elif number is not None:
            tail = tr("{save} (autosave {n})", save=tail, n=number)
        tail += file_name
        font = self.app.font("text")
        return self.fit(title, max(width - font.size(tail)[0], width // 3)) + tail

    def open(self, path) -> None:
        try:
            game = Game.from_file(path)
        except OSError as error:
            name = printable(path.name)
            if isinstance(error, FileNotFoundError) and not path.is_symlink():  # deleted or moved since listed
                self.app.notify(self.app.tr("{name} is no longer in the saves folder", name=name), "error")
                self.rebuild_keeping_focus()
            else:
                self.app.notify(self.app.tr("{name} was refused: it cannot be read ({reason})", name=name,
                                            reason=printable(self.app.tr(storage.system_reason(error)))), "error")
            return
        except SaveError as error:
            self.app.notify(self.app.tr("{name} was refused: {reason}", name=printable(path.name),
                                        reason=printable(error.said(self.app.tr))), "error")
            return
        playing = self.app.game
        # The game in play is kept as Restart keeps it: a loan given since the last save was lost.
        if playing is not None and playing is not game and playing.has_play_to_keep \
                and playing.try_autosave() is not None:
            game.close()
            self.app.notify(self.app.tr("Not loaded: the game in play could not be autosaved ({reason})",
                                        reason=playing.why_not_autosaved(self.app.tr)), "error", 6.0)
            return
        self.app.resume(game)
        self.app.notify(self.app.tr("Loaded {name}", name=printable(path.name)), "ok", 3.0)

    def ask_to_delete(self, path, shown: str) -> None:
        tr = self.app.tr
        self.app.push("confirm", question=tr("Delete this save?"),
                      detail=tr("{save}\n\n{name} is removed from the saves folder. This cannot be undone.",
                                save=shown, name=printable(path.name)),
                      yes=tr("Delete"), then=lambda: self.delete(path))

    def delete(self, path) -> None:
        name = printable(path.name)
        try:
            storage.delete_save(path)
        except OSError as error:
            self.app.notify(self.app.tr("{name} could not be deleted: {reason}", name=name,
                                        reason=printable(storage.describe_write_error(error, self.app.tr))), "error")
            return
        self.app.notify(self.app.tr("Deleted {name}", name=name), "ok", 3.0)
        if self.page > 0 and not storage.list_saves(1, skip=self.page * self._fits()):
            self.page -= 1  # the last save of the last page: show the page before
        self.rebuild_keeping_focus()

    def _rows(self) -> tuple[int, int, int]:
        """Where the rows start, their height and the gap between them, at 100%."""
        if self.app.compact:
            return COMPACT_ROWS_TOP, COMPACT_ROW_HEIGHT, COMPACT_ROW_GAP
        return ROWS_TOP, ROW_HEIGHT, ROW_GAP

    def _fits(self) -> int:
        """How many saves a page lists: as many rows as fit above the folder's caption, a gap
        after each but the last (three at 200% in a 1280x720 window)."""
        top, height, gap = self._rows()
        room = self.app.h - self.u(CAPTION_FROM_BOTTOM + gap) - self.u(top)
        return max(1, min(SHOWN, (room + self.u(gap)) // (self.u(height) + self.u(gap))))

    def turn_page(self, step: int) -> None:
        self.page = max(0, self.page + step)
        self.rebuild_keeping_focus()

    def back(self) -> None:
        self.app.switch(self.back_to)

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)



def _differing_tails(stems: list[str], most: int = 12) -> list[str]:
    """What follows the part the file names share, from the last "-", "_" or "." in it (the game
    names a second save of a second ``...-184550-2``: ``184550`` and ``184550-2``), at most
    ``most`` characters, with "…" where cut."""
    shared = os.path.commonprefix(stems).rstrip("-_.")  # "...-184550-2", "...-184550-3": from 184550
    start = max(shared.rfind(mark) for mark in "-_.") + 1
    tails = [stem[start:] for stem in stems]
    return [tail if len(tail) <= most else tail[:most - 1] + "…" for tail in tails]


def _fits_its_level(slot: storage.SaveSlot, scenario) -> bool:
    """Whether a save's quarters played fit its level: no more than the level has, ending on the
    quarter the save records (as ``game.savefile.load_text`` asks of it)."""
    try:
        return slot.turns_played <= scenario.n_turns and str(scenario.start + slot.turns_played) == slot.quarter
    except (ValueError, OverflowError):  # past the calendar's end
        return False


def _when(modified: float, seconds: bool = False) -> str:
    """A file's date and time, to the minute or the second; a date the calendar cannot show (a
    file dated by hand to the year 300,000, or before 1900 on some systems) as question marks."""
    try:
        return time.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M", time.localtime(modified))
    except (OverflowError, OSError, ValueError):
        return "????-??-?? ??:??:??" if seconds else "????-??-?? ??:??"
