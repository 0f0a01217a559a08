"""A scene: one screen of the game (title, campaign, briefing, turn, dialogs...).

Each scene builds its pygame_gui elements from the app's current layout (size, scale,
language, palette), so a change of any of them is a rebuild, never a scaled surface. Every
button goes through ``button()``: its command runs after the event loop (so it may rebuild the
UI), it joins the keyboard focus order, and its text is registered so a test can check that
no text overflows its box.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape

import pygame
from pygame_gui.core.text.text_box_layout import TextBoxLayout
from pygame_gui.elements import UIButton, UILabel, UIPanel, UITextBox

from game.line_breaks import units_kept
from game.ui.button_lines import draw_button_lines, two_lines
from game.quoting import shows_nothing
from game.ui.text import cut_at_a_word, escape, wrap, wrap_markup


# A private method of pygame_gui's (0.6.x): where a later release renames it, text boxes keep its
# own behaviour (a rare extra blank line) rather than the game failing to start.
_start_rows_after_line_break = getattr(TextBoxLayout, "_handle_line_break_rect", None)


def _line_break_kept_on_its_row(layout: TextBoxLayout, row, line_break):
    """pygame_gui gives a line break 4 px of width, and where a line's text ends less than that
    from the box's edge it puts the break on a row of its own: a blank line nobody wrote (two
    blank lines before the debrief's turning points, where its text had one). The break is
    narrowed to the room left, so it ends its line as any other does."""
    room = layout.layout_rect.right - line_break.left
    if 0 <= room < line_break.width:
        line_break.width = room
    return _start_rows_after_line_break(layout, row, line_break)


if _start_rows_after_line_break is not None:
    TextBoxLayout._handle_line_break_rect = _line_break_kept_on_its_row


class _SturdyTextBox(UITextBox):
    """A text box that shows its words broken into plain lines (by ``plainer``) where pygame_gui's
    own line breaker fails. It fails on rare texts, such as a word wider than the box followed
    by stacked combining marks ("Row longer than layout"), and not only when the box is built:
    also when a scroll bar or a new size makes it lay the text out again, inside a frame."""

    def __init__(self, html: str, rect: pygame.Rect, plainer: Callable[[str], str], **kwargs) -> None:
        self._plainer = plainer
        super().__init__(html, rect, **kwargs)

    def parse_html_into_style_data(self) -> None:
        try:
            super().parse_html_into_style_data()
        except RuntimeError:
            self.html_text = self._plainer(self.html_text)
            super().parse_html_into_style_data()

    def redraw_from_chunks(self) -> None:
        self._or_plainly(super().redraw_from_chunks)

    def full_redraw(self) -> None:
        self._or_plainly(super().full_redraw)

    def _or_plainly(self, redraw: Callable[[], None]) -> None:
        try:
            redraw()
        except RuntimeError:
            self.html_text = self._plainer(self.html_text)
            self.rebuild()

    def can_scroll(self, down: bool) -> bool:
        """Whether there is more of the text below (``down``) or above what the box shows."""
        bar = self.scroll_bar
        if bar is None:
            return False
        return bar.start_percentage < self._last_start() - 1e-4 if down else bar.start_percentage > 1e-4

    def scroll_by(self, pixels: float) -> None:
        """Show the text ``pixels`` further down (up if negative), no further than its ends; the
        box draws it at the next frame, as it does a turn of the mouse wheel."""
        bar, layout = self.scroll_bar, self.text_box_layout
        if bar is None or layout is None or layout.layout_rect.height <= 0:
            return
        start = bar.start_percentage + pixels / layout.layout_rect.height
        bar.set_scroll_from_start_percentage(min(max(0.0, start), self._last_start()))

    def scroll_to_end(self, down: bool) -> None:
        """Show the text's end (``down``) or its beginning."""
        if self.scroll_bar is not None:
            self.scroll_bar.set_scroll_from_start_percentage(self._last_start() if down else 0.0)

    def _last_start(self) -> float:
        """Where the scroll bar stands with the text's end at the box's bottom (0 to 1)."""
        return max(0.0, 1.0 - self.scroll_bar.visible_percentage)


#: A second press of a button that sends a move (Propose, Submit), with the same move, this soon
#: after the answer to the first, is the same click twice (a double click, an impatient one) and
#: is not sent: each sent move costs, and six quick clicks spent six times.
REPEAT_CLICK_SECONDS = 0.6

#: The scene's lists that hold its widgets (in focus order, with their texts, with their
#: tooltips): emptied together on a layout, and trimmed together when a part is built again.
ELEMENT_LISTS = ("focusables", "texts", "tips", "kept_clear", "reading", "button_lines")

#: Keys that scroll a screen's page of text (``Scene.reading``): the arrows by a line, Page Up
#: and Page Down by a box less two lines (the last lines read stay in view), Home and End to either end.
SCROLLING_KEYS = frozenset((pygame.K_UP, pygame.K_DOWN, pygame.K_PAGEUP, pygame.K_PAGEDOWN, pygame.K_HOME,
                            pygame.K_END))
#: The page keys and Home/End: the scrolling keys of a screen whose arrows move between its buttons.
PAGE_KEYS = SCROLLING_KEYS - {pygame.K_UP, pygame.K_DOWN}
#: How the help (F1) names a screen's scrolling keys (``Scene.reading_keys``).
READING_KEY_NAMES = {SCROLLING_KEYS: "Page Up / Page Down, Home / End, Up / Down",
                     PAGE_KEYS: "Page Up / Page Down, Home / End",
                     frozenset((pygame.K_PAGEUP, pygame.K_PAGEDOWN)): "Page Up / Page Down"}


def drawable(text: str) -> str:
    """``text``, or "" if it would draw nothing: pygame_gui refuses a text without width (a
    lone combining mark or zero-width character). The doors refuse such names and titles; this
    keeps a window standing on any that gets past them."""
    return "" if shows_nothing(text) else text


@dataclass
class Focusable:
    element: UIButton
    command: Callable[[], None]
    tooltip: str


@dataclass(frozen=True)
class TextBox:
    """A text the UI drew in a box of fixed size, for the overflow check."""

    element: object
    text: str
    object_id: str


class Scene:
    """One screen; ``app`` is the window (game.ui.app.App) it is shown in."""

    #: The name it is registered and opened by (set by game.ui.registry.register_scene).
    name = ""
    #: Draws over the scene below it (a dialog) instead of the whole window.
    modal = False
    #: Enter ends the turn here instead of pressing the focused button.
    enter_is_end_turn = False
    #: Whether the screen moves by itself now (a blinking cursor): the window keeps drawing.
    animating = False
    #: The keys that scroll the screen's page of text (``reading``): on a screen of buttons to
    #: steer through (the turn screen's levers) the arrows move the focus instead.
    reading_keys = SCROLLING_KEYS
    #: A click moves the focus to the button clicked (a list of choices that stays on screen): on
    #: Load and Settings it stayed where it was, and a later Enter acted on the earlier button.
    focus_follows_clicks = False

    def __init__(self, app):
        self.app = app
        self.focusables: list[Focusable] = []
        self.texts: list[TextBox] = []
        self.tips: list[tuple[UIButton, str]] = []  # every button with a tooltip, enabled or not
        #: What a tooltip must not cover besides buttons: the answer to what the player just did.
        self.kept_clear: list = []
        #: The screen's page of text (the quarter's events, a briefing, the debrief), its boxes in
        #: reading order: the keys scroll it (``scroll_reading``), for a player without a wheel.
        self.reading: list[_SturdyTextBox] = []
        #: The buttons whose text the scene draws on two lines (``small_button_in_lines``), each
        #: with its lines.
        self.button_lines: list[tuple[UIButton, list[str]]] = []
        self.focus = -1
        #: Whether the player has moved the focus here (Tab, the arrows): only then does the
        #: focused button's tooltip show. The focus a screen opens on is its own choice, and its
        #: tip, shown at once, covered the subtitle, the objectives or a level's stars.
        self.focus_steered = False
        #: While set, (panel, its top-left): new widgets go inside the panel, at window coordinates.
        self._inside: tuple[UIPanel, tuple[int, int]] | None = None

    # --- life cycle -------------------------------------------------------------------
    def build(self) -> None:
        """Create the scene's elements for the app's current layout."""

    def enter(self) -> None:
        """Called once when the scene becomes the top one."""

    def leave(self) -> None:
        """Called once when the scene is removed."""

    def handle(self, event: pygame.event.Event) -> bool:
        """Take an input event before the widgets see it; True if it was used."""
        return False

    def back(self) -> None:
        """What Escape does."""

    def help_keys(self) -> list[tuple[str, str]] | None:
        """The keys that work on this screen and what each does, in the player's language, for
        the help (F1); None: the one-player game's keys (game.ui.help.KEYS)."""
        return None

    def update(self, dt: float) -> None:
        pass

    def changed_outside(self) -> bool:
        """Whether something outside the window changed what the scene shows (a workshop's
        table, played on the network): the idle window draws a frame then."""
        return False

    def draw(self, surface: pygame.Surface) -> None:
        """Draw what is not a widget (map, charts), under the widgets."""

    def draw_over(self, surface: pygame.Surface) -> None:
        """Draw on top of the widgets (callouts)."""

    def notice_keeps_off(self) -> list[pygame.Rect]:
        """What the scene draws itself (no widget) that a notice should leave in sight, in window
        coordinates; a notice keeps off its buttons and lines of text already."""
        return []

    def drawn_lines(self) -> list[pygame.Rect]:
        """Lines of text the scene draws itself (no label nor page), in window coordinates: a
        tooltip keeps off them as off the others."""
        return []

    def bounds(self) -> list[tuple[list, pygame.Rect]]:
        """Groups of widgets and the panel each must stay inside (checked by the layout test)."""
        return []

    # --- building blocks ------------------------------------------------------------------
    def reset_elements(self) -> None:
        for name in ELEMENT_LISTS:
            setattr(self, name, [])

    def u(self, value: float) -> int:
        return self.app.u(value)

    def stack(self, count: int, top: int, bottom: int, height: float, gap: float) -> tuple[int, int]:
        """The height and gap of ``count`` rows between ``top`` and ``bottom``: ``height`` and
        ``gap`` (at 100%) where they fit, closer and thinner where not (a compact layout), never
        thinner than a line of text needs."""
        h, g = self.u(height), self.u(gap)
        room = bottom - top
        if count <= 0 or count * h + (count - 1) * g <= room:
            return h, g
        g = max(self.u(3), min(g, room // (count * 8)))
        least = self.app.font("text").get_linesize() + self.u(6)
        return max(least, (room - (count - 1) * g) // count), g

    def rect(self, x: float, y: float, w: float, h: float) -> pygame.Rect:
        return pygame.Rect(round(x), round(y), round(w), round(h))

    @contextmanager
    def inside(self, panel: UIPanel) -> Iterator[None]:
        """New widgets go inside ``panel`` while in this block, still placed at window coordinates."""
        self._inside = (panel, panel.get_container().get_rect().topleft)
        try:
            yield
        finally:
            self._inside = None

    def _place(self, rect: pygame.Rect, container):
        """Where a widget goes: inside the current panel (at window coordinates) if one is set."""
        if container is None and self._inside is not None:
            panel, (x, y) = self._inside
            return rect.move(-x, -y), panel
        return rect, container

    def button(self, rect: pygame.Rect, text: str, command: Callable[[], None], tooltip: str = "",
               object_id: str = "", enabled: bool = True, container=None, focus: bool = True) -> UIButton:
        rect, container = self._place(rect, container)
        # Tooltips are drawn by the app (for the pointer and for the keyboard alike), wrapped
        # the way Japanese needs; pygame_gui's own would hyphenate it into narrow strips.
        def clicked() -> None:
            if focus and self.focus_follows_clicks:
                self.focus_on(element)
            self.app.later(command)

        element = UIButton(rect, drawable(text), manager=self.app.ui, container=container,
                           object_id=object_id or None, command=clicked)
        if tooltip:
            self.tips.append((element, tooltip))
        if not enabled:
            element.disable()
        if focus:  # a disabled button keeps its place in the order (Tab skips it), so others keep theirs
            self.focusables.append(Focusable(element, command, tooltip))
        self.texts.append(TextBox(element, text, object_id or "button"))
        return element

    def small_button_in_lines(self, rect: pygame.Rect, text: str, command: Callable[[], None], tooltip: str = "",
                              enabled: bool = True) -> UIButton:
        """A small button, a row of a list, whose text runs onto a second line where one will
        not hold it (game.ui.button_lines); the layout check measures each line. Its text starts
        at the left, as a list's rows do (``#small_row_button``), on one line or two."""
        lines = two_lines(text, self.app.font("small"), rect.w - self.u(16))
        if len(lines) == 1:
            return self.button(rect, text, command, tooltip, object_id="#small_row_button", enabled=enabled)
        element = self.button(rect, text, command, tooltip, object_id="#two_lines", enabled=enabled)
        self.texts[-1:] = [TextBox(element, line, "#two_lines") for line in lines]
        self.button_lines.append((element, lines))
        return element

    def draw_button_lines(self, surface: pygame.Surface) -> None:
        for element, lines in self.button_lines:
            if element.alive() and element.visible:
                draw_button_lines(surface, element, lines, self.app.font("small"), self.app.colours,
                                  left=self.u(6))  # the rows' own padding (the theme's misc)

    def label(self, rect: pygame.Rect, text: str, object_id: str = "", container=None) -> UILabel:
        rect, container = self._place(rect, container)
        element = UILabel(rect, drawable(text), manager=self.app.ui, container=container, object_id=object_id or None)
        self.texts.append(TextBox(element, text, object_id or "label"))
        return element

    def text_box(self, rect: pygame.Rect, html: str, object_id: str = "", container=None) -> _SturdyTextBox:
        if self.app.settings.language == "ja":
            # Japanese lines are broken here by its rules (no line starts with 。 or 」, numbers
            # keep their units); pygame_gui then only draws them.
            size = "small" if object_id == "#card" else "text"
            padding = round((6 if object_id == "#card" else 8) * self.app.s)
            # pygame_gui wraps at the width less padding, 8 px of edges and a 20 px scroll bar
            room = rect.w - 2 * padding - 8 - max(20, self.u(20)) - self.u(4)
            html = wrap_markup(html, lambda bold: self.app.font(size, bold=bold), room)
        else:
            html = units_kept(html)  # pygame_gui breaks at any space: "~30,300" ended a line, "t" began one
        # No hyphens where a line breaks inside a word: Japanese has no spaces, so every break is one.
        return _SturdyTextBox(html, rect, lambda failed: self._prewrapped(failed, rect.w), manager=self.app.ui,
                              container=container, object_id=object_id or None, allow_split_dashes=False)

    def _prewrapped(self, html: str, width: int) -> str:
        plain = unescape(re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>", "\n", html)))
        lines = wrap(plain, self.app.font("text"), max(10, width - self.u(40)))
        return "<br>".join(escape(line) for line in lines)

    def panel(self, rect: pygame.Rect, object_id: str = "", layer: int = 1) -> UIPanel:
        return UIPanel(rect, starting_height=layer, manager=self.app.ui, object_id=object_id or None)

    def fit(self, text: str, width: int, size: str = "text", bold: bool = False) -> str:
        """``text`` shortened with an ellipsis to fit ``width`` pixels (for names from data), at
        the end of a word where one ends soon enough ("Showa Denko…", not "Showa Denko Vietn…")."""
        font = self.app.font(size, bold=bold)
        if font.size(text)[0] <= width:
            return text
        kept = len(text)
        while kept and font.size(text[:kept] + "…")[0] > width:
            kept -= 1
        return cut_at_a_word(text, kept) + "…"

    def reading_help(self, meaning: str) -> tuple[str, str]:
        """The help's line (F1) for the keys that scroll this screen's page of text, ``meaning``
        what they scroll (in the player's language)."""
        return self.app.tr(READING_KEY_NAMES[self.reading_keys]), meaning

    def fit_apart(self, text: str, others: Iterable[str], width: int, size: str = "text") -> str:
        """``text`` fitted to ``width`` as ``fit`` does, unless that reads as one of ``others``
        fitted alike: then cut in the middle, keeping the end that tells them apart (Lynas's two
        Kuantan projects, which differ in their build time alone, both read "ライナス先端材料工場（クアン…")."""
        cut = self.fit(text, width, size)
        alike = [other for other in others if other != text and self.fit(other, width, size) == cut]
        if cut == text or not alike:
            return cut
        # The shortest end no other shares, from the word or clause it begins: "7 quarters to build)".
        differs = next((k for k in range(1, len(text) + 1) if all(not other.endswith(text[-k:]) for other in alike)),
                       len(text))
        start = max(text.rfind(mark, 0, len(text) - differs) for mark in " 、，,（(") + 1
        end = text[start:]
        for opening, closing in (("（", "）"), ("(", ")")):
            if end.endswith(closing) and opening not in end:
                end = end[:-1]  # its opening bracket is cut off
        font = self.app.font(size)
        if font.size("…" + end)[0] > width:
            return "…" + self.fit(end, width - font.size("…")[0], size)
        kept = start
        while kept and font.size(text[:kept] + "…" + end)[0] > width:
            kept -= 1
        # Half the head at least: "Mt…+22,000 t/yr" names nothing; "Mt Wel…+22,000 t/yr" does.
        return cut_at_a_word(text[:start], kept, least_at_a_mark=1 / 2).rstrip() + "…" + end

    # --- keyboard focus ---------------------------------------------------------------
    def scroll_reading(self, key: int) -> bool:
        """Scroll the screen's page of text for ``key`` (one of SCROLLING_KEYS); True if the key
        is the page's (Up and Down are, even at an end: here they never move the focus instead,
        so a held Down stops at the end rather than jumping onto a button). Boxes side by side
        read as one page: every key moves the column being read, down the first with more below,
        up the last with more above (End took every column to its end while Page Down moved one)."""
        boxes = [box for box in self.reading if box.alive() and box.visible]
        if not boxes or key not in self.reading_keys:
            return False
        down = key in (pygame.K_DOWN, pygame.K_PAGEDOWN, pygame.K_END)
        box = next((box for box in (boxes if down else reversed(boxes)) if box.can_scroll(down)), None)
        if box is not None and key in (pygame.K_HOME, pygame.K_END):
            box.scroll_to_end(down)
        elif box is not None:
            line = self.app.font("text").get_linesize()
            step = line if key in (pygame.K_UP, pygame.K_DOWN) else max(line, box.rect.h - 2 * line)
            box.scroll_by(step if down else -step)
        return True

    def move_focus(self, step: int) -> None:
        self.focus_steered = True
        live = [i for i, f in enumerate(self.focusables) if f.element.is_enabled and f.element.visible]
        if not live:
            self.focus = -1
            return
        if self.focus not in live:
            self.focus = live[0] if step > 0 else live[-1]
        else:
            self.focus = live[(live.index(self.focus) + step) % len(live)]

    def focused(self) -> Focusable | None:
        if 0 <= self.focus < len(self.focusables):
            candidate = self.focusables[self.focus]
            if candidate.element.is_enabled and candidate.element.visible:
                return candidate
        return None

    def focus_on(self, element: UIButton) -> None:
        for i, f in enumerate(self.focusables):
            if f.element is element:
                self.focus = i

    def rebuild_keeping_focus(self) -> None:
        """Lay the screen out again with the keyboard focus on the same button (the nearest of
        that name), so stepping a choice with the keys does not throw the player back."""
        focused = self.focused()
        label = focused.element.text if focused else None
        position = self.focus
        self.app.rebuild()
        same = [i for i, f in enumerate(self.focusables) if f.element.text == label and f.element.is_enabled]
        self.focus = min(same, key=lambda i: abs(i - position)) if same else position

    def activate_focused(self) -> bool:
        target = self.focused()
        if target is None:
            return False
        self.app.later(target.command)
        return True
