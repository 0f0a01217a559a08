"""What a workshop's facilitator may do to the world: bring one of the level's events forward
to now. It goes through the same Action door as the teams' levers, under the facilitator's
own name (``FACILITATOR``), so a class's history replays exactly with it.

The facilitator's other controls (start, pause, reveal the news, what teams see of each other,
end) change what teams see and when, not the world: they live in game.workshop.classroom.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from game.action_base import Action, say
from game.spec import EventSpec, ProjectStart

#: Who submits the facilitator's actions: not a nation, and never a team.
FACILITATOR = "FAC"


@dataclass(frozen=True)
class InjectEvent(Action):
    """Fire the level's event number ``event`` (its place in the level's list, from 0) now,
    instead of on its date; it then does not fire again."""

    kind: ClassVar[str] = "inject_event"
    label: ClassVar[str] = "Bring an event forward"
    event: int

    def check(self, world, nation):
        events = world.scenario.events
        if not 0 <= self.event < len(events):
            return say("the level has no event {number} (it has {count})", number=self.event, count=len(events))
        if not any(waiting is events[self.event] for waiting in world.events.waiting()):
            return say("“{headline}” has already happened", headline=events[self.event].headline)
        deciding = world.team_deciding(events[self.event])
        if deciding:  # brought forward, it would only tell that team what history did
            name = world.nation(deciding).name if world.has_nation(deciding) else deciding
            return say("the team playing {name} decides “{headline}” now", headline=events[self.event].headline,
                       name=name)
        return None

    def apply(self, world, nation):
        event = world.scenario.events[self.event]
        waits = _waits_for_approval(world, event)
        if waits is None:
            world.report("facilitator", "The facilitator brings forward: {headline}", event.source,
                         headline=event.headline)
        else:  # the level's headline ("Lynas builds ...") comes if the host's team approves it
            world.report("facilitator", "The facilitator brings forward {firm}'s project, which awaits {host}'s "
                         "approval", event.source, **waits)
        world.bring_forward(event, brought_forward(event, world.quarter.first_day))
        if waits is not None:
            return say("Brought forward: {firm}'s project, which awaits {host}'s approval", **waits)
        return say("Brought forward: {headline}", headline=event.headline)


def _waits_for_approval(world, event: EventSpec) -> dict[str, str] | None:
    """The firm and host of a project event on a played nation's soil, whose team approves it or
    not (its headline would announce a project the team may refuse); None for any other event."""
    if not isinstance(event.effect, ProjectStart):
        return None
    project = world.projects[event.effect.project]
    if not (world.has_nation(project.host) and world.investment.waits_for_its_team(project)):
        return None
    return dict(firm=world.firm(project.firm).name, host=world.nation(project.host).name,
                firm_id=project.firm, host_code=project.host)


def brought_forward(event: EventSpec, day: dt.date) -> EventSpec:
    """The event dated ``day`` (if later), its end (an embargo's ``until``) moved as much."""
    if event.date <= day:
        return event
    shift = day - event.date
    effect = event.effect
    until = getattr(effect, "until", None)
    if isinstance(until, dt.date):
        effect = dataclasses.replace(effect, until=until + shift)
    return dataclasses.replace(event, date=day, effect=effect)


#: The kinds only the facilitator may submit.
FACILITATOR_ACTIONS = (InjectEvent.kind,)
