"""The class's debrief: one self-contained HTML page comparing the games of a workshop (one
results file per game) with each other and with history, in English or Japanese.

The page holds, for the level the games played: each role's stars and objectives game by game;
charts (inline SVG drawn here: no scripts, no other files) of Japan's output index, China's
share of Japan's supply, the NdPr price in Japan and each taken role's main indicator, with the
level played by its ``history`` strategy on the same seed and the real figures as dots; each
team's turning points; where games of the same scenario part ways; the discussion questions and
the sources. A broken or foreign results file is named and skipped, never a traceback. The same
files give the same bytes (no dates, no clocks), so two reports can be diffed.

Results files hold English text only (action messages, headlines). A Japanese page words them
from the string table: each English line is matched against the table's templates
(``"{firm} is mothballed"``) and the Japanese template filled with the matched names in
Japanese (``game.workshop.wording``); a line no template matches shows as the file has it.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.objectives import NOT_MEASURED, NOT_MEASURED_AT_ALL, RULES, not_measured, reason_in_percent
from game.research import run
from game.research.runner import scenario_for
from game.scenario import AssumptionError, ScenarioError
from game.scenario.reference import fact_value_wording, fact_wording, facts, reference_points
from game.scenario.roles_file import load_roles
from game.spec import RolesSpec, Scenario
from game.ui.strings import LANGUAGES, Language
from game.vocab import fact_ids
from game.vocab.indicators import RECORDED
from game.vocab.quarters import Quarter
from game.workshop.codes import ROLES
from game.workshop.figures import FIGURES, in_unit
from game.whole_files import write_whole
from game.workshop.quoting import html_text as escape
from game.workshop.quoting import is_figure
from game.workshop.results import ResultsError, other_level_content, read_results
from game.workshop.svg_chart import ChartLine, svg_chart
from game.workshop.wording import Wording, template_pattern

# --------------------------------------------------------------------------- the words
# English keys of assets/strings/ja.toml; tests/test_workshop_report.py checks each has an entry.

TITLE = "Workshop debrief: {title}"
SPAN = "{start} to {end}"
CODE = "scenario code {code}"
NO_CODE = "no scenario code"
SEED = "seed {seed}"
CODE_AND_SEED = "{code} ({seed})"
MODEL = "model version {version}"
GAMES_COMPARED = "Games compared: {n}"
SKIPPED = "Files left out"
SKIPPED_FILE = "not a usable results file"
SKIPPED_DETAIL = "{why} ({detail})"
OTHER_LEVEL = "another level ({level}) than the first game's ({first})"
SAME_FILE = "the same file as {other}"
EARLIER_COPY = "an earlier save of the class in {other} ({quarters} of its quarters played)"
GAMES = "Games"
GAME, CODE_HEADING, SEED_HEADING, TEAMS, QUARTERS = "Game", "Scenario code", "Seed", "Teams", "Quarters played"
NATION_TEAM = "{nation} ({team})"
UNNAMED_TEAM = "a team without a name"
LABELLED = "{label}: {item}"
FACT_ENTRY = "{quantity}: {value}."
ENDED_EARLY = "ended early by the facilitator"
UNFINISHED = "unfinished: the level has {total}"
QUARTERS_NOT_THE_LEVELS = "its quarters are not those of level {level} ({start} to {end})"
OTHER_VERSION = "played with model version {version}"
OTHER_LEVEL_FILE = "played with another version of the level file"
RESULTS = "Results by role"
PLAYED_BY, STARS, SCORE = "Played by", "Stars", "Score"
BOT = "bot"
DOCTRINE = "China's doctrine"
ITSELF = "decides for itself"  # a company no team took: its firms decide, as the roles file says
STOOD_IN = "its bot stood in for {n} quarters"
STOOD_IN_ONCE = "its bot stood in for {n} quarter"
NOT_IN_GAME = "not in this game"
CHARTS = "Charts"
CHARTS_INTRO = ("One line per game; the History line is the level played by its history strategy (what Japan "
                "really did) with the same seed; dots are what really happened, numbered as in the Sources.")
CHART_OF = "{nation}: {indicator}"
HISTORY_LINE = "History as the game plays it"
HISTORY_LINE_SEED = "History as the game plays it (seed {seed})"
REAL = "What really happened"
REAL_SOURCES = "What really happened: sources {numbers}"
NO_HISTORY_LINE = "No History line: the history run does not record this figure."
TURNING_POINTS = "Turning points"
TURNING_INTRO = ("For each team, the quarters where its main indicator moved most, what the team did the quarter "
                 "before and in that quarter, and that quarter's news; (bot) marks a bot's move while the team "
                 "was away.")
TEAM_OF = "{game}: {nation}, played by {team}"
MAIN_INDICATOR = "Main indicator: {indicator}"
DID_NOT_MOVE = "Its main indicator did not move."
QUARTER, CHANGE, ACTIONS, NEWS = "Quarter", "Change", "Actions", "News"
NO_ACTION = "no action"
FACILITATOR = "Facilitator"
BY_BOT = "(bot)"
MORE_NEWS = "…and {n} more"
DIFFERENCES = "Differences between games"
NOTHING_TO_COMPARE = "No two games played the same scenario (the same code, seed, settings and teams' roles)."
SAME_RESULTS = "{b} took the same actions as {a} and got identical results."
SAME_ACTIONS_OTHER_RESULTS = "{b} took the same actions as {a} but got other results: {why}."
UNEXPLAINED = "the same model and level file, which should not happen"
OTHER_ROLES = "{b} had other teams than {a}: {roles_b} against {roles_a}."
FIRST_DIFFERENCE = "{b} and {a} first acted differently in {quarter}:"
STARS_DIFFER = "Final stars: {changes}."  # with the score where a team's differs
SAME_STARS = "The same final stars for every role."
NONE = "none"
QUESTIONS = "Discussion questions"
SOURCES = "Sources"
LEVEL_SOURCES = "Facts the level cites"
CHART_SOURCES = "Real figures in the charts"
SOURCE_OF = "Source: {source}"
REACHED_YET = "{quarter} not reached yet"
SPAN_NOT_PLAYED = "no quarter of its span played yet"
_NOT_MEASURED = re.compile(re.escape(NOT_MEASURED).replace(re.escape("{quarter}"), r"(\S+)"))
REASON = "{value} in {where}; target {rule} {threshold}"  # the in-game debrief's wording

#: Japan's whole table (game.vocab.indicators.RECORDED) as the charts title it.
JAPAN_INDICATORS = {
    "japan_output_index": ("Japan's output index", "index"),
    "japan_china_share": ("China's share of Japan's supply", "share"),
    "price_ndpr_japan": ("NdPr price in Japan (US$/kg)", "amount"),
    "price_dytb_japan": ("Dy/Tb price in Japan (US$/kg)", "amount"),
    "japan_stockpile_days": ("Japan's stockpile (days of use)", "amount"),
    "japan_secured_share": ("Japan's supply secured outside China (share of a year's need)", "share"),
    "japan_received_outside_china_t": ("Oxide Japan received from outside China (t a quarter)", "amount"),
    "japan_recycling_tpy": ("Japan's recycling capacity (t a year)", "amount"),
    "japan_recycled_tpy": ("Oxide recycled from Japan's scrap (t a year)", "amount"),
    "japan_deep_sea_stages": ("Deep-sea mud stages completed", "amount"),
    "china_tension_japan": ("Tension between China and Japan", "index"),
}
#: Japan's charts, whichever roles the teams took.
JAPAN_CHARTS = ("japan_output_index", "japan_china_share", "price_ndpr_japan")
#: A nation's column -> Japan's column in a headless run's rows (for Japan's role).
JAPAN_COLUMN = {"output_index": "japan_output_index", "china_share": "japan_china_share",
                "stockpile_days": "japan_stockpile_days", "secured_share": "japan_secured_share",
                "budget_musd": "japan_budget_musd", "political_capital": "japan_political_capital",
                "imports_t": "japan_imports_t", "received_outside_china_t": "japan_received_outside_china_t",
                "price_ndpr": "price_ndpr_japan", "tension_with_china": "china_tension_japan"}
#: The tonnes a headless run records a miner digging, by nation.
MINED_COLUMN = {"CHN": "china_mined_t", "USA": "usa_mined_t", "AUS": "australia_mined_t"}
#: News kinds a team's turning point shows beside the level's events and its own nation's news.
POLICY_NEWS = ("facilitator", "embargo", "doctrine", "export_controls", "licence", "tariff", "wto", "diplomacy",
               "mining_quota", "royalty")
MAX_NEWS = 5
#: How lines look, game by game: colour (Okabe-Ito, safe for colour-blind readers), dashes,
#: marker; distinct in black and white too.
GAME_STYLES = (("#0072B2", "", "circle"), ("#D55E00", "8 4", "square"), ("#009E73", "2 3", "triangle"),
               ("#CC79A7", "10 3 2 3", "plus"), ("#E69F00", "5 5", "cross"), ("#56B4E9", "14 4", "ring"),
               ("#000000", "3 2 3 6", "box"), ("#999933", "1 4", "del"))
HISTORY_STYLE = ("#555555", "12 3 3 3", "")


class ReportError(ValueError):
    """No report can be written (no usable results file, an unknown language); one line saying why."""


# --------------------------------------------------------------------------- the door


def write_report(paths: Sequence[Path], out: Path, language: str = "en") -> tuple[Path, list[tuple[str, str]]]:
    """Read the results files, leave out the broken and foreign ones and those of another level
    than the first usable one, and write the page at ``out`` whole or not at all.

    Returns the page's path and the files left out, as (path, why). Raises ReportError when no
    file is usable, the language is unknown or the page cannot be written."""
    _check_language(language)
    games: list[dict[str, Any]] = []
    names: list[str] = []  # each game's file, as given
    skipped: list[tuple[str, str]] = []
    read: dict[Path, str] = {}
    for given in paths:
        path = Path(given)
        same = read.get(path.resolve())
        if same is not None:
            skipped.append((str(path), SAME_FILE.format(other=same)))
            continue
        try:
            data = read_results(path)
        except ResultsError as error:
            skipped.append((str(path), str(error).removeprefix(f"{path}: ")))
            continue
        if games and data["level"] != games[0]["level"]:
            skipped.append((str(path), OTHER_LEVEL.format(level=data["level"], first=games[0]["level"])))
            continue
        wrong = _quarters_problem(data)
        if wrong:
            skipped.append((str(path), wrong))
            continue
        read[path.resolve()] = str(path)
        games.append(data)
        names.append(str(path))
    # A class saved more than once (Save results, then again at its end, or after a resume)
    # counted as that many games: each earlier save of one is left out, for its latest.
    for k in range(len(games) - 1, -1, -1):
        saved_later = [j for j in range(len(games)) if j != k and _saved_later(games[k], games[j])]
        if saved_later:  # the latest save of all, with the first of identical ones
            later = max(saved_later, key=lambda j: (games[j]["turns_played"], len(games[j]["actions"]),
                                                    bool(games[j].get("ended_early")), -j))
            skipped.append((names[k], EARLIER_COPY.format(other=names[later], quarters=games[k]["turns_played"])))
            del games[k], names[k]
    if not games:
        why = f" ({skipped[0][0]}: {skipped[0][1]})" if len(skipped) == 1 else ""
        raise ReportError(f"no usable results file among the {len(skipped)} given{why}")
    page = report_html(games, skipped, language)
    out = Path(out)
    try:
        write_whole(out, page)
    except OSError as error:
        raise ReportError(f"{out}: cannot write the report ({error.strerror or error})") from None
    return out, skipped


#: What makes two results files the same class's: nothing a game's play changes.
CLASS_KEYS = ("code", "title", "level", "level_sha256", "settings", "seed", "roles", "flags", "model_version")


def _saved_later(earlier: Mapping[str, Any], later: Mapping[str, Any]) -> bool:
    """Whether ``later`` is the same class as ``earlier``, saved at the same standing or a later
    one: its moves begin with all of ``earlier``'s."""
    if any(earlier.get(key) != later.get(key) for key in CLASS_KEYS):
        return False
    if {code: nation.get("team") for code, nation in earlier["nations"].items()} != \
            {code: nation.get("team") for code, nation in later["nations"].items()}:
        return False
    moves = earlier["actions"]
    if earlier.get("ended_early") and not later.get("ended_early") and later["actions"] == moves \
            and later["turns_played"] == earlier["turns_played"]:
        return False  # the copy saved as the facilitator ended the game is its last, not this one
    return earlier["turns_played"] <= later["turns_played"] and later["actions"][:len(moves)] == moves


def report_html(results: list[dict], skipped: list[tuple[str, str]], language: str) -> str:
    """The page for ``results`` (read_results' tables, all of one level), naming the ``skipped``
    files (path, why) it leaves out."""
    _check_language(language)
    if not results:
        raise ReportError("no results to report")
    levels = sorted({str(r.get("level")) for r in results})
    if len(levels) > 1:
        raise ReportError(f"results of more than one level ({', '.join(levels)}); a report compares one level")
    return _Page(results, skipped, language).html()


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ReportError(f"no language {language!r} (languages: {', '.join(LANGUAGES)})")


# --------------------------------------------------------------------------- the games


@dataclass(frozen=True)
class Game:
    """One results file on the page: its letter (A, B, ...) and its table."""

    letter: str
    data: Mapping[str, Any]

    @property
    def label(self) -> str:
        return f"{self.letter}: {self.data['title']}" if self.data.get("title") else self.letter

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(code for code in ROLES if code in self.data["roles"])

    def nation(self, code: str) -> Mapping[str, Any] | None:
        return self.data["nations"].get(code)

    def series(self, code: str, column: str) -> dict[str, float]:
        """Quarter -> value of a column: Japan's table for its columns, else the nation's rows."""
        if column in RECORDED:
            rows = self.data["japan_rows"]
        else:
            rows = (self.nation(code) or {}).get("rows", [])
        return {str(row["quarter"]): float(row[column]) for row in rows
                if isinstance(row.get(column), (int, float)) and "quarter" in row}

    def actions(self, quarters: Sequence[str] = ()) -> list[Mapping[str, Any]]:
        """The accepted actions (of ``quarters``, or all), in the order they were made."""
        return [e for e in self.data["actions"] if e.get("accepted", True) and (not quarters or e["quarter"] in quarters)]

    def played_for(self, code: str) -> int:
        """Quarters in which a bot acted for a role a team took (the team was away)."""
        return len({e["quarter"] for e in self.data["actions"] if e["nation"] == code and e["by"] == "bot"})

    def same_scenario(self) -> tuple[str, int, str, tuple[str, ...]]:
        """What sets up the same game: the code, the seed, the settings and the roles teams took."""
        return (str(self.data["code"]), int(self.data["seed"]), json.dumps(self.data["settings"], sort_keys=True),
                self.roles)

    def outcome(self) -> str:
        """What the game produced, to tell identical games apart from different ones."""
        return json.dumps([self.data["japan_rows"], {c: (n.get("stars"), n.get("score"), n.get("rows"))
                                                     for c, n in sorted(self.data["nations"].items())}],
                          sort_keys=True)

    def moves(self, quarter: str) -> list[str]:
        """The quarter's accepted actions as comparable text."""
        return [_move(e) for e in self.actions((quarter,))]


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# --------------------------------------------------------------------------- the page


class _Page:
    def __init__(self, results: list[dict], skipped: list[tuple[str, str]], language: str):
        self.language = language
        self.tr = Language(language).tr
        self.games = [Game(_letter(i), data) for i, data in enumerate(results)]
        self.skipped = list(skipped)
        first = self.games[0].data
        self.scenario = _scenario(first["level"], first.get("settings") or {})
        try:
            self.roles_spec: RolesSpec | None = load_roles()
        except ScenarioError:
            self.roles_spec = None
        self.words = Wording(language, self.scenario, self.roles_spec)
        self.quarters = self._quarters()
        self.sources: dict[str, int] = {}  # fact id -> its number in the Sources
        for fact_id in self.scenario.sources if self.scenario else ():
            self._cite(fact_id)
        self._history: dict[tuple[int, str], list[dict[str, Any]] | None] = {}

    # ------------------------------------------------------------------ the whole

    def html(self) -> str:
        tr = self.tr
        title = tr(TITLE, title=self._level_title())
        # In this order: the charts and the note number the facts they cite, the Sources list them.
        parts = (self._header, self._results, self._charts, self._turning_points, self._differences,
                 self._what_happened, self._questions, self._sources)
        body = "".join(part() for part in parts)
        return (f'<!DOCTYPE html>\n<html lang="{self.language}">\n<head>\n<meta charset="utf-8">\n'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
                f"<h1>{escape(title)}</h1>\n{body}</body>\n</html>\n")

    # ------------------------------------------------------------------ parts

    def _header(self) -> str:
        tr, first = self.tr, self.games[0].data
        start, end = (self.quarters[0], self.quarters[-1]) if self.quarters else ("?", "?")
        # Each code beside its seed (sorted apart, the lists did not pair up); games without one last.
        scenarios = sorted({(g.data["code"], g.data["seed"]) for g in self.games}, key=lambda cs: (not cs[0], cs))
        meta = [tr(SPAN, start=start, end=end),
                self._join(tr(CODE_AND_SEED, code=tr(CODE, code=c) if c else tr(NO_CODE), seed=tr(SEED, seed=s))
                           for c, s in scenarios),
                tr(MODEL, version=first.get("model_version", "?")),
                tr(GAMES_COMPARED, n=len(self.games))]
        parts = [f'<p class="meta">{escape(" · ".join(meta))}</p>\n']
        rows = []
        for game in self.games:
            data = game.data
            teams = self._join(tr(NATION_TEAM, nation=self.words.nation(c),
                                 team=self._team_name(game, c)) for c in game.roles)
            notes = []
            if data.get("ended_early"):
                notes.append(tr(ENDED_EARLY))
            elif self.scenario is not None and data["turns_played"] < self.scenario.n_turns:
                notes.append(tr(UNFINISHED, total=self.scenario.n_turns))
            if data.get("model_version") != first.get("model_version"):
                notes.append(tr(OTHER_VERSION, version=data.get("model_version")))
            if other_level_content(data, first):
                notes.append(tr(OTHER_LEVEL_FILE))
            played = str(data["turns_played"]) + (f" ({'; '.join(notes)})" if notes else "")
            code = data["code"] or "–"
            rows.append(f'<tr data-game="{game.letter}"><td>{escape(game.label)}</td><td>{escape(code)}</td>'
                        f'<td>{data["seed"]}</td><td>{escape(teams)}</td><td>{escape(played)}</td></tr>')
        parts.append(f"<h2>{escape(tr(GAMES))}</h2>\n<table class=\"games\"><thead><tr>"
                     + "".join(f"<th>{escape(tr(h))}</th>" for h in (GAME, CODE_HEADING, SEED_HEADING, TEAMS, QUARTERS))
                     + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>\n")
        if self.skipped:
            items = "".join(f'<li data-skipped="{escape(path)}">'
                            f"{tr(LABELLED, label=f'<code>{escape(path)}</code>', item=escape(self._skip_reason(reason)))}"
                            "</li>" for path, reason in self.skipped)
            parts.append(f'<section class="skipped"><h2>{escape(tr(SKIPPED))}</h2><ul>{items}</ul></section>\n')
        return "".join(parts)

    def _skip_reason(self, reason: str) -> str:
        """Why a file was left out; in Japanese, results.py's English detail after a Japanese word."""
        for template in (OTHER_LEVEL, SAME_FILE, EARLIER_COPY, QUARTERS_NOT_THE_LEVELS):
            match = template_pattern(template).fullmatch(reason)
            if match:
                return self.tr(template, **match.groupdict())
        if self.language == "en":
            return reason
        worded = self.words.text(reason)
        return worded if worded != reason else self.tr(SKIPPED_DETAIL, why=self.tr(SKIPPED_FILE), detail=reason)

    def _results(self) -> str:
        tr = self.tr
        parts = [f"<h2>{escape(tr(RESULTS))}</h2>\n"]
        for code in ROLES:
            if not any(g.nation(code) for g in self.games):
                continue
            objectives: dict[str, Mapping[str, Any]] = {}
            for game in self.games:
                for objective in (game.nation(code) or {}).get("objectives", []):
                    objectives.setdefault(str(objective.get("id")), objective)
            head = "".join(f"<th>{escape('★' * int(o.get('star', 1)))} {escape(self._pick(o.get('text'), i))}</th>"
                           for i, o in objectives.items())
            rows = []
            for game in self.games:
                nation = game.nation(code)
                if nation is None:
                    cells = f'<td colspan="{3 + len(objectives)}">{escape(tr(NOT_IN_GAME))}</td>'
                else:
                    verdicts = {str(o.get("id")): o for o in nation.get("objectives", [])}
                    cells = (f"<td>{escape(self._played_by(game, code))}</td>"
                             f'<td class="stars">{_stars(int(nation["stars"]))}</td>'
                             f"<td>{float(nation.get('score', 0.0)):.0f}</td>"
                             + "".join(self._verdict(verdicts.get(i), game, code) for i in objectives))
                rows.append(f'<tr data-game="{game.letter}" data-role="{code}"><td>{escape(game.label)}</td>{cells}</tr>')
            parts.append(f'<div class="role"><h3>{escape(self.words.nation(code))}</h3>'
                         f"<table><thead><tr><th>{escape(tr(GAME))}</th><th>{escape(tr(PLAYED_BY))}</th>"
                         f"<th>{escape(tr(STARS))}</th><th>{escape(tr(SCORE))}</th>{head}</tr></thead>"
                         f"<tbody>{''.join(rows)}</tbody></table></div>\n")
        return "".join(parts)

    def _team_name(self, game: Game, code: str) -> str:
        """The name the team playing ``code`` gave, or that it gave none (never the class's title:
        a team that never joined was credited with it)."""
        return str((game.nation(code) or {}).get("team") or self.tr(UNNAMED_TEAM))

    def _played_by(self, game: Game, code: str) -> str:
        nation = game.nation(code) or {}
        played_by = nation.get("played_by")
        if played_by == "doctrine":
            return self.tr(DOCTRINE)
        if played_by == "itself":
            return self.tr(ITSELF)
        if played_by != "team":
            return self.tr(BOT)
        team = self._team_name(game, code)
        away = game.played_for(code)
        return f"{team} ({self.tr(STOOD_IN if away != 1 else STOOD_IN_ONCE, n=away)})" if away else team

    def _verdict(self, verdict: Mapping[str, Any] | None, game: Game, code: str) -> str:
        if verdict is None:
            return "<td>–</td>"
        met = bool(verdict.get("met"))
        reason = str(verdict.get("reason", ""))
        if not met and self._never_measured(reason, game):
            # The facilitator ended the game before its date or span: not failed. (Files saved
            # before the game said so give "2012Q4 not reached yet"; their ended_early tells.)
            rows = (game.nation(code) or {}).get("rows", [])
            reason = reason if reason.startswith("not measured") else not_measured(rows)
            return f'<td class="unmeasured">– <span class="muted">{escape(self._reason(reason))}</span></td>'
        if not met and (reason == SPAN_NOT_PLAYED or reason.endswith(" not reached yet")):
            # Nothing has judged it yet (a class saved part-way): the game's own mark for an
            # objective not started, not the ✗ of one failed.
            return f'<td class="pending">○ <span class="muted">{escape(self._reason(reason))}</span></td>'
        mark = '<span class="met">✓</span>' if met else '<span class="unmet">✗</span>'
        reason = self._in_its_unit(reason, verdict, code)
        unit = self._format_of(str(verdict.get("indicator") or self._indicator_of(code, str(verdict.get("id", "")))))
        return (f'<td class="{"met" if met else "unmet"}">{mark} '
                f'<span class="muted">{escape(self._reason(reason, unit))}</span></td>')

    def _in_its_unit(self, reason: str, verdict: Mapping[str, Any], code: str) -> str:
        """The verdict's figures in its objective's unit: a share's as percentages, as the
        objective's text states it ("at least 3% of the world's ore"), where the judge words
        every figure as a number ("value 0.025, threshold at least 0.03"). The file's own
        figures where it has them (files saved before held only the reason's, rounded)."""
        indicator = verdict.get("indicator") or self._indicator_of(code, str(verdict.get("id", "")))
        if self._unit_of(str(indicator)) != "share":
            return reason
        return reason_in_percent(reason, *(float(verdict[key]) if is_figure(verdict.get(key)) else None
                                           for key in ("value", "threshold")))

    def _indicator_of(self, code: str, objective_id: str) -> str:
        """The column an objective of the role judges, from the level or the roles file ("" if unknown)."""
        if code == "JPN":
            objectives = self.scenario.objectives if self.scenario else ()
        else:
            role = next((r for r in self.roles_spec.roles if r.code == code), None) if self.roles_spec else None
            objectives = role.objectives if role else ()
        return next((o.indicator for o in objectives if o.id == objective_id), "")

    @staticmethod
    def _format_of(indicator: str) -> str:
        """How a figure of ``indicator`` reads on the class's screens ("US${v:,.0f}M"), for an
        amount; "" for a share (``_in_its_unit`` gives it in percent) or a figure it does not know."""
        column = indicator if indicator in FIGURES else indicator.removeprefix("japan_")
        if column not in FIGURES or FIGURES[column].kind == "share":
            return ""
        return FIGURES[column].shown

    @staticmethod
    def _unit_of(indicator: str) -> str:
        if indicator in JAPAN_INDICATORS:
            return JAPAN_INDICATORS[indicator][1]
        return FIGURES[indicator].kind if indicator in FIGURES else "amount"

    @staticmethod
    def _never_measured(reason: str, game: Game) -> bool:
        if reason == NOT_MEASURED_AT_ALL or _NOT_MEASURED.fullmatch(reason):
            return True
        return bool(game.data.get("ended_early")) and (reason == SPAN_NOT_PLAYED or reason.endswith(" not reached yet"))

    def _reason(self, reason: str, unit: str = "") -> str:
        """An objective's verdict (game.objectives.judge's English) in the page's language, its
        value and threshold in ``unit`` (a format of FIGURES: "US${v:,.0f}M"), where it has one:
        "value 692 in 2010Q3" beside an objective of "US$700M a quarter" said not of what."""
        words = "|".join(re.escape(w) for w, _ in sorted(RULES.values(), key=lambda r: -len(r[0])))
        match = re.fullmatch(rf"(lowest|highest|value) (\S+) in (\S+), threshold ({words}) (\S+)", reason)
        if match:
            shown, value, where, rule, threshold = match.groups()
            if unit:
                value, threshold = (in_unit(figure, self.tr(unit)) for figure in (value, threshold))
            if self.language == "en":
                return f"{shown} {value} in {where}, threshold {rule} {threshold}"
            return self.tr(REASON, value=value, where=where, rule=self.tr(rule), threshold=threshold)
        if self.language == "en":
            return reason
        if reason.endswith(" not reached yet"):
            return self.tr(REACHED_YET, quarter=reason.removesuffix(" not reached yet"))
        match = _NOT_MEASURED.fullmatch(reason)
        if match:
            return self.tr(NOT_MEASURED, quarter=match.group(1))
        return self.tr(reason)

    # ------------------------------------------------------------------ charts

    def _charts(self) -> str:
        charts = [("JPN", column) for column in JAPAN_CHARTS]
        for code in self._taken():
            key = (code, self.main_indicator(code))
            if key not in charts:
                charts.append(key)
        figures = "".join(self._chart(code, column) for code, column in charts)
        return (f"<h2>{escape(self.tr(CHARTS))}</h2>\n<p>{escape(self.tr(CHARTS_INTRO))}</p>\n"
                f'<div class="charts">{figures}</div>\n')

    def _chart(self, code: str, column: str) -> str:
        tr = self.tr
        title, unit = self.indicator(code, column)
        lines = [ChartLine(self._legend_label(game, code), tuple(game.series(code, column).get(q) for q in self.quarters),
                           GAME_STYLES[i % len(GAME_STYLES)]) for i, game in enumerate(self.games)]
        history = self._history_lines(code, column)
        lines += history
        dots = self._reference(code, column)
        numbers = [self._cite(fact_id) for _, _, fact_id in dots]
        svg = svg_chart(title, self.quarters, lines, tuple((x, v) for x, v, _ in dots), unit, tr(REAL))
        notes = []
        if numbers:
            notes.append(tr(REAL_SOURCES, numbers=self._join(f"[{n}]" for n in sorted(set(numbers)))))
        if not history:
            notes.append(tr(NO_HISTORY_LINE))
        caption = f"<figcaption>{escape(' '.join(notes))}</figcaption>" if notes else ""
        return f'<figure data-chart="{escape(code)}:{escape(column)}">{svg}{caption}</figure>\n'

    def _legend_label(self, game: Game, code: str) -> str:
        played_by = (game.nation(code) or {}).get("played_by")
        if played_by in ("bot", "doctrine", "itself"):
            word = {"bot": BOT, "doctrine": DOCTRINE, "itself": ITSELF}[played_by]
            return f"{game.label} ({self.tr(word)})"
        return game.label

    def indicator(self, code: str, column: str, named: bool = True) -> tuple[str, str]:
        """A chart's title and unit kind for a role's column; ``named``: after the nation's name."""
        if column in JAPAN_INDICATORS:
            title, unit = JAPAN_INDICATORS[column]
            return self.tr(title), unit
        title, unit = (FIGURES[column].title, FIGURES[column].kind) if column in FIGURES \
            else (column.replace("_", " "), "amount")
        if not named:
            return self.tr(title), unit
        return self.tr(CHART_OF, nation=self.words.nation(code), indicator=self.tr(title)), unit

    def _history_lines(self, code: str, column: str) -> list[ChartLine]:
        groups = sorted({(g.data["seed"], json.dumps(g.data["settings"], sort_keys=True)) for g in self.games})
        lines = []
        for seed, settings in groups:
            rows = self._history_rows(seed, settings)
            values = [_history_value(row, code, column) for row in rows or ()]
            if not rows or all(v is None for v in values):
                continue
            by_quarter = {str(row["quarter"]): v for row, v in zip(rows, values, strict=True)}
            label = self.tr(HISTORY_LINE) if len(groups) == 1 else self.tr(HISTORY_LINE_SEED, seed=seed)
            lines.append(ChartLine(label, tuple(by_quarter.get(q) for q in self.quarters), HISTORY_STYLE, width=2.5))
        return lines

    def _history_rows(self, seed: int, settings: str) -> list[dict[str, Any]] | None:
        """The level played by its history strategy on ``seed`` (None if it cannot be played here)."""
        key = (seed, settings)
        if key not in self._history:
            try:
                scenario = scenario_for(self.games[0].data["level"], json.loads(settings))
                self._history[key] = list(run(scenario, strategy="history", seed=seed, agents=False).rows)
            except (ScenarioError, AssumptionError):
                self._history[key] = None
        return self._history[key]

    def _reference(self, code: str, column: str) -> list[tuple[float, float, str]]:
        """The real figures for a chart, inside the level's span: (quarter index, value, fact id)."""
        japan_column = column if column in RECORDED else JAPAN_COLUMN.get(column) if code == "JPN" else None
        if not japan_column or not self.quarters:
            return []
        first = _quarter_year(self.quarters[0])
        points = []
        for point in reference_points(japan_column):
            x = (point.year - first) * 4
            if -0.5 <= x <= len(self.quarters) - 0.5:
                points.append((x, point.value, point.fact_id))
        return points

    # ------------------------------------------------------------------ turning points

    def _turning_points(self) -> str:
        tr = self.tr
        parts = [f"<h2>{escape(tr(TURNING_POINTS))}</h2>\n<p>{escape(tr(TURNING_INTRO))}</p>\n"]
        for game in self.games:
            for code in game.roles:
                parts.append(self._team(game, code))
        return "".join(parts)

    def _team(self, game: Game, code: str) -> str:
        tr = self.tr
        column = self.main_indicator(code)
        title, unit = self.indicator(code, column, named=False)
        team = self._team_name(game, code)
        heading = tr(TEAM_OF, game=game.label, nation=self.words.nation(code), team=team)
        series = game.series(code, column)
        played = [q for q in self.quarters if q in series]
        moves = [(abs(series[q] - series[p]), i + 1) for i, (p, q) in enumerate(itertools.pairwise(played))]
        moves = [m for m in moves if m[0] > 1e-9 * max(1.0, abs(series[played[m[1]]]))]
        chosen = sorted(i for _, i in sorted(moves, key=lambda m: (-m[0], m[1]))[:3])
        head = (f'<div class="team" data-game="{game.letter}" data-role="{code}"><h3>{escape(heading)}</h3>'
                f'<p class="muted">{escape(tr(MAIN_INDICATOR, indicator=title))}</p>')
        if not chosen:
            return head + f"<p>{escape(tr(DID_NOT_MOVE))}</p></div>\n"
        rows = []
        for i in chosen:
            before, quarter = played[i - 1], played[i]
            arrow = "▲" if series[quarter] > series[before] else "▼"
            change = f"{arrow} {_shown(series[before], unit)} → {_shown(series[quarter], unit)}"
            rows.append(f'<tr data-quarter="{quarter}"><td>{quarter}</td><td>{escape(change)}</td>'
                        f"<td>{self._actions_cell(game, code, (before, quarter))}</td>"
                        f"<td>{self._news_cell(game, code, quarter)}</td></tr>")
        return (head + f"<table class=\"points\"><thead><tr><th>{escape(tr(QUARTER))}</th><th>{escape(tr(CHANGE))}</th>"
                f"<th>{escape(tr(ACTIONS))}</th><th>{escape(tr(NEWS))}</th></tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table></div>\n")

    def _actions_cell(self, game: Game, code: str, quarters: tuple[str, str]) -> str:
        lines = []
        for quarter in quarters:
            shown = [self._action(e) for e in game.actions((quarter,)) if e["nation"] in (code, "FAC")]
            lines += [self.tr(LABELLED, label=f"<b>{quarter}</b>", item=action) for action in shown]
        return "<br>".join(lines) or escape(self.tr(NO_ACTION))

    def _action(self, entry: Mapping[str, Any], named: bool = False) -> str:
        """An action as the page shows it; ``named``: after its nation's name."""
        text = escape(self.words.action(entry))
        if entry["nation"] == "FAC":
            return self.tr(LABELLED, label=escape(self.tr(FACILITATOR)), item=text)
        if named:
            text = self.tr(LABELLED, label=escape(self.words.nation(entry["nation"])), item=text)
        return f"{text} <i>{escape(self.tr(BY_BOT))}</i>" if entry["by"] == "bot" else text

    def _news_cell(self, game: Game, code: str, quarter: str) -> str:
        events = {e.headline for e in self.scenario.events} if self.scenario else set()
        news = [n for n in game.data["news"] if n.get("quarter") == quarter]

        def rank(item: Mapping[str, Any]) -> int | None:
            kind, nation = item.get("kind"), item.get("nation")
            if kind == "history":
                return 2 if nation == code else None  # what history did is told only to the nation that did it
            if item.get("headline") in events or kind in POLICY_NEWS:
                return 0
            return 1 if nation == code else None

        picked = sorted((r, i) for i, item in enumerate(news) if (r := rank(item)) is not None)
        shown = [escape(self.words.text(str(news[i].get("headline", "")))) for _, i in picked[:MAX_NEWS]]
        if len(picked) > MAX_NEWS:
            shown.append(escape(self.tr(MORE_NEWS, n=len(picked) - MAX_NEWS)))
        return "<br>".join(shown) if shown else "–"

    # ------------------------------------------------------------------ differences

    def _differences(self) -> str:
        tr = self.tr
        groups: dict[tuple, list[Game]] = {}
        for game in self.games:
            groups.setdefault(game.same_scenario(), []).append(game)
        items = []
        for games in groups.values():
            first = games[0]
            for other in games[1:]:
                items.append(self._difference(first, other))
        body = "".join(items) if items else f"<li>{escape(tr(NOTHING_TO_COMPARE))}</li>"
        return f"<h2>{escape(tr(DIFFERENCES))}</h2>\n<ul class=\"differences\">{body}</ul>\n"

    def _difference(self, a: Game, b: Game) -> str:
        tr = self.tr
        lines = []
        if a.roles != b.roles:
            lines.append(escape(tr(OTHER_ROLES, a=a.label, b=b.label, roles_a=self._roles(a), roles_b=self._roles(b))))
        quarter = next((q for q in self.quarters if a.moves(q) != b.moves(q)), None)
        if quarter is None:
            if a.outcome() == b.outcome():
                lines.append(escape(tr(SAME_RESULTS, a=a.label, b=b.label)))
            else:
                why = [tr(OTHER_VERSION, version=b.data.get("model_version"))
                       if a.data.get("model_version") != b.data.get("model_version") else "",
                       tr(OTHER_LEVEL_FILE) if other_level_content(a.data, b.data) else ""]
                lines.append(escape(tr(SAME_ACTIONS_OTHER_RESULTS, a=a.label, b=b.label,
                                       why=self._join(w for w in why if w) or tr(UNEXPLAINED))))
            return f'<li data-games="{a.letter} {b.letter}" data-same="1">{"<br>".join(lines)}</li>'
        lines.append(escape(tr(FIRST_DIFFERENCE, a=a.label, b=b.label, quarter=quarter)))
        # Only the moves one game made and the other did not: the rest of the quarter is common.
        moves_a, moves_b = a.actions((quarter,)), b.actions((quarter,))
        sides = []
        for game, mine, theirs in ((a, moves_a, moves_b), (b, moves_b, moves_a)):
            left = [_move(e) for e in theirs]
            only = []
            for entry in mine:
                if _move(entry) in left:
                    left.remove(_move(entry))
                else:
                    only.append(entry)
            shown = self._join((self._action(e, named=True) for e in only), strong=True) or escape(tr(NONE))
            sides.append(f"<li>{tr(LABELLED, label=escape(game.label), item=shown)}</li>")
        changes = []  # every role whose stars differ, and the teams' roles whose scores do
        for code in ROLES:
            na, nb = a.nation(code), b.nation(code)
            if not na or not nb or (na["stars"] == nb["stars"] and
                                    (code not in a.roles + b.roles or na.get("score") == nb.get("score"))):
                continue
            changes.append(f"{self.words.nation(code)} {_stars(na['stars'])} {float(na.get('score', 0)):.0f} "
                           f"({a.letter}) → {_stars(nb['stars'])} {float(nb.get('score', 0)):.0f} ({b.letter})")
        stars = escape(tr(STARS_DIFFER, changes=self._join(changes)) if changes else tr(SAME_STARS))
        return (f'<li data-games="{a.letter} {b.letter}" data-first-difference="{quarter}">{"<br>".join(lines)}'
                f'<ul>{"".join(sides)}</ul>{stars}</li>')

    def _roles(self, game: Game) -> str:
        return self._join(self.words.nation(c) for c in game.roles) or "–"

    # ------------------------------------------------------------------ history, questions, sources

    def _what_happened(self) -> str:
        notes = self.scenario.notes if self.scenario else {}
        text = notes.get(f"what_happened_{self.language}") or notes.get("what_happened", "")
        if not text:
            return ""
        known = facts()
        # Fact ids, alone or a bracketed list, become numbered links to the Sources: "[2, 3]".
        body, at = [], 0
        for match in _CITED.finditer(text):
            ids = _FACT_ID.findall(match.group(1)) if match.group(1) else [match.group(0)]
            if not ids or any(i not in known for i in ids):
                continue
            links = ", ".join(f'<a href="#source-{self._cite(i)}">{self._cite(i)}</a>' for i in ids)
            body += [escape(text[at:match.start()]), f"[{links}]"]
            at = match.end()
        body = "".join([*body, escape(text[at:])])
        return f"<h2>{escape(self.tr(REAL))}</h2>\n<p>{body}</p>\n"

    def _questions(self) -> str:
        questions = self.roles_spec.questions if self.roles_spec else ()
        if not questions:
            return ""
        items = "".join(f"<li>{escape(self._pick(q, ''))}</li>" for q in questions)
        return f'<h2>{escape(self.tr(QUESTIONS))}</h2>\n<ol class="questions">{items}</ol>\n'

    def _sources(self) -> str:
        if not self.sources:
            return ""
        known = facts()
        level = set(self.scenario.sources) if self.scenario else set()
        lists = []
        for heading, ids in ((LEVEL_SOURCES, [i for i in self.sources if i in level]),
                             (CHART_SOURCES, [i for i in self.sources if i not in level])):
            items = []
            for fact_id in ids:
                fact = known.get(fact_id)
                if fact is None:
                    continue
                quantity, _ = fact_wording(fact, self.language)
                items.append(f'<li id="source-{self.sources[fact_id]}" value="{self.sources[fact_id]}">'
                             f"{escape(self.tr(FACT_ENTRY, quantity=quantity, value=fact_value_wording(fact, self.language).removesuffix(' date')))} "
                             f'<span class="muted">{escape(self.tr(SOURCE_OF, source=fact.source))}</span></li>')
            if items:
                lists.append(f"<h3>{escape(self.tr(heading))}</h3><ol>{''.join(items)}</ol>")
        return f'<h2>{escape(self.tr(SOURCES))}</h2>\n<section class="sources">{"".join(lists)}</section>\n'

    # ------------------------------------------------------------------ helpers

    def _join(self, items: Iterable[str], strong: bool = False) -> str:
        """A list in the page's language: "a, b" or "a、b"; ``strong``: of items with commas of their own."""
        if strong:
            return ("／" if self.language == "ja" else "; ").join(items)
        return ("、" if self.language == "ja" else ", ").join(items)

    def _cite(self, fact_id: str) -> int:
        return self.sources.setdefault(fact_id, len(self.sources) + 1)

    def _pick(self, localized: Mapping[str, str] | None, fallback: str) -> str:
        return Language(self.language).pick(dict(localized or {}), fallback)

    def _level_title(self) -> str:
        data = self.games[0].data
        return self._pick(data.get("level_title"), str(data["level"]))

    def _quarters(self) -> list[str]:
        if self.scenario:
            span = self.scenario.end - self.scenario.start
            return [str(self.scenario.start + i) for i in range(span + 1)]
        found = {str(r["quarter"]) for g in self.games for r in g.data["japan_rows"] if "quarter" in r}
        return sorted(found, key=lambda q: (q[:4], q[4:]))

    def _taken(self) -> list[str]:
        return [code for code in ROLES if any(code in g.roles for g in self.games)]

    def main_indicator(self, code: str) -> str:
        """What a role's chart and turning points follow: the figure of its first objective that
        moves in these games by a twentieth of its size or more (else the one that moves most, its
        output index last; a figure at a standstill tells the class nothing)."""
        if code == "JPN":
            candidates = [o.indicator for o in self.scenario.objectives] if self.scenario else []
            candidates.append("japan_output_index")
        else:
            role = next((r for r in self.roles_spec.roles if r.code == code), None) if self.roles_spec else None
            candidates = [o.indicator for o in role.objectives] if role else []
            candidates.append("output_index")
        spread = {}
        for column in candidates:
            values = [v for g in self.games for v in g.series(code, column).values()]
            spread[column] = (max(values) - min(values)) / max(abs(max(values)), abs(min(values))) if any(values) else 0.0
            if spread[column] >= 0.05:
                return column
        return max(candidates, key=lambda c: spread[c]) if any(spread.values()) else candidates[0]


def _quarters_problem(data: Mapping[str, Any]) -> str | None:
    """What is wrong with a results file's quarters for the level it names (a file edited to
    name another level charted one level's figures under another's title), or None."""
    scenario = _scenario(data["level"], data.get("settings") or {})
    if scenario is None:
        return None
    quarters = [row["quarter"] for row in data["japan_rows"]]
    expected = [str(scenario.start + turn) for turn in range(min(len(quarters), scenario.n_turns + 1))]
    if len(quarters) > scenario.n_turns or quarters != expected:
        return QUARTERS_NOT_THE_LEVELS.format(level=data["level"], start=scenario.start, end=scenario.end)
    return None


def _scenario(level: str, settings: Mapping[str, Any]) -> Scenario | None:
    """The level the games played, as this game ships it (None when it has no such level)."""
    try:
        return scenario_for(level, settings)
    except (ScenarioError, AssumptionError):
        return None


def _history_value(row: Mapping[str, Any], code: str, column: str) -> float | None:
    """A role's figure in a headless run's row (Japan's table), where the row has it."""
    if column in RECORDED:
        return _number(row.get(column))
    if code == "JPN" and column in JAPAN_COLUMN:
        return _number(row.get(JAPAN_COLUMN[column]))
    mined = MINED_COLUMN.get(code)
    if mined and column == "mined_t":
        return _number(row.get(mined))
    if mined and column == "world_mining_share":
        world = _number(row.get("world_mined_t"))
        return _number(row.get(mined)) / world if world else None
    if code == "CHN" and column == "exports_t":
        return _number(row.get("china_exports_t"))
    if code == "CHN" and column == "price_ndpr":
        return _number(row.get("price_ndpr_china"))
    return None


def _move(entry: Mapping[str, Any]) -> str:
    """An action as comparable text: its nation and what it asked (who made it and its message aside)."""
    return f"{entry['nation']} {json.dumps(entry['action'], sort_keys=True)}"


def _stars(stars: int) -> str:
    return "★" * stars + "☆" * (3 - stars)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _quarter_year(quarter: str) -> float:
    """``2010Q3`` as the decimal year of the quarter's middle (as the game's charts place it)."""
    parsed = Quarter.parse(quarter)
    return parsed.year + (parsed.q - 1) / 4 + 0.125


def _shown(value: float, unit: str) -> str:
    if unit == "share":
        return f"{value:.0%}"
    if unit == "index":
        return f"{value:.2f}"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"


# --------------------------------------------------------------------------- the Japanese of the files' English


#: A reference fact's id in a level's note (``jp_china_share_2010``).
_FACT_ID = re.compile(rf"(?<![A-Za-z0-9_]){fact_ids.FACT_ID}(?![A-Za-z0-9_])")
#: A bracketed list of fact ids, "(a, b)" or "（a、b）", or one id alone.
_CITED = re.compile(f"{fact_ids.CITATION}|{_FACT_ID.pattern}")


# --------------------------------------------------------------------------- the page's look

STYLE = """
body { font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", "Meiryo", "Segoe UI",
       "Helvetica Neue", Arial, sans-serif; max-width: 64rem; margin: 1.5rem auto; padding: 0 1rem;
       color: #1b1f24; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.25rem; margin: 1.6rem 0 .5rem; border-bottom: 2px solid #445; }
h3 { font-size: 1.05rem; margin: 1rem 0 .3rem; }
.meta { color: #333; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 .8rem; font-size: .9rem; }
th, td { border: 1px solid #8a8f99; padding: .25rem .4rem; vertical-align: top; text-align: left; }
th { background: #e8ebf0; font-weight: 600; }
td.stars { white-space: nowrap; letter-spacing: .05em; }
span.met { font-weight: bold; }
span.unmet { font-weight: bold; color: #a40000; }
.muted { color: #4a4f59; font-size: .85em; }
.skipped li { margin: .2rem 0; }
figure { margin: 0 auto 1.2rem; max-width: 52rem; break-inside: avoid; page-break-inside: avoid; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-size: .8rem; color: #4a4f59; }
svg text { fill: #1b1f24; font-family: inherit; }
svg .chart-title { font-size: 15px; font-weight: bold; }
svg .grid { stroke: #d4d7dd; stroke-width: 1; }
svg .axis { stroke: #333; stroke-width: 1; }
/* Whole tables where they fit on a page; a team's long table of turning points breaks between rows. */
.role, table, tr { break-inside: avoid; page-break-inside: avoid; }
table.points { break-inside: auto; page-break-inside: auto; }
.differences li { margin: .4rem 0; }
table.games th, .role th:nth-child(-n+4) { white-space: nowrap; }
table.points td:nth-child(1) { width: 4.5rem; }
table.points td:nth-child(2) { width: 8rem; }
table.points td:nth-child(3) { width: 30%; }
ol.questions li { margin: .3rem 0; }
a { color: inherit; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt; }
  h2, h3, .team > p { break-after: avoid; page-break-after: avoid; }
  figure { margin: 0 auto 4mm; max-width: 165mm; }
  th { background: #e8ebf0; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""
