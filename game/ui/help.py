"""The help overlay (F1): every key, drawn over whatever screen is open. Any key closes it."""

from __future__ import annotations

import re

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
    ("Page Up / Page Down, wheel", "Scroll the supply panel while it shows, else the news"),
    ("Home / End", "Scroll the news to its beginning or its end"),
    ("Page Up / Page Down, Home / End, Up / Down", "Scroll a page of text: the quarter's events, a briefing, the debrief, "
                                                   "the objectives"),
    ("O", "The objectives and where each stands"),
    ("Ctrl+Z", "Undo the last action of this turn"),
    ("Ctrl+S", "Save the game"),
    ("F11", "Window or full screen"),
)


def shown_keys(app) -> list[tuple[str, str]]:
    """The keys the help lists, in the player's language: those of the screen under any dialogs
    where it names them (a workshop team's screen has no lever tabs or undo: a pick or amount
    dialog over it listed the one-player game's), else the one-player game's."""
    for scene in reversed(app.scenes):
        own = scene.help_keys()
        if own is not None:
            return own
    return [(app.tr(key), app.tr(meaning)) for key, meaning in KEYS]


#: A dialog's keys over the one-player game (its lever tabs, supply panel and undo are the turn
#: screen's, not the dialog's), before what its own page of text scrolls by.
DIALOG_KEYS = (
    ("F1", "This help (any key closes it)"),
    ("Tab / Shift+Tab, arrows", "Move between buttons"),
    ("Space, Enter", "Press the highlighted button"),
    ("Esc", "Close the dialog"),
    ("F11", "Window or full screen"),
)


def dialog_keys(app, dialog, scrolling: tuple[str, str]) -> list[tuple[str, str]]:
    """The keys the help lists over ``dialog``: those of a workshop's screen under it (a team's),
    else a dialog's own (the one-player game's list ran off a screen at 200% in Japanese), with
    ``scrolling``, the keys that scroll its text and what they scroll, third."""
    below = app.scenes[:app.scenes.index(dialog)] if dialog in app.scenes else []
    screen = next((scene for scene in reversed(below) if not scene.modal), None)
    own = screen.help_keys() if screen is not None else None
    keys = own if own is not None else [(app.tr(key), app.tr(meaning)) for key, meaning in DIALOG_KEYS]
    return [*keys[:2], scrolling, *keys[2:]]


#: One group of keys ("Page Up / Page Down,", "Tab / Shift+Tab、"), the space before it and its comma.
_GROUP = re.compile(r" *[^,、]+[,、]?")
#: Marks a key's line may hang past its width, into the gap before the meaning (burasagari, as
#: Japanese type hangs 、 and 。): "Tab / Shift+Tab、" then "矢印キー" in two lines, not three.
HANGING_MARKS = "、,"


def keys_in_lines(keys: str, font: pygame.font.Font, width: int) -> list[str]:
    """``keys`` in lines no wider than ``width``, broken between groups of keys where each group
    fits ("Page Up / Page Down," then "Home / End"), else at a space inside a group: a break at
    every space left "Home /" on one line and "End" on the next. Where that takes fewer lines, a
    line's last comma hangs past ``width`` (``HANGING_MARKS``): the gap after the keys holds its ink."""
    lines = _keys_broken(keys, font, width)
    hung = _keys_broken(keys, font, width + font.size("、")[0])
    if len(hung) < len(lines) and all(font.size(line.rstrip(HANGING_MARKS))[0] <= width for line in hung):
        return hung
    return lines


def _keys_broken(keys: str, font: pygame.font.Font, width: int) -> list[str]:
    """``keys`` in lines no wider than ``width``, each group whole where it fits (its spaces made
    no-break), a wider one broken at its spaces: kept whole, it was cut where it overflowed,
    inside a key ("Tab / Shift+Ta" then "b、矢印キー")."""
    def kept(group: re.Match) -> str:
        keys_of_group = group.group().lstrip(" ")
        space = group.group()[:len(group.group()) - len(keys_of_group)]
        if sum(font.size(ch)[0] for ch in keys_of_group) > width:  # measured as ``wrap`` measures
            return group.group()
        return space + keys_of_group.replace(" ", "\u00a0")
    return wrap(_GROUP.sub(kept, keys), font, width)


def draw_help(app) -> None:
    """Every key over the screen: in the text size where it fits, else in the small one with
    narrower margins, else in two columns (a compact screen); the closing paragraph where room is
    left."""
    tr, c, u = app.tr, app.colours, app.u
    veil = pygame.Surface((app.w, app.h), pygame.SRCALPHA)
    veil.fill((0, 0, 0, 200))
    app.screen.blit(veil, (0, 0))
    about = tr("Everything works with the mouse alone as well: every choice is a button. Point at any button "
               "or indicator to read what it does and the mechanism behind it.")
    heading = app.font("heading", bold=True)
    keys = shown_keys(app)
    for size, margin, inset, key_w, gap, columns in (("text", 40, 24, 230, 6, 1), ("small", 8, 12, 170, 2, 1),
                                                      ("small", 8, 12, 110, 2, 2)):
        width = min(u(760), app.w - 2 * u(margin))
        box = pygame.Rect((app.w - width) // 2, u(margin), width, app.h - 2 * u(margin))
        bold, text = app.font(size, bold=True), app.font(size)
        line = text.get_linesize()
        column_w = (box.w - (columns + 1) * u(inset)) // columns
        rows = [(keys_in_lines(key, bold, u(key_w) - u(8)), wrap(meaning, text, column_w - u(key_w)))
                for key, meaning in keys]
        heights = [max(len(k), len(m)) * line + u(gap) for k, m in rows]
        per_column = -(-len(rows) // columns)
        tallest = max(sum(heights[i:i + per_column]) for i in range(0, len(rows), per_column))
        top = box.y + u(inset) * 3 // 4 + heading.get_linesize() + u(8)
        if top + tallest <= box.bottom - u(inset) // 2:
            break
    pygame.draw.rect(app.screen, c.rgb("panel"), box, border_radius=u(8))
    pygame.draw.rect(app.screen, c.rgb("accent"), box, max(2, u(2)), border_radius=u(8))
    app.screen.blit(heading.render(tr("Keys and help"), True, c.rgb("text")), (box.x + u(inset), box.y + u(inset) * 3 // 4))
    bottom = top
    for i, (key_lines, meaning_lines) in enumerate(rows):
        column, place = divmod(i, per_column)
        if place == 0:
            y = top
        x = box.x + u(inset) + column * (column_w + u(inset))
        for k, piece in enumerate(key_lines):
            app.screen.blit(bold.render(piece, True, c.rgb("focus")), (x, y + k * line))
        for k, piece in enumerate(meaning_lines):
            app.screen.blit(text.render(piece, True, c.rgb("text")), (x + u(key_w), y + k * line))
        y += heights[i]
        bottom = max(bottom, y)
    lines = wrap(about, text, box.w - 2 * u(inset))
    if bottom + u(6) + len(lines) * line <= box.bottom - u(inset) // 2:
        y = bottom + u(6)
        for piece in lines:
            app.screen.blit(text.render(piece, True, c.rgb("muted")), (box.x + u(inset), y))
            y += line
