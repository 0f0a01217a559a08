"""Refusals that a window can say in the player's language.

A ``Refusal`` is a ValueError whose English line keeps the ``template`` it was made from and
the ``values`` that fill it, as a save's refusal does (game.savefile.SaveError): a window words
it through its own ``tr(template, **values)`` (the English text is the key of the Japanese
table), so a save refused in Japanese does not carry an English reason inside the Japanese
sentence. ``str()`` stays the English line, for the command line and logs.

Shared vocabulary; imports nothing from the project.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Refusal", "said_in"]


class Refusal(ValueError):
    """What is wrong, in English with ``{name}`` fields (``template``) and their ``values``:
    names, codes and figures, which stay as they are in any language."""

    def __init__(self, template: str, **values: object):
        self.template, self.values = template, values
        super().__init__(template.format(**values) if values else template)


def said_in(tr: Callable[..., str], value: object) -> object:
    """``value`` as a window says it through its ``tr(template, **values)``: a refusal, or any
    words that keep their ``template`` and ``values`` (``game.quoting.Worded``, a level's
    problem), worded in the window's language, the words inside them too; anything else (a name,
    a code, a figure) as it is."""
    template, values = getattr(value, "template", None), getattr(value, "values", None)
    if not isinstance(template, str) or not isinstance(values, dict):
        return value
    return tr(template, **{name: said_in(tr, inner) for name, inner in values.items()})
