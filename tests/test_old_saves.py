"""Saves written by earlier versions of the game still load, to the same quarter and state.

``old_saves/2011-spike-bot-seed5-2012Q2.json`` was written by the code before the
restructuring into floors: the bot playing 2011-spike, seed 5, five turns. Loading replays
its actions and checks the save's fingerprint of the last quarter's indicators, so a change
of behaviour would refuse it.
"""

from __future__ import annotations

from pathlib import Path

from game.savefile import load_text
from game.vocab.quarters import Quarter

OLD_SAVES = Path(__file__).resolve().parent / "old_saves"


def test_a_save_from_before_the_restructuring_loads_where_it_was_left():
    session, level_ref = load_text((OLD_SAVES / "2011-spike-bot-seed5-2012Q2.json").read_text(encoding="utf-8"))
    try:
        assert level_ref == "2011-spike"
        assert session.world.quarter == Quarter(2012, 2)
        assert len([r for r in session.actions if r.accepted]) == 7
    finally:
        session.close()
