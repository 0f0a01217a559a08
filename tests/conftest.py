"""Shared test set-up: the source tree on sys.path, dummy SDL drivers, and a ready level."""

from __future__ import annotations

import gc
import os
import signal
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

# Window tests never open a real display or sound device, here or in CI.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from game.players import controller_for  # noqa: E402
from game.scenario import find_level, load_level, with_assumptions  # noqa: E402
from game.session import Session  # noqa: E402


def pytest_collection_finish(session):
    """Everything collecting made (every test module, the game, pygame_gui, Hypothesis, pandas,
    Dask: about 270,000 objects) lives to the end of the run, so the cyclic collector is told to
    leave it be. Without this each full collection scanned it all again: the window collects on
    every change of look and when input stops (``App.settle``), 0.17 s a time in a worker that
    had collected the whole suite, about a third of the window tests' time. Objects the tests
    make are collected as before, so the memory tests still see what a screen leaves behind."""
    gc.collect()
    gc.freeze()


@pytest.fixture
def stop_signals_as_from_a_terminal():
    """Ctrl+C, a kill and a hang-up act on this process, and on the processes the test starts, as
    on a command started from a terminal. A suite started under ``nohup`` ignores SIGHUP, and one
    started in the background of a shell without job control ignores SIGINT; processes inherit
    that, and the game keeps it by design (a command under nohup outlives its terminal), so a
    test that stopped a window or a sweep with such a signal waited for ever or failed."""
    from game.interrupts import STOP_SIGNALS

    before = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
    for signum, handler in before.items():
        if handler is signal.SIG_IGN:
            signal.signal(signum, signal.default_int_handler if signum == signal.SIGINT else signal.SIG_DFL)
    yield
    for signum, handler in before.items():
        signal.signal(signum, handler)


@pytest.fixture(autouse=True)
def _debrief_takes_input_at_once(monkeypatch):
    """The debrief's pause before it takes input (INPUT_PAUSE_SECONDS) is against a person's
    Enter pressed on through a level's end; tests act at once, and one tests the pause."""
    monkeypatch.setattr("game.ui.scenes.debrief.INPUT_PAUSE_SECONDS", 0.0)


@pytest.fixture(autouse=True)
def _turn_screen_takes_enter_at_once(monkeypatch):
    """The turn screen's pause after Enter closes a page over it (ENTER_PAUSE_AFTER_PAGE_SECONDS)
    is against a person's quick double press; tests act at once, and a few test the pause."""
    monkeypatch.setattr("game.ui.scenes.turn.ENTER_PAUSE_AFTER_PAGE_SECONDS", 0.0)


@pytest.fixture(scope="session")
def trawler():
    """The first level, read once."""
    return load_level(find_level("2010-trawler"))


def _window(tmp_path, monkeypatch, **settings):
    """A window on the dummy driver over a data folder of its own, its game closed after."""
    from game.ui.app import open_app
    from game.ui.storage import Settings

    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    window = open_app(settings=Settings(sound=False, **settings))
    window.frame([])
    yield window
    if window.game is not None:
        window.game.close()


@pytest.fixture
def window(tmp_path, monkeypatch):
    """A silent window that warns before End turn, as a new player's does."""
    yield from _window(tmp_path, monkeypatch)


@pytest.fixture
def quiet_window(tmp_path, monkeypatch):
    """A silent window without the warning before End turn, for tests that end turns freely."""
    yield from _window(tmp_path, monkeypatch, warn_before_end=False)


def play(scenario, strategy: str = "passive", seed: int = 0, turns: int | None = None) -> Session:
    """A session played to the end (or for ``turns`` turns)."""
    session = Session(scenario, controller_for(strategy, scenario), seed=seed)
    session.run(max_turns=turns)
    return session


def by_quarter(session: Session) -> dict[str, dict]:
    return {row["quarter"]: row for row in session.rows()}


def baotou_expecting(price_share: float, **assumptions: float):
    """Baotou's plant in the 2010 world, expecting ``price_share`` of the reference prices, with
    empty stock, under the world's assumptions as overridden (fixed here so that tests do not
    move with calibration)."""
    import numpy as np

    session = Session(with_assumptions(load_level(find_level("2010-trawler")), assumptions), seed=0)
    plant = session.world.firm("baotou-separation")
    plant.expected_netback = np.array(session.world.reference_price) * price_share
    plant.inventory[:] = 0.0
    return plant


def events_fail_from(monkeypatch, turns_done: int) -> None:
    """Make every quarter's opening (its scheduled events) raise once ``turns_done`` turns are
    played: a fault in the game, or a level changed since a save was made."""
    from game.world.model import RareEarthWorld

    opened = RareEarthWorld.open_turn

    def events_that_fail(world):
        if world.turns_done >= turns_done:
            raise RuntimeError("a fault in an event")
        opened(world)

    monkeypatch.setattr(RareEarthWorld, "open_turn", events_that_fail)
