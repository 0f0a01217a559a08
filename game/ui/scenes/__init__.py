"""The screens of the game, one module each. Each registers itself by name (game.ui.registry)
and opens the others by name, never by importing them; importing this package registers all."""

from game.ui.scenes import (  # noqa: F401
    amount,
    briefing,
    campaign,
    debrief,
    event,
    load,
    menu,
    negotiation,
    objectives,
    settings,
    title,
    turn,
    warning,
)
