"""The campaign map: Japan's levels along the years, with stars earned and locks."""

from __future__ import annotations

import pygame

from game.scenario import ScenarioError
from game.ui import levels
from game.ui.backdrop import draw_backdrop
from game.ui.levels import stars_text
from game.ui.mapview import MapView
from game.ui.registry import register_scene
from game.ui.scene import Scene
from game.ui.text import sentences


@register_scene("campaign")
class CampaignScene(Scene):
    def build(self) -> None:
        app, tr = self.app, self.app.tr
        campaign = levels.campaign()
        app.progress.take_in_saved()  # stars won in another window since this one started
        opened = set(campaign.unlocked(app.progress.stars))
        compact = app.compact
        left = self.u(20 if compact else 40)  # a compact screen's levels start at its edge: all in line with them
        self.label(self.rect(left, self.u(20), app.w - 2 * left, self.u(48)),
                   self.fit(app.language.pick(campaign.title, tr("Campaign")), app.w - 2 * left - self.u(16), "heading",
                            bold=True),
                   "#heading")
        self.label(self.rect(left, self.u(62), app.w - 2 * left, self.u(26)),
                   tr("One star on a level opens the next."), "#muted")
        top, bottom = self.u(94 if compact else 100), app.h - self.u(64 if compact else 80)
        count = len(campaign.entries)
        # A compact screen: the levels in two columns and no map.
        columns = 2 if compact else 1
        per_column = -(-count // columns)
        step = min(self.u(60), (bottom - top) // max(1, per_column))
        height = step - self.u(8)
        marks_w = self.u(80 if compact else 120)
        if compact:  # no marks on a line beside them: the buttons have the width for the names
            width = (app.w - self.u(40) - (columns - 1) * self.u(24)) // columns
        else:
            width = min(self.u(620), round(app.w * 0.5))
        # The map of where each level's story happens fills the rest of the screen.
        self.map_rect = pygame.Rect(self.u(110) + width + self.u(20), top, app.w - self.u(110) - width - self.u(40),
                                    bottom - top) if not compact else pygame.Rect(0, 0, 0, 0)
        self.places = []  # (map position, is open, stars, number)
        self.nodes = []  # (x, y, is open, stars) of each level's mark on its column's line
        listing = []  # each level's button and its stars
        for i, entry in enumerate(campaign.entries):
            column, place = divmod(i, per_column)
            x = self.u(110) if not compact else self.u(20) + column * (width + self.u(24))
            try:
                level = levels.scenario(entry.level)
                name = app.language.pick(level.title, entry.level)
                years = f"{level.start.year}"
            except ScenarioError as error:
                name, years = tr("{level}: {problem}", level=entry.level, problem=error.problems[0].message_in(tr)), "?"
            is_open = entry.level in opened
            stars = app.progress.stars.get(entry.level, 0)
            marks = stars_text(stars) if is_open else tr("Locked")
            # Numbered as its mark on the map is, where the map shows (the marks named nothing).
            number = f"{i + 1}.  " if entry.at is not None and not compact else ""
            text = f"{number}{years}   {self.fit(name, width - marks_w - self.u(90 if number else 70), 'small' if compact else 'text')}"
            y = top + place * step
            if not is_open:
                tip = tr("Earn a star on the level before to open this one.")
            elif stars:
                tip = tr("{stars} earned. Open the briefing.", stars=stars_text(stars))
            else:
                tip = tr("No stars yet. Open the briefing.")
            if name not in text:
                tip = sentences(tr("{level}.", level=name), tip)  # the whole name, where the button cuts it
            listing.append(self.button(self.rect(x, y, width - marks_w - self.u(10), height), text,
                                       lambda ref=entry.level: self.open_level(ref), tip, enabled=is_open,
                                       object_id="#small_button" if compact else ""))
            listing.append(self.label(self.rect(x + width - marks_w, y, marks_w, height), marks,
                                      "#stars" if is_open else "#muted"))
            if not compact:
                self.nodes.append((x - self.u(40), y + height // 2, is_open, stars))
            if entry.at is not None:
                self.places.append((entry.at, is_open, stars, i + 1))
        for level_button in listing[::2]:
            # A level's tip goes clear of the whole list and its stars, as the indicator bar's do:
            # at 200% it fell over the levels below, the ones a player picks between.
            level_button.tip_keeps_clear = listing
        bw, bh = self.u(200), self.u(42)
        self.button(self.rect(left, app.h - self.u(62), bw, bh), tr("Back"), self.back)
        free_play = self.button(self.rect(left + bw + self.u(12), app.h - self.u(62), bw, bh), tr("Free play"),
                                lambda: self.open_level("sandbox"), tr("The sandbox: 2010 to 2035, every lever open."))
        free_play.tip_keeps_clear = listing  # (the last level's, above it, is another choice beside it)
        if self.focus < 0:
            unlocked = [i for i, f in enumerate(self.focusables) if f.element.is_enabled]
            self.focus = unlocked[len(opened) - 1] if len(opened) - 1 < len(unlocked) else 0

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)
        self._draw_map(surface)
        c = self.app.colours
        for column in sorted({x for x, *_ in self.nodes}):
            ys = [y for x, y, *_ in self.nodes if x == column]
            pygame.draw.line(surface, c.rgb("panel_edge"), (column, ys[0]), (column, ys[-1]), self.u(3))
        for x, y, is_open, stars in self.nodes:
            if not is_open:
                _padlock(surface, c.rgb("muted"), (x, y), self.u(9))
            elif stars:
                pygame.draw.circle(surface, c.rgb("star"), (x, y), self.u(10))
            else:
                pygame.draw.circle(surface, c.rgb("background"), (x, y), self.u(10))
                pygame.draw.circle(surface, c.rgb("accent"), (x, y), self.u(10), self.u(3))

    def _draw_map(self, surface: pygame.Surface) -> None:
        """The campaign on the map: each level where its story happens, in order, numbered;
        filled when it has stars, ringed when open, grey and smaller when locked."""
        if self.map_rect.w < self.u(200) or not self.places:
            return
        key = (self.map_rect.size, self.app.settings.colour_blind)
        if getattr(self, "_map_key", None) != key:
            self._map = MapView(self.map_rect, self.app.colours, self.app.s, (), self.app.settings.language,
                                "east-asia")
            self._map_key = key
        view, c = self._map, self.app.colours
        surface.blit(view.base, self.map_rect)
        pygame.draw.rect(surface, c.rgb("panel_edge"), self.map_rect, 1)
        margin = self.u(16)
        points = []
        for (lon, lat), is_open, stars, number in self.places:
            x, y = view.project(lon, lat)
            x = min(max(x, margin), self.map_rect.w - margin) + self.map_rect.x
            y = min(max(y, margin), self.map_rect.h - margin) + self.map_rect.y
            points.append((x, y, is_open, stars, number))
        journey = [(x, y) for x, y, is_open, *_ in points if is_open]  # the way travelled so far
        if len(journey) > 1:
            pygame.draw.lines(surface, c.rgb("accent"), False, journey, max(1, self.u(2)))
        font = self.app.font("small", bold=True)
        for x, y, is_open, stars, number in points:
            radius = self.u(11) if is_open else self.u(8)
            if not is_open:
                pygame.draw.circle(surface, c.rgb("disabled"), (x, y), radius)
            elif stars:
                pygame.draw.circle(surface, c.rgb("star"), (x, y), radius)
            else:
                pygame.draw.circle(surface, c.rgb("background"), (x, y), radius)
                pygame.draw.circle(surface, c.rgb("accent"), (x, y), radius, max(2, self.u(3)))
            label = font.render(str(number), True, (0, 0, 0) if is_open and stars else c.rgb("text"))
            surface.blit(label, label.get_rect(center=(round(x), round(y))))

    def open_level(self, level_ref: str) -> None:
        self.app.switch("briefing", level_ref=level_ref)

    def back(self) -> None:
        self.app.switch("title")


def _padlock(surface: pygame.Surface, colour, centre: tuple[int, int], size: int) -> None:
    x, y = centre
    body = pygame.Rect(x - size, y - size // 3, 2 * size, size + size // 2)
    pygame.draw.rect(surface, colour, body, border_radius=2)
    pygame.draw.arc(surface, colour, pygame.Rect(x - size * 2 // 3, y - size * 4 // 3, size * 4 // 3, size * 2),
                    0, 3.1416, max(2, size // 3))
