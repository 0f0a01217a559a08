"""The title screen: continue, campaign, free play, load, settings, quit."""

from __future__ import annotations

import pygame

from game.quoting import printable
from game.savefile import SaveError
from game.ui import storage
from game.ui.backdrop import draw_backdrop
from game.ui.play import Game
from game.ui.registry import register_scene
from game.ui.scene import Scene

#: The years every level spans together (the sandbox's, to 2035), as the Free play tip says them:
#: "to the 2030s" stood over a campaign titled "2010-2028".
SUBTITLE = "Japan and the critical-mineral contest, 2010 to 2035"


@register_scene("title")
class TitleScene(Scene):
    def build(self) -> None:
        app, tr = self.app, self.app.tr
        width = self.u(340)
        top = self.u(12) if app.compact else round(app.h * 0.12)
        self.label(self.rect(0, top, app.w, self.u(64)), tr("Rare Earths"), "#title")
        self.label(self.rect(0, top + self.u(66), app.w, self.u(30)), tr(SUBTITLE), "#subtitle")
        entries = []
        if storage.newest_autosave() is not None:
            # What it opens, truthfully: leaving autosaves the turn in play with its actions ("from
            # the last turn you ended" undersold it).
            entries.append((tr("Continue"), self.continue_game,
                            tr("Carry on where you left off: the autosave of the game you played last, made when "
                               "you left it (with that turn's actions) and at every turn end.")))
        entries += [
            (tr("Campaign"), self.campaign, tr("Play Japan's levels in order, from the 2010 halt onwards.")),
            (tr("Free play"), self.free_play, tr("The sandbox: 2010 to 2035, every lever open, no stars to win.")),
            (tr("Workshop"), self.workshop, tr("A class plays a level as nations: teams take turns at this machine, "
                                               "a facilitator runs the game.")),
            (tr("Load game"), self.load, tr("Open a saved game.")),
            (tr("Settings"), self.settings, tr("Language, UI scale, colours, sound, full screen.")),
            (tr("Quit"), self.quit, ""),
        ]
        top = y = top + self.u(112 if app.compact else 130)
        bottom = app.h - self.u(40)
        height, gap = self.stack(len(entries), y, bottom, 44, 12)
        columns = 1
        if len(entries) * (height + gap) - gap > bottom - y:
            # Too many for one column even at a line's height (200% in a 1280x720 window, with
            # Continue): two columns, read across, each as wide as half the window allows.
            columns = 2
            width = min(width, (app.w - self.u(48)) // 2)
            height, gap = self.stack((len(entries) + 1) // 2, y, bottom, 44, 12)
        left = (app.w - columns * width - (columns - 1) * self.u(16)) // 2
        menu = []
        for k, (text, command, tip) in enumerate(entries):
            row, column = divmod(k, columns)
            menu.append(self.button(self.rect(left + column * (width + self.u(16)), top + row * (height + gap), width,
                                              height), text, command, tip, object_id="#primary" if k == 0 else ""))
        for entry in menu:
            # A choice's tip goes clear of the whole menu, as the indicator bar's do: at 200% it
            # fell over the choices below, the ones a player weighs it against.
            entry.tip_keeps_clear = menu
        self.label(self.rect(0, app.h - self.u(34), app.w, self.u(26)),
                   tr("F1: keys and help   ·   Tab / arrows: move   ·   Enter / Space: choose"), "#hint")
        if self.focus < 0:
            self.move_focus(1)

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)

    def continue_game(self) -> None:
        """Open the newest autosave; one that cannot be opened (cut short, say) is named, and the
        next newest is opened instead. Continue failed on a damaged newest autosave every time,
        and never pointed to the good one beside it."""
        tr = self.app.tr
        refused: list[str] = []
        for path in storage.autosaves_newest_first() or [storage.saves_dir() / storage.AUTOSAVE]:
            try:
                game = Game.from_file(path)
            except OSError as error:
                refused.append(tr("{name} cannot be read ({reason})", name=printable(path.name),
                                  reason=tr(storage.system_reason(error))))
                continue
            except SaveError as error:
                refused.append(tr("{name} was refused: {reason}", name=printable(path.name), reason=printable(error.said(tr))))
                continue
            self.app.resume(game)
            if len(refused) == 1:
                self.app.notify(tr("{refused}; Continue opened {name}, the autosave before it.",
                                   refused=refused[0], name=printable(path.name)), "error", 8.0)
            elif refused:
                self.app.notify(tr("{refused}, and {more} more autosaves cannot be opened; Continue opened {name}, "
                                   "the newest that opens.", refused=refused[0], more=len(refused) - 1,
                                   name=printable(path.name)), "error", 8.0)
            return
        self.app.notify(refused[0] if len(refused) == 1 else tr("{refused}, and {more} more autosaves cannot be opened.",
                                                              refused=refused[0], more=len(refused) - 1), "error", 8.0)

    def campaign(self) -> None:
        self.app.switch("campaign")

    def free_play(self) -> None:
        self.app.switch("briefing", level_ref="sandbox")

    def workshop(self) -> None:
        self.app.switch("workshop_setup")

    def load(self) -> None:
        self.app.switch("load")

    def settings(self) -> None:
        self.app.switch("settings", back_to="title")

    def quit(self) -> None:
        self.app.quit()

    def back(self) -> None:
        self.quit()
