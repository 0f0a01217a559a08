"""Printable handouts for a workshop on one level: a role card for each team (its situation,
the story so far, its goals by star, its levers and budget) and the facilitator's guide (set-up,
agendas for 90 minutes and for three hours and what each plays on a hot seat of two to six teams,
the level's timeline, what to watch for, the debrief questions and how bots play the roles no team
takes), in English or Japanese.

Each is one self-contained HTML page: embedded CSS, no scripts, no other files and no web fonts,
printing on A4 in black and white, the cards one to a page. The words come from the level, the
roles file (``levels/roles.toml``), the levers' own descriptions and the string table
(``assets/strings/ja.toml``), so the same files give the same bytes.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from game.action_base import explanation
from game.actions import ACTION_TYPES
from game.whole_files import write_whole_together
from game.scenario import ScenarioError, find_level, levels_dir, load_level
from game.scenario.reference import facts
from game.scenario.roles_file import load_roles
from game.spec import EventSpec, RoleSpec, RolesSpec, Scenario
from game.ui.strings import LANGUAGES, Language
from game.vocab.fact_ids import FACT_ID
from game.workshop.roles import budget_of, levers_of, objectives_of

#: More levers than this and a card sets them a little tighter, to keep to one page.
MANY_LEVERS = 11
#: The fewest minutes a turn can take in class; a level longer than the time allows is cut short.
MIN_MINUTES_PER_TURN = 3.0
#: A bracket and the space before it; a reference fact id (as game/ui/citations.py finds them);
#: one in a bracket's list, with the separator before it.
_BRACKET = re.compile(r"(\s*)([（(])([^()（）]*)([）)])")
_FACT_ID = re.compile(rf"\b{FACT_ID}\b")
_ID_IN_LIST = re.compile(rf"(?:^|,\s*|;\s*|、)\s*({FACT_ID})\b")

# --------------------------------------------------------------------------- the words
# English keys of assets/strings/ja.toml; tests/test_workshop_handouts.py checks each has an entry.

ROLE_CARD = "Role card"
ROLE_CARDS_TITLE = "Role cards: {title}"
DATES = "{start} to {end}: {turns} turns, one a quarter"
YOUR_SITUATION = "Your situation"
STORY_SO_FAR = "The story so far"
YOUR_GOALS = "Your goals"
NO_GOALS = "No stars in this level: agree your team's own goals."
YOUR_LEVERS = "Your levers"
BUDGET = "Budget: US${musd:,.0f}M a quarter"

GUIDE = "Facilitator's guide"
GUIDE_TITLE = "Facilitator's guide: {title}"
ABOUT = "What it is about"
SETUP = "Set-up"
SETUP_INTRO = ("Print a role card for each team. Each team plays one nation, and a bot plays every nation no "
               "team takes. Choose how the class plays:")
WAY_ALONE = ("Each team alone against the bots (the Fish Banks way): make a scenario code, and every team plays "
             "the same game with it on its own machine; compare the results at the end.")
WAY_HOTSEAT = "Teams take turns on one machine:"
WAY_NETWORK = ("Over the network: the facilitator's machine shows each team's join code (in its terminal and on "
               "its panel), and each team joins from its own machine:")
WAY_RESUME = ("If the machine or the server stops, the class goes on from its results file (the window or the "
              "terminal names it), in that file:")
WAY_REPORT = "After the game, write the debrief page from the results files:"
AGENDA = "Agenda"
TIME, MINUTES, WHAT_HAPPENS = "Time", "Minutes", "What happens"
BRIEFING = "Briefing: tell the class the story so far and show the game on the screen"
READING = "Teams read their role cards and agree on a first plan"
PLAY = "Play turns {first} to {last} ({start} to {end}), about {minutes} min a turn"
PAUSE = ("Pause: each team says what has happened to it and what it expects next; teams may talk to "
         "each other")
DISCUSS = "Teams compare what they did and why"
DEBRIEF = "Debrief: the report page and the questions below"
CUT_SHORT = "The level has {total} turns, more than the time allows: stop after {end}."
AGENDA_FOR = ("For teams at their own machines (each alone, or over the network), which play each quarter at "
              "the same time; for the hot seat, see below.")
HOTSEAT_AGENDA = "On the hot seat"
HOTSEAT_INTRO = ("Teams take turns at the one machine, so a quarter takes every team's turn, one after the other: "
                 "allow at least {minutes} minutes a team. The same time then plays fewer quarters:")
TEAMS = "Teams"
HOTSEAT_TURNS = "turns {first} to {last} ({start} to {end}), about {minutes} min a quarter"
TIMELINE = "Timeline of events"
DATE, EVENT = "Date", "Event"
NO_EVENTS = "This level has no scheduled events."
WATCH = "What to watch for"
QUESTIONS = "Debrief questions"
BOTS = "Roles no team takes"
BOTS_INTRO = "A bot plays each role no team takes:"

#: The agendas: (heading, rows of (minutes, what happens)); PLAY rows share the turns played.
AGENDAS: tuple[tuple[str, tuple[tuple[int, str], ...]], ...] = (
    ("90 minutes", ((10, BRIEFING), (10, READING), (50, PLAY), (20, DEBRIEF))),
    ("3 hours", ((15, BRIEFING), (20, READING), (50, PLAY), (20, PAUSE), (50, PLAY), (25, DEBRIEF))),
)

#: The numbers of teams the guide's hot-seat table plans for: a class of 20-30 in two to six teams.
HOTSEAT_TEAMS = (2, 3, 4, 5, 6)

#: The facilitator's commands, as the set-up section shows them (ID: the level's id).
COMMANDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (WAY_ALONE, ("rare-earths workshop code --level ID --seed N --roles JPN,CHN,USA,AUS",
                 "rare-earths play --code CODE")),
    (WAY_HOTSEAT, ("rare-earths workshop hotseat --level ID --roles JPN,CHN,USA",)),
    (WAY_NETWORK, ("rare-earths workshop serve --level ID --roles JPN,CHN,USA,AUS",
                   "rare-earths workshop join ADDRESS JOINCODE")),
    (WAY_RESUME, ("rare-earths workshop hotseat --resume RESULTS.json",
                  "rare-earths workshop serve --resume RESULTS.json")),
    (WAY_REPORT, ("rare-earths workshop report RESULTS... --language en|ja",)),
)

STARS = {1: "★☆☆", 2: "★★☆", 3: "★★★"}


class HandoutError(ValueError):
    """A level or language there are no handouts for; the message says why in one line."""


# --------------------------------------------------------------------------- public API


def handouts_html(level: str, language: str) -> dict[str, str]:
    """The handouts of a level (a shipped level's id or a level file) in one language: file name
    -> HTML, the role cards first, then the facilitator's guide."""
    if language not in LANGUAGES:
        raise HandoutError(f"no handouts in language {language!r}: expected one of {', '.join(LANGUAGES)}")
    path, scenario = _level(level)
    roles = _roles()
    words = Language(language)
    # Named by the level's id (a file "a.toml" of id "my-a" gave "a-role-cards"), and its commands
    # name the level as a facilitator types it: a file of one's own by its path.
    typed = scenario.id if path.resolve().parent == levels_dir().resolve() else shlex.quote(level)
    return {
        f"{scenario.id}-role-cards-{language}.html": role_cards_html(scenario, roles, words),
        f"{scenario.id}-facilitator-guide-{language}.html": guide_html(scenario, typed, roles, words),
    }


def write_handouts(level: str, out_dir: Path, languages: tuple[str, ...] = ("en", "ja")) -> list[Path]:
    """Write the handouts of a level in each language into ``out_dir`` (made if missing);
    returns the files written. Raises HandoutError before writing anything when the level or a
    language is unknown, OSError when a file cannot be written."""
    pages: dict[str, str] = {}
    for language in languages:
        pages |= handouts_html(level, language)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # Bytes (the same "\n" on every system), all whole or none: a full disk keeps every earlier
    # page as it was (it left three new handouts beside one of an earlier level).
    return write_whole_together([(out_dir / name, lambda out, data=page.encode("utf-8"): out.write(data))
                                 for name, page in pages.items()])


# --------------------------------------------------------------------------- what the pages say


def lever_explanation(kind: str) -> str:
    """A lever in one English sentence: the first of its action's docstring, without the
    reference ids it cites, and cut before the first parameter it names in ``code``."""
    paragraph = explanation(ACTION_TYPES[kind])
    known = facts()
    # A docstring's bracket that cites a fact is for the project's readers: it goes whole.
    paragraph = _BRACKET.sub(lambda m: "" if any(i in known for i in _FACT_ID.findall(m.group(3))) else m.group(0),
                             paragraph)
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9])", paragraph)[0]
    if "``" not in sentence:
        return sentence
    head = sentence[: sentence.index("``")]
    cut = max(head.rfind(": "), head.rfind("; "))
    if cut < 0:
        cut = head.rfind(", ")
    return head[:cut].rstrip() + "." if cut > 0 else sentence.replace("``", "")


def without_citations(text: str) -> str:
    """``text`` without the reference fact ids it cites in brackets ("(7 Sep, ep2010_collision)"
    -> "(7 Sep)"; a bracket of ids only goes, with the space before it): the cards and the guide
    are read on paper, where an id helps nobody."""
    known = facts()

    def bracket(match: re.Match) -> str:
        space, opening, inner, closing = match.groups()
        kept = _ID_IN_LIST.sub(lambda m: "" if m.group(1) in known else m.group(0), inner)
        if kept == inner:
            return match.group(0)
        kept = kept.strip(" ,;、")
        return f"{space}{opening}{kept}{closing}" if kept else ""

    return _BRACKET.sub(bracket, text)


def first_paragraph(text: str) -> str:
    return text.strip().split("\n\n")[0].strip()


@dataclass(frozen=True)
class AgendaRow:
    """One row of an agenda: from ``start`` minutes for ``minutes`` minutes, what happens, and
    for a row of play the first and last turns it plays."""

    start: int
    minutes: int
    text: str
    turns: tuple[int, int] | None = None


def agenda(rows: Sequence[tuple[int, str]], scenario: Scenario, words: Language,
           teams_taking_turns: int = 1) -> tuple[list[AgendaRow], str]:
    """An agenda's rows for the level, the PLAY rows sharing out the turns the time allows in
    proportion to their minutes, and a note ("" or why the level is cut short). A turn takes at
    least MIN_MINUTES_PER_TURN, or on a hot seat that much for each of the ``teams_taking_turns``
    (they play a quarter one after the other, not at the same time)."""
    fewest = MIN_MINUTES_PER_TURN * max(1, teams_taking_turns)
    room = [int(minutes // fewest) if text == PLAY else 0 for minutes, text in rows]
    turns = left = min(scenario.n_turns, sum(room))
    minutes_left = sum(minutes for minutes, text in rows if text == PLAY)
    found, start, played = [], 0, 0
    for k, (minutes, text) in enumerate(rows):
        row = AgendaRow(start, minutes, words.tr(text))
        if text == PLAY:
            # Its share, but never more than it has room for, nor so few the later rows cannot finish.
            share = max(left - sum(room[k + 1:]), min(room[k], round(left * minutes / minutes_left)))
            if share > 0:
                row = AgendaRow(start, minutes, words.tr(
                    PLAY, first=played + 1, last=played + share, start=str(scenario.start + played),
                    end=str(scenario.start + played + share - 1), minutes=_minutes(minutes / share)),
                    (played + 1, played + share))
            else:
                row = AgendaRow(start, minutes, words.tr(DISCUSS))
            played, left, minutes_left = played + share, left - share, minutes_left - minutes
        found.append(row)
        start += minutes
    note = "" if turns == scenario.n_turns else words.tr(CUT_SHORT, total=scenario.n_turns,
                                                         end=str(scenario.start + turns - 1))
    return found, note


def turns_played(found: Sequence[AgendaRow]) -> tuple[int, int]:
    """The turns an agenda's rows play (0 if none) and the minutes they play them in."""
    played = [row for row in found if row.turns]
    return sum(row.turns[1] - row.turns[0] + 1 for row in played), sum(row.minutes for row in played)


def hotseat_plan(scenario: Scenario, words: Language) -> list[tuple[int, list[str]]]:
    """For each number of teams in HOTSEAT_TEAMS, what each of the AGENDAS plays on a hot seat:
    the turns, their quarters and the minutes a quarter takes ("" where it plays none)."""
    plan = []
    for teams in HOTSEAT_TEAMS:
        cells = []
        for _, rows in AGENDAS:
            turns, minutes = turns_played(agenda(rows, scenario, words, teams)[0])
            cells.append(words.tr(HOTSEAT_TURNS, first=1, last=turns, start=str(scenario.start),
                                  end=str(scenario.start + turns - 1), minutes=_minutes(minutes / turns))
                         if turns else "")
        plan.append((teams, cells))
    return plan


def _minutes(value: float) -> str:
    """Minutes to the nearest half: "5", "8.5"."""
    return f"{round(value * 2) / 2:g}"


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


# --------------------------------------------------------------------------- the pages


def role_cards_html(scenario: Scenario, roles: RolesSpec, words: Language) -> str:
    """Every role's card, one to a printed page, in the roles file's order."""
    title = words.pick(scenario.title)
    cards = "\n".join(_card(role, scenario, words) for role in roles.roles)
    return _page(words, words.tr(ROLE_CARDS_TITLE, title=title), f'<main class="cards">\n{cards}\n</main>')


def _card(role: RoleSpec, scenario: Scenario, words: Language) -> str:
    objectives = objectives_of(role, scenario)
    goals = []
    for star in sorted({o.star for o in objectives}):
        items = "".join(f"<li>{escape(without_citations(words.pick(o.text)))}</li>"
                        for o in objectives if o.star == star)
        goals.append(f'<div class="goal"><p class="stars" aria-label="{star}">{STARS[star]}</p><ul>{items}</ul></div>')
    if not goals:
        goals.append(f"<p>{escape(words.tr(NO_GOALS))}</p>")
    kinds = levers_of(role, scenario)
    levers = "".join(
        f'<tr><th scope="row">{escape(words.tr(ACTION_TYPES[kind].label))}</th>'
        f"<td>{escape(words.tr(lever_explanation(kind)))}</td></tr>"
        for kind in kinds)
    musd = budget_of(role, scenario)
    budget = f' · <span class="budget">{escape(words.tr(BUDGET, musd=musd))}</span>' if musd > 0 else ""
    return f"""<section class="card" id="role-{escape(role.code.lower())}">
<header>
<p class="kind">{escape(words.tr(ROLE_CARD))} · <span class="code">{escape(role.code)}</span></p>
<h1>{escape(words.pick(role.name))}</h1>
<p class="level"><b>{escape(words.pick(scenario.title))}</b> · {escape(_dates(scenario, words))}{budget}</p>
</header>
<h2>{escape(words.tr(YOUR_SITUATION))}</h2>
<p>{escape(words.pick(role.situation))}</p>
<h2>{escape(words.tr(STORY_SO_FAR))}</h2>
<p class="context">{escape(without_citations(first_paragraph(words.pick(scenario.briefing))))}</p>
<h2>{escape(words.tr(YOUR_GOALS))}</h2>
{"".join(goals)}
<h2>{escape(words.tr(YOUR_LEVERS))}</h2>
<table class="levers{' many' if len(kinds) > MANY_LEVERS else ''}"><tbody>{levers}</tbody></table>
</section>"""


def guide_html(scenario: Scenario, level_id: str, roles: RolesSpec, words: Language) -> str:
    """The facilitator's guide to the level."""
    title = words.pick(scenario.title)
    about = "".join(f"<p>{escape(paragraph.strip())}</p>"
                    for paragraph in without_citations(words.pick(scenario.briefing)).split("\n\n") if paragraph.strip())
    setup = [f"<p>{escape(words.tr(SETUP_INTRO))}</p>"]
    for text, commands in COMMANDS:
        lines = "\n".join(escape(command.replace("--level ID", f"--level {level_id}")) for command in commands)
        setup.append(f'<div class="way"><p>{escape(words.tr(text))}</p><pre>{lines}</pre></div>')
    agendas = []
    for heading, rows in AGENDAS:
        found, note = agenda(rows, scenario, words)
        body = "".join(f'<tr><td class="time">{_clock(row.start)}–{_clock(row.start + row.minutes)}</td>'
                       f'<td class="minutes">{row.minutes}</td><td>{escape(row.text)}</td></tr>' for row in found)
        agendas.append(f'<div class="agenda"><h3>{escape(words.tr(heading))}</h3>'
                       f'<table><thead><tr><th class="time">{escape(words.tr(TIME))}</th>'
                       f'<th class="minutes">{escape(words.tr(MINUTES))}</th><th>{escape(words.tr(WHAT_HAPPENS))}</th>'
                       f"</tr></thead><tbody>{body}</tbody></table>"
                       + (f'<p class="note">{escape(note)}</p>' if note else "") + "</div>")
    # Teams at their own machines play a quarter at once; on the hot seat one after the other, so
    # the agendas' pace would have a class of four teams play twice the quarters it has time for.
    plan = "".join(f'<tr><td class="teams">{teams}</td>' + "".join(f"<td>{escape(cell)}</td>" for cell in cells)
                   + "</tr>" for teams, cells in hotseat_plan(scenario, words))
    hotseat = (f'<div class="hotseat"><h3>{escape(words.tr(HOTSEAT_AGENDA))}</h3>'
               f"<p>{escape(words.tr(HOTSEAT_INTRO, minutes=_minutes(MIN_MINUTES_PER_TURN)))}</p>"
               f'<table><thead><tr><th class="teams">{escape(words.tr(TEAMS))}</th>'
               + "".join(f"<th>{escape(words.tr(heading))}</th>" for heading, _ in AGENDAS)
               + f"</tr></thead><tbody>{plan}</tbody></table></div>")
    events = sorted(scenario.events, key=lambda event: event.date)  # stable: a day's events keep the file's order
    if events:
        rows = "".join(f'<tr><td class="date">{event.date.isoformat()}</td>'
                       f"<td>{escape(without_citations(_headline(event, words)))}</td></tr>" for event in events)
        timeline = (f'<table class="timeline"><thead><tr><th class="date">{escape(words.tr(DATE))}</th>'
                    f"<th>{escape(words.tr(EVENT))}</th></tr></thead><tbody>{rows}</tbody></table>")
    else:
        timeline = f"<p>{escape(words.tr(NO_EVENTS))}</p>"
    watch = _by_role(roles.roles, "watch", words)
    questions = "".join(f"<li>{escape(words.pick(question))}</li>" for question in roles.questions)
    bots = _by_role(roles.roles, "bot", words)
    body = f"""<main class="guide">
<header>
<p class="kind">{escape(words.tr(GUIDE))}</p>
<h1>{escape(title)}</h1>
<p class="level">{escape(_dates(scenario, words))}</p>
</header>
<section><h2>{escape(words.tr(ABOUT))}</h2>{about}</section>
<section><h2>{escape(words.tr(SETUP))}</h2>{"".join(setup)}</section>
<section><h2>{escape(words.tr(AGENDA))}</h2><p>{escape(words.tr(AGENDA_FOR))}</p>{"".join(agendas)}{hotseat}</section>
<section><h2>{escape(words.tr(TIMELINE))}</h2>{timeline}</section>
<section><h2>{escape(words.tr(WATCH))}</h2>{watch}</section>
<section><h2>{escape(words.tr(QUESTIONS))}</h2><ol class="questions">{questions}</ol></section>
<section><h2>{escape(words.tr(BOTS))}</h2><p>{escape(words.tr(BOTS_INTRO))}</p>{bots}</section>
</main>"""
    return _page(words, words.tr(GUIDE_TITLE, title=title), body)


def _by_role(roles: Sequence[RoleSpec], field: str, words: Language) -> str:
    items = "".join(f'<dt>{escape(words.pick(role.name))} <span class="code">{escape(role.code)}</span></dt>'
                    f"<dd>{escape(words.pick(getattr(role, field)))}</dd>" for role in roles)
    return f'<dl class="by-role">{items}</dl>'


def _headline(event: EventSpec, words: Language) -> str:
    return event.headline_ja if words.code == "ja" and event.headline_ja else event.headline


def _dates(scenario: Scenario, words: Language) -> str:
    return words.tr(DATES, start=str(scenario.start), end=str(scenario.end), turns=scenario.n_turns)


def _page(words: Language, title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="{words.code}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>
{STYLE}
</style>
</head>
<body>
{body}
</body>
</html>
"""


#: One sheet of CSS for both pages: A4, black on white, fonts the reader's machine has.
STYLE = """@page { size: A4; margin: 14mm 15mm; }
* { box-sizing: border-box; }
html { color: #000; background: #fff; }
body { margin: 0; font-family: "Helvetica Neue", Helvetica, Arial, "Liberation Sans", "Noto Sans", sans-serif;
       font-size: 10.5pt; line-height: 1.4; }
html:lang(ja) body { font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Kaku Gothic ProN", "Hiragino Sans",
                     "Yu Gothic", "YuGothic", "Meiryo", "IPAexGothic", sans-serif; line-height: 1.55; }
h1 { font-size: 24pt; line-height: 1.15; margin: 0.5mm 0 1mm; }
h2 { font-size: 12pt; margin: 4.5mm 0 1.5mm; padding-bottom: 0.5mm; border-bottom: 0.75pt solid #000;
     break-after: avoid; page-break-after: avoid; }
h3 { font-size: 10.5pt; margin: 3mm 0 1mm; break-after: avoid; page-break-after: avoid; }
p { margin: 0 0 1.5mm; }
header { border-bottom: 2pt solid #000; padding-bottom: 2mm; margin-bottom: 1mm; }
.kind { font-size: 9pt; letter-spacing: 0.06em; text-transform: uppercase; margin: 0; }
.level { font-size: 10.5pt; margin: 0; }
.code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.85em; font-weight: normal;
        border: 0.75pt solid #000; border-radius: 2pt; padding: 0 1.2mm; white-space: nowrap; }
.context { font-size: 9.5pt; border-left: 2pt solid #000; padding-left: 3mm; }
.goal { display: flex; align-items: baseline; gap: 3mm; margin-bottom: 1mm; break-inside: avoid; }
.goal .stars { flex: 0 0 16mm; font-size: 12pt; letter-spacing: 0.05em; margin: 0; white-space: nowrap; }
.goal ul { margin: 0; padding-left: 4mm; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 1mm 2mm; }
thead th { border-bottom: 1.5pt solid #000; }
tbody th, tbody td { border-bottom: 0.5pt solid #777; }
tr { break-inside: avoid; page-break-inside: avoid; }
table.levers { font-size: 9.5pt; line-height: 1.35; }
table.levers th { width: 32%; padding-left: 0; }
table.levers.many { font-size: 9pt; line-height: 1.25; }
.budget { font-weight: bold; }
.card + .card { break-before: page; page-break-before: always; }
.way { break-inside: avoid; page-break-inside: avoid; }
pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 8.5pt;
      margin: 0.5mm 0 2.5mm; padding: 1.5mm 2.5mm; border: 0.75pt solid #000; white-space: pre-wrap;
      overflow-wrap: anywhere; }
.agenda, .hotseat { break-inside: avoid; page-break-inside: avoid; }
td.teams, th.teams { width: 16mm; text-align: right; }
td.time, th.time { width: 22mm; white-space: nowrap; }
td.minutes, th.minutes { width: 16mm; text-align: right; }
td.date, th.date { width: 24mm; white-space: nowrap; }
.timeline { font-size: 9pt; }
.note { font-style: italic; margin-top: 1mm; }
html:lang(ja) .note { font-style: normal; }
dl.by-role { margin: 0; }
dl.by-role dt { font-weight: bold; margin-top: 1.5mm; break-after: avoid; page-break-after: avoid; }
dl.by-role dd { margin: 0 0 0 5mm; }
ol.questions li { margin-bottom: 1mm; }
@media screen {
  html { background: #ddd; }
  .card, .guide { background: #fff; width: 210mm; margin: 6mm auto; padding: 14mm 15mm; }
  .card { min-height: 297mm; }
}"""


# --------------------------------------------------------------------------- reading the data


def _level(level: str) -> tuple[Path, Scenario]:
    try:
        path = find_level(level)
        return path, load_level(path)
    except ScenarioError as error:
        raise HandoutError(_one_line(error)) from None


def _roles() -> RolesSpec:
    try:
        return load_roles()
    except ScenarioError as error:
        raise HandoutError(_one_line(error)) from None


def _one_line(error: ScenarioError) -> str:
    lines = str(error).splitlines() or ["unreadable level"]
    more = len(error.problems) - 1
    return lines[0] + (f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else "")


