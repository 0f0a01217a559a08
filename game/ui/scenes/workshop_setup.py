"""Setting up a class's game on this machine (the hot seat): the level, the nations teams play
(a bot plays the others), the teams' names, the seed, and the facilitator's three settings.
Start builds the game and hands the keyboard to the first team."""

from __future__ import annotations

import pygame
from pygame_gui.elements import UITextEntryLine

from game.quoting import composed
from game.research.runner import scenario_for
from game.scenario import ScenarioError, shipped_level_paths
from game.scenario.assumptions import AssumptionError
from game.ui import levels
from game.ui.backdrop import draw_backdrop
from game.ui.registry import register_scene
from game.ui.scene import Scene
from game.ui.workshop_play import HOTSEAT, WorkshopPlay, fresh_seed
from game.ui.workshop_words import WorkshopWords
from game.vocab.refusals import said_in
from game.workshop.classroom import Workshop, WorkshopError
from game.workshop.codes import FLAGS, ROLES
from game.workshop.table import LocalTable
from game.workshop.team_names import MAX_TEAM_NAME, team_name_said

#: The facilitator's settings as the set-up names them (game.workshop.codes.FLAGS).
FLAG_NAMES = {"pause_after_each_turn": "Pause after each turn", "teams_see_each_other": "Teams see each other",
              "reveal_events_by_hand": "Reveal events by hand"}
#: The most a team name's field holds: room for a name typed decomposed ("E" and an accent), which
#: is counted composed as it is typed (``_keep_names_within_the_limit``).
MOST_TYPED_IN_A_NAME = 4 * MAX_TEAM_NAME


@register_scene("workshop_setup")
class WorkshopSetupScene(Scene):
    def __init__(self, app):
        super().__init__(app)
        self.levels = [path.stem for path in shipped_level_paths() if path.stem != "sandbox"]
        self.level = self.levels[0] if self.levels else "2010-trawler"
        self.roles: list[str] = ["JPN", "CHN", "USA"]
        self.names: dict[str, str] = {}
        self.seed = str(fresh_seed())
        self.flags: set[str] = set()
        self.entries: dict[str, UITextEntryLine] = {}  # role (or "seed") -> its typing field
        self._within_limit: dict[str, str] = {}  # role -> its name as last typed within MAX_TEAM_NAME

    @property
    def animating(self) -> bool:
        return self._typing() is not None

    def _typing(self) -> UITextEntryLine | None:
        return next((e for e in self.entries.values() if e.alive() and e.is_focused), None)

    def reset_elements(self) -> None:
        self._keep_typed()
        super().reset_elements()

    def _keep_typed(self) -> None:
        for key, entry in self.entries.items():
            if not entry.alive():
                continue
            if key == "seed":
                self.seed = entry.get_text()
            else:
                self.names[key] = entry.get_text()
        self.entries = {}

    def build(self) -> None:
        app, tr, u = self.app, self.app.tr, self.u
        language = app.settings.language
        words = WorkshopWords(self.level)
        compact = app.compact
        margin = u(16 if compact else 60)
        width = app.w - 2 * margin
        self.label(self.rect(margin, u(6 if compact else 24), width, u(36)),
                   self.fit(tr("Workshop: a class plays on this machine"), width - u(16), "heading", bold=True), "#heading")
        back_h = u(40 if compact else 46)
        foot_y = app.h - back_h - u(10 if compact else 30)
        top = u(46 if compact else 80)
        label_w = round(width * 0.2)
        inner_x, inner_w = margin + label_w, width - label_w
        # A small window: the nations three to a row, the names two to a row, under each other.
        per_role_row = 3 if compact else len(ROLES)
        per_name_row = 2 if compact else 3
        role_rows = -(-len(ROLES) // per_role_row)
        name_rows = max(1, -(-len(self.roles) // per_name_row))
        h, gap = self.stack(3 + role_rows + name_rows, top, foot_y - u(8), 40, 10)
        y = top
        # the level
        self._row_label(margin, y, label_w, h, tr("Level"))
        arrow = u(34)
        at = self.levels.index(self.level) if self.level in self.levels else 0
        title = app.language.pick(self._title(self.level), self.level)
        self.button(self.rect(inner_x, y, arrow, h), "◀", lambda: self.step_level(-1), tr("The level before."),
                    enabled=at > 0)
        self.button(self.rect(inner_x + arrow + u(4), y, inner_w - 2 * arrow - u(8), h),
                    self.fit(title, inner_w - 2 * arrow - u(24)), self.pick_level, tr("Choose the level from the list."))
        self.button(self.rect(inner_x + inner_w - arrow, y, arrow, h), "▶", lambda: self.step_level(1),
                    tr("The level after."), enabled=at < len(self.levels) - 1)
        y += h + gap
        # the teams
        self._row_label(margin, y, label_w, h, tr("Teams"))
        small_gap = u(4)
        role_w = (inner_w - small_gap * (per_role_row - 1)) // per_role_row
        for i, code in enumerate(ROLES):
            on = code in self.roles
            text = ("✓ " if on else "") + words.nation(code, language)
            row, column = divmod(i, per_role_row)
            element = self.button(self.rect(inner_x + column * (role_w + small_gap), y + row * (h + gap), role_w, h),
                                  self.fit(text, role_w - u(16), "small"), lambda c=code: self.toggle_role(c),
                                  tr("A team plays this nation (else a bot does)."), object_id="#small_button")
            if on:
                element.select()
        y += role_rows * (h + gap)
        # the teams' names (optional)
        self._row_label(margin, y, label_w, h, tr("Team names"))
        name_w = (inner_w - (per_name_row - 1) * small_gap) // per_name_row
        for i, code in enumerate(self.roles):
            row, column = divmod(i, per_name_row)
            x, top_of = inner_x + column * (name_w + small_gap), y + row * (h + gap)
            nation_w = round(name_w * 0.36)  # whose name it is, then the field (empty: "Team China")
            self.label(self.rect(x, top_of, nation_w, h), self.fit(words.nation(code, language), nation_w - u(16),
                                                                    "small"), "#small")
            entry = UITextEntryLine(self.rect(x + nation_w, top_of, name_w - nation_w, h), manager=app.ui,
                                    object_id="#name_entry")
            entry.set_text_length_limit(MOST_TYPED_IN_A_NAME)
            entry.set_text(self.names.get(code, ""))
            self.entries[code] = entry
        y += name_rows * (h + gap)
        # the seed
        self._row_label(margin, y, label_w, h, tr("Seed"))
        seed_w = round(inner_w * 0.4)
        entry = UITextEntryLine(self.rect(inner_x, y, seed_w, h), manager=app.ui, object_id="#name_entry")
        entry.set_text_length_limit(18)
        entry.set_allowed_characters("numbers")
        entry.set_text(self.seed)
        self.entries["seed"] = entry
        self.button(self.rect(inner_x + seed_w + small_gap, y, min(u(200), inner_w - seed_w - small_gap), h),
                    tr("New seed"), self.new_seed, tr("Another world: the same seed sets up the same game again."))
        y += h + gap
        # the facilitator's settings
        self._row_label(margin, y, label_w, h, tr("Settings"))
        flag_w = (inner_w - small_gap * (len(FLAGS) - 1)) // len(FLAGS)
        for i, flag in enumerate(FLAGS):
            on = flag in self.flags
            text = ("✓ " if on else "") + tr(FLAG_NAMES[flag])
            element = self.button(self.rect(inner_x + i * (flag_w + small_gap), y, flag_w, h),
                                  self.fit(text, flag_w - u(16), "small"), lambda f=flag: self.toggle_flag(f),
                                  tr("A setting of the facilitator's; the panel changes it during the game too."),
                                  object_id="#small_button")
            if on:
                element.select()
        bw = min(u(300), (width - u(12)) // 2)
        self.button(self.rect(margin, foot_y, bw, back_h), tr("Back"), self.back, tr("Back to the title (Esc)."))
        self.start_button = self.button(self.rect(app.w - margin - bw, foot_y, bw, back_h), tr("Start the hot seat"),
                                        self.start, tr("Set up the game; the first team takes the keyboard."),
                                        object_id="#primary", enabled=bool(self.roles))
        if self.focus < 0:
            self.focus_on(self.start_button)

    def _row_label(self, x: int, y: int, width: int, height: int, text: str) -> None:
        self.label(self.rect(x, y, width, min(height, self.u(40))), self.fit(text, width - self.u(16)), "#muted")

    @staticmethod
    def _title(level: str) -> dict | None:
        try:
            return dict(levels.scenario(level).title)
        except ScenarioError:
            return None

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)

    def update(self, dt: float) -> None:
        self._keep_names_within_the_limit()

    def _keep_names_within_the_limit(self) -> None:
        """Stop a team's name at MAX_TEAM_NAME characters as it is typed (counted composed, as it
        is kept): a 93-character name was taken while typing and refused only at Start. Letters
        typed past the limit at the end are cut; anything else that would run past it is undone."""
        for code, entry in self.entries.items():
            if code == "seed" or not entry.alive():
                continue
            text, before = entry.get_text(), self._within_limit.get(code, "")
            if _letters(text) <= MAX_TEAM_NAME:
                self._within_limit[code] = text
                continue
            if text.startswith(before):  # typed (or pasted) at the end: as much of it as fits
                fits = before
                for char in text[len(before):]:
                    if _letters(fits + char) > MAX_TEAM_NAME:
                        break
                    fits += char
                text = fits
            else:
                text = before
            entry.set_text(text)
            self._within_limit[code] = text
            # Said, not only done: a pasted name cut mid-word read as if it had been taken whole.
            self.app.notify(self.app.tr("A team's name stops at {most} characters.", most=MAX_TEAM_NAME), "error")

    # --- input ----------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> bool:
        typing = self._typing()
        if typing is None or event.type != pygame.KEYDOWN:
            return False
        if event.key in (pygame.K_TAB, pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_ESCAPE):
            typing.unfocus()  # on to the buttons: keys act on them again
            return event.key != pygame.K_TAB
        self.app.ui.process_events(event)  # a letter, a space, an arrow in the field: it is the field's
        return True

    def back(self) -> None:
        self.app.switch("title")

    # --- commands -------------------------------------------------------------------------
    def step_level(self, step: int) -> None:
        at = self.levels.index(self.level) if self.level in self.levels else 0
        self.level = self.levels[min(max(at + step, 0), len(self.levels) - 1)]
        self.rebuild_keeping_focus()

    def pick_level(self) -> None:
        options = [(level, self.app.language.pick(self._title(level), level)) for level in self.levels]
        self.app.push("pick", title=self.app.tr("Level"), options=options, chosen=[self.level], multi=False,
                      on_set=self.set_level)

    def set_level(self, chosen: list) -> None:
        self.level = chosen[0]
        self.rebuild_keeping_focus()

    def toggle_role(self, code: str) -> None:
        self.roles = [r for r in ROLES if (r in self.roles) != (r == code)]
        self.rebuild_keeping_focus()

    def toggle_flag(self, flag: str) -> None:
        self.flags ^= {flag}
        self.rebuild_keeping_focus()

    def new_seed(self) -> None:
        self._keep_typed()
        self.seed = str(fresh_seed())
        self.rebuild_keeping_focus()

    def start(self) -> None:
        app, tr = self.app, self.app.tr
        self._keep_typed()
        try:
            seed = int(self.seed.strip())
        except ValueError:
            app.notify(tr("The seed must be a whole number."), "error")
            app.rebuild()
            return
        # Composed, as the network server keeps a name ("É", not "E" and a mark the font lacks).
        teams = {code: composed(name.strip()) for code, name in self.names.items() if code in self.roles and name.strip()}
        for code, name in teams.items():
            # The server's and the command line's check: a name of blank letters, control
            # characters or characters the font draws as boxes shows on every screen of the class.
            template, fields = team_name_said(name)
            if "code_points" in fields:  # by code point only: this window's font draws them as boxes too
                fields["characters"] = fields["code_points"]
            if template:
                app.notify(tr("The team name for {nation} cannot be taken: {reason}.",
                              nation=WorkshopWords(self.level).nation(code, app.settings.language),
                              reason=tr(template, **fields)), "error", 6.0)
                app.rebuild()
                return
        try:
            workshop = Workshop(scenario_for(self.level, {}), seed, tuple(self.roles), flags=set(self.flags),
                                teams=teams)
        except (WorkshopError, ScenarioError, AssumptionError, ValueError) as error:
            # A level's first problem, or an assumption's, in the player's language; else the English.
            reason = error.problems[0].said(tr) if isinstance(error, ScenarioError) \
                else str(said_in(tr, error)).splitlines()[0]
            app.notify(tr("The game cannot be set up: {reason}", reason=reason), "error", 6.0)
            app.rebuild()
            return
        if app.game is not None:  # a level played before: closed, as a new one would close it
            app.game.close()
            app.game = None
        app.workshop = WorkshopPlay(LocalTable(workshop), workshop.roles, HOTSEAT, home="title")
        app.switch(app.workshop.first_scene())


def _letters(name: str) -> int:
    """A team name's length as the check counts it (``team_name_said``: composed and trimmed)."""
    return len(composed(name.strip()))
