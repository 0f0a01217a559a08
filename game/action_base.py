"""What every action is: the Action base class (check, apply, to data), the registry of kinds
that files and saves name, and Said, the message an action answers with (worded later in the
reader's language). The levers themselves live in game.actions (the importers') and
game.trade_controls (an exporter's)."""

from __future__ import annotations

import ast
import functools
import inspect
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar

from game.vocab.english import worded_for
from game.vocab.materials import Material
from game.vocab.money import sign_before_money

if TYPE_CHECKING:
    from game.world.model import RareEarthWorld

#: Largest tonnage one action may move: well above any nation's yearly use.
MAX_TONNES = 1_000_000.0
MAX_MUSD = 1_000_000.0
#: The smallest amount (tonnes, US$ million, US$/kg) an action takes besides 0, as level files do:
#: 5e-324 tonnes a year passed "above zero" and became 0 a quarter inside the world.
MIN_QUANTITY = 1e-6


#: Every kind of action, by the name files and saves use, in the order they are defined here.
ACTION_TYPES: dict[str, type[Action]] = {}


@dataclass(frozen=True)
class Said:
    """What an action did, or why it was refused: an English ``template`` (``str.format``
    style) and the ``fields`` that fill it, kept so a reader can word it in another language,
    as the world keeps its news (``RareEarthWorld.report``).

    Fields hold names (of nations, firms, materials, stages) and figures; ids and codes ride in
    fields whose names end ``_id`` or ``_code``, for machines, and are not shown. A field may
    hold another Said (a seller's reason inside its answer) or a tuple of names (shown as a
    list). ``str()`` is the English text.
    """

    template: str
    fields: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        return self.worded(_fill)

    def worded(self, tr: Callable[..., str], name: Callable[[str], str] = str, separator: str = ", ") -> str:
        """The text in another language: ``tr(template, **fields)`` with each name (a text
        field, or each item of a tuple field) put through ``name`` and a tuple's items joined
        by ``separator``; a Said field is worded the same way first."""
        shown: dict[str, object] = {}
        for key, value in self.fields:
            if key.endswith(("_id", "_code")):
                continue
            if isinstance(value, Said):
                value = value.worded(tr, name, separator)
            elif isinstance(value, str):
                value = name(value)
            elif isinstance(value, tuple):
                value = separator.join(name(str(v)) for v in value)
            shown[key] = value
        return tr(self.template, **shown)


def first_repeated(items: Iterable[Any]) -> Any:
    """The first item of ``items`` that comes again later (by ==), or None: a material or a nation
    named twice in one action (an offtake signed twice over under one id crashed the world), a
    seed twice in a sweep."""
    seen: set = set()
    for item in items:
        if item in seen:
            return item
        seen.add(item)
    return None


def say(template: str, **fields: object) -> Said:
    """A message: ``template`` in English, filled from ``fields`` (see Said)."""
    return Said(template, tuple(fields.items()))


def _fill(template: str, **fields: object) -> str:
    # The English text the logs, saves and results files keep: money below zero as the window writes it.
    return sign_before_money(worded_for(template, fields).format(**fields)) if fields else template


def explanation(kind: type[Action]) -> str:
    """What an action kind does, in the first paragraph of its class's docstring, on one line:
    the help a workshop's teams and handouts show. Read from the source where Python was started
    with ``-OO``, which drops docstrings (a dataclass then documents itself by its signature)."""
    doc = kind.__doc__ if sys.flags.optimize < 2 else _docstrings_in(inspect.getmodule(kind)).get(kind.__qualname__)
    return " ".join((doc or "").strip().split("\n\n")[0].split())


@functools.cache
def _docstrings_in(module: ModuleType | None) -> dict[str, str]:
    """The docstrings of a module's top-level classes, from its source; none where it has none."""
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError, SyntaxError):
        return {}
    return {node.name: ast.get_docstring(node) or "" for node in tree.body if isinstance(node, ast.ClassDef)}


@dataclass(frozen=True)
class Action:
    """Base of all actions: ``check`` returns a reason to refuse (or None); ``apply`` acts and
    says what it did. Both speak in a Said, naming nations, firms and projects by name."""

    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""
    #: Political capital it takes (talks, cases and rules spend it; money is checked per action).
    capital: ClassVar[float] = 0.0

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Each kind of action registers itself under its ``kind``."""
        super().__init_subclass__(**kwargs)
        if cls.kind:
            ACTION_TYPES[cls.kind] = cls

    def check(self, world: RareEarthWorld, nation: str) -> Said | None:
        raise NotImplementedError

    def field_problem(self, nation: str) -> Said | None:
        """A refusal that holds in any world and at any quarter: a field outside what the action
        takes (offtake years, a collection rate, no tonnes), or ``nation`` itself where another is
        meant. ``check`` says it in play; a level's history and a strategy file, played by Japan,
        are refused for it at the door (they were accepted, and every run refused the action)."""
        return None

    def check_before_capital(self, world: RareEarthWorld, nation: str) -> Said | None:
        """A refusal that holds whatever political capital is left (a case before the WTO
        already, an embargo in force already), said before ``check_capital``: "needs 4 political
        capital" hid it, as if more capital would let the action through. Reads the world only
        (``check`` may not: FundDeepSea's begins a programme). ``check`` says it too, in its place."""
        return None

    def check_capital(self, world: RareEarthWorld, nation: str) -> Said | None:
        held = world.nation(nation).political_capital
        if self.capital > held + 1e-9:
            return say("needs {capital:g} political capital, {held:g} left this quarter",
                       capital=self.capital, held=held)
        return None

    def apply(self, world: RareEarthWorld, nation: str) -> Said:
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        data = {"kind": self.kind}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                value = [v.value if isinstance(v, Material) else v for v in value]
            data[f.name] = value.value if isinstance(value, Material) else value
        return data
