"""What the workshop's screens say and draw alike: where the game stands (not started, paused,
waiting for teams, over, the connection lost), teams' names, the stars of every nation, and a
nation's figures charted over the quarters played."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pygame

from game.objectives import reason_in_percent
from game.ui.chart import Series, draw_chart, quarter_year
from game.ui.levels import stars_text
from game.ui.text import escape
from game.ui.workshop_words import FIGURES, WorkshopWords, figure_text
from game.vocab.asides import aside_after
from game.vocab.quarters import Quarter

#: How each state of the game shows: the colour of its line (a theme object id).
BAD, GOOD, MUTED = "#bad", "#good", "#muted"


def connection_lost(view: dict[str, Any] | None) -> str | None:
    """The message of a lost connection (a remote table's view), or None while connected."""
    connection = (view or {}).get("connection")
    if isinstance(connection, dict) and not connection.get("ok", True):
        return str(connection.get("message") or "")
    return None


def team_name(view: dict[str, Any], code: str, words: WorkshopWords, tr: Callable[..., str], language: str) -> str:
    """A team as the screens call it: its own name, or "Team China"."""
    given = str((view.get("teams", {}).get(code) or {}).get("team") or "")
    return given or tr("Team {nation}", nation=words.nation(code, language))


def team_state(team: dict[str, Any], view: dict[str, Any], tr: Callable[..., str]) -> tuple[str, str]:
    """What a team is doing, as the facilitator's list and the projector say it, and the colour
    to say it in: before the start and after the end, what the game is doing (they read
    "playing" then, and a window closed after the end "away: a bot plays")."""
    if view.get("over"):
        return tr("Game over"), "muted"
    if team.get("joined") is False:  # (a server says so; no window of the team has joined it)
        return tr("not joined yet"), "bad"
    if not view.get("started"):
        return tr("waiting for the start"), "muted"
    if not team.get("present", True):
        return tr("away: a bot plays"), "bad"
    if team.get("done"):
        return "✓ " + tr("done"), "good"
    return "… " + tr("playing"), "muted"


def names(codes: list[str], words: WorkshopWords, language: str) -> str:
    joined = [words.nation(code, language) for code in codes]
    return "、".join(joined) if language == "ja" else ", ".join(joined)


def game_status(view: dict[str, Any], tr: Callable[..., str], words: WorkshopWords, language: str,
                role: str | None = None) -> tuple[str, str]:
    """Where the game stands, for a team (``role``) or the facilitator: (colour, line)."""
    lost = connection_lost(view)
    if (view.get("connection") or {}).get("class_over"):  # its server gone for good: no reconnecting
        return GOOD, tr("The class is over, and the facilitator's server has closed.")
    if lost is not None:
        if (view.get("connection") or {}).get("unreadable"):
            # The reason last: where the line is cut short (a small window, a large scale), what
            # is happening and what the window does about it still show.
            return BAD, tr("The server sent what this window cannot read. Trying again… ({reason})", reason=lost)
        refused = (view.get("connection") or {}).get("refused")
        if isinstance(refused, dict):
            # Joining again was refused (wrong codes from this machine lately, a name taken): why,
            # in the window's language, the reason last as above.
            reason = tr(str(refused.get("template")), **dict(refused.get("fields") or {}))
            return BAD, tr("The server refused this window's join. Trying again… ({reason})", reason=reason)
        return BAD, tr("Connection lost: reconnecting…")
    if view.get("over"):
        return GOOD, tr("Game over.")
    if not view.get("started"):
        return MUTED, tr("The facilitator has not started the game yet.")
    if view.get("paused"):
        return BAD, tr("Paused by the facilitator.")
    teams = view.get("teams", {})
    done = [code for code, team in teams.items() if team.get("done")]
    waiting = [code for code, team in teams.items() if not team.get("done") and team.get("present", True)]
    if role is not None and view.get("done"):
        return MUTED, tr("Done for this quarter. Waiting for: {teams}", teams=names(waiting, words, language))
    if role is not None:
        if done:
            return MUTED, tr("Your turn. Done already: {teams}", teams=names(done, words, language))
        return MUTED, tr("Your turn: choose your levers, submit them, then press Done.")
    if waiting:
        return MUTED, tr("Waiting for: {teams}", teams=names(waiting, words, language))
    return MUTED, tr("Every team is done.")


def quarter_range(view: dict[str, Any]) -> tuple[float, float]:
    """The level's quarters as a chart's x range (decimal years)."""
    try:
        now = Quarter.parse(str(view.get("quarter")))
        turn, turns = int(view.get("turn") or 1), int(view.get("turns") or 1)
        # Past the last turn (a game played to its end), the quarter shown is the last one.
        first = now + (1 - turns) if turn > turns else now + (1 - turn)
        last = first + (turns - 1)
    except ValueError:  # a view whose quarters run off the calendar: a year's width at least
        return 2010.0, 2011.0
    return quarter_year(str(first)) - 0.125, quarter_year(str(last)) + 0.125


def latest_figure(column: str, rows: list[dict[str, Any]], known_now: dict[str, Any] | None) -> Any:
    """A figure's latest value: the last quarter recorded's, or before any (a level's first
    turn) the value known now, where the view gives one (``known_now``), else None."""
    if rows:
        return rows[-1].get(column)
    return (known_now or {}).get(column)


def shown_figure(column: str, other: dict[str, Any]) -> Any:
    """One of another role's figures as a facilitator's or a team's screen shows it (``other``:
    an entry of a view's ``others``): its money as it stands in the quarter being played, as its
    own team's header gives it; the rest, its last quarter recorded's (or what is known before
    one)."""
    now = other.get("spendable_now") or {}  # (an older server's view has none)
    if column in now:
        return now[column]
    last = other.get("last")
    return latest_figure(column, [last] if last else [], other.get("known_now"))


def figure_chart(app, size: tuple[int, int], column: str, rows: list[dict[str, Any]], x_range: tuple[float, float],
                 label: str, known_now: dict[str, Any] | None = None) -> pygame.Surface:
    """One of a nation's figures over the quarters played, titled with its latest value (before
    any quarter: the value known now, as the one-player bar shows it)."""
    tr, c = app.tr, app.colours
    name, unit = FIGURES[column].label, FIGURES[column].unit
    latest = latest_figure(column, rows, known_now)
    title = tr("{label}: {value}", label=tr(name), value=figure_text(tr, column, latest))
    series = [Series(label, tuple((quarter_year(r["quarter"]), float(r[column])) for r in rows
                                  if isinstance(r.get(column), (int, float))), c.rgb("accent"), "solid", "circle")]
    fonts = (app.font("small", bold=True), app.font("small"))
    # Shares and the output index stop at 1: the scale does too, where they do not pass it.
    top = 1.0 if unit == "%" or column == "output_index" else None
    return draw_chart(size, title, series, (), tr("History"), c, fonts, app.s, x_range, unit=unit, y_top=top)


def objective_lines(app, objectives: list[dict[str, Any]], words: WorkshopWords) -> list[str]:
    """Each objective as a line of text-box markup: met or not (✓ or ×, and colour), its stars,
    its text and why."""
    tr, c = app.tr, app.colours
    lines = []
    for objective in objectives:
        reason = str(objective.get("reason", ""))
        if objective.get("met"):
            mark, colour = "✓", c.good
        elif not words.measured(reason):
            mark, colour = "–", c.muted  # the game was ended before it: not failed
        elif not words.decided(reason):
            mark, colour = "○", c.muted  # nothing decides it yet
        else:
            mark, colour = "×", c.bad
        text = app.language.pick(objective.get("text"), str(objective.get("id", "")))
        column = words.indicator(objective)
        unit = ""
        if column is not None and FIGURES[column].kind == "share":  # in percent, as its text and figures say it
            figures = [objective.get(key) for key in ("value", "threshold")]  # (an older server's view has none)
            reason = reason_in_percent(reason, *(f if isinstance(f, (int, float)) else None for f in figures))
        elif column is not None:  # in its unit, as its chart gives it: "needs on average at least 700" said not of what
            unit = FIGURES[column].shown
        reason = words.reason(reason, tr, unit)
        # An objective ending in an aside of its own takes the reason inside it in Japanese (not 「）（」).
        text, reason = aside_after(text, tr("({reason})", reason=reason))
        lines.append(f"<font color='{colour}'><b>{mark} {'★' * int(objective.get('star', 1))}</b></font> "
                     f"{escape(text)}{' ' * reason.startswith(' ')}<font color='{c.muted}'>{escape(reason.lstrip())}</font>")
    return lines


#: Who plays a role no team took, as the report says it: China by its doctrine, a company's firms
#: for themselves (the roles file's words), any other by a bot.
NOT_A_TEAM = {"doctrine": "China's doctrine", "itself": "decides for itself"}


def who_plays(other: dict[str, Any], tr: Callable[..., str]) -> str:
    """Who plays a role no team took, from its ``played_by``."""
    return tr(NOT_A_TEAM.get(str(other.get("played_by")), "a bot"))


def standings(app, others: dict[str, Any], words: WorkshopWords, teams: dict[str, Any]) -> list[str]:
    """Every nation's stars and score, best first, as text-box markup lines."""
    tr, language = app.tr, app.settings.language
    lines = []
    ranked = sorted(others.items(), key=lambda item: (-int(item[1].get("stars", 0)), -float(item[1].get("score", 0))))
    for code, other in ranked:
        name = app.language.pick(other.get("name"), words.nation(code, language))
        team = str((teams.get(code) or {}).get("team") or "")
        if not team and other.get("played_by") == "team":  # by its name, as the hand-over calls it
            team = tr("Team {nation}", nation=words.nation(code, language))  # (it read 「日本（チーム）」)
        who = team or who_plays(other, tr)
        score = tr("score {score:.0f} of 100", score=float(other.get("score", 0)))
        lines.append(f"<font color='{app.colours.star}'>{stars_text(int(other.get('stars', 0)))}</font> "
                     + tr("{name} ({who}) {score}", name=f"<b>{escape(name)}</b>", who=escape(who), score=escape(score)))
    return lines


def results_line(app, path: Path) -> str:
    """Where a hot seat's results are kept, in the window's language: the line a server prints
    at its start, naming the file ``--resume`` takes."""
    return app.tr("Results: {path} (--resume goes on from it)", path=str(path))
