"""Where a line of English or Japanese may break, and lines broken greedily to a width: the
window measures characters in pixels (game.ui.text), a terminal in columns (``terminal_lines``).

Japanese has no spaces: a line may break between any two characters where either is Japanese,
except before closing marks and after opening ones (kinsoku shori), inside a word written in
katakana ("ホイール", "サプライチェーン": a loanword, read as one, as an English word is), and
between a number and the unit after it, as an English number keeps "t" or "kg", nor inside a span
of time ("10年間", "18日間"), nor before the 年 that ends a word ("今年", "昨年", "2011年"). An
English word, a number or an id such as ``jp_china_share_2010`` is never split, nor does a line
start with a sentence's last character and its 。. A word wider than the line is cut where it
overflows, or before that where a line may start and end.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

#: Japanese never starts a line with these: closing brackets, punctuation, small kana and the
#: prolonged sound mark stay on the line before (kinsoku shori).
NO_LINE_START = frozenset("、。，．,.）)」』】〕〉》］]｝}！？!?ー・：；:;ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々〜…‥％%")
#: ...and never ends a line with these: opening brackets go to the line after.
NO_LINE_END = frozenset("（(「『【〔〈《［[｛{＄$￥¥")
#: Japanese units written before their number stay on its line: 年 "a year" ("年11,250t" is
#: 11,250 t/yr) and 約 "about".
UNITS_BEFORE_NUMBER = frozenset("年約")
#: Units of time that 間 follows as a counter: "10年間" "for ten years", "18日間", "1週間"; the
#: number, its unit and 間 read as one word.
TIME_UNITS = frozenset("年月週日時")
#: 年 ends a word after a kanji or a number ("今年" "this year", "毎年", "前年", "2011年") and stays
#: with it, as with the amount after it: kept with only the amount ("今年270,000トン"), 今 was left
#: at a line's end.
YEAR = "年"
#: The marks that end a sentence: the Japanese character before one is not carried alone onto
#: the next line ("…磁石で" then "す。").
SENTENCE_ENDS = frozenset("。！？!?")


def is_cjk(ch: str) -> bool:
    return ord(ch) > 0x2E80


def is_kanji(ch: str) -> bool:
    """A kanji: a CJK ideograph, or 々 and 〇, written as ones."""
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff" or ch in "々〇"


def is_katakana(ch: str) -> bool:
    """A letter of a katakana word: full- or half-width katakana, small ones, the prolonged sound
    mark ー and the iteration marks; not the middle dot ・, which separates words ("マウント・ウェルド")."""
    return "\u30a1" <= ch <= "\u30fa" or ch in "ーヽヾ" or "\uff66" <= ch <= "\uff9f"


def can_break(before: str, after: str, inside_katakana: bool = False) -> bool:
    """Whether a line may break between two visible characters: after a space; between
    characters where either is Japanese, except before closing marks, after opening ones, inside
    a katakana word ("ホ" then "イール" read as a word cut in two) unless ``inside_katakana`` (a
    word wider than the line), and between a number and the unit or word that follows it
    ("7,000トン" stays whole), before the 間 of a span of time ("10年" then "間"), and before
    the 年 that ends a word ("今" then "年")."""
    if before == " ":
        return True
    if after == " " or not (is_cjk(before) or is_cjk(after)):
        return False
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    if not inside_katakana and is_katakana(before) and is_katakana(after):
        return False
    if before in UNITS_BEFORE_NUMBER and _is_amount_start(after):
        return False
    if before in TIME_UNITS and after == "間":
        return False
    if after == YEAR and (is_kanji(before) or before.isdigit()):
        return False
    return not (before.isascii() and before.isalnum() and is_cjk(after))


def _is_amount_start(ch: str) -> bool:
    return (ch.isascii() and ch.isalnum()) or ch in "$＄"


#: Units an English number keeps on its line: "30,300 t", "8,500 t/yr", "kt", "kg".
UNITS = frozenset(("t", "t/yr", "kt", "Mt", "kg"))


_SPACE_BEFORE_UNIT = re.compile(r"(?<=\d) (?=(?:%s)(?![\w/]))"
                                % "|".join(map(re.escape, sorted(UNITS, key=lambda unit: (-len(unit), unit)))))


def units_kept(text: str) -> str:
    """``text`` with a no-break space between a number and its unit, for a line breaker that
    breaks at every space (pygame_gui's, in English): "30,300\u00a0t"."""
    return _SPACE_BEFORE_UNIT.sub("\u00a0", text)


def _unit_after_number(chars: Sequence[str], start: int) -> bool:
    """Whether the word at ``start`` is a unit after a number and a space ("30,300 t")."""
    if start < 2 or chars[start - 1] != " " or not chars[start - 2].isdigit():
        return False
    end = start
    while end < len(chars) and chars[end] not in " ,.;:)":
        end += 1
    return "".join(chars[start:end]) in UNITS


def _sentence_tail(chars: Sequence[str], start: int) -> bool:
    """Whether ``chars[start]`` is a sentence's last Japanese character, before its 。: a line
    starting there would hold "す。" of "です。", a word cut to leave its end alone."""
    return (start + 1 < len(chars) and chars[start + 1] in SENTENCE_ENDS and is_cjk(chars[start])
            and chars[start] not in NO_LINE_START and chars[start] not in NO_LINE_END)


def _yearly_amount(chars: Sequence[str], start: int) -> bool:
    """Whether ``chars[start]`` begins the amount after 年間 "a year" ("年間30,184t"), which
    keeps it as 年 alone does."""
    return start >= 2 and chars[start - 2] == "年" and chars[start - 1] == "間" and _is_amount_start(chars[start])


def _kept_together(chars: Sequence[str], start: int) -> bool:
    """Whether a line may not start at ``start`` for what lies beyond the two characters there."""
    return _unit_after_number(chars, start) or _sentence_tail(chars, start) or _yearly_amount(chars, start)


def break_points(chars: Sequence[str], width_of: Callable[[int], int], width: int) -> list[int]:
    """Where to break a line of characters (indices a new line starts at), greedily:
    ``width_of(k)`` is the width of ``chars[k]``. A katakana word wider than the line is cut where
    the rules allow inside it; any other piece wider than the line is cut where it overflows, or
    before that where a line may start and end (``_overflow_cut``)."""
    breaks: list[int] = []
    line_start, used = 0, 0
    chances: tuple[int | None, int | None] = (None, None)
    for i, ch in enumerate(chars):
        if i > line_start:
            chances = _chances_with(chars, i, chances)
        used += width_of(i)
        if used > width and i > line_start and ch != " ":
            cut = next((at for at in chances if at is not None and at > line_start), None)
            if cut is None:
                cut = _overflow_cut(chars, line_start, i)
            breaks.append(cut)
            line_start = cut
            while line_start < len(chars) and chars[line_start] == " " and line_start < i:
                line_start += 1
            # The characters carried onto the new line keep their places to break: forgotten,
            # the next overflow cut a word that had one.
            chances = (None, None)
            for k in range(line_start + 1, i + 1):
                chances = _chances_with(chars, k, chances)
            used = sum(width_of(k) for k in range(line_start, i + 1))
    _no_lone_last_character(chars, breaks)
    _no_lone_last_number(chars, breaks)
    return breaks


def _overflow_cut(chars: Sequence[str], line_start: int, overflow: int) -> int:
    """Where a piece wider than the line is cut: before the character that overflows, or as near
    before it as a line may start and end ("Shift+Ta" then "b、矢印キー", not "Shift+Tab" then
    "、矢印キー"); where no place on the line may, before that character all the same."""
    for cut in range(overflow, line_start, -1):
        if chars[cut] not in NO_LINE_START and chars[cut - 1] not in NO_LINE_END:
            return cut
    return overflow


def _chances_with(chars: Sequence[str], at: int, chances: tuple[int | None, int | None]) -> tuple[int | None, int | None]:
    """The latest place on the line a break may go, and the latest inside a katakana word (where
    one wider than the line is cut: never before ー or ッ), counting a break before ``chars[at]``."""
    last, in_word = chances
    if _kept_together(chars, at):
        return chances
    if can_break(chars[at - 1], chars[at]):
        return at, in_word
    if can_break(chars[at - 1], chars[at], inside_katakana=True):
        return last, at
    return chances


def _no_lone_last_character(chars: Sequence[str], breaks: list[int]) -> None:
    """A paragraph's last line of one Japanese character ("…を建" then "設") takes one more
    from the line before, where a break is allowed there: a word cut to leave one character
    alone reads as a slip. The line before only gets shorter, so it still fits."""
    if not breaks:
        return
    last = breaks[-1]
    tail = "".join(chars[last:]).rstrip()
    if len(tail) != 1 or not is_cjk(tail):
        return
    start = breaks[-2] if len(breaks) > 1 else 0
    for cut in range(last - 1, start + 1, -1):  # the line before keeps two characters at least
        if can_break(chars[cut - 1], chars[cut]) and not _kept_together(chars, cut):
            breaks[-1] = cut
            return


#: A figure as a line may end a paragraph with it: "0.11", "US$60M", "40%", "(2010).".
_FIGURE = re.compile(r"[(\[]?(?:US\$|[$¥＄￥~約])?[-+−]?\d[\d,.]*\w{0,3}[%％]?[)\]]?[.,;:!?。、）]?")


def _no_lone_last_number(chars: Sequence[str], breaks: list[int]) -> None:
    """A paragraph's last line of a figure alone ("…easing tension by about" then "0.11") takes
    the word before it along, where the line before has a break earlier: a number read alone
    is cut from what it measures. The line before only gets shorter, so it still fits."""
    if not breaks:
        return
    last = breaks[-1]
    if not _FIGURE.fullmatch("".join(chars[last:]).strip()):
        return
    start = breaks[-2] if len(breaks) > 1 else 0
    end = last
    while end > start and chars[end - 1] == " ":
        end -= 1  # the spaces the line before ends with
    for cut in range(end - 1, start, -1):  # the line before keeps a word at least
        if chars[cut - 1] == " " and chars[cut] != " " and not _kept_together(chars, cut):
            breaks[-1] = cut
            return


def columns_of(ch: str) -> int:
    """Terminal columns a character takes: two for wide and full-width characters."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def terminal_lines(text: str, columns: int) -> list[str]:
    """``text`` in lines of at most ``columns`` terminal columns (a piece that cannot break may
    run over), each paragraph (a line of ``text``) on lines of its own."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        start = 0
        for cut in break_points(paragraph, lambda k: columns_of(paragraph[k]), columns) + [len(paragraph)]:
            lines.append(paragraph[start:cut].rstrip())
            start = cut
            while start < len(paragraph) and paragraph[start] == " ":
                start += 1
    return lines
