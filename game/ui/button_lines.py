"""A button whose text runs onto a second line where one will not hold it: pygame_gui draws a
button's text on one line only, and a long event's name on the facilitator's screen was cut
("…rare-earth-rich mud across the Pacifi…"). Such a button's own text is drawn in no colour
(the theme's ``#two_lines``), and its lines are drawn over it, in the colour its state gives."""

from __future__ import annotations

import pygame

from game.ui.text import wrap
from game.ui.theme import Palette, SELECTED_TEXT


def two_lines(text: str, font: pygame.font.Font, width: int) -> list[str]:
    """``text`` as one line, or two where one will not hold it, broken by the English and
    Japanese rules; a second line still too long is cut with an ellipsis (the button's tip
    holds the whole text)."""
    lines = wrap(text, font, width)
    if len(lines) == 1:
        return lines
    rest = text[len(lines[0]):].lstrip()
    if font.size(rest)[0] > width:
        rest = rest[:_longest_fitting(rest, font, width)].rstrip() + "…"
    return [lines[0], rest]


def _longest_fitting(text: str, font: pygame.font.Font, width: int) -> int:
    """How many of ``text``'s first characters fit in ``width`` with an ellipsis after them,
    found by halving: cutting one character at a time measured the text once a character, and
    a server's event name of 20,000 characters held the facilitator's window for minutes."""
    fits, too_long = 0, len(text)  # (text itself does not fit, or there would be no cut)
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        if font.size(text[:middle] + "…")[0] > width:
            too_long = middle
        else:
            fits = middle
    return fits


def text_colour(element, colours: Palette) -> str:
    """The colour a button's text takes in the state it is in, as the theme gives other buttons'."""
    if not element.is_enabled:
        return colours.disabled
    if element.is_selected or getattr(element, "held", False):
        return SELECTED_TEXT
    return colours.button_text


def draw_button_lines(surface: pygame.Surface, element, lines: list[str], font: pygame.font.Font,
                      colours: Palette, left: int) -> None:
    """``lines`` one under the other, centred on ``element``'s height, each starting ``left``
    pixels in from its left edge (a list's rows start at the left, so their dates line up)."""
    box = element.get_abs_rect()
    colour = pygame.Color(text_colour(element, colours))
    step = font.get_linesize()
    y = box.centery - step * len(lines) // 2
    for line in lines:
        image = font.render(line, True, colour)
        surface.blit(image, image.get_rect(topleft=(box.x + left, y)))
        y += step
