"""Bracketed asides in Japanese: two run together read as a slip, so the second joins the first.

A name or an objective that ends with an aside of its own (「マウント・ウェルド（ライナス）」,
「…保有する（全鉱種を価値で加重）」) followed by a template's aside made 「（ライナス）（年22,000t増）」:
two brackets back to back, which Japanese writes as one, its parts parted by 、 (or by 。 where a
part is sentences of its own)."""

from __future__ import annotations

OPENING, CLOSING = "（", "）"


def _parting(first: str, second: str) -> str:
    """What parts two asides joined in one bracket: 。 after or before sentences, else 、."""
    return "。" if "。" in first or "。" in second else "、"


def aside_after(text: str, aside: str) -> tuple[str, str]:
    """``text`` and the bracketed ``aside`` after it as a line shows them, in two parts so each
    may be coloured apart (``head + tail`` is the line). A Japanese aside after a text ending in
    one of its own goes inside that bracket; a full-width bracket, which has its own room, takes
    no space before it; anything else is joined with a space, as English writes it."""
    if text.endswith(CLOSING) and aside.startswith(OPENING) and aside.endswith(CLOSING):
        opened = text.rfind(OPENING, 0, len(text) - 1)
        return text[:-1], _parting(text[opened + 1:-1], aside) + aside[1:]
    return text, aside if aside.startswith(OPENING) else " " + aside


def asides_joined(text: str) -> str:
    """``text`` with each pair of Japanese asides back to back (「）（」, the first closing its last
    bracket) made one: 「マウント・ウェルド（ライナス）（年22,000t増）」 becomes
    「マウント・ウェルド（ライナス、年22,000t増）」. Brackets within an aside are left as they are."""
    if CLOSING + OPENING not in text:
        return text
    out: list[str] = []
    depth = 0
    opened_at: list[int] = []  # where in ``out`` each open bracket began
    k = 0
    while k < len(text):
        char = text[k]
        if char == OPENING:
            opened_at.append(len(out))
            depth += 1
        elif char == CLOSING and depth:
            depth -= 1
            start = opened_at.pop()
            if depth == 0 and text.startswith(OPENING, k + 1):
                close = _closing_of(text, k + 1)
                if close is not None:
                    first, second = "".join(out[start + 1:]), text[k + 2:close]
                    out.append(_parting(first, second))
                    opened_at.append(start)
                    depth = 1
                    k += 2  # the aside goes on: its closing bracket is the second's
                    continue
        out.append(char)
        k += 1
    return "".join(out)


def _closing_of(text: str, opening: int) -> int | None:
    """Where the bracket opened at ``opening`` closes, or None if it never does."""
    depth = 0
    for k in range(opening, len(text)):
        if text[k] == OPENING:
            depth += 1
        elif text[k] == CLOSING:
            depth -= 1
            if depth == 0:
                return k
    return None
