"""Ctrl+C, and the other signals that ask a program to stop, handled for a while by a handler
of the caller's, then as before.

Ctrl+C raises KeyboardInterrupt, and every command's way out on Ctrl+C (files written whole,
workers stopped, a class's results written) hangs on that. A kill or a service manager
(SIGTERM) and a closed terminal (SIGHUP) ended the process where it stood: a sweep's workers
were left running with nobody to collect them, and a window lost the turn in play.
``stop_signals_raised`` makes them raise ``Stopped``, a KeyboardInterrupt, so they take the
same way out.

Only the main thread may set a signal handler, and only it receives SIGINT: elsewhere Ctrl+C is
the main thread's business and nothing changes. Python runs the handler between bytecodes of the
main thread, so it may do what any Python code may (post an event, set a flag).

This module uses the standard library only and knows nothing of the game, so every floor may
use it.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["CTRL_C_STATUS", "STOP_SIGNALS", "Stopped", "ctrl_c_handled_by", "end_in_a_line_if_stopped_uncaught",
           "how_stopped", "other_stop_signals", "signal_name", "signals_held", "stop_handlers_kept", "stop_signals_deferred", "stop_signals_handled_by",
           "stop_signals_once", "stop_signals_raised"]

#: The signals that ask a program to stop, where the system has them: Ctrl+C, a kill or a
#: service manager, a closed terminal.
STOP_SIGNALS: tuple[int, ...] = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                                      if hasattr(signal, name))


#: What a command stopped by Ctrl+C exits with: the shells' 128 plus SIGINT's number.
CTRL_C_STATUS = 128 + 2


class Stopped(KeyboardInterrupt):
    """A stop asked by a signal other than Ctrl+C (``signum``); its message says what was done
    on the way out, if anything."""

    def __init__(self, signum: int, note: str = ""):
        super().__init__(note)
        self.signum = signum


def signal_name(signum: int) -> str:
    """``SIGTERM`` for 15, and so on."""
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


def how_stopped(interrupt: KeyboardInterrupt) -> tuple[str, int]:
    """How a stop is named in a line ("Ctrl+C", "SIGTERM") and the exit status it gives (the
    shells' 128 plus the signal's number)."""
    if isinstance(interrupt, Stopped):
        return signal_name(interrupt.signum), 128 + interrupt.signum
    return "Ctrl+C", CTRL_C_STATUS


def end_in_a_line_if_stopped_uncaught(program: str) -> None:
    """From now on a stop that nothing caught ends the process with "``program``: stopped
    (Ctrl+C)" and the stop's status (130 for Ctrl+C), not a traceback: one that came while the
    command's own modules were still importing, before ``game.launch`` had its catch in place.
    Any other uncaught exception is shown as before."""
    shown_before = sys.excepthook

    def end_in_a_line(kind, error, traceback) -> None:
        if not issubclass(kind, KeyboardInterrupt):
            shown_before(kind, error, traceback)
            return
        how, status = how_stopped(error)
        try:
            print(f"{program}: stopped ({how})", file=sys.stderr, flush=True)
        except OSError:  # no terminal left to say it on (a closed one)
            pass
        os._exit(status)  # (nothing of the command has started: there is nothing to finish)

    sys.excepthook = end_in_a_line


def ctrl_c_handled_by(handler: Callable[[int, Any], None] | signal.Handlers):
    """While inside, SIGINT goes to ``handler`` (``signal.SIG_IGN`` ignores it); the handler it
    replaced is put back after."""
    return _signals_handled_by(handler, (signal.SIGINT,))


def stop_signals_handled_by(handler: Callable[[int, Any], None]):
    """While inside, every one of STOP_SIGNALS the process does not ignore goes to ``handler``;
    those they replaced are put back after."""
    return _signals_handled_by(handler, _not_ignored(STOP_SIGNALS))


def stop_signals_raised():
    """While inside, SIGTERM and SIGHUP raise ``Stopped`` in the main thread, as Ctrl+C raises
    KeyboardInterrupt (unless the process ignores them); the handlers they replaced are put
    back after."""
    def raise_stopped(signum: int, frame: Any) -> None:
        raise Stopped(signum)

    return _signals_handled_by(raise_stopped, other_stop_signals())


def stop_signals_once():
    """While inside, the first stop signal raises as it would (Ctrl+C KeyboardInterrupt, the
    others ``Stopped``), and every stop signal after it is ignored until the block ends: the way
    out the first one starts runs whole. A terminal's Ctrl+C to the group after `timeout`'s to
    the process could land partway into a sweep's way out, before it ignored Ctrl+C itself, and
    cut its workers' shutdown short: the sweep then waited for them, saying nothing. The
    handlers they replaced are put back after."""
    signals = _not_ignored(STOP_SIGNALS)

    def raise_once(signum: int, frame: Any) -> None:
        for other in signals:  # first, before anything else can run
            signal.signal(other, signal.SIG_IGN)
        raise KeyboardInterrupt if signum == signal.SIGINT else Stopped(signum)

    return _signals_handled_by(raise_once, signals)


def other_stop_signals() -> tuple[int, ...]:
    """The stop signals besides Ctrl+C's (SIGTERM, SIGHUP) that the process does not ignore."""
    return _not_ignored(tuple(s for s in STOP_SIGNALS if s != signal.SIGINT))


@contextmanager
def stop_handlers_kept() -> Iterator[None]:
    """While inside, code may set the stop signals' handlers its own way; after, they are what
    they were. An asyncio loop's signal handlers leave the system's default behind when the loop
    closes, where the command's own were before."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {signum: signal.getsignal(signum) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        _put_back(before)


@contextmanager
def signals_held(signals: tuple[int, ...] = STOP_SIGNALS) -> Iterator[None]:
    """While inside, ``signals`` wait (the system keeps them pending) and are delivered as the
    block ends: for a step that must not be cut between doing something and recording that it
    did (a file made, and the note that it is ours to remove). A process started meanwhile keeps
    them waiting for good (the mask is inherited), which is what a sweep's helpers want. Where
    the system cannot hold signals, nothing is held."""
    wanted = set(signals)
    if not (wanted and hasattr(signal, "pthread_sigmask")):
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, wanted)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


@contextmanager
def stop_signals_deferred() -> Iterator[None]:
    """While inside, a stop signal (Ctrl+C, SIGTERM, SIGHUP) is noted rather than acted on, and
    acted on as the block ends (by the handler it had): for a step that must not be cut between
    doing something and noting that it did (a file made, and the note that it is ours to remove).
    Unlike ``signals_held`` this holds the signal whichever thread the system hands it to."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    before = {signum: signal.signal(signum, lambda signum, frame: caught.append(signum))
              for signum in _not_ignored(STOP_SIGNALS)}
    try:
        yield
    finally:
        _put_back(before)
        for signum in caught[:1]:
            handler = before[signum]
            if callable(handler):
                handler(signum, None)
            elif handler in (None, signal.SIG_DFL):
                signal.raise_signal(signum)


def _not_ignored(signals: tuple[int, ...]) -> tuple[int, ...]:
    """Those of ``signals`` the process does not ignore: a command started with ``nohup`` is
    meant to outlive its terminal, and one in the background of a shell without job control
    to outlive Ctrl+C."""
    return tuple(s for s in signals if signal.getsignal(s) is not signal.SIG_IGN)


@contextmanager
def _signals_handled_by(handler: Callable[[int, Any], None] | signal.Handlers,
                        signals: tuple[int, ...]) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {signum: signal.signal(signum, handler) for signum in signals}
    try:
        yield
    finally:
        _put_back(before)


def _put_back(handlers: dict[int, Any]) -> None:
    """Set each signal's handler as it was (one that Python did not set, such as SDL's own,
    becomes the system's default: ``signal.signal`` cannot put back a handler of C's)."""
    for signum, handler in handlers.items():
        signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
