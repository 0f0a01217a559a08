"""Scenes by name, so no scene imports another.

Each scene class registers itself with ``@register_scene("campaign")``; a scene opens another
by naming it to the app (``self.app.switch("briefing", level_ref=...)``, ``self.app.push("menu")``),
as Tuxemon's ``push_state("Name")`` does. Importing ``game.ui.scenes`` registers them all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from game.ui.scene import Scene

SceneClass = TypeVar("SceneClass", bound=type[Scene])

_SCENES: dict[str, type[Scene]] = {}


def register_scene(name: str) -> Callable[[SceneClass], SceneClass]:
    """A class decorator: the scene opens under ``name``."""

    def register(scene_class: SceneClass) -> SceneClass:
        if _SCENES.get(name, scene_class) is not scene_class:
            raise ValueError(f"two scenes are named {name!r}: {_SCENES[name].__name__} and {scene_class.__name__}")
        scene_class.name = name
        _SCENES[name] = scene_class
        return scene_class

    return register


def make_scene(name: str, app, **options) -> Scene:
    """A new scene ``name`` for ``app``; ``options`` go to its constructor."""
    try:
        scene_class = _SCENES[name]
    except KeyError:
        raise LookupError(f"no scene is named {name!r}; the scenes are {sorted(_SCENES)}") from None
    return scene_class(app, **options)
