"""The screens of the game, one module each. Each registers itself by name (game.ui.registry)
and opens the others by name, never by importing them; importing this package registers all."""

from game.ui.scenes import (  # noqa: F401
    amount,
    briefing,
    campaign,
    class_briefing,
    confirm,
    debrief,
    event,
    facilitator,
    handover,
    load,
    menu,
    negotiation,
    objectives,
    pick,
    projector,
    settings,
    team,
    title,
    turn,
    warning,
    workshop_setup,
)
