"""Every speed and memory figure the README quotes, from one run on this machine.

Prints the machine it ran on, then for each figure its median, its spread (fastest and
slowest) and how many samples it took, and each figure's aim:

- a turn of the 2010 world (44 firms), timed against a step of Mesa's 1,000-agent Boltzmann
  wealth model in the same process, interleaved so both see the same machine load
  (aim: at most 2x); by the wall clock and, for the same turns and steps, by the process's
  CPU time, whose ratio a busy machine moves less;
- a turn at about 1,000 and 10,000 firms (every firm of 2010 split into equal parts, see
  ``game.research.scaling.split_firms``), and the cost per firm at each (aim: 10,000 firms under 150 ms
  a turn, linear in firms);
- headless runs per second of 2010-trawler in one process, and a sweep's scaling from one
  worker to two processes;
- the shell's ``rare-earths run --level 2010-trawler``: wall time and peak memory
  (aims: under 1 s and 150 MB); ``--help`` and ``levels list`` start-up;
- the window (dummy video driver): start-up to the title, a turn-screen frame, End turn to the
  next turn drawn, the window's peak memory, and its peak after 30 quarters at 200% in Japanese.

Run: ``python benchmarks/run_all.py [--quick]``. Never a timed assertion: figures are for
reading, and for the README.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import mesa
import numpy
from bench_turn import turn_costs, turn_wall_and_cpu_costs
from boltzmann import BoltzmannWealth

from game.research import run as research_run
from game.research.scaling import split_firms
from game.scenario import find_level, load_level

LEVEL = "2010-trawler"


def machine() -> str:
    """The machine, the software and how busy the machine was when the run began."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f", {int(line.split()[1]) / 1024 ** 2:.1f} GB memory"
                break
    except OSError:
        pass
    load = ", load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()) if hasattr(os, "getloadavg") else ""
    return (f"{cpu}, {os.cpu_count()} cores{memory}{load}\n"
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
            f"NumPy {numpy.__version__}, Mesa {mesa.__version__}")


class Figures:
    """Prints each figure as it is measured: median, spread, count, and the aim."""

    def __init__(self) -> None:
        self.medians: dict[str, float] = {}

    def show(self, name: str, values: Sequence[float], unit: str, scale: float = 1.0, aim: str = "",
             digits: int = 2) -> float:
        scaled = [v * scale for v in values]
        median = statistics.median(scaled)
        self.medians[name] = median
        spread = f"{min(scaled):.{digits}f}-{max(scaled):.{digits}f}"
        aim_text = f"   aim: {aim}" if aim else ""
        print(f"  {name:<44}{median:>10.{digits}f} {unit:<7} (range {spread}, n={len(scaled)}){aim_text}",
              flush=True)
        return median

    def ratio(self, name: str, numerator: str, denominator: str, aim: str = "") -> None:
        value = self.medians[numerator] / self.medians[denominator]
        self.medians[name] = value
        print(f"  {name:<44}{value:>10.2f} x" + (f"{'':<30}aim: {aim}" if aim else ""), flush=True)


def boltzmann_step_costs(steps: int, seed: int) -> list[tuple[float, float]]:
    """(wall seconds, CPU seconds) per step of the 1,000-agent model, read as a turn's are."""
    model = BoltzmannWealth(1000, seed=seed)
    costs = []
    for _ in range(steps):
        wall, cpu = time.perf_counter(), time.process_time()
        model.step()
        costs.append((time.perf_counter() - wall, time.process_time() - cpu))
    model.remove_all_agents()
    return costs


def turns_against_boltzmann(figures: Figures, repeats: int) -> None:
    base = load_level(find_level(LEVEL))
    turn_costs(base, 3, seed=99)  # warm-up: first-call costs
    boltzmann_step_costs(20, seed=99)
    turns, steps = [], []
    for repeat in range(repeats):  # interleaved, so both see the same load
        turns += turn_wall_and_cpu_costs(base, base.n_turns, seed=repeat)
        steps += boltzmann_step_costs(50, seed=repeat)
    figures.show("2010 world turn (44 firms)", [wall for wall, _ in turns], "ms", 1e3)
    figures.show("Mesa Boltzmann step, 1,000 agents", [wall for wall, _ in steps], "ms", 1e3)
    figures.ratio("2010 turn / Boltzmann step", "2010 world turn (44 firms)", "Mesa Boltzmann step, 1,000 agents",
                  aim="at most 2")
    # The same turns and steps by CPU time: on a busy machine the wall clock also counts the
    # time other programs held the processor, unevenly between the two.
    figures.show("2010 world turn (44 firms), CPU", [cpu for _, cpu in turns], "ms", 1e3)
    figures.show("Mesa Boltzmann step, 1,000 agents, CPU", [cpu for _, cpu in steps], "ms", 1e3)
    figures.ratio("2010 turn / Boltzmann step, CPU", "2010 world turn (44 firms), CPU",
                  "Mesa Boltzmann step, 1,000 agents, CPU", aim="at most 2")
    n_firms = len(base.world.firms)
    # Six turns at both sizes, so the two medians (and the per-firm ratio) measure the same
    # quarters. Three at 10,000 firms made the median hang on the first quarter, when every
    # split plant starts an expansion at once, and on a full garbage collection in the third.
    for label, firms, turns_each, runs in (("~1,000 firms", 1000, 6, max(1, repeats // 2)),
                                           ("~10,000 firms", 10000, 6, 1)):
        scenario = split_firms(base, round(firms / n_firms))
        costs = []
        for repeat in range(runs):
            costs += turn_costs(scenario, turns_each, seed=repeat)
        actual = len(scenario.world.firms)
        aim = "under 150 ms" if firms == 10000 else ""
        figures.show(f"turn, {label} ({actual:,})", costs, "ms", 1e3, aim=aim, digits=1)
        figures.show(f"  per firm, {label}", [c / actual for c in costs], "us", 1e6, digits=1)
    figures.ratio("per-firm cost, 10,000 / 1,000 firms", "  per firm, ~10,000 firms", "  per firm, ~1,000 firms",
                  aim="about 1 (linear)")


def runs_per_second(figures: Figures, seeds: int, repeats: int) -> None:
    research_run(LEVEL, "history", 0, agents=False)  # warm-up
    rates = []
    for _ in range(repeats):
        began = time.perf_counter()
        for seed in range(seeds):
            research_run(LEVEL, "history", seed, agents=False)
        rates.append(seeds / (time.perf_counter() - began))
    figures.show(f"headless {LEVEL} runs, one process", rates, "runs/s", digits=1)


def sweep_scaling(figures: Figures, seeds: int, repeats: int) -> None:
    from bench_sweep import STRATEGIES, sweep_seconds

    from game.research.sweep import parse_seeds, plan_sweep

    plan = plan_sweep(LEVEL, list(STRATEGIES), parse_seeds(f"0-{seeds - 1}"))
    rates: dict[int, list[float]] = {1: [], 2: []}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(repeats):
            for workers in (1, 2):
                took, _ = sweep_seconds(plan, Path(folder), "results.parquet", workers, None)
                rates[workers].append(plan.size / took)
    figures.show(f"sweep, 1 worker ({plan.size} runs)", rates[1], "runs/s", digits=1)
    figures.show(f"sweep, 2 processes ({plan.size} runs)", rates[2], "runs/s", digits=1)
    figures.ratio("sweep, 2 processes / 1 worker", f"sweep, 2 processes ({plan.size} runs)",
                  f"sweep, 1 worker ({plan.size} runs)", aim=f"close to {min(2, os.cpu_count() or 1)}")


#: Starts a command from a small process, so that its peak memory is its own: a child forked
#: straight from this (large) process would count this process's pages as its own peak.
LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def shell_command(args: Sequence[str]) -> tuple[float, float]:
    """(wall seconds, peak resident MB) of ``python -m game ARGS`` started as from a shell."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as folder:
        began = time.perf_counter()
        done = subprocess.run([sys.executable, "-S", "-c", LAUNCHER, sys.executable, "-m", "game", *args],
                              cwd=folder, env=env, capture_output=True, text=True, check=False)
        took = time.perf_counter() - began
    code, peak_kb = (int(v) for v in done.stdout.split())
    if code:
        sys.exit(f"'rare-earths {' '.join(args)}' failed: {done.stderr.strip().splitlines()[-1:]}")
    return took, peak_kb / 1024  # Linux counts kilobytes


def start_up(figures: Figures, repeats: int) -> None:
    for label, args, aim in ((f"'run --level {LEVEL}' wall", ("run", "--level", LEVEL), "under 1 s"),
                             ("'levels list' wall", ("levels", "list"), ""),
                             ("'--help' wall", ("--help",), "")):
        measured = [shell_command(args) for _ in range(repeats)]
        figures.show(label, [m[0] for m in measured], "s", aim=aim)
        if args[0] == "run":
            figures.show(f"'run --level {LEVEL}' peak memory", [m[1] for m in measured], "MB",
                         aim="under 150 MB", digits=0)


def window(figures: Figures, repeats: int, frames: int, turns: int) -> None:
    from bench_window import idle_share_and_memory, long_play_memory, startup_seconds, turn_screen

    _, whole = startup_seconds(repeats)
    figures.show("window start-up to the title (process)", whole, "s", aim="under 2 s")
    frame_costs, end_turns = turn_screen(frames, turns)
    figures.show("turn-screen frame, 1280x720", frame_costs, "ms", 1e3, aim="p95 under 8 ms")
    print(f"  {'':<44}{'':>10} {'':<7} (p95 {sorted(frame_costs)[int(0.95 * (len(frame_costs) - 1))] * 1e3:.2f} ms)")
    figures.show("End turn to the next turn drawn", end_turns, "ms", 1e3, aim="under 150 ms", digits=0)
    shares, memory = idle_share_and_memory(3.0, max(1, repeats // 2))
    figures.show("idle turn screen, share of a core", [s * 100 for s in shares], "%", digits=1, aim="under 5%")
    figures.show("window peak memory", memory, "MB", digits=0, aim="under 400 MB")
    figures.show("window after 30 quarters at 200%, ja", long_play_memory(30, 2.0, "ja", max(1, repeats // 2)),
                 "MB", digits=0)


SECTIONS: dict[str, Callable[[Figures, argparse.Namespace], None]] = {
    "turn": lambda f, a: turns_against_boltzmann(f, a.repeats),
    "runs": lambda f, a: runs_per_second(f, a.seeds, a.repeats),
    "sweep": lambda f, a: sweep_scaling(f, a.sweep_seeds, max(1, a.repeats // 2)),
    "start-up": lambda f, a: start_up(f, a.repeats),
    "window": lambda f, a: window(f, a.repeats, a.frames, a.turns),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats: a rough look in about a minute")
    parser.add_argument("--only", choices=tuple(SECTIONS), action="append", help="measure only these sections")
    args = parser.parse_args()
    args.repeats, args.seeds, args.sweep_seeds, args.frames, args.turns = (
        (2, 5, 10, 100, 5) if args.quick else (5, 20, 60, 400, 15))
    began = time.perf_counter()
    print(f"Rare Earths benchmarks, {time.strftime('%Y-%m-%d %H:%M')}")
    print(machine())
    print("Times are by the wall clock; those marked CPU are this process's processor time for the same work,")
    print("which leaves out the time other programs held the processor.")
    figures = Figures()
    for name, section in SECTIONS.items():
        if args.only and name not in args.only:
            continue
        print(f"{name}:", flush=True)
        section(figures, args)
    print(f"({time.perf_counter() - began:.0f} s in all)")


if __name__ == "__main__":
    main()
