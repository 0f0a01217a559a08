"""Japanese lines the screens assemble use full-width colons and brackets, never two colons or
two bracketed notes in a row, one form of politeness a line, and dates as the news writes them:
a play-tester read 「出典: … (確度: 高)」, 「生産指数: -」, 「中国 (龍) スコア」, 「平均 0.96」
beside 「最低0.96」, 「以上（平均）（2010Q3〜2011Q2）」, 「…実行し、最後に完了を押す。」 after
「あなたの番です。」, 「2011-01-01」 on the facilitator's events and 「酸化NdPr」 in the hot seat
against 「NdPr」 in solo play."""

from __future__ import annotations

import re

import pytest

from game.ui.strings import Language
from game.ui.workshop_words import WorkshopWords

_JAPANESE = r"[\u3040-\u30ff\u4e00-\u9fff]"
#: A half-width colon or bracket beside Japanese, two colons or two bracketed notes in a row, or
#: a space between a Japanese word and its figure.
#: An English source's closing bracket straight before a Japanese aside is two asides in a row too:
#: 「出典：SCMP (20 May 2019)（確度：高）」.
_WRONG = re.compile(rf"{_JAPANESE}\s*[:(]|\)\s*{_JAPANESE}|：：|[）)]\s*（|{_JAPANESE} \d")

ASSEMBLED = [
    ("Source: {source} (confidence: {confidence})", {"source": "日本経済新聞", "confidence": "高"}),
    ("Source: {source} (confidence: {confidence})", {"source": "SCMP (20 May 2019)", "confidence": "高"}),
    ("{name} (+{tpy:,.0f} t/yr)", {"name": "マウント・ウェルド（ライナス）", "tpy": 22000}),
    ("{name} ({who}) {score}", {"name": "ライナス（企業）", "who": "龍", "score": "83点"}),
    ("{label}: {value}", {"label": "生産指数", "value": "-"}),
    ("{name} ({who}) {score}", {"name": "中国", "who": "龍", "score": Language("ja").tr("score {score:.0f} of 100", score=83)}),
    ("{who} ({by}): {said}", {"who": "日本", "by": "チーム", "said": "備蓄を放出"}),
    ("{who}: {said}", {"who": "日本", "said": "備蓄を放出"}),
    ("({note})", {"note": "中国のドクトリン"}),
    ("average {value}", {"value": "0.96"}),
    ("lowest {value}", {"value": "0.96"}),
    ("highest {value}", {"value": "0.96"}),
    ("{needs}, {start} to {end}", {"needs": "0.918以上（平均）", "start": "2010Q3", "end": "2011Q2"}),
    ("licensed (L)", {}),
]


@pytest.mark.parametrize("template, values", ASSEMBLED, ids=[t for t, _ in ASSEMBLED])
def test_an_assembled_japanese_line_is_typeset_in_full_width(template, values):
    tr = Language("ja").tr
    shown = tr(template, **values)
    assert not re.fullmatch(r"[ -~]*", tr(template)), f"{template!r} has no Japanese line"
    assert not _WRONG.search(shown), shown


def test_a_line_that_starts_politely_stays_polite():
    shown = Language("ja").tr("Your turn: choose your levers, submit them, then press Done.")
    assert shown.startswith("あなたの番です。") and shown.endswith(("ください。", "ます。")), shown


def test_the_facilitators_events_are_dated_as_the_news_dates_them():
    words = WorkshopWords("2010-trawler")
    assert words.event_date({"date": "2011-01-01"}, "ja") == "2011年1月1日"
    assert words.event_date({"date": "2011-01-01"}, "en") == "2011-01-01"
    assert words.event_date({"date": "not a date"}, "ja") == "not a date"
    assert words.event_date({}, "ja") == ""


def test_the_hot_seat_names_a_material_as_solo_play_does():
    from game.ui.levers import SHORT
    from game.ui.workshop_levers import material_label
    from game.vocab.materials import MATERIALS

    tr = Language("ja").tr
    for material in MATERIALS:
        assert material_label(material.value, material.label, tr) == tr(SHORT[material])
    assert material_label("unknown", "Something oxide", tr) == tr("Something oxide")


@pytest.mark.parametrize(("line", "joined"), [
    ("マウント・ウェルド（ライナス）（年22,000t増）", "マウント・ウェルド（ライナス、年22,000t増）"),
    ("X（a（b））（c）", "X（a（b）、c）"),  # the aside within the first stays as it is
    ("X（a。b）（c）", "X（a。b。c）"),  # parted by 。 where a part is sentences
    ("X（a）（b", "X（a）（b"),  # a second never closed is left alone
    ("（a）と（b）", "（a）と（b）"),  # not back to back
    ("Mt Weld (Lynas) (+22,000 t/yr)", "Mt Weld (Lynas) (+22,000 t/yr)")])  # English brackets: not Japanese asides
def test_two_japanese_asides_back_to_back_are_joined_into_one(line, joined):
    from game.vocab.asides import asides_joined

    assert asides_joined(line) == joined
