"""Where a line of English or Japanese may break, and lines broken greedily to a width: the
window measures characters in pixels (game.ui.text), a terminal in columns (``terminal_lines``).

Japanese has no spaces: a line may break between any two characters where either is Japanese,
except before closing marks and after opening ones (kinsoku shori), inside a word written in
katakana ("ホイール", "サプライチェーン": a loanword, read as one, as an English word is), and
between a number and the unit after it, as an English number keeps "t" or "kg", nor inside a span
of time ("10年間", "18日間"), nor before the 年 that ends a word ("今年", "昨年", "2011年"). An
English word, a number or an id such as ``jp_china_share_2010`` is never split, nor a date
("9月7日", "17 Nov"), nor a range ("2010Q3〜2011Q2"), nor does a line start with a sentence's or
a bracket's last character and its 。 or ）. Where it can, a line breaks between words
(``phrase_break``): not inside a run of kanji ("中国漁船") or of hiragana ("とどまれば"), nor
between a kanji and the hiragana after it ("失う"); a line with no such place breaks where the
rules for characters allow, as a word wider than the line is cut where it overflows, or before
that where a line may start and end.
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
#: The full-width space that parts a Japanese headline's halves (「即日禁止　日本は抗議」).
IDEOGRAPHIC_SPACE = "\u3000"
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
#: The marks that end a sentence or close a bracket: the Japanese character before one is not
#: carried alone onto the next line ("…磁石で" then "す。", "しませ" then "ん）").
SENTENCE_ENDS = frozenset("。！？!?）」』】〕〉》］")
#: A range's mark: "2010Q3〜2011Q2" and "0〜1" read as one, as "2010Q3-2011Q2" does in English.
RANGE = "〜"
#: English months, which stay with the day before them ("17 Nov 2010").
MONTHS = frozenset(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
                    "January", "February", "March", "April", "June", "July", "August", "September", "October",
                    "November", "December"))
#: The kana between two kanji of one word, as in a compound verb or noun ("書き出す", "売り手",
#: "受け入れ", "乗り切る"): a line does not break after it. The particles (の, が, を, に...) that
#: separate words are not among them.
OKURIGANA = frozenset("きしりいちみけえびぎじ")
#: Particles after which a run of hiragana may break, when they follow a word's kanji and its
#: ending ("並みに" then "とどまれば"), not inside a run ("にと" then "どまれば").
PARTICLES = frozenset("にをはがでもへ")
#: Particles that follow another to make one ("への", "での", "には", "では", "とは", "にも",
#: "でも"): a line does not break between the two ("停止へ" then "の備え").
SECOND_PARTICLES = frozenset("のはも")
#: Kana that go on a verb, after which a particle-like kana is the verb's own ("下が" then "る",
#: "上が" then "った"), not a particle.
VERB_ENDINGS = frozenset("るれらりろっせさしすん")
#: Words of the game's own Japanese that the rules above would still let a line split ("白いひ"
#: then "し形": hiragana then kanji is most often a word's start).
WORDS = ("ひし形",)


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
        return after not in NO_LINE_START  # "名前は" then ".toml で": a line never starts with "."
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
    if before == RANGE and after.isascii() and after.isalnum():
        return False
    return not (before.isascii() and before.isalnum() and is_cjk(after))


def script_of(ch: str) -> str:
    """The script a character is written in: kanji, katakana, hiragana, other Japanese ("cjk":
    marks, full-width forms) or "latin" (anything else), to tell where a word most likely ends."""
    if is_kanji(ch):
        return "kanji"
    if is_katakana(ch):
        return "katakana"
    if is_hiragana(ch):
        return "hiragana"
    return "cjk" if is_cjk(ch) else "latin"


def is_hiragana(ch: str) -> bool:
    return "\u3041" <= ch <= "\u309f"


def phrase_break(chars: Sequence[str], at: int) -> bool:
    """Whether a break before ``chars[at]``, which the rules for characters allow, also falls
    between words: not inside a run of kanji ("中国漁船", "四半期") or of hiragana ("とどまれば",
    "しません"), between a kanji or katakana word and the hiragana after it (its ending or
    particle: "失う", "ライナスは"), after a compound's kana ("書き出す"), between the two
    particles of one ("への"), nor in a listed word."""
    before, after = chars[at - 1], chars[at]
    if before in PARTICLES and after in SECOND_PARTICLES:
        return False
    if (is_hiragana(after) and before in PARTICLES and after not in VERB_ENDINGS
            and _after_a_words_end(chars, at - 1)):
        return True
    if is_hiragana(after) and (is_kanji(before) or is_hiragana(before) or is_katakana(before)):
        return False
    if (is_kanji(before) or is_katakana(before)) and (is_kanji(after) or is_katakana(after)):
        return False  # a compound: "中国漁船", "参照データ", "ライナス工場"
    if is_kanji(after) and before in OKURIGANA and at >= 2 and is_kanji(chars[at - 2]):
        return False
    return not any(_inside_word(chars, at, word) for word in WORDS)


def _after_a_words_end(chars: Sequence[str], particle: int) -> bool:
    """Whether the particle at ``particle`` follows a kanji or katakana word, or its one kana of
    ending ("並み", "高い")."""
    word = chars[particle - 1] if particle >= 1 else ""
    if is_kanji(word) or is_katakana(word):
        return True
    return word in OKURIGANA and particle >= 2 and is_kanji(chars[particle - 2])


def _inside_word(chars: Sequence[str], at: int, word: str) -> bool:
    for start in range(max(0, at - len(word) + 1), at):
        if start + len(word) <= len(chars) and "".join(chars[start:start + len(word)]) == word:
            return True
    return False


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
    word = "".join(chars[start:end])
    return word in UNITS or word in MONTHS


def _day_after_month(chars: Sequence[str], start: int) -> bool:
    """Whether ``chars[start]`` begins the day of a date after its month ("9月" then "7日")."""
    return (start >= 2 and chars[start].isdigit() and chars[start - 1] == "月" and chars[start - 2].isdigit())


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
    return (_unit_after_number(chars, start) or _sentence_tail(chars, start) or _yearly_amount(chars, start)
            or _day_after_month(chars, start))


def break_points(chars: Sequence[str], width_of: Callable[[int], int], width: int) -> list[int]:
    """Where to break a line of characters (indices a new line starts at), greedily:
    ``width_of(k)`` is the width of ``chars[k]``. A katakana word wider than the line is cut where
    the rules allow inside it; any other piece wider than the line is cut where it overflows, or
    before that where a line may start and end (``_overflow_cut``). A line breaks between words
    where it can and stays at least a third full; else where the rules for characters allow."""
    breaks: list[int] = []
    line_start, used = 0, 0
    chances: tuple[int | None, int | None, int | None] = (None, None, None)
    for i, ch in enumerate(chars):
        if i > line_start:
            chances = _chances_with(chars, i, chances)
        used += width_of(i)
        if used > width and i > line_start and ch != " ":
            between_words, *others = chances
            if between_words is not None and between_words > line_start \
                    and 3 * sum(width_of(k) for k in range(line_start, between_words)) < width:
                between_words = None  # a line left less than a third full reads worse than a word cut
            cut = next((at for at in (between_words, *others) if at is not None and at > line_start), None)
            if cut is None:
                cut = _overflow_cut(chars, line_start, i)
            while cut < len(chars) and chars[cut] == IDEOGRAPHIC_SPACE:
                cut += 1  # it ends the line, unseen, as a space does; starting one, it set the line in
            breaks.append(cut)
            line_start = cut
            while line_start < len(chars) and chars[line_start] == " " and line_start < i:
                line_start += 1
            # The characters carried onto the new line keep their places to break: forgotten,
            # the next overflow cut a word that had one.
            chances = (None, None, None)
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


def _chances_with(chars: Sequence[str], at: int, chances: tuple[int | None, int | None, int | None]
                  ) -> tuple[int | None, int | None, int | None]:
    """The latest place on the line a break may go between words, the latest the rules for
    characters allow, and the latest inside a katakana word (where one wider than the line is
    cut: never before ー or ッ), counting a break before ``chars[at]``."""
    between_words, last, in_word = chances
    if _kept_together(chars, at):
        return chances
    if can_break(chars[at - 1], chars[at]):
        return (at if phrase_break(chars, at) else between_words), at, in_word
    if can_break(chars[at - 1], chars[at], inside_katakana=True):
        return between_words, last, at
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
    if end > start and is_cjk(chars[end - 1]):
        # Japanese parts no words with spaces: the last space may be lines back (after a news
        # item's 「[許可制]」 tag, left alone on its line). The figure takes the word before it.
        cut = _japanese_word_start(chars, start, end)
        if cut is not None:
            breaks[-1] = cut
        return
    for cut in range(end - 1, start, -1):  # the line before keeps a word at least
        if chars[cut - 1] == " " and chars[cut] != " " and not _kept_together(chars, cut):
            breaks[-1] = cut
            return


def _japanese_word_start(chars: Sequence[str], start: int, end: int) -> int | None:
    """Where the Japanese word ending just before ``end`` begins, as near as its scripts tell
    (「今四半期は」 after 「承認：」: a change of script, not before hiragana, which ends a word or
    is its particle), if a line may break there and the line before keeps two characters."""
    for cut in range(end - 1, start + 1, -1):
        if script_of(chars[cut - 1]) != script_of(chars[cut]) and not is_hiragana(chars[cut]) \
                and can_break(chars[cut - 1], chars[cut]) and not _kept_together(chars, cut):
            return cut
    return None


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
