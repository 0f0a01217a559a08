"""Reference fact ids in a level's text, shown as numbered citations with their sources listed.

A reader wants the source, not the id, and long ids (or a closing bracket left at a line's
start) wrap badly; the briefing and the debrief both cite this way.
"""

from __future__ import annotations

import re

from game.scenario.reference import facts
from game.ui.text import escape
from game.vocab.fact_ids import CITATION, FACT_ID

_FACT_ID = re.compile(rf"\b{FACT_ID}\b")
_CITED = re.compile(f"{CITATION}|{_FACT_ID.pattern}")
#: Two facts in brackets as the ends of a span, "(prod_burma_2018 to prod_burma_2025)": cited as a
#: list, "[15,16]" (each id alone read "([15] to [16])").
_SPAN = re.compile(rf"[（(]\s*({FACT_ID})\s+(?:to|and)\s+({FACT_ID})\s*[）)]")


def cite(text: str, colour: str, sources_label: str = "Sources") -> str:
    """Text for a text box with the reference fact ids it names replaced by short numbered
    citations, "[1, 2]", and the numbered sources listed after it."""
    known = facts()
    # One number per source, as the list shows sources: two facts of one report were listed
    # twice under two numbers ("3. Lynas Annual Report 2023", "4. Lynas Annual Report 2023").
    numbers: dict[str, int] = {}  # a source -> its number

    def number(word: str) -> int:
        return numbers.setdefault(known[word].source, len(numbers) + 1)

    def cited(match: re.Match) -> str:
        ids = _FACT_ID.findall(match.group(1)) if match.group(1) else [match.group(0)]
        if not ids or any(i not in known for i in ids):
            return match.group(0)
        return "[" + ",".join(str(n) for n in dict.fromkeys(number(i) for i in ids)) + "]"

    def span(match: re.Match) -> str:
        ids = [match.group(1), match.group(2)]
        return f"({', '.join(ids)})" if all(i in known for i in ids) else match.group(0)

    # Bracketed lists and bare ids in one pass, so the numbers follow the reading order.
    body = _CITED.sub(cited, _SPAN.sub(span, text))
    # Marked, then escaped, then coloured. A full stop or comma right after a citation goes into
    # its chunk: pygame_gui may break a line between chunks, which left "[3]" at a line's end and
    # ". Japan passed" at the next one's start. So does the space after it: a line broken after
    # the chunk began " its mining caps", indented by the space.
    # An opening bracket just before a citation goes into its chunk too: a line of the 2019
    # briefing ended on "(" and the next began "[2], low confidence)".
    body = re.sub(r"[(（「『【［]?\[[0-9,]+\][.,;:!?。、）)]{0,2} ?", lambda m: f"\x00{m.group(0)}\x01", body)
    body = escape(body).replace("\x00", f"<font color='{colour}'>").replace("\x01", "</font>")
    if not numbers:
        return body
    # A reader wants where a figure comes from; the fact's id is for the project, not for them.
    notes = [f"{n}. {escape(source)}" for source, n in numbers.items()]
    return body + f"<br><br><font color='{colour}'><b>{escape(sources_label)}</b><br>" + "<br>".join(notes) + "</font>"
