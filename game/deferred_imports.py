"""Modules that Mesa imports but the game seldom uses, loaded on their first real use.

``import mesa`` imports pandas (for ``DataCollector``'s data frames) and SciPy's spatial
package (for ``mesa.experimental``'s continuous space): about half a second of a headless
run's start-up, for things a turn never touches. Each name listed here is imported as a
placeholder module whose contents load the moment any of them is asked for, so whoever uses
it (a researcher's ``to_dataframe``, a plot) gets the real module, only later.

``mesa.batchrunner`` imports tqdm's notebook-aware bar, which imports asyncio: about a tenth of
``rare-earths run``. Mesa's package takes ``batch_run`` from it by name as it loads, which
would load it at once; that name is handed a stand-in instead, which loads the module on its
first call and passes the call on (``STAND_INS``).

The standard library's ``importlib.util.LazyLoader`` is not enough: Mesa's method logger
calls ``inspect.getmodule``, which reads ``__file__`` of every module in ``sys.modules`` and
would load them all. The placeholder here answers the import system's own attributes
(``__file__``, ``__spec__``, ``__path__``...) without loading.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
import threading
import types

#: Module names deferred. ``mesa.experimental`` is what pulls in SciPy, ``mesa.batchrunner`` tqdm.
DEFERRED = frozenset({"pandas", "mesa.experimental", "mesa.batchrunner"})
#: Functions of a deferred module that are taken by name while their package loads: each is
#: answered by a stand-in that loads the module when called.
STAND_INS = {"mesa.batchrunner": frozenset({"batch_run"})}


class _Placeholder(types.ModuleType):
    """A module whose body runs on the first lookup of a name it does not yet have."""

    def __getattr__(self, name: str):
        # Only called for names not in the module's dict. Until the import has finished, that
        # is the import system asking whether it has set its own attributes yet; after, any
        # name (``__version__`` too) is the module's contents.
        if id(self) not in _ARMED:
            raise AttributeError(name)
        if name == "__path__" and self.__spec__.submodule_search_locations is None:
            raise AttributeError(name)  # a plain module, as ``from module import name`` asks first
        if name in STAND_INS.get(self.__name__, ()):
            stand_in = self.__dict__[name] = _stand_in(self, name)  # the module's body replaces it
            return stand_in
        _load(self)
        return getattr(self, name)

    def __dir__(self):
        _load(self)
        return list(self.__dict__)


_LOCK = threading.RLock()
#: ids of the placeholders whose import has finished, so that a lookup loads them.
_ARMED: set[int] = set()


def _load(module: _Placeholder) -> None:
    with _LOCK:
        if type(module) is not _Placeholder:  # another thread loaded it meanwhile
            return
        # From here on it is an ordinary module: a name its body looks up while running
        # raises AttributeError as usual instead of starting the body again.
        module.__class__ = types.ModuleType
        _ARMED.discard(id(module))
        loader = module.__spec__.loader
        real = loader.real if isinstance(loader, _DeferringLoader) else loader
        module.__loader__ = module.__spec__.loader = real
        real.exec_module(module)


def _stand_in(module: _Placeholder, name: str):
    """A function that loads ``module`` and calls its own ``name`` with what it was given."""
    def stand_in(*args, **kwargs):
        _load(module)
        return getattr(module, name)(*args, **kwargs)

    stand_in.__name__ = stand_in.__qualname__ = name
    stand_in.__module__ = module.__name__
    stand_in.__doc__ = f"``{module.__name__}.{name}``, its module loaded on the first call."
    return stand_in


class _DeferringLoader(importlib.abc.Loader):
    def __init__(self, real: importlib.abc.Loader) -> None:
        self.real = real

    def create_module(self, spec):
        return _Placeholder(spec.name)

    def exec_module(self, module) -> None:
        """Nothing now: the body runs on first use."""
        _ARMED.add(id(module))


class _DeferringFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name not in DEFERRED:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return None
        spec.loader = _DeferringLoader(spec.loader)
        return spec


def install() -> None:
    """Defer the modules in ``DEFERRED`` from now on (once per process; a module already
    imported stays as it is)."""
    if not any(isinstance(finder, _DeferringFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _DeferringFinder())
