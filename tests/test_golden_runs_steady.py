"""Over every shipped level x passive, history and bot x seeds 0-2 (the golden runs' logs,
``tests/golden_runs.py``): plants do not flap, and a working seller does not promise more than
it makes.

The logs hold the news as English headlines, so these patterns read the English of the firm and
breach news (``game/world/investment.py``, ``game/world/contracts.py``); each test also checks
that its pattern still finds news, so a reworded headline fails here rather than passing
unread.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
LOGS = sorted(GOLDEN_DIR.glob("*.log"))  # the large world's runs sit in a folder of their own

SWITCH = re.compile(r"news (\d{4})Q(\d) firm \| (.*) (is mothballed|are mothballed|reopens|reopen) \|")
SHORT = re.compile(r"news \S+ breach \| (.*?) deliver\w* ([\d.,]+) of the ([\d.,]+) t .*: not enough stock \|")

#: A plant reopened and mothballed again within a year is a flap; a plant may misjudge this
#: twice in a run (while its mine's capacity comes up, say), not every few quarters.
FLAP_QUARTERS = 4
MOST_FLAPS_PER_RUN = 2
#: A seller still delivering but short of nine tenths of what it owes, for want of stock, has
#: promised more than it makes: at most in half of a run's quarters.
SHORT_OF = 0.9
MOST_SHORT_SHARE = 0.5


def _quarters_played(log: Path) -> int:
    with open(log.with_suffix(".csv"), encoding="utf-8") as rows:
        return sum(1 for _ in rows) - 1  # its header


def _flaps(log: Path) -> dict[str, int]:
    """Per firm, how many times it was mothballed within FLAP_QUARTERS of reopening."""
    switches: dict[str, list[tuple[int, bool]]] = defaultdict(list)
    for line in log.read_text(encoding="utf-8").splitlines():
        found = SWITCH.match(line)
        if found:
            year, q, firm, what = found.groups()
            switches[firm].append((int(year) * 4 + int(q), "mothballed" in what))
    return {firm: sum(1 for (reopened_at, closed), (closed_at, closes) in zip(events, events[1:])
                      if not closed and closes and closed_at - reopened_at <= FLAP_QUARTERS)
            for firm, events in switches.items()}


def _short_quarters(log: Path) -> dict[str, int]:
    """Per seller, breaches for want of stock in which it delivered some, but under SHORT_OF."""
    short: dict[str, int] = defaultdict(int)
    for line in log.read_text(encoding="utf-8").splitlines():
        found = SHORT.match(line)
        if found:
            seller, delivered, owed = found.group(1), *(float(x.replace(",", "")) for x in found.groups()[1:])
            short[seller] += 0.0 < delivered < SHORT_OF * owed
    return short


def test_the_golden_logs_hold_switches_and_shortfalls_to_read():
    assert len(LOGS) >= 30
    assert sum(len(_flaps(log)) for log in LOGS) > 0, "no firm mothballed or reopened: reworded news?"
    assert any(SHORT.match(line) for log in LOGS for line in log.read_text(encoding="utf-8").splitlines()), \
        "no breach for want of stock: reworded news?"


@pytest.mark.parametrize("log", LOGS, ids=lambda log: log.stem)
def test_no_plant_reopens_only_to_mothball_again(log):
    flapping = {firm: n for firm, n in _flaps(log).items() if n > MOST_FLAPS_PER_RUN}
    assert not flapping, f"mothballed within {FLAP_QUARTERS} quarters of reopening, times: {flapping}"


@pytest.mark.parametrize("log", LOGS, ids=lambda log: log.stem)
def test_a_working_seller_falls_short_of_its_contracts_rarely(log):
    quarters = _quarters_played(log)
    over = {seller: n for seller, n in _short_quarters(log).items() if n > MOST_SHORT_SHARE * quarters}
    assert not over, f"quarters short of {SHORT_OF:.0%} of what it owes (of {quarters}): {over}"
