"""The click every choice makes: a short soft tone made here, so no sound file has to ship.

The sound device opens on the first click wanted, not at start-up: on a machine without one,
opening it only prints the audio library's complaints.
"""

from __future__ import annotations

import numpy as np
import pygame


class ClickSound:
    def __init__(self) -> None:
        self._sound: pygame.mixer.Sound | None = None

    def play(self) -> None:
        if self._sound is None:  # not made yet, or the device could not open last time
            self._sound = _make_click()
        if self._sound is not None:
            self._sound.play()


def _make_click() -> pygame.mixer.Sound | None:
    try:
        if not pygame.mixer.get_init():
            pygame.mixer.init(frequency=22050, size=-16, channels=1)
        frequency, channels = pygame.mixer.get_init()[0], pygame.mixer.get_init()[2]
        t = np.arange(int(frequency * 0.04)) / frequency
        wave = (np.sin(2 * np.pi * 880 * t) * np.exp(-t * 90) * 6000).astype(np.int16)
        if channels > 1:
            wave = np.repeat(wave[:, None], channels, axis=1)
        return pygame.sndarray.make_sound(np.ascontiguousarray(wave))
    except (pygame.error, ValueError, TypeError):
        return None
