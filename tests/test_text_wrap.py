"""Lines broken by the English and Japanese rules: no line starts with a closing mark or ends
with an opening one, a number keeps its unit, markup and its <br> are respected, and every
line fits the width it was given."""

from __future__ import annotations

import re

import pygame
import pytest
import tomli

from functools import cache

from game.line_breaks import NO_LINE_END, NO_LINE_START, break_points
from game.scenario.catalogue import levels_dir
from game.scenario.reference import japanese_facts
from game.ui.help import KEYS, keys_in_lines
from game.ui.strings import table
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


@pytest.mark.parametrize("figure", ["0.11", "US$60M", "40%", "(2010)."])
def test_a_paragraph_never_ends_on_a_line_of_a_figure_alone(fonts, figure):
    """The talks' form read "Takes: this quarter, easing tension by about" then "0.11" alone."""
    text = f"Takes: this quarter, easing tension by about {figure}"
    # Room for all but the figure, measured as the breaker measures, a character at a time.
    width = sum(fonts("small").size(ch)[0] for ch in "Takes: this quarter, easing tension by about ") + 1
    assert wrap(text, fonts("small"), width) == ["Takes: this quarter, easing tension by", f"about {figure}"]


def test_a_japanese_figure_at_a_paragraph_s_end_takes_its_own_words_not_the_line(fonts):
    """2026-deep-sea's news in Japanese read 「[許可制]」 alone, then 「中国、日本向け酸化Dy/Tbの輸出
    許可申請の10%を承認：今四半期は8t」: to keep 「8t」 from a line alone, the break went back to the
    last space, after the tag. The figure takes the Japanese word before it instead."""
    text = "[許可制] 中国、日本向け酸化Dy/Tbの輸出許可申請の10%を承認：今四半期は8t"
    width = sum(fonts("text").size(ch)[0] for ch in text[:-2]) + 1  # room for all but the figure
    lines = wrap(text, fonts("text"), width)
    assert lines[0].startswith("[許可制] 中国"), lines
    assert lines[-1] == "今四半期は8t", lines


def test_a_japanese_line_never_starts_with_the_full_width_space_between_two_headlines(fonts):
    """2026-deep-sea's news read 「…軍民両用品輸出を即日禁止」 then 「　日本は抗議」, the line set in
    by the full-width space that parts the headline's two halves: the space ends the line instead."""
    text = "中国、日本の軍事エンドユーザーへの軍民両用品輸出を即日禁止\u3000日本は抗議"
    width = sum(fonts("text").size(ch)[0] for ch in text[:text.index("\u3000")]) + 1
    lines = wrap(text, fonts("text"), width)
    assert len(lines) == 2 and not [line for line in lines if line.startswith("\u3000")], lines


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


def _kanji(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _japanese_fields(node, key: str = "") -> list[str]:
    """The Japanese texts of a level file: values of ``ja`` and of keys ending in ``_ja``."""
    if isinstance(node, dict):
        return [text for name, value in node.items() for text in _japanese_fields(value, name)]
    if isinstance(node, list):
        return [text for value in node for text in _japanese_fields(value, key)]
    return [node] if isinstance(node, str) and (key == "ja" or key.endswith("_ja")) else []


def every_japanese_paragraph() -> list[str]:
    """Each paragraph of Japanese the game shows: the string table's (a template's fields filled
    with a number), the cited facts' and the shipped levels'."""
    texts = list(table("ja").values())
    texts += [part for quantity_and_note in japanese_facts().values() for part in quantity_and_note]
    for path in sorted(levels_dir().rglob("*.toml")):
        texts += _japanese_fields(tomli.loads(path.read_text(encoding="utf-8")))
    filled = map(_with_fields_filled, texts)
    return sorted({paragraph for text in filled for paragraph in text.split("\n") if paragraph.strip()})


def _with_fields_filled(template: str) -> str:
    """A template with a number in each field, a field inside a field ("{due:,.{digits}f}") first."""
    while True:
        template, filled = re.subn(r"\{[^{}]*\}", "1,234", template)
        if not filled:
            return template


def _broken_rules(lines: list[str]) -> list[str]:
    """The lines of one paragraph that start with a mark a line may not start with, or end with one
    a line may not end with (the paragraph's own first character is not a line's start)."""
    return [line for k, line in enumerate(lines)
            if (k and line[:1] in NO_LINE_START) or (k < len(lines) - 1 and line[-1:] in NO_LINE_END)]


def _lines_in(font: pygame.font.Font):
    """``wrap`` for many paragraphs in one font: the same breaks, each character measured once
    for all of them (``wrap`` measures anew for each paragraph, and most of the time went there)."""
    width_of = cache(lambda ch: font.size(ch)[0])

    def lines(paragraph: str, width: int) -> list[str]:
        cuts = break_points(paragraph, lambda k: width_of(paragraph[k]), width)
        return [paragraph[start:end].strip() for start, end in zip([0, *cuts], [*cuts, len(paragraph)])]
    return lines


def test_every_japanese_text_of_the_game_and_its_levels_breaks_by_the_rules(fonts):
    """The help's "Tab / Shift+Tab" then "、矢印キー" escaped every test of a few chosen texts: each
    text the game shows is wrapped here, from a column of six characters, which cuts ids and
    English words, to a pane's width."""
    paragraphs = every_japanese_paragraph()
    assert len(paragraphs) > 1000  # the table, the facts and the levels were all read
    lines = _lines_in(fonts("text"))
    bad = [(width, line, paragraph) for width in (90, 130, 200, 330) for paragraph in paragraphs
           for line in _broken_rules(lines(paragraph, width))]
    assert not bad, "\n".join(map(str, bad[:20]))


@pytest.mark.parametrize("text", [
    "Tab / Shift+Tab、矢印キー",
    "Tab\u00a0/\u00a0Shift+Tab、矢印キー",  # the help's key column: no break inside one group of keys
    "引取権（lynas_jogmec_2011）、lynas_offtake_2011。",
])
def test_a_piece_wider_than_the_line_is_cut_where_a_line_may_start(fonts, text):
    """F1's keys in Japanese at 200% read "Tab / Shift+Tab" then "、矢印キー": "Shift+Tab、" was
    wider than the column, and a piece that cannot break was cut where it overflowed, before 、.
    The cut steps back to where a line may start and end, as every other break does."""
    font = fonts("text", bold=True)
    for width in range(font.size("Shift+")[0], font.size(text)[0] + 1):
        lines = wrap(text, font, width)
        assert re.sub(r"\s", "", "".join(lines)) == re.sub(r"\s", "", text)
        assert not _broken_rules(lines), (width, lines)


@pytest.fixture(scope="module")
def fonts_at_200(fonts):
    return Fonts(2.0)


def test_the_help_breaks_its_keys_between_groups_and_never_before_a_closing_mark(fonts_at_200):
    """The help's key column at 200%: "Tab / Shift+Tab、" is wider than the two-column layout's,
    and was cut before its 、. Its 、 hangs into the gap before the meaning where that saves a
    line, as Japanese type hangs it; elsewhere its keys break at their spaces, never inside a key
    that fits ("Shift+Ta" then "b、"), and a group of keys stays whole where it fits."""
    japanese = table("ja")
    for size in ("text", "small"):
        bold = fonts_at_200(size, bold=True)
        for key, _ in KEYS:
            shown = japanese[key]
            words = re.findall(r"[!-~]+、?", shown)  # the keys' words and the mark after each: "Shift+Tab、"
            widest = max(sum(bold.size(ch)[0] for ch in word) for word in words)  # as the wrapper measures
            for width in range(widest, bold.size(shown)[0] + 40, 4):
                lines = keys_in_lines(shown, bold, width)
                assert re.sub(r"\s", "", "".join(lines)) == re.sub(r"\s", "", shown)
                assert not _broken_rules(lines), (size, width, lines)
                assert all(bold.size(line.rstrip("、,"))[0] <= width for line in lines), (size, width, lines)
                kept = [line.replace("\u00a0", " ") for line in lines]
                assert all(any(word in line for line in kept) for word in words), (size, width, lines)
    small = fonts_at_200("small", bold=True)
    tab_keys = japanese["Tab / Shift+Tab, arrows"]
    two_column_key_width = 204  # the key column of the help's two-column layout at 200%
    assert [line.replace("\u00a0", " ") for line in keys_in_lines(tab_keys, small, two_column_key_width)] \
        == ["Tab / Shift+Tab、", "矢印キー"]


@pytest.mark.parametrize("text", [
    "中国の鉱山は今年270,000トンまで採掘を認められている（outlook_china_mining_quota_2024）。",
    "融資が今年10年延長されるライナス（lynas_loan_ext_2019）は、生産の一部を日本に送っている。",
    "NdPr酸化物は昨年の1kgあたり124ドルから下落している。輸出枠を前年より40%少ない30,258トンに削減済み",
    "完成後は毎年、日本に一定量を供給する義務を負います。半年前の56ドルを上回る。2011年通年でも30,184トン",
])
def test_a_word_ending_in_year_keeps_its_kanji(fonts, text):
    """The 2025 briefing read "…中国の鉱山は今" then "年270,000トン": 年 keeps the amount after it
    ("a year"), and then 今年 "this year" was cut. 年 after a kanji ends a word (今年, 昨年,
    毎年, 前年, 半年) and stays with it, as it stays with a number (2011年)."""
    font = fonts("text")
    for width in range(font.size(text[:4])[0], font.size(text)[0], 2):
        lines = wrap(text, font, width)
        assert "".join(lines) == text
        for line, after in zip(lines, lines[1:]):
            assert not (_kanji(line[-1]) and after[0] == "年"), (width, lines)
            assert not (line.endswith("年") and after[0].isdigit()), (width, lines)


def test_no_japanese_text_of_the_game_cuts_a_word_ending_in_year(fonts):
    """Each text where 年 ends a word after a kanji (今年, 昨年, 毎年, 前年, 半年, 通年 ...) keeps
    the two on one line at every width."""
    lines_of = _lines_in(fonts("text"))
    with_year = [text for text in every_japanese_paragraph() if re.search(r"[一-鿿]年", text)]
    assert len(with_year) >= 10
    bad = []
    for width in range(60, 400, 7):
        for text in with_year:
            lines = lines_of(text, width)
            bad += [(width, line, after) for line, after in zip(lines, lines[1:])
                    if _kanji(line[-1]) and after[0] == "年"]
    assert not bad, bad[:10]


#: Texts the play-tester saw split, and the pieces each must keep whole at every width that fits
#: the piece: words ("白いひ" then "し形", "中" then "国漁船", "とど" then "まれば", "四" then
#: "半期", "書き" then "出す"), a date ("9月" then "7日"), a range ("2010Q3〜" then "2011Q2"),
#: a closing bracket's word ("しませ" then "ん）"), an English date ("on 17" then "Nov") and a
#: particle of two ("へ" then "の").
SPLIT_BY_THE_TESTER = [
    ("グラフ：価格と選んだ指標の四半期ごとの推移です。白いひし形は参照データによる実際の値（史実）です。",
     ("白いひし形", "四半期", "推移です", "参照データ")),
    ("2010年9月。尖閣諸島付近で中国漁船が海上保安庁の巡視船2隻に衝突し（9月7日、ep2010_collision）、日本は船長を逮捕した。",
     ("中国漁船", "9月7日", "衝突し", "逮捕した")),
    ("★ 生産指数を0.75以上に保つ：今期に失う恐れ。市場からの調達が前四半期並みにとどまれば、生産指数は約0.61まで下がるおそれがあります。",
     ("とどまれば", "失う", "恐れ", "四半期", "下がる")),
    ("結果ファイルをデータフォルダのworkshopフォルダに書き出す。", ("書き出す",)),
    ("セーブが壊れています（チェックサムが一致しません）", ("しません）", "壊れています")),
    ("生産指数0.918以上（平均、2010Q3〜2011Q2）", ("2010Q3〜2011Q2",)),
    ("出典：Reuters reported on 17 Nov 2010 that shipments resumed", ("17 Nov",)),
    # A particle of two ("停止へ" then "の備え"), seen by a later play-tester.
    ("今四半期、上限価格までの範囲で市場から酸化物を買い付けます。備蓄は次の供給停止への備えになりますが、"
     "買い付けは日本の工場と競合し、価格を押し上げます。", ("への", "での", "には")),
    ("日本では供給元への融資が検討された。", ("では", "への")),
]


def _split(lines: list[str], text: str, piece: str) -> bool:
    """Whether a break between ``lines`` falls inside an occurrence of ``piece`` in ``text``."""
    cuts, at = set(), 0
    for line in lines[:-1]:
        at = text.index(line, at) + len(line)
        cuts.add(at)
        while at < len(text) and text[at] == " ":
            at += 1
            cuts.add(at)
    start = text.find(piece)
    while start >= 0:
        if any(start < cut < start + len(piece) for cut in cuts):
            return True
        start = text.find(piece, start + 1)
    return False


@pytest.mark.parametrize("text, pieces", SPLIT_BY_THE_TESTER, ids=lambda value: value[:8] if isinstance(value, str) else "")
def test_words_dates_ranges_and_a_closing_bracket_s_word_stay_whole(fonts, text, pieces):
    """From a column of ten characters, as narrow as a pane is, to the whole line."""
    font = fonts("text")
    narrowest = max(font.size("あ" * 10)[0], *(font.size(piece)[0] for piece in pieces))
    for width in range(narrowest, font.size(text)[0], 2):
        lines = wrap(text, font, width)
        assert re.sub(r"\s", "", "".join(lines)) == re.sub(r"\s", "", text)
        assert all(font.size(line)[0] <= width for line in lines), (width, lines)
        for piece in pieces:
            assert not _split(lines, text, piece), (piece, width, lines)


def test_a_line_with_no_place_to_break_by_words_still_breaks(fonts):
    """A run of kanji, or of hiragana, wider than the line has no break between words: it breaks
    where the rules for characters allow, as before."""
    font = fonts("text")
    for text in ("海上保安庁巡視船衝突事件国際司法裁判所", "ことができるようになりましたとさ"):
        for width in range(font.size(text[:3])[0], font.size(text)[0], 3):
            lines = wrap(text, font, width)
            assert "".join(lines) == text and len(lines) > 1, (width, lines)
            assert all(font.size(line)[0] <= width for line in lines), (width, lines)
