"""The window's speed: start-up to the title screen, frame time of the turn screen, End turn
to the next turn drawn, the processor an idle screen uses and the memory the window holds.
Medians and 95th percentiles over repeats; never a timed assertion.

Aims: a turn-screen frame under 8 ms (p95) at 1280x720; End turn to the next turn drawn under
150 ms; start-up to the title under 2 s; an idle turn screen under 5% of a core; resident
memory under 400 MB. Runs on the dummy video driver unless DISPLAY is set and ``--real`` is
given (then on the real X window, e.g. Xvfb).

Run: ``python benchmarks/bench_window.py [--frames N] [--repeats N] [--real]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STARTUP = """
import time
start = time.perf_counter()
from game.ui.app import open_app
from game.ui.storage import Settings
app = open_app(settings=Settings(sound=False))
app.frame([])
import pygame
pygame.display.flip()
print(time.perf_counter() - start)
"""


IDLE = """
import resource, sys, time
import pygame
from game.ui.app import open_app
from game.ui.driver import start_level
from game.ui.storage import Settings
app = open_app(settings=Settings(sound=False))
app.progress.tutorial_done = True
start_level(app, "sandbox", seed=0)
for _ in range(3):  # a few quarters played, so the screen has flows, lines and news
    app.game.end_turn()
app.rebuild()
app.frame([])
seconds = float(sys.argv[1])
# The real loop, left alone: after its settling frames it should sleep until input comes.
pygame.time.set_timer(pygame.event.Event(pygame.USEREVENT), int(seconds * 1000) + 2000, loops=1)
settle_until = time.monotonic() + 2.0
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
original = app.frame
marks = {}
def frame(events, dt=1 / 60):
    if any(e.type == pygame.USEREVENT for e in events):
        marks["end"] = (time.monotonic(), cpu())
        app.running = False
    original(events, dt)
app.frame = frame
import threading
def mark_start():
    marks["start"] = (time.monotonic(), cpu())
threading.Timer(2.0, mark_start).start()
app.run()
(t0, c0), (t1, c1) = marks["start"], marks["end"]
print((c1 - c0) / (t1 - t0), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


LONG_PLAY = """
import resource, sys
import pygame
from game.ui.app import open_app
from game.ui.driver import press, start_level
from game.ui.scenes.turn import TurnScene
from game.ui.storage import Settings
quarters, scale, language = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
app = open_app(size=(round(1280 * scale), round(720 * scale)),
               settings=Settings(sound=False, scale=scale, language=language, warn_before_end=False))
app.progress.tutorial_done = True
start_level(app, "sandbox", seed=0)
for _ in range(quarters):
    press(app, pygame.K_RETURN)
    while not isinstance(app.top, TurnScene):
        press(app, pygame.K_ESCAPE)
    app.settle()  # the player reads the quarter: the loop goes idle and settles, as it does when input stops
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def startup_seconds(repeats: int) -> tuple[list[float], list[float]]:
    """(in-process time to the title drawn, whole process time including Python's own start)."""
    inside, whole = [], []
    for _ in range(repeats):
        begin = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", STARTUP], cwd=ROOT, capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
        whole.append(time.perf_counter() - begin)
        inside.append(float(out.stdout.strip().splitlines()[-1]))
    return inside, whole


def idle_share_and_memory(seconds: float, repeats: int) -> tuple[list[float], list[float]]:
    """(share of one core an untouched turn screen uses, resident memory in MB at its peak),
    each from its own process running the window's real loop."""
    shares, memory = [], []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", IDLE, str(seconds)], cwd=ROOT, capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
        share, megabytes = (float(v) for v in out.stdout.strip().splitlines()[-1].split())
        shares.append(share)
        memory.append(megabytes)
    return shares, memory


def long_play_memory(quarters: int, scale: float, language: str, repeats: int) -> list[float]:
    """Peak resident memory in MB of a window that plays ``quarters`` of the sandbox at ``scale``
    in ``language``, each in its own process."""
    memory = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", LONG_PLAY, str(quarters), str(scale), language], cwd=ROOT,
                             capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
        memory.append(float(out.stdout.strip().splitlines()[-1]))
    return memory


def turn_screen(frames: int, turns: int) -> tuple[list[float], list[float]]:
    """(seconds per turn-screen frame, seconds from End turn to the next turn drawn)."""
    import pygame

    from game.ui.app import open_app
    from game.ui.driver import press
    from game.ui.play import Game
    from game.ui.scenes import turn as turn_screen_module
    from game.ui.scenes.turn import TurnScene
    from game.ui.storage import Settings

    # Enter pressed at once after a quarter without news is taken for a second press and ignored
    # (a player's guard): the presses here are one each, and each must play its quarter.
    turn_screen_module.ENTER_PAUSE_AFTER_PAGE_SECONDS = 0.0
    app = open_app(settings=Settings(sound=False, warn_before_end=False))  # End turn itself, not its warning
    app.progress.tutorial_done = True
    app.start_game(Game("sandbox", seed=0), "turn")
    while not isinstance(app.top, TurnScene):
        press(app, pygame.K_ESCAPE)
    for _ in range(3):  # let the game play a few quarters so the map and charts have flows and lines
        press(app, pygame.K_RETURN)
        while not isinstance(app.top, TurnScene):
            press(app, pygame.K_ESCAPE)
    frame_costs = []
    for _ in range(frames):
        begin = time.perf_counter()
        app.frame([])
        pygame.display.flip()
        frame_costs.append(time.perf_counter() - begin)
    end_turn_costs = []
    for _ in range(turns):
        played = app.game.world.turns_done
        begin = time.perf_counter()
        press(app, pygame.K_RETURN)  # End turn: the quarter runs, the screen is laid out and drawn
        pygame.display.flip()
        end_turn_costs.append(time.perf_counter() - begin)
        if app.game.world.turns_done != played + 1:  # else the figure would time a key ignored
            raise RuntimeError(f"End turn played {app.game.world.turns_done - played} quarters, not 1")
        while not isinstance(app.top, TurnScene):
            press(app, pygame.K_ESCAPE)  # close the next quarter's event pop-ups
    app.game.close()
    return frame_costs, end_turn_costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=600, help="turn-screen frames to time (default 600)")
    parser.add_argument("--turns", type=int, default=20, help="End turns to time (default 20)")
    parser.add_argument("--repeats", type=int, default=5, help="start-ups to time (default 5)")
    parser.add_argument("--idle", type=float, default=5.0, help="seconds of idle screen to measure (default 5)")
    parser.add_argument("--real", action="store_true", help="use the real display in $DISPLAY")
    args = parser.parse_args()
    if not args.real:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
    os.environ["SDL_AUDIODRIVER"] = "dummy"
    os.environ.setdefault("RARE_EARTHS_DATA", tempfile.mkdtemp(prefix="rare-earths-bench-"))
    inside, whole = startup_seconds(args.repeats)
    frames, end_turns = turn_screen(args.frames, args.turns)
    idle, memory = idle_share_and_memory(args.idle, max(1, args.repeats // 2))
    long_play = long_play_memory(30, 2.0, "ja", max(1, args.repeats // 2))
    driver = "real display" if args.real else "dummy driver"
    print(f"window speed on the {driver}, 1280x720 at 100%")
    print(f"  start-up to the title drawn: median {statistics.median(inside) * 1000:.0f} ms in-process, "
          f"{statistics.median(whole) * 1000:.0f} ms for the whole process (aim < 2000 ms)")
    print(f"  turn-screen frame: median {statistics.median(frames) * 1000:.2f} ms, "
          f"p95 {percentile(frames, 0.95) * 1000:.2f} ms over {len(frames)} frames (aim < 8 ms)")
    print(f"  End turn to the next turn drawn: median {statistics.median(end_turns) * 1000:.0f} ms, "
          f"p95 {percentile(end_turns, 0.95) * 1000:.0f} ms over {len(end_turns)} turns (aim < 150 ms)")
    print(f"  idle turn screen: median {statistics.median(idle):.1%} of a core over {args.idle:.0f} s, "
          f"{len(idle)} runs (aim < 5%)")
    print(f"  resident memory at its peak: median {statistics.median(memory):.0f} MB, "
          f"most {max(memory):.0f} MB (aim < 400 MB)")
    print(f"  after 30 quarters at 200% in Japanese, at its peak: median {statistics.median(long_play):.0f} MB, "
          f"most {max(long_play):.0f} MB")


if __name__ == "__main__":
    main()
