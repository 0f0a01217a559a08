"""Text on screen: the game's font at the UI scale, lines broken by the English and Japanese
rules, and text from data made safe for pygame_gui's HTML-like text boxes."""

from __future__ import annotations

import pygame

from game.ui.theme import FONT_BOLD, FONT_REGULAR, HEADING, SMALL, TEXT, TITLE, points

SIZES = {"text": TEXT, "small": SMALL, "heading": HEADING, "title": TITLE}

#: Japanese never starts a line with these: closing brackets and punctuation stay on the line before.
NO_LINE_START = frozenset("、。，．）」』】！？ー・：；")


class Fonts:
    """The game's font at one UI scale; ``fonts("small", bold=True)`` loads each size and
    weight once. A new scale is a new ``Fonts``: text is laid out again, never scaled."""

    def __init__(self, scale: float):
        self.scale = scale
        self._loaded: dict[tuple[str, bool], pygame.font.Font] = {}

    def __call__(self, kind: str = "text", bold: bool = False) -> pygame.font.Font:
        key = (kind, bold)
        if key not in self._loaded:
            self._loaded[key] = pygame.font.Font(str(FONT_BOLD if bold else FONT_REGULAR), points(SIZES[kind], self.scale))
        return self._loaded[key]


def wrap(text: str, font: pygame.font.Font, width: int) -> list[str]:
    """Lines of ``text`` no wider than ``width``; breaks at spaces, or anywhere in Japanese."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _tokens(paragraph):
            candidate = line + token
            if line and font.size(candidate.rstrip())[0] > width and token not in NO_LINE_START:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line = candidate
        lines.append(line.rstrip())
    return lines or [""]


def _tokens(text: str) -> list[str]:
    """Words with their trailing space, and every CJK character on its own."""
    tokens, word = [], ""
    for ch in text:
        if ord(ch) > 0x2E80:  # CJK: a line may break between any two characters
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
        elif ch == " ":
            tokens.append(word + " ")
            word = ""
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens


def escape(text: str) -> str:
    """Text from data made safe for pygame_gui's HTML-like text boxes."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")
