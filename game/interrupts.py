"""Ctrl+C handled for a while by a handler of the caller's, then as before.

Only the main thread may set a signal handler, and only it receives SIGINT: elsewhere Ctrl+C is
the main thread's business and nothing changes. Python runs the handler between bytecodes of the
main thread, so it may do what any Python code may (post an event, set a flag).

This module uses the standard library only and knows nothing of the game, so every floor may
use it.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["ctrl_c_handled_by"]


@contextmanager
def ctrl_c_handled_by(handler: Callable[[int, Any], None] | signal.Handlers) -> Iterator[None]:
    """While inside, SIGINT goes to ``handler`` (``signal.SIG_IGN`` ignores it); the handler it
    replaced is put back after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)
