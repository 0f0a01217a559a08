"""A line of the world's news, worded in English when first read."""

from __future__ import annotations

from game.vocab.english import worded_for
from game.vocab.money import sign_before_money
from game.vocab.quarters import Quarter


#: Fields that name what a line is about for readers (``firm_id``, ``buyer_code``...), not shown in it.
_READERS_FIELDS = ("_code", "_id")


class NewsItem:
    """One line of the turn's news: an event, a breach, a finished project...

    What the world reports as it runs keeps its English ``template`` and the ``fields`` that
    fill it, so a reader can word it in another language; ``headline`` is the English line.
    A value: it cannot be changed, and two items with the same values are equal.

    The world reports hundreds of lines a quarter at 10,000 firms and most are never read, so
    the English line is worded when first read: the template filled with the fields, but for
    codes and ids (fields ending ``_code`` and ``_id``), which are for readers, not for the line.
    """

    __slots__ = ("quarter", "kind", "source", "template", "fields", "_headline")

    def __init__(self, quarter: Quarter, kind: str, headline: str | None = None, source: str = "",
                 template: str = "", fields: tuple[tuple[str, object], ...] = ()):
        fill = object.__setattr__
        fill(self, "quarter", quarter)
        fill(self, "kind", kind)
        fill(self, "source", source)
        fill(self, "template", template)
        fill(self, "fields", fields)
        fill(self, "_headline", headline)

    @property
    def headline(self) -> str:
        headline = self._headline
        if headline is None:
            shown = {k: v for k, v in self.fields if not k.endswith(_READERS_FIELDS)}
            headline = sign_before_money(worded_for(self.template, shown).format(**shown)) if shown else self.template
            object.__setattr__(self, "_headline", headline)
        return headline

    def _values(self) -> tuple:
        return self.quarter, self.kind, self.headline, self.source, self.template, self.fields

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a news item cannot be changed (tried to set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a news item cannot be changed (tried to delete {name!r})")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        quarter, kind, headline, source, template, fields = self._values()
        return (f"NewsItem(quarter={quarter!r}, kind={kind!r}, headline={headline!r}, source={source!r}, "
                f"template={template!r}, fields={fields!r})")

    def __reduce__(self):
        return NewsItem, self._values()
