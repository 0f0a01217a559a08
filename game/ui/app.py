"""The window: scenes on a stack, the frame loop, settings, keys that work everywhere.

Scenes are opened by name (``app.switch("campaign")``, ``app.push("menu")``): each registers
itself in game.ui.registry, and importing game.ui.scenes here registers them all.
``App.frame(events)`` runs one frame from a list of events, so tests and benchmarks drive the
window exactly as the loop does, with posted input instead of a person.
"""

from __future__ import annotations

import gc
import signal
import sys
import time
import warnings
import weakref
from collections.abc import Callable

import pygame
import pygame_gui
from pygame_gui.core.utility import set_default_manager
from pygame_gui.elements import UILabel, UITextEntryBox, UITextEntryLine

from game.interrupts import Stopped, stop_signals_handled_by
from game.ui import scenes, storage  # noqa: F401  (importing the scenes registers them by name)
from game.ui.help import draw_help
from game.ui.notice_place import Obstacles, nearest_clear_place, notice_place
from game.ui.registry import make_scene
from game.ui.scene import Scene
from game.ui.sound import ClickSound
from game.ui.strings import Language
from game.ui.text import Fonts, wrap
from game.ui.theme import (
    FONT_BOLD,
    FONT_NAME,
    FONT_REGULAR,
    gui_theme,
    palette,
    preloads,
)
from game.ui.workshop_play import TEAM

BASE_SIZE = (1280, 720)
MIN_SIZE = (1024, 576)
#: The space, in pixels at 100%, the screens' full layouts need; below it (a large UI scale in a
#: small window) they use their compact ones (App.compact).
LAYOUT_MIN = (1024, 576)
#: The smallest space, in pixels at 100%, a compact layout holds: the UI scale stops short of it.
COMPACT_MIN = (640, 360)
TOOLTIP_DELAY = 0.5  # seconds the pointer rests on a button before its tooltip shows
#: The widths a tooltip wraps at (before the UI scale), widest first: narrower where the widest
#: finds no place clear of the screen's buttons and text.
TIP_WIDTHS = (380, 280, 200, 140)
#: How far (before the UI scale) a tip may stand from its element when no place right beside
#: it is clear: further off, it reads as the tip of whatever it lands by.
TIP_REACH = 24
#: Frames keep coming this long after the last input: a tooltip's delay and pygame_gui's hover
#: fades play out, then the loop sleeps until the next event.
SETTLE_SECONDS = 0.8
#: Layouts dropped before the window frees them without waiting for input to stop (``settle``).
MOST_LAYOUTS_DROPPED = 4
IDLE_WAIT_MS = 250
#: Keys that do something (rather than move the focus): held down, they act once, typing or not.
ACTING_KEYS = frozenset((pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE, pygame.K_ESCAPE, pygame.K_F1,
                         pygame.K_F11))
#: Keys that move (the focus, a page of text): held down, they go on moving, as in any reader.
#: Any other key held acts once (S, a lever tab, Ctrl+Z), except in a box being typed in.
MOVING_KEYS = frozenset((pygame.K_TAB, pygame.K_UP, pygame.K_DOWN, pygame.K_LEFT, pygame.K_RIGHT, pygame.K_PAGEUP,
                         pygame.K_PAGEDOWN, pygame.K_HOME, pygame.K_END))
#: The keyboard's repeat (milliseconds before the first, between the next): pygame sends none
#: unless asked, so a held Down scrolled one line; and a typing box turns it off when left.
KEY_REPEAT_MS = (400, 40)


def _uncovered_parts(rect: pygame.Rect, covers: list[pygame.Rect]) -> list[pygame.Rect]:
    """The parts of ``rect`` that none of ``covers`` hides: a button half under a dialog shows
    its other half only (taken whole, the buttons along the window's foot, mostly under the
    quarter's page, kept the notice out of the page's empty corner beside Continue)."""
    parts = [rect]
    for cover in covers:
        left = []
        for part in parts:
            hidden = part.clip(cover)
            if not hidden.w or not hidden.h:
                left.append(part)
                continue
            left += [piece for piece in (
                pygame.Rect(part.left, part.top, hidden.left - part.left, part.h),  # beside it, left
                pygame.Rect(hidden.right, part.top, part.right - hidden.right, part.h),  # and right
                pygame.Rect(hidden.left, part.top, hidden.w, hidden.top - part.top),  # above it
                pygame.Rect(hidden.left, hidden.bottom, hidden.w, part.bottom - hidden.bottom),  # below
            ) if piece.w > 0 and piece.h > 0]
        parts = left
    return parts


class App:
    """One window of the game.

    Args:
        size: window size in pixels (the settings' full-screen flag overrides it).
        settings: starting settings (default: the user's saved ones).
    """

    def __init__(self, size: tuple[int, int] = BASE_SIZE, settings: storage.Settings | None = None):
        if not getattr(pygame, "IS_CE", False):
            raise SystemExit("Rare Earths needs pygame-ce, not upstream pygame: pip uninstall pygame && pip install pygame-ce")
        # Only what the window needs: the sound device opens when sound is wanted (on a machine
        # without one, opening it only prints the audio library's complaints).
        pygame.display.init()
        pygame.font.init()
        self.settings = settings or storage.Settings.load()
        self.progress = storage.Progress.load()
        #: Progress (stars won, the tutorial seen) the data folder would not take: tried again at
        #: every change of screen, every End turn and on quitting, until it does.
        self.progress_unsaved = ""  # "", or what waits: "stars" (won), else "progress" (the tutorial seen)
        storage.remove_stale_partial_writes()
        self.language = Language(self.settings.language)
        self.colours = palette(self.settings.colour_blind)
        self.windowed_size = (max(MIN_SIZE[0], size[0]), max(MIN_SIZE[1], size[1]))
        #: The notice's lines and box, kept with what they were worked out for (``_notice_layout``).
        self._notice_placed: tuple[tuple, tuple[list[str], pygame.font.Font, pygame.Rect]] | None = None
        self._tip_placed: tuple[tuple, tuple[list[str], pygame.Rect]] | None = None  # (see _draw_tip)
        self.screen = self._open_window()
        pygame.display.set_caption(self.language.tr("Rare Earths"))
        self.scenes: list[Scene] = []
        self._later: list[Callable[[], None]] = []
        #: What this frame's Enter went to over a screen whose Enter ends the turn: (the page on
        #: top, whether the keys' help showed over it), or None.
        self._enter_over_end_turn: tuple[Scene, bool] | None = None
        #: When an Enter last closed a page over such a screen (the events, the objectives, the
        #: menu, the help), once the screen was laid out again: the turn screen takes no Enter
        #: for a moment after, so a quick double press does not end the turn too.
        self.enter_closed_page_at: float | None = None
        self.notice: tuple[str, str, float] | None = None  # (text, kind, shown until)
        #: The notice's lines about this turn's moves (an action taken or refused, an undo): they
        #: belong to the quarter they were said in, and End turn takes them away.
        self.turn_notices: list[str] = []
        #: The screen the notice answers (the top one when it came): a dialog opened over it later
        #: hides it, as the dialog's scrim dims that screen.
        # (A weak reference: a strong one kept a screen switched away, and through it its old UI
        # manager, alive after a change of look.)
        self._notice_from: weakref.ref[Scene] | None = None
        for name, (template, values), aside in storage.unreadable_data_files():
            tr, problem = self.language.tr, self.language.tr(template, **values)
            self.notify(tr("{name} could not be read whole ({problem}): the game starts without what it could not "
                           "read, and keeps the file as {aside} when it next saves {name}.", name=name, problem=problem,
                           aside=aside) if aside else
                        tr("{name} could not be read whole ({problem}): the game starts without what it could not "
                           "read, and leaves the file as it is (it cannot keep a copy of it there).", name=name,
                           problem=problem), "error", 12.0)
        self.show_help = False
        #: The focused button's tooltip shows while the player steers with keys, not the mouse.
        self.keyboard_mode = False
        self._hovered: tuple[object, float] | None = None  # (button under the pointer, since when)
        #: The pointer has left the window: no tip for the last place it was (one stayed on screen
        #: while the player worked in another window).
        self._pointer_away = False
        #: Keys down now. A key-down for a key already down is the keyboard's auto-repeat: it
        #: may move the focus again, never act again (one press of Enter is one act).
        self._held_keys: set[int] = set()
        self.running = True
        #: The signal (Ctrl+C's, a kill's, a closed terminal's) that closed the window, if one
        #: did, and what closing it did with the level in play.
        self.stopped_by: int | None = None
        self.quit_note = ""
        self.game = None  # the level being played (game.ui.play.Game), if any
        #: The class's game this window plays, if any (game.ui.workshop_play.WorkshopPlay).
        self.workshop = None
        #: The seed of every new game (``play --seed``), or None for a fresh one each time.
        self.new_game_seed: int | None = None
        #: Assumptions every new game is played with (a scenario code's settings), if any.
        self.new_game_assumptions: dict | None = None
        self.ui: pygame_gui.UIManager | None = None
        self._look: tuple | None = None  # (scale, palette) the manager's theme was made for
        #: A layout has dropped UI elements since the garbage was last collected (see ``settle``).
        self._dropped_elements = 0  # layouts dropped since the last collection
        self.click_sound = ClickSound()
        self._layout()

    # --- layout -------------------------------------------------------------------------
    def _open_window(self) -> pygame.Surface:
        if self.settings.fullscreen:
            pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
            return self._surface_to_draw_on()
        pygame.display.set_mode(_within_the_desktop(self.windowed_size), pygame.RESIZABLE)
        # The desktop holds the window at its minimum size; where it does not (a tiling window
        # manager, a driver without sizes), the screens are drawn at that size and shrunk.
        window = display_window()
        if window is not None:  # (no larger than the desktop: SDL grows the window to it)
            window.minimum_size = _within_the_desktop(MIN_SIZE)
        return self._surface_to_draw_on()

    def _surface_to_draw_on(self) -> pygame.Surface:
        """The window's own surface; or, where the window is smaller than MIN_SIZE (the desktop
        did not hold it at its minimum, or the whole screen is smaller), a surface of no less,
        which ``_show`` shrinks into the window. The screens are never laid out smaller (a short
        window had no room for a chart, and crashed), and shrunk, all of them stays in view and
        under the pointer (``view_scale``)."""
        shown = pygame.display.get_surface()
        width, height = shown.get_size()
        least = (max(MIN_SIZE[0], width), max(MIN_SIZE[1], height))
        if least == (width, height):
            self.view_scale = 1.0
            return shown
        #: How many of the layout's pixels one of the window's stands for (1 unless shrunk).
        self.view_scale = max(least[0] / max(width, 1), least[1] / max(height, 1))
        return pygame.Surface(least)

    def _resized(self) -> None:
        """Lay the screens out for the window's new size (see ``_surface_to_draw_on``)."""
        self.screen = self._surface_to_draw_on()
        if self.screen.get_size() != (self.w, self.h):
            self.windowed_size = self.screen.get_size()
            self._layout()
        else:
            self._scale_pointer()

    def _scale_pointer(self) -> None:
        """Let pygame_gui read the pointer where the shrunk screens show it (``pointer``)."""
        self.ui.mouse_pos_scale_factor = [self.view_scale, self.view_scale]

    def pointer(self, position: tuple[int, int] | None = None) -> tuple[int, int]:
        """Where the pointer (or a mouse event's ``position``) is on the screens' layout: in a
        window that shows them shrunk, not where it is on the window."""
        return self.ui.calculate_scaled_mouse_position(pygame.mouse.get_pos() if position is None else position)

    def _show(self) -> None:
        """Put the frame on the window, shrunk to fit where it is drawn larger than the window."""
        shown = pygame.display.get_surface()
        if self.screen is not shown:
            width, height = shown.get_size()
            fitted = (min(width, max(1, round(self.w / self.view_scale))),
                      min(height, max(1, round(self.h / self.view_scale))))
            try:
                shrunk = pygame.transform.smoothscale(self.screen, fitted)
            except ValueError:  # smoothscale takes 24- and 32-bit surfaces only
                shrunk = pygame.transform.scale(self.screen, fitted)
            shown.fill((0, 0, 0))
            shown.blit(shrunk, (0, 0))
        pygame.display.flip()

    def _layout(self) -> None:
        self.w, self.h = self.screen.get_size()
        # The chosen scale, unless the window cannot hold even the compact layouts at that scale
        # (a 1280x720 window holds 200%, the smallest window 160%).
        self.s = max(0.8, min(self.settings.scale, self.w / COMPACT_MIN[0], self.h / COMPACT_MIN[1]))
        #: Whether the screens use their compact layouts: the window holds less than LAYOUT_MIN
        #: at this scale, so panels take turns (tabs) instead of sharing the screen.
        self.compact = self.w < self.s * LAYOUT_MIN[0] - 0.5 or self.h < self.s * LAYOUT_MIN[1] - 0.5
        look = (self.s, self.colours)
        if self.ui is not None and self._look == look:
            # Same scale and palette: empty the manager and build into it again. A new manager
            # per layout costs its theme and fonts each time, and pygame_gui's reference cycles
            # keep the old ones (tens of MB each) until the garbage collector happens by.
            self.ui.set_window_resolution((self.w, self.h))
            self.ui.clear_and_reset()
            self._dropped_elements += 1
            if self._dropped_elements >= MOST_LAYOUTS_DROPPED:
                # A player paging through a quarter's events drops a layout a page, and input never
                # stops for ``settle``: the window held them all (about 50 MB more at 200% after 30
                # quarters, once nothing else happened to run a collection). One now, at a change of
                # screen, is the price.
                self.settle()
        else:
            self.font = Fonts(self.s)  # the game's font at this scale: app.font("small", bold=True)
            if self.ui is not None:
                # Its elements go with it. pygame_gui holds its first manager for good (its
                # "default"), and an element left alive there held the scene that made it, the
                # scene its newer elements, and so every manager since: 6-50 MB a settings change.
                self.ui.clear_and_reset()
            self.ui = pygame_gui.UIManager((self.w, self.h), gui_theme(self.s, self.colours),
                                           enable_live_theme_updates=False)
            set_default_manager(self.ui)  # and not the first one, for good
            self.ui.add_font_paths(FONT_NAME, str(FONT_REGULAR), str(FONT_BOLD))
            with warnings.catch_warnings():  # the theme has loaded some of them already; that is fine
                warnings.simplefilter("ignore", UserWarning)
                self.ui.preload_fonts(preloads(self.s))
            self._look = look
            gc.collect()  # let the old manager's cycles go now, not at some later frame
        self._scale_pointer()
        for scene in self.scenes:
            scene.reset_elements()
            scene.build()

    def settle(self) -> None:
        """What the loop does when input stops: free the UI elements layouts have dropped.

        pygame_gui's elements hold each other in reference cycles, so a dropped screen's
        surfaces (megabytes each at 200%) wait for Python's cyclic collector, and a game that
        makes few objects runs a full collection rarely: the window grew from about 290 MB to
        610 MB over 30 quarters at 200%. A collection takes 15-40 ms, unnoticed while nobody is
        touching anything, and frames and End turn never pay for it."""
        if self._dropped_elements:
            self._dropped_elements = 0
            gc.collect()

    def rebuild(self) -> None:
        """Lay every scene out again (after a change of size, scale, language or palette)."""
        self.language = Language(self.settings.language)
        pygame.display.set_caption(self.language.tr("Rare Earths"))  # the title bar in the language too
        self.colours = palette(self.settings.colour_blind)
        self._layout()

    def apply_settings(self, reopen_window: bool = False) -> None:
        """Use the settings now, and keep them for next time if the data folder takes them (said,
        if not, in the language just chosen)."""
        if reopen_window:
            self.screen = self._open_window()
        self.rebuild()
        self.write(self.settings.save, "Settings not saved: {reason}")

    def u(self, value: float) -> int:
        return round(value * self.s)

    def tr(self, text: str, **values: object) -> str:
        return self.language.tr(text, **values)

    # --- scenes -------------------------------------------------------------------------
    @property
    def top(self) -> Scene | None:
        return self.scenes[-1] if self.scenes else None

    def switch(self, name: str, **options) -> Scene:
        """Replace every scene with a new scene ``name`` (moving between screens) and return it;
        ``options`` go to the scene's constructor."""
        scene = make_scene(name, self, **options)
        for old in reversed(self.scenes):
            old.leave()
        self.scenes = [scene]
        self.show_help = False
        self._layout()
        scene.enter()
        self.save_progress_kept_waiting()
        return scene

    def push(self, name: str, **options) -> Scene:
        """Open a new scene ``name`` over the current one (a dialog) and return it."""
        scene = make_scene(name, self, **options)
        self.scenes.append(scene)
        scene.build()
        scene.enter()
        return scene

    def pop(self, scene: Scene | None = None) -> None:
        """Close the top scene (or ``scene`` if it is the top one) and lay out what is under it."""
        if not self.scenes or (scene is not None and self.top is not scene):
            return
        self.scenes.pop().leave()
        self._layout()

    def start_game(self, game, scene: str) -> None:
        """Play ``game`` (closing any other) on a new screen, the scene named ``scene``."""
        if self.game is not None and self.game is not game:
            self.game.close()
            self.drop_turn_notices()  # what was said of the other game's quarter is not of this one
        self.game = game
        self.switch(scene)

    def resume(self, game) -> None:
        """Carry on a loaded game: on its turn screen, or on its debrief if it had ended."""
        self.start_game(game, "debrief" if game.session.is_over else "turn")

    @property
    def interrupted(self) -> bool:
        """Whether a stop signal closed the window."""
        return self.stopped_by is not None

    def quit(self) -> None:
        """Close the window; a level in play is autosaved first, this turn's actions with it."""
        self.quit_note = ""
        if self.game is not None and not self.game.session.is_over and not self.game.session.cut_short:
            error = self.game.try_autosave()
            if error is not None:  # nothing to do about it now but say so
                self.quit_note = f"could not autosave the level in play: {error}"
                if not self.interrupted:  # a stop by Ctrl+C says it in its own line
                    print(f"rare-earths: could not autosave on quitting: {error}", file=sys.stderr)
            else:
                self.quit_note = "the level in play is autosaved (Continue opens it)"
        if self.workshop is not None:
            self.quit_note = self._keep_the_class() or self.quit_note
        what = "the stars won" if self.progress_unsaved == "stars" else "the player's progress"
        unsaved = self.save_progress_kept_waiting()
        if unsaved:  # lost with the window: said in the terminal too
            self.quit_note = "; ".join(filter(None, (self.quit_note, f"could not save {what}: {unsaved}")))
            if not self.interrupted:
                print(f"rare-earths: could not save {what} on quitting: {unsaved}", file=sys.stderr)
        self.running = False

    def _keep_the_class(self) -> str:
        """A class's game played in this window (the hot seat, a team alone with its code) is saved
        as the window closes, as a level is autosaved; what became of it ("" if nothing to save)."""
        try:
            kept = self.workshop.save_on_closing()
        except (OSError, ValueError) as error:  # a full disk; WorkshopError is a ValueError
            reason = storage.describe_write_error(error) if isinstance(error, OSError) else str(error)
            if not self.interrupted:
                print(f"rare-earths: could not save the class's results on closing: {reason}", file=sys.stderr)
            return f"could not save the class's results: {reason}"
        whose = "the team's" if self.workshop.mode == TEAM else "the class's"  # a team alone's are its own
        return f"{whose} results are in {kept}" if kept is not None else ""

    def keep_progress(self, stars: bool = False) -> None:
        """Write the player's progress (``stars``: with stars just won); if the data folder will
        not take it, say so and try again later (``save_progress_kept_waiting``). Stars won while
        the folder was read-only or full were kept in memory only, and lost when the window closed."""
        if self.write(self.progress.save, "Stars not saved: {reason}" if stars else "Progress not saved: {reason}"):
            self.progress_unsaved = ""
        elif stars or not self.progress_unsaved:
            self.progress_unsaved = "stars" if stars else "progress"

    def save_progress_kept_waiting(self) -> str:
        """Write progress the data folder would not take before; why it still cannot ("" once
        written, or if nothing waits). Said once it is written: the failure was said before."""
        if not self.progress_unsaved:
            return ""
        try:
            self.progress.save()
        except OSError as error:
            return storage.describe_write_error(error)
        saved = ("The stars won earlier are saved now." if self.progress_unsaved == "stars"
                 else "Your progress is saved now.")
        self.progress_unsaved = ""
        self.notify(self.tr(saved), "ok", 4.0)
        return ""

    def write(self, command: Callable[[], None], failure: str) -> bool:
        """Run a write to the data folder (settings, progress); if the folder will not take it,
        say so in one line (``failure``, with ``{reason}``) and go on: the game keeps it in memory."""
        try:
            command()
        except OSError as error:
            self.notify(self.tr(failure, reason=storage.describe_write_error(error, self.tr)), "error", 6.0)
            return False
        return True

    def later(self, command: Callable[[], None]) -> None:
        """Run ``command`` after this frame's events (a command may rebuild the UI)."""
        self._later.append(command)

    def notify(self, text: str, kind: str = "info", seconds: float = 5.0, of_turn: bool = False) -> None:
        """Show ``text`` over the screen for ``seconds``. A notice still showing is kept above it
        (two failures in one move, an autosave's and the settings', showed only the last), the
        last three at most, as an error if either is one. ``of_turn``: it tells of a move of
        this turn, and goes when the turn ends (``drop_turn_notices``)."""
        if of_turn:
            self.turn_notices.append(text)
        now = time.monotonic()
        if self.notice is not None and now < self.notice[2] and text not in self.notice[0].split("\n"):
            earlier, earlier_kind, until = self.notice
            text = "\n".join([*earlier.split("\n")[-2:], text])
            kind = "error" if "error" in (kind, earlier_kind) else kind
            seconds = max(seconds, until - now)
        self.notice = (text, kind, now + seconds)
        self._notice_from = weakref.ref(self.top) if self.top is not None else None

    def drop_turn_notices(self) -> None:
        """Take away the notice's lines about the turn just ended: the message of the last lever
        taken stayed on screen into the next quarter, over its events. Others (a failed write) stay."""
        if self.notice is not None and self.turn_notices:
            text, kind, until = self.notice
            kept = [line for line in text.split("\n") if line not in self.turn_notices]
            self.notice = ("\n".join(kept), kind, until) if kept else None
        self.turn_notices = []

    # --- the frame ----------------------------------------------------------------------
    def frame(self, events: list[pygame.event.Event], dt: float = 1 / 60) -> None:
        for event in events:
            self._dispatch(event)
        if pygame.key.get_repeat() != KEY_REPEAT_MS:  # a typing box sets its own, and none once left
            pygame.key.set_repeat(*KEY_REPEAT_MS)
        while self._later and self.running:  # after Quit, nothing queued behind it runs
            command = self._later.pop(0)
            if self.settings.sound:
                self.click_sound.play()
            command()
        self._note_page_closed_by_enter()
        self.ui.update(dt)
        if self.top is not None:
            self.top.update(dt)
        self.draw()

    def draw(self, overlays: bool = True) -> None:
        """Draw the screens; ``overlays=False`` leaves out what floats over them (the focus ring,
        the hover tip, the notice, the help), for a picture of the screen itself."""
        self.screen.fill(self.colours.rgb("background"))
        for scene in self._visible_scenes():
            scene.draw(self.screen)
        self.ui.draw_ui(self.screen)
        for scene in self._visible_scenes():
            scene.draw_button_lines(self.screen)
            scene.draw_over(self.screen)
        if not overlays:
            return
        # The notice under the tooltips: a tooltip is what the player points at now, and one that
        # could find no place clear of the notice was hidden under it.
        self._draw_notice()
        self._draw_focus()
        self._draw_hover_tip()
        if self.show_help:
            draw_help(self)

    def _visible_scenes(self) -> list[Scene]:
        first = len(self.scenes) - 1
        while first > 0 and self.scenes[first].modal:
            first -= 1
        return self.scenes[max(first, 0):]

    def _dispatch(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.quit()
            return
        if event.type in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED) and not self.settings.fullscreen:
            self._resized()
            return
        # Kept while the help shows too: F1's key-up was lost there, and the next F1 taken for a repeat.
        if event.type == pygame.KEYUP:
            self._held_keys.discard(event.key)
        elif event.type == pygame.WINDOWFOCUSLOST:
            self._held_keys.clear()  # the key-ups go to another window
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) \
                and event.key not in self._held_keys:
            self._note_enter_over_end_turn()
        if self.show_help:
            if event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN):
                self.show_help = False  # any key or click closes the help
            return
        if event.type == pygame.KEYDOWN:
            repeat = event.key in self._held_keys
            self._held_keys.add(event.key)
            if repeat and event.key not in MOVING_KEYS and (event.key in ACTING_KEYS or not self._typing()):
                return
        top = self.top
        if event.type == pygame.WINDOWLEAVE:
            self._pointer_away = True
        elif event.type in (pygame.WINDOWENTER, pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN):
            self._pointer_away = False
        if event.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN):
            self.keyboard_mode = False
        if event.type == pygame.MOUSEBUTTONDOWN and self._dismiss_notice(event):
            return
        if event.type == pygame.KEYDOWN:
            self.keyboard_mode = True
            if event.key == pygame.K_F1:
                self.show_help = True
                return
            if event.key == pygame.K_F11:
                self.settings.fullscreen = not self.settings.fullscreen
                self.apply_settings(reopen_window=True)
                return
        if top is not None and top.handle(event):
            return
        if event.type == pygame.KEYDOWN and top is not None and self._keyboard(top, event):
            return
        self.ui.process_events(event)

    def _note_enter_over_end_turn(self) -> None:
        """Keep what an Enter goes to when it is a page (or the help) over the screen below whose
        Enter would end the turn."""
        pages = self.scenes
        below = next((scene for scene in reversed(pages) if scene.enter_is_end_turn), None)
        if below is not None and (self.show_help or pages[-1] is not below):
            self._enter_over_end_turn = (pages[-1], self.show_help)

    def _note_page_closed_by_enter(self) -> None:
        """After the frame's commands: if this frame's Enter closed a page and left a screen whose
        Enter ends the turn on top, note when (it is laid out again by now)."""
        went_to, self._enter_over_end_turn = self._enter_over_end_turn, None
        if went_to is None or self.top is None or not self.top.enter_is_end_turn:
            return
        page, help_showed = went_to
        if (not self.show_help) if help_showed else page not in self.scenes:
            self.enter_closed_page_at = time.monotonic()

    def _typing(self) -> bool:
        """Whether a box being typed in has the keys (a held Backspace goes on deleting)."""
        return any(isinstance(element, (UITextEntryLine, UITextEntryBox)) for element in self.ui.get_focus_set() or ())

    def _keyboard(self, top: Scene, event: pygame.event.Event) -> bool:
        key, shift = event.key, bool(event.mod & pygame.KMOD_SHIFT)
        if top.scroll_reading(key):  # a page of text: Up and Down scroll it, Left and Right still move
            return True
        if key == pygame.K_TAB:
            top.move_focus(-1 if shift else 1)
        elif key in (pygame.K_DOWN, pygame.K_RIGHT):
            top.move_focus(1)
        elif key in (pygame.K_UP, pygame.K_LEFT):
            top.move_focus(-1)
        elif key == pygame.K_SPACE or (key in (pygame.K_RETURN, pygame.K_KP_ENTER) and not top.enter_is_end_turn):
            return top.activate_focused()
        elif key == pygame.K_ESCAPE:
            top.back()
        else:
            return False
        return True

    def _draw_focus(self) -> None:
        top = self.top
        target = top.focused() if top is not None else None
        if target is None:
            return
        rect = target.element.get_abs_rect().inflate(self.u(6), self.u(6))
        pygame.draw.rect(self.screen, self.colours.rgb("focus"), rect, max(2, self.u(3)), border_radius=self.u(5))
        if target.tooltip and self.keyboard_mode and top.focus_steered:
            self._draw_tip(target.tooltip, rect, around=self._tip_area(target.element, rect))

    def _draw_hover_tip(self) -> pygame.Rect | None:
        """The tooltip of the button under the pointer, once it has rested there a moment; the
        box it was drawn in, if it was."""
        top = self.top
        if top is None or self.keyboard_mode or self.show_help or self._pointer_away:
            self._hovered = None
            return None
        position = self.pointer()
        under = next(((e, t) for e, t in reversed(top.tips) if e.alive() and e.visible
                      and e.get_abs_rect().collidepoint(position)), None)
        if under is None:
            self._hovered = None
            return None
        now = time.monotonic()
        if self._hovered is None or self._hovered[0] is not under[0]:
            self._hovered = (under[0], now)
        if now - self._hovered[1] >= TOOLTIP_DELAY:
            rect = under[0].get_abs_rect()
            return self._draw_tip(under[1], rect, around=self._tip_area(under[0], rect))
        return None

    @staticmethod
    def _tip_area(element, rect: pygame.Rect) -> pygame.Rect:
        """``rect`` (the element's) with what its tip describes beside it, which the tip must not
        cover either (``tip_keeps_clear``: an amount's limit line, the rest of the indicator bar)."""
        area = rect.copy()
        for other in getattr(element, "tip_keeps_clear", ()):
            if other.alive() and other.visible:
                area.union_ip(other.get_abs_rect())
        return area

    def _draw_tip(self, text: str, anchor: pygame.Rect, around: pygame.Rect | None = None) -> pygame.Rect:
        """The focused element's tooltip, so keyboard players read what the mouse would show;
        the box it was drawn in. ``around``: what it keeps clear of, if more than ``anchor``."""
        font = self.font("small")
        pad = self.u(6)
        notice = self._notice_layout()
        # Placed again only when the tip, its element or the screen changes, not every frame.
        key = (text, tuple(anchor), tuple(around or anchor), self.w, self.h, self.s, self._layout_signature(),
               tuple(notice[2]) if notice else None,
               tuple(map(tuple, self.top.drawn_lines())) if self.top is not None else ())  # (scrolled: new places)
        if self._tip_placed is None or self._tip_placed[0] != key:
            self._tip_placed = (key, self._place_tip(text, font, pad, anchor, around))
        lines, box = self._tip_placed[1]
        pygame.draw.rect(self.screen, (11, 15, 20), box)
        pygame.draw.rect(self.screen, self.colours.rgb("accent"), box, 1)
        for i, line in enumerate(lines):
            self.screen.blit(font.render(line, True, self.colours.rgb("text")),
                             (box.x + pad, box.y + pad + i * font.get_linesize()))
        return box

    def _place_tip(self, text: str, font: pygame.font.Font, pad: int, anchor: pygame.Rect,
                   around: pygame.Rect | None) -> tuple[list[str], pygame.Rect]:
        """A tip's lines and box: beside its element, wrapped narrower where the widest finds no
        place there clear of the screen's buttons and text (at 200% a menu is as wide as the
        window but for a margin on either side); failing every width, the nearest clear place
        at any width (a tip read as its element's own: one in the screen's corner was not);
        failing that, the widest in the place beside it that hides least."""
        shapes = []
        obstacles = self._tip_obstacles(anchor if around is None else around)  # (the labels' pixels: once)
        clear = []  # (how far from its element, which width, the place)
        for most in TIP_WIDTHS:
            lines = wrap(text, font, self.u(most))
            width = max(font.size(line)[0] for line in lines) + 2 * pad
            height = len(lines) * font.get_linesize() + 2 * pad
            shapes.append((lines, width, height))
            box = self._tip_place(anchor, width, height, around, clear_only=True, obstacles=obstacles)
            # (Over or under the whole of a tall menu is no place beside one of its choices: the
            # title's Load tip, wrapped to fit there, stood 200 px over its button.)
            if box is not None and _distance(box, anchor) <= self.u(TIP_REACH) + anchor.height:
                clear.append((_distance(box, anchor), len(shapes) - 1, box))
        if clear:
            # The nearest to its element, the widest of those as near: a tip that keeps clear of
            # a whole list (the settings' table) went below it, under the last row, where a
            # narrower one fitted beside its own row.
            _, index, box = min(clear, key=lambda found: found[:2])
            return shapes[index][0], box
        # Room inside what it keeps clear of may do, clear of the buttons and text there: the
        # title's Load went to the window's corner, past the free room beside its menu's last row.
        described = [] if around is None else [rect for rect in self._button_rects() + self._label_text_rects()
                                                if rect.colliderect(around)]
        found = nearest_clear_place([(width, height) for _, width, height in shapes], (self.w, self.h),
                                    max(1, self.u(8)), anchor if around is None else around,
                                    [rect for kind in obstacles for rect in kind] + described + [anchor],
                                    element=anchor, reach=self.u(TIP_REACH))
        if found is not None:
            return shapes[found[0]][0], found[1]
        # Nothing clear near it: beside it all the same, over what hides least (a tip across the
        # window, clear of everything, was read as another element's: the lever tabs' over the form).
        placed = [(self._tip_cost(place, anchor, around, obstacles), index, place)
                  for index, (_, width, height) in enumerate(shapes)
                  for place in [self._tip_place(anchor, width, height, around, obstacles=obstacles)]]
        _, index, box = min(placed, key=lambda found: found[:2])
        return shapes[index][0], box

    def _tip_place(self, anchor: pygame.Rect, width: int, height: int,
                   around: pygame.Rect | None = None, clear_only: bool = False,
                   obstacles: tuple[list[pygame.Rect], ...] | None = None) -> pygame.Rect | None:
        """Where a tooltip goes: beside its element, below it, above it or to its left, the
        first of these that is on the screen and hides none of the screen's other buttons (a
        dialog's buttons stand in a row, so the place beside one is its neighbour), its lines of
        text nor the answer to the player's last move; failing that (None if ``clear_only``),
        the one hiding the fewest answers, then the fewest of the screen's main buttons, then
        the fewest buttons, then the fewest on the element's own row, then the fewest lines of
        text. ``around``: the element with what its tip describes (``_tip_area``), which the
        places keep clear of, lined up with the element itself. ``obstacles``: its
        ``_tip_obstacles``, where the caller has them."""
        gap = self.u(8)
        around = anchor if around is None else around
        left = min(max(0, anchor.left), self.w - width)
        level = min(max(0, anchor.top), self.h - height)  # beside, kept on the screen
        places = (pygame.Rect(around.right + gap, level, width, height),
                  pygame.Rect(left, around.bottom + gap // 2, width, height),
                  pygame.Rect(left, around.top - height - gap // 2, width, height),
                  pygame.Rect(around.left - gap - width, level, width, height))
        screen = pygame.Rect(0, 0, self.w, self.h)
        on_screen = [place for place in places if screen.contains(place)]
        buttons, answers, texts = obstacles or self._tip_obstacles(around)
        place = next((place for place in on_screen if place.collidelist(buttons + answers + texts) < 0), None)
        if place is not None or clear_only:
            return place
        if not on_screen:
            return pygame.Rect(left, min(max(0, anchor.bottom + gap // 2), self.h - height), width, height)
        # Every place hides something: rather a button than an answer, rather another than the
        # screen's main one, as few as may be, and of places hiding as many, one whose buttons
        # are off the element's own row (a save's tip covered its Delete, where the pointer goes
        # next, rather than the row below).
        obstacles = (buttons, answers, texts)
        # (the first of equals: places are in order of preference)
        return min(on_screen, key=lambda place: self._tip_cost(place, anchor, around, obstacles))

    def _tip_cost(self, place: pygame.Rect, anchor: pygame.Rect, around: pygame.Rect | None,
                  obstacles: tuple[list[pygame.Rect], ...]) -> tuple[int, int, int, int, int]:
        """What a tip in ``place`` hides, worst first: answers, the screen's main buttons, buttons,
        buttons on its element's own row, lines of text."""
        around = anchor if around is None else around
        buttons, answers, texts = obstacles
        same_row = [rect for rect in buttons if rect.top < anchor.bottom and anchor.top < rect.bottom]
        main = [rect for rect in self._button_rects(primary=True) if not rect.colliderect(around)]
        return (len(place.collidelistall(answers)), len(place.collidelistall(main)),
                len(place.collidelistall(buttons)), len(place.collidelistall(same_row)),
                len(place.collidelistall(texts)))

    def _tip_obstacles(self, around: pygame.Rect) -> tuple[list[pygame.Rect], list[pygame.Rect], list[pygame.Rect]]:
        """What a tip keeps clear of, but the element it describes (``around``): the screen's
        other buttons; the answer to what was just done, a notice or a form's result under its
        button (Submit's tooltip covered the reason a lever was refused); and the screen's lines
        of text (at 200% the title's tips fell on its subtitle, the campaign's on the line saying
        how levels open), its pages' lines among them (a tip lay over the briefing's)."""
        buttons = [rect for rect in self._button_rects() if not rect.colliderect(around)]
        notice = self._notice_layout()
        answers = ([notice[2]] if notice else []) + self._kept_clear_rects()
        pages = [] if self.top is None else [line for page in self.top.reading for line in self._page_line_rects(page)]
        drawn = [] if self.top is None else self.top.drawn_lines()
        texts = [rect for rect in self._label_text_rects() + pages + drawn if not rect.colliderect(around)]
        return buttons, answers, texts

    def _label_text_rects(self) -> list[pygame.Rect]:
        """Where the top scene's labels draw their text now: the text's own pixels, not the
        label's box (a title's subtitle is as wide as the window, its words in the middle)."""
        found = []
        for label in self._shown_labels():
            if label.image is not None:
                drawn = label.image.get_bounding_rect()
                if drawn.w and drawn.h:
                    found.append(drawn.move(label.get_abs_rect().topleft))
        return found

    def _shown_labels(self, scene=None) -> list[UILabel]:
        """A scene's labels that show now (the top scene's unless one is named): what the tips
        (by the text's pixels) and the notice (by the labels' boxes) keep clear of."""
        scene = self.top if scene is None else scene
        if scene is None:
            return []
        return [box.element for box in scene.texts
                if isinstance(box.element, UILabel) and box.element.alive() and box.element.visible]

    def _notice_layout(self) -> tuple[list[str], pygame.font.Font, pygame.Rect] | None:
        """The notice's lines, font and box, or None when there is none (or its time is up).
        Worked out again only when the notice or the top screen's layout changes, not every frame."""
        if self.notice is None:
            return None
        text, _, until = self.notice
        if time.monotonic() > until:
            self.notice = None
            return None
        if self._notice_under_a_dialog():
            return None
        key = (text, self.w, self.h, self._layout_signature())
        if self._notice_placed is None or self._notice_placed[0] != key:
            self._notice_placed = (key, self._place_notice(text))
        return self._notice_placed[1]

    def _notice_under_a_dialog(self) -> bool:
        """Whether a dialog opened after the notice came lies over the screen it answers: the
        last lever's message was drawn over the Menu and the End turn warning, above their scrim.
        Hidden there (its time runs on), and shown again when the dialog closes."""
        came_from = self._notice_from() if self._notice_from is not None else None
        if came_from is None or came_from is self.top or came_from not in self.scenes:
            return False
        return any(scene.modal for scene in self.scenes[self.scenes.index(came_from) + 1:])

    def _place_notice(self, text: str) -> tuple[list[str], pygame.font.Font, pygame.Rect]:
        """The notice wrapped at two thirds of the window, or narrower where that finds a place
        clear of the screen's buttons and text (``notice_place``)."""
        font = self.font("text", bold=True)
        pad = self.u(10)
        wrappings: list[list[str]] = []
        for share in (2 / 3, 1 / 2, 1 / 3):
            lines = wrap(text, font, round(self.w * share))
            if not wrappings or lines != wrappings[-1]:
                wrappings.append(lines)
        sizes = [(max(font.size(line)[0] for line in lines) + 2 * pad, len(lines) * font.get_linesize() + 2 * pad)
                 for lines in wrappings]
        lines = self._text_line_rects()
        headings = [box.element.get_abs_rect() for box in self.top.texts
                    if box.object_id == "#heading" and box.element.alive() and box.element.visible] \
            if self.top is not None else []
        behind_buttons, behind_lines = self._shown_behind_dialogs()
        obstacles = Obstacles(answers=self._kept_clear_rects(),
                              lines=[line for line in lines if line not in headings] + behind_lines,
                              main_buttons=self._button_rects(primary=True),
                              buttons=self._button_rects() + behind_buttons, headings=headings)
        index, box = notice_place(sizes, (self.w, self.h), self.u(56), self.u(8), obstacles)
        return wrappings[index], font, box

    def _shown_behind_dialogs(self) -> tuple[list[pygame.Rect], list[pygame.Rect]]:
        """The buttons and the lines of text of the screens under the top one's dialogs, where
        they show beside the dialogs' boxes: placed for the quarter's page alone, the notice of
        the last quarter's lever rose to the top and lay over the turn screen's tabs."""
        shown = self._visible_scenes()
        buttons: list[pygame.Rect] = []
        lines: list[pygame.Rect] = []
        for under, scene in enumerate(shown[:-1]):
            over = [above.box.get_abs_rect() for above in shown[under + 1:] if getattr(above, "box", None) is not None]
            seen = [f.element.get_abs_rect() for f in scene.focusables if f.element.alive() and f.element.visible]
            buttons += [part for rect in seen for part in _uncovered_parts(rect, over)]
            seen = [label.get_abs_rect() for label in self._shown_labels(scene)]
            seen += [line for page in scene.reading for line in self._page_line_rects(page)]
            lines += [part for rect in seen for part in _uncovered_parts(rect, over)]
        return buttons, lines

    def _layout_signature(self) -> tuple:
        """What tells one layout of the top screen from another: its elements and where they are
        (a lever panel builds itself again alone, the whole screen not laid out). A page of text
        scrolled is the same layout: the notice stays where it is."""
        top = self.top
        if top is None:
            return ()
        elements = [f.element for f in top.focusables] + [box.element for box in top.texts] + list(top.reading)
        return id(top), tuple((id(element), tuple(element.get_abs_rect()), element.visible) for element in elements)

    def _text_line_rects(self) -> list[pygame.Rect]:
        """The lines of text the top scene shows: its labels, each line of its pages of text (the
        End turn warning's, the news) where it shows now, and what else it keeps in sight."""
        top = self.top
        if top is None:
            return []
        found = [label.get_abs_rect() for label in self._shown_labels()]
        for page in top.reading:
            found += self._page_line_rects(page)
        return found + top.notice_keeps_off()

    def _page_line_rects(self, page) -> list[pygame.Rect]:
        """Where each line of a page of text (``Scene.reading``) shows now, clipped to the page;
        the whole page where its lines are not laid out yet."""
        if not page.alive() or not page.visible:
            return []
        shown = page.get_abs_rect()
        layout = page.text_box_layout
        if layout is None:
            return [shown]
        found = []
        scrolled = page.scroll_bar.start_percentage * layout.layout_rect.height if page.scroll_bar else 0
        x, y = page.text_wrap_rect.left, page.text_wrap_rect.top - scrolled
        written = [bool("".join(getattr(item, "text", "") for item in row.items).strip())
                   for row in layout.layout_rows]
        first = written.index(True) if True in written else len(written)
        last = len(written) - 1 - written[::-1].index(True) if True in written else -1
        for i, row in enumerate(layout.layout_rows):
            if written[i]:
                line = pygame.Rect(round(x + row.x), round(y + row.y), row.w, row.h)
            elif first < i < last:
                # The empty line between two paragraphs, across the page: at 200% a notice sat
                # in it, beside a paragraph's short last line, inside the warning's text.
                line = pygame.Rect(x, round(y + row.y), page.text_wrap_rect.w, row.h)
            else:
                continue
            line = line.clip(shown)
            if line.w and line.h:
                found.append(line)
        return found

    def _draw_notice(self) -> None:
        layout = self._notice_layout()
        if layout is None:
            return
        lines, font, box = layout
        pad = self.u(10)
        kind = self.notice[1]
        edge = self.colours.rgb("bad" if kind == "error" else "good" if kind == "ok" else "accent")
        pygame.draw.rect(self.screen, (11, 15, 20), box, border_radius=self.u(6))
        pygame.draw.rect(self.screen, edge, box, max(2, self.u(2)), border_radius=self.u(6))
        for i, line in enumerate(lines):
            self.screen.blit(font.render(line, True, self.colours.rgb("text")),
                             (box.x + pad, box.y + pad + i * font.get_linesize()))

    def _dismiss_notice(self, event: pygame.event.Event) -> bool:
        """A click on the notice puts it away (it sits over the screen for seconds: over a
        heading, or over the debrief's first lines). True if the click ends there: a button
        under the notice still takes it, as it did while the notice could not be put away."""
        where = getattr(event, "pos", None)
        if getattr(event, "button", 1) not in (1, 2, 3) or where is None:
            return False  # the wheel scrolls what is under the notice
        where = self.pointer(where)
        layout = self._notice_layout()
        if layout is None or not layout[2].collidepoint(where):
            return False
        self.notice = None
        return not any(rect.collidepoint(where) for rect in self._button_rects())

    def _kept_clear_rects(self) -> list[pygame.Rect]:
        """Where the top scene's ``kept_clear`` elements are shown now (no tip or notice over them)."""
        top = self.top
        return [] if top is None else [element.get_abs_rect() for element in top.kept_clear
                                       if element.alive() and element.visible]

    def _button_rects(self, primary: bool = False) -> list[pygame.Rect]:
        """Where the top scene's buttons (``primary``: its main ones only) are shown now."""
        top = self.top
        return [] if top is None else [f.element.get_abs_rect() for f in top.focusables
                                       if f.element.alive() and f.element.visible
                                       and (not primary or "#primary" in f.element.object_ids)]

    def run(self) -> None:
        """Play until the window closes. Frames are drawn while something happens (input, a
        command, a moment after input for tooltips and hover effects, a notice coming or going)
        and the loop sleeps in the event queue otherwise: an idle screen costs next to nothing.

        Ctrl+C in the terminal that started the window closes it as closing the window does (a
        level in play is autosaved), then raises KeyboardInterrupt saying so; a kill (SIGTERM) or
        the terminal closing (SIGHUP) does the same and raises ``Stopped``."""
        try:
            with _stop_signals_close(self):
                self._loop()
        except Exception as error:
            # Whatever went wrong, the level in play is not lost with the window: it is autosaved
            # (unless the error came partway through a turn, when the last autosave is the good one).
            error.add_note(self._autosave_after(error))
            raise
        pygame.quit()
        if self.interrupted:
            raise KeyboardInterrupt(self.quit_note) if self.stopped_by == signal.SIGINT \
                else Stopped(self.stopped_by, self.quit_note)

    def _autosave_after(self, error: Exception) -> str:
        """Autosave the level in play after ``error`` stopped the window; what became of it."""
        game = self.game
        if game is None or game.session.is_over:
            return "no level was in play"
        if game.session.cut_short:
            return "the level in play was stopped partway through a turn: its last autosave is kept (Continue opens it)"
        failed = game.try_autosave()
        if failed is not None:
            return f"the level in play could not be autosaved: {failed}"
        return "the level in play is autosaved (Continue opens it)"

    def _loop(self) -> None:
        clock = pygame.time.Clock()
        awake_until = time.monotonic() + SETTLE_SECONDS
        while self.running:
            events = pygame.event.get()
            now = time.monotonic()
            moving = self.top is not None and self.top.animating
            if not events and not self._later and not moving and now >= awake_until and not self._notice_due(now):
                self.settle()
                first = pygame.event.wait(self._sleep_ms(now))
                if first.type == pygame.NOEVENT and not self._notice_due(time.monotonic()) \
                        and not (self.top is not None and self.top.changed_outside()):
                    continue
                events = ([first] if first.type != pygame.NOEVENT else []) + pygame.event.get()
            if events:
                awake_until = time.monotonic() + SETTLE_SECONDS
            dt = min(clock.tick(60) / 1000.0, 0.1)
            self.frame(events, dt)
            self._show()

    def _notice_due(self, now: float) -> bool:
        """Whether a notice's time is up, so one more frame must clear it."""
        return self.notice is not None and now >= self.notice[2]

    def _sleep_ms(self, now: float) -> int:
        """How long the idle loop may wait for input: until the next notice expires, at most
        IDLE_WAIT_MS (so a quit or a resize is never kept waiting long)."""
        wait = IDLE_WAIT_MS / 1000.0
        if self.notice is not None:
            wait = min(wait, max(0.0, self.notice[2] - now))
        return max(1, round(wait * 1000))


def _within_the_desktop(size: tuple[int, int]) -> tuple[int, int]:
    """``size``, made no larger than the desktop: a window larger than the screen showed only its
    middle (without a window manager to move it, End turn was out of reach). A driver without a
    screen (dummy, offscreen) has no desktop to fit."""
    if pygame.display.get_driver() in ("dummy", "offscreen"):
        return size
    try:
        desktop = pygame.display.get_desktop_sizes()[0]
    except (pygame.error, IndexError):
        return size
    return (min(size[0], max(1, desktop[0])), min(size[1], max(1, desktop[1])))


def display_window() -> pygame.Window | None:
    """The window ``pygame.display.set_mode`` opened, as a ``pygame.Window`` (for its minimum
    size); None where this pygame-ce cannot give it."""
    get_window = getattr(pygame.display, "get_window", None)  # pygame-ce 2.6 on
    if get_window is not None:
        return get_window()
    with warnings.catch_warnings():  # pygame-ce 2.5's only way, deprecated for drawing through it
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            return pygame.Window.from_display_module()
        except (AttributeError, pygame.error):
            return None


def _stop_signals_close(app: App):
    """While the window runs, Ctrl+C (or a kill, or the terminal closing) asks it to close, as
    the window's close button does: the close comes between frames, never halfway through a
    turn (whose world a save could not replay), and the level in play is autosaved with this
    turn's actions."""
    def close(signum, frame) -> None:
        app.stopped_by = signum
        pygame.event.post(pygame.event.Event(pygame.QUIT))

    return stop_signals_handled_by(close)


def _distance(one: pygame.Rect, other: pygame.Rect) -> int:
    """How far apart two boxes are, across or along (0 where they touch or overlap)."""
    return max(0, one.left - other.right, other.left - one.right, one.top - other.bottom, other.top - one.bottom)


def open_app(size: tuple[int, int] = BASE_SIZE, level: str | None = None,
             settings: storage.Settings | None = None, seed: int | None = None,
             assumptions: dict | None = None) -> App:
    """An app on the title screen, or on a level's briefing; ``seed`` seeds every new game and
    ``assumptions`` set its world (a scenario code's)."""
    app = App(size, settings)
    app.new_game_seed = seed
    app.new_game_assumptions = assumptions
    if level:
        app.switch("briefing", level_ref=level)
    else:
        app.switch("title")
    return app


def open_window(size: tuple[int, int] = BASE_SIZE, level: str | None = None, seed: int | None = None,
                assumptions: dict | None = None) -> None:
    """Open the window and play until it is closed."""
    open_app(size, level, seed=seed, assumptions=assumptions).run()
