"""A level being played in the window: the session, its autosave, and what each turn brought.

The window never writes world state itself: every lever is an Action submitted here, undo
replays the turn without the last action, and the end of every turn writes the autosave.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli

from game.actions import Action
from game.objectives import LevelResult, score
from game.savefile import load_text, save_text
from game.quoting import utf8_text
from game.scenario import Problem, ScenarioError, find_level, levels_dir, load_level, with_assumptions
from game.scenario.reference import Fact, fact_wording
from game.scenario.toml_reader import MAX_FILE_BYTES
from game.session import ActionRecord, Session
from game.spec import Scenario
from game.ui import storage
from game.ui.strings import nation_said_once
from game.world.news import NewsItem

#: How an autosave labels itself, before the level's id ("Autosave: my-level").
AUTOSAVE_LABEL_PREFIX = "Autosave: "


@dataclass
class TurnReport:
    """What the last End turn brought: the quarter played and its news."""

    quarter: str
    news: list[NewsItem] = field(default_factory=list)
    #: Why the autosave after it could not be written, if it could not; and the error itself,
    #: for a window to say in its language.
    save_error: str | None = None
    save_failure: OSError | None = None


def _is_shipped(path: Path) -> bool:
    return path.resolve().is_relative_to(Path(levels_dir()).resolve())


#: Levels of the player's own a level may continue one after another (``starts_from``), kept with it.
MOST_CONTINUED_LEVELS = 64


def _own_level_files(path: Path) -> dict[str, bytes] | None:
    """A level file of the player's own and the files beside it that it names, as bytes (see
    ``storage.read_level_files``): its world file, the level whose history it continues, and
    theirs, however many levels deep; None for a shipped level or a kept copy, or a file that
    cannot be read, is larger than a level may be, or is not TOML (loading it says what is wrong)."""
    if _is_shipped(path) or path.resolve().is_relative_to(storage.kept_levels_dir().resolve()):
        return None
    siblings: list[str] = []
    try:
        level, raw = path, None
        for _ in range(MOST_CONTINUED_LEVELS):
            if level.stat().st_size > MAX_FILE_BYTES:
                return None
            text = level.read_bytes()
            raw = text if raw is None else raw
            data = tomli.loads(text.decode("utf-8-sig"))
            # The names as the level file gives them: the reader looks for them beside it first.
            named = [name for name in (data.get("world"), data.get("starts_from"))
                     if isinstance(name, str) and name and name not in siblings
                     and f"{name}.toml" != path.name and (path.parent / f"{name}.toml").is_file()]
            siblings += named
            continued = data.get("starts_from")
            if continued not in named or continued == data.get("world"):
                break
            level = path.parent / f"{continued}.toml"
        if any((path.parent / f"{name}.toml").stat().st_size > MAX_FILE_BYTES for name in siblings):
            return None
        files = storage.read_level_files(path, siblings)
    except (OSError, ValueError, RecursionError):  # RecursionError: TOML nested too deeply
        return None
    return files if files[utf8_text(path.name)] == raw else None  # changed between the two reads


class Game:
    """One level in play.

    Args:
        level_ref: a shipped level's id, or a level file's path.
        seed: the world's seed (default: a fresh one, recorded in saves).
    """

    def __init__(self, level_ref: str, seed: int | None = None, session: Session | None = None,
                 assumptions: Mapping[str, Any] | None = None):
        self.level_ref = level_ref
        self._kept_level_ref: str | None = None  # the kept copy a save names (_saved_level_ref)
        #: A level file of the player's own, and the files it names beside it, as this game read
        #: them (see ``_saved_level_ref``); None for a shipped level or a kept copy.
        self._own_level_files: dict[str, bytes] | None = None
        if session is None:
            path = find_level(level_ref)
            self._own_level_files = _own_level_files(path)
            level = load_level(path)
            if self._own_level_files is not None and _own_level_files(path) != self._own_level_files:
                # Changed while it loaded: read and load it again, so what is kept is what is played.
                self._own_level_files = _own_level_files(path)
                level = load_level(path)
                if _own_level_files(path) != self._own_level_files:
                    raise ScenarioError([Problem(str(path), "", "the file changed while it was read; try again")])
            # ``assumptions``: a scenario code's settings (the same game on every machine).
            scenario = with_assumptions(level, assumptions or {})
            # A new game's seed is drawn once here and recorded in its saves; the world's own
            # randomness all comes from the generator this seed starts.
            session = Session(scenario, seed=secrets.randbelow(1_000_000) if seed is None else seed)
        self.session = session
        self.session.open_turn()
        self._news_seen = 0
        self._headlines_ja: dict[str, str] | None = None
        self._event_dates: dict | None = None
        # Names the world's news carries, in Japanese: nations' and firms', a firm's under each of
        # its owners (and as the history this level continues left it).
        self._names_ja = {f.name: f.name_ja for f in session.world.firm_list if getattr(f, "name_ja", "")}
        self._names_ja.update(session.scenario.world.names_ja())
        self._rows: tuple[int, list, object] | None = None  # (turns played, rows, result)
        #: The turn screen's lever panel as it was left for another screen (its tab, lever and the
        #: choices made; see ``TurnScene.leave``), or None.
        self.lever_panel_kept: tuple | None = None
        #: What the turn screen showed when it was left for another screen (its view, pane,
        #: material and map area; see ``TurnScene.leave``), or None.
        self.turn_view_kept: tuple | None = None
        self.last_report: TurnReport | None = None
        #: Why the last autosave could not be written (None once one succeeds): the game goes on
        #: in memory, and every turn end and the quit try again.
        self.autosave_error: str | None = None
        self.autosave_failure: OSError | None = None
        # This game's autosave file (None until its first autosave claims one), and how the file
        # looked after this game's last write (see autosave).
        self._autosave_path: Path | None = None
        self._autosave_stamp: tuple[int, int, int] | None = None
        self.pending_events: list[NewsItem] = self._new_events()

    @classmethod
    def from_save(cls, text: str) -> Game:
        """Raises SaveError (one line) for a corrupt, truncated or mismatched save."""
        session, level_ref = load_text(text, level_folders=(storage.kept_levels_dir(),))
        game = cls(level_ref, session=session)
        game.pending_events = []  # a loaded turn's events were shown when it was first played
        game.last_report = game._report_of_quarter_before()
        return game

    def _report_of_quarter_before(self) -> TurnReport | None:
        """The news of the quarter played before this one, as its End turn reported it (what the
        world and the players did after the events shown as it opened), so a game loaded
        mid-level shows what the player saw when saving. None before the level's first quarter
        has been played."""
        played = self.world.quarter - 1
        start = self.session.news_after_opening.get(played)
        return None if start is None else self._report_of(str(played), start)

    def _report_of(self, played: str, start: int) -> TurnReport:
        """The quarter ``played``'s news from ``start`` in the world's news on."""
        return TurnReport(played, [n for n in self.world.news[start:] if str(n.quarter) == played])

    @classmethod
    def from_file(cls, path: Path) -> Game:
        """The game saved in ``path``. A game loaded from an autosave goes on in that autosave
        file; any other save is left as it is, and the game's turn ends autosave to a file of
        its own. Raises OSError if the file cannot be read, SaveError as ``from_save``."""
        stamp = storage.file_stamp(path)  # before reading: a write in between then counts as another's
        game = cls.from_save(storage.read_save(path))
        if storage.is_autosave(path):
            game._autosave_path, game._autosave_stamp = path, stamp
        return game

    @property
    def scenario(self) -> Scenario:
        return self.session.scenario

    @property
    def world(self):
        return self.session.world

    @property
    def level_id(self) -> str:
        return self.scenario.id

    def headline(self, item: NewsItem, language: str, tr) -> str:
        """A news item's headline in ``language``: scheduled events carry their own Japanese
        headline in the level file; what the world reports as it runs is its template translated
        by ``tr``, filled with its fields (nation names in that language, firm names as they are)."""
        if language == "en":
            return item.headline
        if item.headline in self._level_headlines_ja():
            return self._level_headlines_ja()[item.headline]
        # A scheduled event's line is its headline alone, with no fields; the world's own lines
        # fill a template, and some name a source too ("History at this point: {headline}").
        if item.template and (item.fields or not item.source):
            fields = {k: self._word_ja(v, tr) if isinstance(v, str) else v for k, v in item.fields}
            return tr(item.template, **nation_said_once(tr(item.template), fields))
        return item.headline

    def _word_ja(self, text: str, tr) -> str:
        """A news line's field in Japanese: a nation's or firm's name, an event's headline (the
        history a played nation is told of), or a word of the string table."""
        return self._names_ja.get(text) or self._level_headlines_ja().get(text) or tr(text)

    def _level_headlines_ja(self) -> dict[str, str]:
        """The level's scheduled events' Japanese headlines by their English ones."""
        if self._headlines_ja is None:
            self._headlines_ja = {e.headline: e.headline_ja for e in self.scenario.events if e.headline_ja}
        return self._headlines_ja

    def action_text(self, record: ActionRecord, language: str, tr) -> str:
        """What an action did, or why it was refused, in ``language``: the English message, or
        its template translated by ``tr`` and filled with its fields, names of nations and firms
        in that language (as ``headline`` words the world's news) and other words through ``tr``
        (materials, stages, a seller's reason)."""
        if language == "en" or record.said is None:
            return record.message
        return record.said.worded(tr, lambda text: self._names_ja.get(text) or tr(text), separator="、")

    def event_date(self, item: NewsItem):
        """The calendar date of a scheduled event's news (None for what the world reports)."""
        if self._event_dates is None:
            self._event_dates = {(str(e.quarter), e.headline): e.date for e in self.scenario.events}
        return self._event_dates.get((str(item.quarter), item.headline))

    def nation_name(self, code: str, language: str) -> str:
        """A nation's name in ``language`` (its code if the world has no such nation)."""
        if not self.world.has_nation(code):
            return code
        nation = self.world.nation(code)
        return (nation.name_ja or nation.name) if language == "ja" else nation.name

    def firm_name(self, firm_id: str, language: str) -> str:
        """A firm's name in ``language`` (its id only if the world has no such firm)."""
        if not self.world.has_firm(firm_id):
            return firm_id
        firm = self.world.firm(firm_id)
        return getattr(firm, "name_ja", "") or firm.name if language == "ja" else firm.name

    def namer(self, language: str):
        """name(kind, key): a firm's (kind "firm") or a nation's name in ``language``, as the
        levers' options ask for it (game.ui.levers.option_text)."""
        return lambda kind, key: self.firm_name(key, language) if kind == "firm" else self.nation_name(key, language)

    @staticmethod
    def fact_text(fact: Fact, language: str) -> tuple[str, str]:
        """A reference fact's (quantity, note) in ``language``, English where no translation is kept."""
        return fact_wording(fact, language)

    def rows(self) -> list[dict]:
        """The recorded quarters with their running score (computed once per quarter played:
        the screens ask for them several times a turn)."""
        return self._scored()[1]

    def rows_before_start(self, quarters: int) -> list[dict]:
        """The last ``quarters`` rows of the history the level's world was run through before
        its first turn (none for a level that starts the world afresh)."""
        return list(self.world.rows_before_start[-quarters:]) if quarters > 0 else []

    def result(self) -> LevelResult:
        return self._scored()[2]

    def _scored(self) -> tuple[int, list, LevelResult]:
        played = self.world.turns_done
        if self._rows is None or self._rows[0] != played:
            rows = self.session.rows()
            self._rows = (played, rows, score(self.scenario.objectives, rows))
        return self._rows

    def submit(self, action: Action) -> ActionRecord:
        return self.session.submit(action)

    def undo(self) -> ActionRecord | None:
        before = len(self.world.news)
        undone = self.session.undo()
        if undone is not None:
            self.session.open_turn()
            self._news_seen = min(self._news_seen, before)
        return undone

    def end_turn(self) -> TurnReport:
        """Run the quarter, open the next one (its events fire), and write the autosave."""
        played = str(self.world.quarter)
        first_news = self._news_seen
        self.session.end_turn()
        if not self.session.is_over:
            self.session.open_turn()
        self.last_report = self._report_of(played, first_news)
        self.pending_events = self._new_events()
        self.last_report.save_error = self.try_autosave()
        self.last_report.save_failure = self.autosave_failure
        return self.last_report

    def _new_events(self) -> list[NewsItem]:
        """Scheduled events that fired as this turn opened, not yet shown."""
        fresh = self.world.news[self._news_seen:]
        self._news_seen = len(self.world.news)
        return [n for n in fresh if n.kind == "event" or n.source]

    def save_text(self, label: str = "") -> str:
        return save_text(self.session, self._saved_level_ref(), label=label or self.level_id)

    def _saved_level_ref(self) -> str:
        """How a save names the level: a shipped level by its id; a level file of the player's
        own by a copy kept beside the saves (with the files it names next to it), so that the
        save still loads after the original moves, and names no file outside the game's folders.
        The copy is of the files as the game read them when it began: moved, renamed or edited
        since, the save still plays this game. Raises OSError if the copy cannot be made (a save
        then says why, in one line)."""
        path = Path(self.scenario.path)
        if not self.scenario.path or _is_shipped(path):
            return self.level_ref
        kept_folder = storage.kept_levels_dir().resolve()
        if path.resolve().is_relative_to(kept_folder):  # a kept copy already (a game loaded from a save)
            return path.resolve().relative_to(kept_folder).as_posix()
        if self._kept_level_ref is None:
            contents = self._own_level_files
            if contents is None:  # a game made from a session: the files as they are now
                contents = _own_level_files(path)
                if contents is None:  # changed since it was read: the save names it, and loading says what is wrong
                    return self.level_ref
            # Named within the kept levels' folder, not by its whole path: the save still loads
            # after the data folder moves, and holds nothing of the player's own folders.
            kept = storage.keep_level_files(utf8_text(path.name), contents).resolve()
            self._kept_level_ref = kept.relative_to(kept_folder).as_posix()
        return self._kept_level_ref

    def autosave(self) -> None:
        """Write the autosave; raises OSError if the data folder cannot take it.

        Each game autosaves to a file of its own (``autosave.json`` if it is free, else
        ``autosave-N.json``), claimed at its first autosave, so starting a new game never
        writes over another game's autosave; Continue opens the newest. If another copy of the
        game has written this game's file since this game last did (two windows that loaded the
        same autosave), this game moves to a new file rather than write over the other."""
        text = self.save_text(f"{AUTOSAVE_LABEL_PREFIX}{self.level_id}")
        path = self._autosave_path
        if path is None or storage.file_stamp(path) != self._autosave_stamp:
            path = storage.write_new_autosave(text)
        else:
            storage.write_atomically(path, text)
        self._autosave_path = path
        self._autosave_stamp = storage.file_stamp(path)

    def try_autosave(self) -> str | None:
        """Write the autosave, or say in a few words why it could not be (kept in memory)."""
        try:
            self.autosave()
        except OSError as error:
            self.autosave_error, self.autosave_failure = storage.describe_write_error(error), error
            return self.autosave_error
        self.autosave_error, self.autosave_failure = None, None
        return None

    @property
    def has_play_to_keep(self) -> bool:
        """Whether leaving this game for another should autosave it first: a turn ended or an
        action taken this turn, and the game not over (its autosave already holds its end)."""
        played = self.world.turns_done > 0 or bool(self.session.this_turns_actions())
        return played and not self.session.is_over and not self.session.cut_short

    def why_not_autosaved(self, tr) -> str:
        """Why the last autosave failed, in the player's language (``autosave_error`` is English)."""
        if self.autosave_failure is None:
            return self.autosave_error or ""
        return storage.describe_write_error(self.autosave_failure, tr)

    def save(self) -> str:
        return storage.write_new_save(self.level_id, str(self.world.quarter), self.save_text()).name

    def close(self) -> None:
        self.session.close()
