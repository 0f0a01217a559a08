"""An agent's attributes, wherever Python keeps them: firms hold theirs in ``__slots__``
(see ``agents.firm.FirmAgent``), which ``vars()`` does not list."""

from __future__ import annotations


def attributes_of(obj) -> dict:
    """Every attribute set on ``obj``: its ``__dict__`` and its classes' slots that hold a value."""
    values = dict(vars(obj)) if hasattr(obj, "__dict__") else {}
    for cls in reversed(type(obj).__mro__):
        for name in getattr(cls, "__slots__", ()):
            if name not in ("__dict__", "__weakref__") and hasattr(obj, name):
                values[name] = getattr(obj, name)
    return values
