"""The click every choice makes: a short soft tone made here, so no sound file has to ship.

The sound device opens on the first click wanted, not at start-up, and only once: on a machine
without one, the audio library's own complaints are kept off the terminal, the game says in one
line that sound is off, and never tries again this session.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

import numpy as np
import pygame


class ClickSound:
    def __init__(self) -> None:
        self._sound: pygame.mixer.Sound | None = None
        self._tried = False

    @property
    def available(self) -> bool:
        """False once the device has failed to open (until the game is started again)."""
        return not self._tried or self._sound is not None

    def play(self) -> None:
        if not self._tried:
            self._tried = True
            self._sound, problem = _make_click()
            if problem is not None:
                print(f"rare-earths: no sound ({problem}); sound is off until the game is started again",
                      file=sys.stderr)
        if self._sound is not None:
            self._sound.play()


def _make_click() -> tuple[pygame.mixer.Sound | None, str | None]:
    """The click, or None and why not."""
    try:
        if not pygame.mixer.get_init():
            with _quiet_stderr():  # the audio library prints its own lines for every device it tries
                pygame.mixer.init(frequency=22050, size=-16, channels=1)
        frequency, channels = pygame.mixer.get_init()[0], pygame.mixer.get_init()[2]
        t = np.arange(int(frequency * 0.04)) / frequency
        wave = (np.sin(2 * np.pi * 880 * t) * np.exp(-t * 90) * 6000).astype(np.int16)
        if channels > 1:
            wave = np.repeat(wave[:, None], channels, axis=1)
        return pygame.sndarray.make_sound(np.ascontiguousarray(wave)), None
    except (pygame.error, ValueError, TypeError) as error:
        return None, str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Send the process's standard error (file descriptor 2, where C libraries write) nowhere for
    the duration; where that cannot be done, leave it as it is."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):
        yield
        return
    try:
        with open(os.devnull, "w") as nowhere:
            os.dup2(nowhere.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
