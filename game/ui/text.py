"""Text on screen: the game's font at the UI scale, lines broken by the English and Japanese
rules, and text from data made safe for pygame_gui's HTML-like text boxes."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

import pygame

from game.line_breaks import break_points, is_cjk, script_of
from game.ui.theme import FONT_BOLD, FONT_REGULAR, HEADING, SMALL, TEXT, TITLE, points

SIZES = {"text": TEXT, "small": SMALL, "heading": HEADING, "title": TITLE}

_TOKEN = re.compile(r"<[^>]*>|&#?\w+;|.", re.DOTALL)


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


#: A figure cut short at the end of a cut name, with what opens it: " (+2", "（年22,".
_FIGURE_CUT_SHORT = re.compile(r"\s*[(（]?[+\-−年]?[\d,.]+$")


def cut_before_a_figure(cut: str) -> str:
    """A name cut inside a figure cut before it instead: "Mt Weld (Lynas) (+2…" read as 2 t a
    year where the project adds 22,000; "Mt Weld (Lynas)…" says less and nothing wrong."""
    if not cut.endswith("…"):
        return cut
    head = _FIGURE_CUT_SHORT.sub("", cut[:-1]).rstrip(" (（,、")
    # "Mt Weld (Lynas, +2…": "Mt Weld (Lynas)…", not "Mt Weld (Lynas…", a bracket never closed.
    head = _before_an_open_aside(head, len(head), cut[len(head):-1])
    return head + "…" if head and head != cut[:-1] else cut


#: Brackets that open an aside, each with the one that closes it.
_ASIDE_BRACKETS = {"(": ")", "（": "）"}


#: Marks that part an aside's parts: "(Lynas, +22,000 t/yr)", 「（ライナス、年22,000t増）」 (a comma
#: without a space is a number's: "22,000").
_PARTS_AN_ASIDE = (", ", "、", "，")


def _before_an_open_aside(cut: str, kept: int, following: str, least: float = 1 / 3) -> str:
    """``cut`` (``following`` is what it cut off) made to read whole where it ends inside an
    aside, a bracket never closed ("Mt Weld (Lynas" of "Mt Weld (Lynas, +22,000 t/yr)"): closed
    after the aside's last part it keeps whole ("Mt Weld (Lynas)", as the name reads alone), else
    ended before the aside ("Mt Weld"), where that keeps ``least`` of the ``kept`` characters at
    least ("Mt" alone names nothing)."""
    depth: list[int] = []  # where each bracket still open was opened
    for k, char in enumerate(cut):
        if char in _ASIDE_BRACKETS:
            depth.append(k)
        elif depth and char == _ASIDE_BRACKETS[cut[depth[-1]]]:
            depth.pop()
    if not depth:
        return cut
    if len(depth) == 1:
        closing, inside = _ASIDE_BRACKETS[cut[depth[0]]], cut[depth[0] + 1:]
        if inside.strip() and following.startswith(_PARTS_AN_ASIDE):
            return cut + closing
        last = max(inside.rfind(mark) for mark in _PARTS_AN_ASIDE)  # the last part cut whole
        if last > 0:
            return cut[:depth[0] + 1 + last].rstrip(_HANGING) + closing
    head = cut[:depth[0]].rstrip(_HANGING)
    return head if head and len(head) >= kept * least else cut


#: Marks a word ends after, and marks a word begins with; a cut there loses no word in part.
_ENDS_A_WORD, _BEGINS_A_WORD = "・、，,）)/;；:：", " （(・"
#: Marks left hanging at the end of a cut: "Dong Pao mine (…" says no more than "Dong Pao mine…".
_HANGING = " ,、，(（:：;；・/-–—"


def _word_ends_at(text: str, k: int) -> bool:
    """Whether a word of ``text`` ends just before ``k``, by its spaces and marks."""
    return text[k] in _BEGINS_A_WORD or text[k - 1] in _ENDS_A_WORD


def _script_changes_at(text: str, k: int) -> bool:
    """Whether Japanese changes script just before ``k`` (イオン|吸着, 鉱山|（, ベトナム|合金): where a
    word of a run without spaces most likely ends; not before hiragana, which is most often a
    word's own ending (続|ける) or its particle (カチン州|の)."""
    before, after = script_of(text[k - 1]), script_of(text[k])
    return (before != after and after != "hiragana" and "latin" not in (before, after)
            or (before == "latin") != (after == "latin") and not text[k - 1].isspace())


def cut_at_a_word(text: str, kept: int, least_at_a_mark: float = 1 / 3) -> str:
    """``text``'s first ``kept`` characters, less the end of a word they cut into: "Showa Denko
    Vietn" becomes "Showa Denko", 「カチン州のイオン吸」 「カチン州のイオン」. A cut keeps
    ``least_at_a_mark`` of what fits at a space or a mark, and half at a change of script (a run of
    kanji has no mark where its words part); where no word ends that soon, the cut stays where it was.
    A cut inside an aside closes it after a whole part (「マウント・ウェルド（ライナス）」), else ends
    before it where that keeps as much (「マウント・ウェルド」), not 「マウント・ウェルド（ライナス」, a
    bracket never closed."""
    if kept >= len(text) or kept <= 0:
        return text[:kept]
    if _word_ends_at(text, kept):
        cut = text[:kept].rstrip(_HANGING) or text[:kept]
    else:
        cut = next((text[:k].rstrip(_HANGING) or text[:kept] for k in range(kept - 1, 0, -1)
                    if (_word_ends_at(text, k) and k >= kept * least_at_a_mark)
                    or (_script_changes_at(text, k) and k * 2 >= kept)), text[:kept])
    return _before_an_open_aside(cut, kept, text[len(cut):], least_at_a_mark)


def wrap(text: str, font: pygame.font.Font, width: int) -> list[str]:
    """Lines of ``text`` no wider than ``width``, broken by the English and Japanese rules."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        breaks = _breaks(list(paragraph), [False] * len(paragraph), lambda bold: font, width)
        start = 0
        for cut in breaks + [len(paragraph)]:
            lines.append(paragraph[start:cut].rstrip())
            start = cut
            while start < len(paragraph) and paragraph[start] == " ":
                start += 1
    return lines or [""]


def wrap_markup(html: str, font: Callable[[bool], pygame.font.Font], width: int) -> str:
    """pygame_gui text-box markup with ``<br>`` put where lines must break to fit ``width``,
    by the rules above: pygame_gui's own breaker splits Japanese anywhere (a line may start
    with "。" and "7,000t" may split), so Japanese text is laid out here and it only draws it.
    ``font(bold)`` is the box's font; tags (<b>, <font>, <br>) and entities are kept."""
    pieces: list[str] = []
    chars: list[str] = []
    bolds: list[bool] = []
    owner: list[int] = []  # the piece each visible character came from
    hard: set[int] = set()  # visible positions a <br> already breaks before
    bold = 0
    for token in _TOKEN.findall(html):
        pieces.append(token)
        if token.startswith("<"):
            inside = token.strip("<>/ ").split()
            tag = inside[0].lower() if inside else ""
            if tag == "br":
                hard.add(len(chars))
            elif tag == "b":
                bold += -1 if token.startswith("</") else 1
            continue
        chars.append(unescape(token) if token.startswith("&") else token)
        bolds.append(bold > 0)
        owner.append(len(pieces) - 1)
    cuts = set()
    start = 0
    for end in sorted(hard | {len(chars)}):
        segment = range(start, end)
        for cut in _breaks([chars[i] for i in segment], [bolds[i] for i in segment], font, width):
            cuts.add(start + cut)
        start = end
    if not cuts:
        return html
    cut_pieces = {owner[i] for i in cuts if i < len(owner)}
    return "".join(("<br>" if k in cut_pieces else "") + piece for k, piece in enumerate(pieces))


def _breaks(chars: list[str], bolds: list[bool], font: Callable[[bool], pygame.font.Font], width: int) -> list[int]:
    """Where to break a line of characters (indices a new line starts at), greedily, measured
    in the font's pixels (``game.line_breaks.break_points``)."""
    widths: dict[tuple[str, bool], int] = {}

    def width_of(k: int) -> int:
        key = (chars[k], bolds[k])
        if key not in widths:
            widths[key] = font(bolds[k]).size(chars[k])[0]
        return widths[key]

    return break_points(chars, width_of, width)


def sentences(*parts: str) -> str:
    """Sentences, each already in the player's language, one after another as that language
    writes them: a space after an English one, none after a Japanese one (a half-width space
    after 。 reads as a stray gap). Empty parts are left out."""
    text = ""
    for part in filter(None, parts):
        text += part if not text or is_cjk(text[-1]) else " " + part
    return text


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def long_date(date, language: str) -> str:
    """A calendar date as a reader writes it: 7 September 2010, or 2010年9月7日."""
    if language == "ja":
        return f"{date.year}年{date.month}月{date.day}日"
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def escape(text: str) -> str:
    """Text from data made safe for pygame_gui's HTML-like text boxes."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")
