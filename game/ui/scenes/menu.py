"""The in-game menu: resume, save, load, restart, settings, help, leave the level."""

from __future__ import annotations

from game.ui.modal import ModalScene
from game.ui.play import Game
from game.ui.registry import register_scene


@register_scene("menu")
class MenuScene(ModalScene):
    def build(self) -> None:
        tr = self.app.tr
        entries = ((tr("Resume"), self.back, tr("Back to the turn (Esc).")),
                   (tr("Save game"), self.save, tr("Save this game (Ctrl+S).")),
                   (tr("Load game"), self.load, tr("Open a saved game; this one is autosaved first.")),
                   (tr("Restart the level"), self.restart,
                    tr("Start this level again from its first quarter, with the same world (seed {seed}).",
                       seed=self.app.game.session.seed)),
                   (tr("Settings"), self.settings, ""),
                   (tr("Keys and help"), self.help, tr("Every key, and how the screen works (F1).")),
                   (tr("Leave to the campaign"), self.leave_level,
                    tr("The game is autosaved first, this turn's actions with it: Continue opens it.")),
                   (tr("Quit the game"), self.quit, tr("The game is autosaved first.")))
        pad = self.u(14 if self.app.compact else 20)
        rect = self.frame(380, 64 + len(entries) * 54 + 10)
        self.label(self.rect(pad, pad, rect.w - 2 * pad, self.u(32)), tr("Menu"), "#heading", container=self.box)
        y = pad + self.u(40)
        bh, gap = self.stack(len(entries), y, rect.h - pad, 44, 10)
        for text, command, tip in entries:
            self.button(self.rect(pad, y, rect.w - 2 * pad, bh), text, command, tip, container=self.box)
            y += bh + gap
        self.focus = 0

    def save(self) -> None:
        self.app.pop(self)
        top = self.app.top
        if top is not None and top.name == "turn":
            top.save()

    def help(self) -> None:
        self.app.pop(self)
        self.app.show_help = True

    def load(self) -> None:
        self.app.switch("load", back_to="turn")

    def restart(self) -> None:
        """Ask first (it acted at once, next to Load game and Settings), then restart."""
        tr, game = self.app.tr, self.app.game
        self.app.push("confirm", question=tr("Restart the level?"),
                      detail=tr("The game goes back to {start}. The game so far is autosaved first: Load game "
                                "opens it.", start=game.scenario.start),
                      yes=tr("Restart"), then=self.restart_now)

    def restart_now(self) -> None:
        """The same level and seed from its first quarter: the same world, to try another way.
        The game so far is autosaved first (a restart before any turn ended had no autosave)."""
        game = self.app.game
        # A game with nothing played is not kept: restarting it again and again filled the eight
        # autosaves kept with empty games and pushed out the one it promised to keep.
        played = game.world.turns_done > 0 or bool(game.session.this_turns_actions())
        failed = game.try_autosave() if played else None
        if failed is not None:
            self.app.notify(self.app.tr("Not restarted: the game so far could not be autosaved ({reason})",
                                        reason=game.why_not_autosaved(self.app.tr)), "error", 6.0)
            return
        self.app.start_game(Game(game.level_ref, seed=game.session.seed,
                                 assumptions=dict(game.session.scenario.assumption_overrides)), "turn")

    def settings(self) -> None:
        self.app.switch("settings", back_to="turn")

    def leave_level(self) -> None:
        """To the campaign, the game autosaved first as quitting autosaves it: Continue opened the
        autosave of the last turn ended, without this turn's actions."""
        game = self.app.game
        if game.has_play_to_keep:
            failed = game.try_autosave()
            if failed is not None:
                self.app.notify(self.app.tr("Still here: the game could not be autosaved ({reason})",
                                            reason=game.why_not_autosaved(self.app.tr)), "error", 6.0)
                return
        self.app.switch("campaign")

    def quit(self) -> None:
        self.app.quit()

    def back(self) -> None:
        self.app.pop(self)
