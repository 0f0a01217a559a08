"""What really happened in the history a level continues, as its briefing tells it: the one-player
briefing and the class's tell it alike."""

from __future__ import annotations

from game.scenario import ScenarioError
from game.ui import levels
from game.ui.text import escape, long_date


def missed_history_lines(app, level) -> list[str]:
    """The lines of a briefing that tell what really happened in the history a level continues
    (``levels.history_before``): a blank line, a heading naming its first and last quarters,
    then each event dated, in the window's language. Nothing when the level continues no history,
    has no event in it, or its history will not load (the briefing says enough without it)."""
    try:
        before = levels.history_before(level)
    except ScenarioError:
        return []
    if before is None or not before[2]:
        return []
    first, last, events = before
    tr, language = app.tr, app.settings.language
    lines = ["", f"<b>{escape(tr('What really happened from {first} to {last}', first=first, last=last))}</b>"]
    for event in events:
        headline = event.headline_ja if language == "ja" and event.headline_ja else event.headline
        lines.append(f"<font color='{app.colours.accent}'>{escape(long_date(event.date, language))}</font> "
                     f"{escape(headline)}")
    return lines
