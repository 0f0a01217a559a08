"""The tables that pair things by name stay complete: each kind of event has a reader and a
handler, each recorded indicator a reporter, each action kind its class."""

from __future__ import annotations

from game.actions import ACTION_TYPES
from game.scenario.events import READERS
from game.spec import EVENT_KINDS
from game.vocab.indicators import RECORDED
from game.world.events import HANDLERS
from game.world.indicators import REPORTERS


def test_every_event_kind_has_a_reader_and_a_handler():
    effects = set(EVENT_KINDS.values())
    assert set(READERS) == effects
    assert set(HANDLERS) == effects


def test_every_recorded_indicator_has_a_reporter_in_order():
    assert tuple(REPORTERS) == RECORDED


def test_actions_register_under_their_own_kind():
    assert ACTION_TYPES and all(cls.kind == kind for kind, cls in ACTION_TYPES.items())
