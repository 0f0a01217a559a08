"""Lines broken by the English and Japanese rules: no line starts with a closing mark or ends
with an opening one, a number keeps its unit, markup and its <br> are respected, and every
line fits the width it was given."""

from __future__ import annotations

import re

import pygame
import pytest

from game.line_breaks import NO_LINE_END, NO_LINE_START
from game.ui.text import Fonts, wrap, wrap_markup

JAPANESE = ("政治資本は12で、上限は12です。今使わなければ、来期に得る2のうち2が無駄になります。"
            "「備蓄」から7,000トンを放出し、（価格は）下がった。ライナスのクアンタン工場は操業を続けた。")


@pytest.fixture(scope="module")
def fonts():
    pygame.display.init()
    pygame.font.init()
    return Fonts(1.0)


@pytest.mark.parametrize("width", [90, 140, 200, 333, 500])
def test_japanese_lines_fit_and_obey_the_rules(fonts, width):
    lines = wrap(JAPANESE, fonts("text"), width)
    assert "".join(lines) == JAPANESE
    for k, line in enumerate(lines):
        assert fonts("text").size(line)[0] <= width or len(line) == 1
        if k:
            assert line[0] not in NO_LINE_START, line
        if k < len(lines) - 1:
            assert line[-1] not in NO_LINE_END, line
    assert not any(a.endswith(("7,000", "7,")) for a in lines[:-1])


def test_a_japanese_paragraph_never_ends_on_a_line_of_one_character(fonts):
    """「…（LAMP）を建」then「設」: the last line takes one more character from the line before."""
    text = "ライナス、マレーシア・クアンタンに分離プラント（LAMP）を建設"
    font = fonts("text")
    for width in range(font.size(text[:4])[0], font.size(text)[0]):
        lines = wrap(text, font, width)
        assert "".join(lines) == text
        assert len(lines) == 1 or len(lines[-1]) > 1, (width, lines)
        assert all(font.size(line)[0] <= width for line in lines), (width, lines)


def test_a_yearly_amount_keeps_its_year_with_its_number(fonts):
    """The news read "…（引取権：年" then "11,250t、10年間）": 年 before a number is its unit,
    "a year", as "t/yr" is after it in English."""
    text = "ライナス先端材料工場（クアンタン）のプロジェクトにUS$150Mを投資（引取権：年11,250t、10年間）"
    font = fonts("text")
    for width in range(font.size(text[:12])[0], font.size(text)[0], 3):
        lines = wrap(text, font, width)
        assert "".join(lines) == text
        assert not any(line.endswith("年") and after[0].isdigit() for line, after in zip(lines, lines[1:])), \
            (width, lines)


@pytest.mark.parametrize("text", [
    "ライナスを2億5000万ドルで支援して10年間にわたり年8,500トンを確保し（lynas_jogmec_2011、lynas_offtake_2011）",
    "スズキはスイフトの生産を約18日間止め（impact_suzuki）、フォードも1本のラインを1週間止めた",
    "中国の2011年第2次輸出枠は15,738t、年間30,184tに",
])
def test_a_span_of_time_keeps_its_counter_word(fonts, text):
    """"10年" then "間にわたり": a number, its unit and the 間 after it ("for ten years") read as
    one word, as "年間" before an amount ("a year") keeps the amount."""
    font = fonts("text")
    for width in range(font.size(text[:6])[0], font.size(text)[0], 2):
        lines = wrap(text, font, width)
        assert "".join(lines) == text
        for line, after in zip(lines, lines[1:]):
            assert not (line[-1] in "年月日週" and after[0] == "間"), (width, lines)
            assert not (line.endswith("年間") and after[0].isdigit()), (width, lines)


def test_a_japanese_sentence_s_last_kana_stays_with_the_one_before(fonts):
    """A tip read "…磁石で" then "す。スクラップ…" and ended on a line of "ん。" alone: a line
    never starts with a sentence's last kana and its 。."""
    text = ("リサイクル設備の増強に資金を出します。完成後の原料は都市鉱山、つまり寿命を迎えて回収された"
            "製品に含まれる磁石です。スクラップが回収されなければ、何もリサイクルされません。")
    font = fonts("text")
    for width in range(font.size(text[:6])[0], font.size(text)[0], 2):
        lines = wrap(text, font, width)
        assert "".join(lines) == text
        for line in lines[1:]:
            assert not (len(line) >= 2 and line[1] in "。！？" and not line[0].isascii()), (width, lines)
        assert all(font.size(line)[0] <= width for line in lines), (width, lines)


def test_english_breaks_at_spaces_only(fonts):
    text = "Release 7,000t of NdPr oxide from the national stockpile into Japan's market this quarter"
    lines = wrap(text, fonts("text"), 150)
    assert " ".join(lines) == text and all(" " not in (line[0], line[-1]) for line in lines)


def test_markup_keeps_its_tags_and_breaks_and_each_line_fits(fonts):
    html = ("<b>今四半期</b><br><font color='#f4a259'>[イベント]</font> 中国の2014年輸出枠：30,611t<br>"
            "<font color='#f4a259'>[イベント]</font> WTOパネル、中国のレアアース輸出税と輸出枠は協定上の義務に違反と判断"
            "&amp;その後")
    width = 300
    wrapped = wrap_markup(html, lambda bold: fonts("small", bold=bold), width)
    assert re.sub(r"<br>", "", wrapped) == re.sub(r"<br>", "", html)  # only <br> added
    for line in wrapped.split("<br>"):
        plain = re.sub(r"<[^>]+>", "", line).replace("&amp;", "&")
        assert fonts("small", bold=True).size(plain)[0] <= width, plain
        assert not plain or plain[0] not in NO_LINE_START
    assert wrapped.split("<br>")[:2] == html.split("<br>")[:2]  # short lines stay whole


def test_an_english_number_keeps_its_unit(fonts):
    """The first level's sources ended a line on "~30,300" and put "t" alone on the next."""
    text = "evwind (30 Dec 2010) gives ~30,300 t"
    width = fonts("text").size("evwind (30 Dec 2010) gives ~30,300 ")[0] + 1  # room for all but the "t"
    lines = wrap(text, fonts("text"), width)
    assert lines == ["evwind (30 Dec 2010) gives", "~30,300 t"]
    assert wrap("a line of 8,500 t/yr", fonts("text"), fonts("text").size("a line of 8,500 ")[0] + 1)[-1] \
        == "8,500 t/yr"


def test_english_text_boxes_keep_a_number_with_its_unit():
    """pygame_gui breaks English at any space: a no-break space holds "~30,300 t" together."""
    from game.line_breaks import units_kept

    assert units_kept("gives ~30,300 t, <b>8,500 t/yr</b> and 2 kg.") == \
        "gives ~30,300\u00a0t, <b>8,500\u00a0t/yr</b> and 2\u00a0kg."
    assert units_kept("5 tonnes, 3 ts, 2010 to 2012") == "5 tonnes, 3 ts, 2010 to 2012"


def _katakana(ch: str) -> bool:
    return "\u30a1" <= ch <= "\u30fa" or ch == "ー"


@pytest.mark.parametrize("width", [90, 140, 200, 333, 500])
def test_a_katakana_word_stays_on_one_line(fonts, width):
    """F1's keys in Japanese at 200% read "Page Up / Page Down、ホ" then "イール": a loanword
    split like an English word cut in two, though the line could break after "、"."""
    text = JAPANESE + "供給パネルはホイールでスクロールし、サプライチェーンを見直す。"
    font = fonts("text")
    lines = wrap(text, font, width)
    assert "".join(lines) == text
    at = 0
    for before, after in zip(lines, lines[1:]):
        at += len(before)
        if _katakana(before[-1]) and _katakana(after[0]):  # only a word wider than the line, and not before ー
            start, end = at, at
            while start and _katakana(text[start - 1]):
                start -= 1
            while end < len(text) and _katakana(text[end]):
                end += 1
            assert font.size(text[start:end])[0] > width and after[0] not in NO_LINE_START, (before, after)
    key = "Page Up / Page Down、ホイール"
    bold = fonts("text", bold=True)
    assert wrap(key, bold, bold.size(key)[0] - 1) == ["Page Up / Page Down、", "ホイール"]
