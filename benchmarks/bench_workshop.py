"""A class of 30 windows on one workshop server, on the loopback address: how long after the
last team says it is done every window has the next quarter's view.

Six teams (every role) of five windows each join ``rare-earths workshop serve`` (its own
process, as in a class); each quarter one window per team submits a lever and every team but
the last says it is done; the clock starts when the last team's "done" is sent and stops when
all 30 windows (and the facilitator's) hold the next quarter's view. Prints the median and the
range over the level's quarters. Run: ``python benchmarks/bench_workshop.py [--windows-per-team N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.workshop_clients import (
    Client,
    chosen_action,
    start_server,
    stop_server,
    wait_for,
)

ROLES = ("JPN", "CHN", "USA", "AUS", "EU", "KOR")


async def lesson(uri: str, codes: dict[str, str], per_team: int) -> list[float]:
    facilitator = Client(uri, codes["facilitator"])
    await facilitator.join()
    teams = {role: [Client(uri, codes[role], team=f"Team {role}") for _ in range(per_team)] for role in ROLES}
    for windows in teams.values():
        for window in windows:
            await window.join()
    await facilitator.request("facilitate", command="start")
    everyone = [facilitator, *(w for windows in teams.values() for w in windows)]
    timings = []
    turn = 1
    while True:
        for window in everyone:
            await wait_for(window, lambda v, t=turn: v.get("turn", 0) >= t and v.get("started"))
        for role in ROLES[:-1]:
            first = teams[role][0]
            action = chosen_action(first.view)
            if action is not None:
                await first.request("act", action=action)
            await first.request("done")
        last = teams[ROLES[-1]][0]
        action = chosen_action(last.view)
        if action is not None:
            await last.request("act", action=action)
        started = time.perf_counter()
        await last.connection.send(json.dumps({"type": "done", "id": 10**6 + turn}))
        await asyncio.gather(*(wait_for(w, lambda v, t=turn: v.get("turn", 0) > t or v.get("over"))
                               for w in everyone))
        timings.append(time.perf_counter() - started)
        await last.answers.get()
        if facilitator.view["over"]:
            break
        turn += 1
    for window in everyone:
        await window.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--windows-per-team", type=int, default=5)
    parser.add_argument("--level", default="2010-trawler")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        process, port, codes = start_server("--level", args.level, "--roles", ",".join(ROLES), "--seed", "1",
                                            "--out", str(Path(folder) / "class.json"))
        try:
            timings = asyncio.run(lesson(f"ws://127.0.0.1:{port}", codes, args.windows_per_team))
        finally:
            stop_server(process)
    ms = sorted(t * 1000 for t in timings)
    print(f"{len(ROLES) * args.windows_per_team} windows + the facilitator's, {len(ms)} quarters of {args.level}: "
          f"last 'done' to every window's next view: median {statistics.median(ms):.0f} ms "
          f"(range {ms[0]:.0f}-{ms[-1]:.0f} ms)")


if __name__ == "__main__":
    main()
