"""Drive the window with posted input, as a person would: keys, clicks on a button by its text.

Tests, the frame-time benchmarks and the screenshot script use it, so what they check is what
a player's keyboard and mouse would do, through the same event path.
"""

from __future__ import annotations

from collections.abc import Iterator

import pygame
from pygame_gui.elements import UITextBox

from game.line_breaks import NO_LINE_START
from game.ui.app import BASE_SIZE, App, open_app
from game.ui.levers import LEVER_BY_KIND
from game.ui.play import Game
from game.ui.scene import Scene
from game.ui.storage import Settings
from game.vocab.materials import Material


def _frame(app: App, events: list[pygame.event.Event]) -> None:
    """A frame of ``events`` after what the widgets posted since the last one, as the window's
    own loop takes them from the queue (left there, they would pile up, each holding its widget)."""
    app.frame(pygame.event.get() + events)


def key(code: int, mod: int = 0) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=code, mod=mod, unicode="", scancode=0)


def release(code: int, mod: int = 0) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYUP, key=code, mod=mod, unicode="", scancode=0)


def press(app: App, code: int, mod: int = 0) -> None:
    """Press and let go of a key, in one frame."""
    _frame(app, [key(code, mod), release(code, mod)])


def hold(app: App, code: int, repeats: int) -> None:
    """Hold a key down while the keyboard repeats it ``repeats`` times, one frame each, then let go."""
    for _ in range(repeats + 1):
        _frame(app, [key(code)])
    _frame(app, [release(code)])


def buttons(scene: Scene) -> list:
    return [f.element for f in scene.focusables]


def find_button(app: App, text: str):
    """The enabled, visible button of the top scene whose text is ``text``."""
    for focusable in app.top.focusables:
        element = focusable.element
        if element.text == text and element.is_enabled and element.visible:
            return element
    shown = [f.element.text for f in app.top.focusables]
    raise LookupError(f"no button {text!r} on {type(app.top).__name__}; buttons: {shown}")


def click_at(app: App, position: tuple[int, int]) -> None:
    """Move there, press and release the left button: three frames, as a mouse would."""
    _frame(app, [pygame.event.Event(pygame.MOUSEMOTION, pos=position, rel=(0, 0), buttons=(0, 0, 0))])
    _frame(app, [pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=position, button=1)])
    _frame(app, [pygame.event.Event(pygame.MOUSEBUTTONUP, pos=position, button=1)])


def click(app: App, text: str) -> None:
    click_at(app, find_button(app, text).get_abs_rect().center)


def focus_and_press(app: App, text: str) -> None:
    """Reach a button with Tab alone, then press Space."""
    target = find_button(app, text)
    for _ in range(len(app.top.focusables) + 1):
        focused = app.top.focused()
        if focused is not None and focused.element is target:
            press(app, pygame.K_SPACE)
            return
        press(app, pygame.K_TAB)
    raise LookupError(f"Tab never reached {text!r}")


def overflowing(scene: Scene) -> Iterator[str]:
    """Texts wider or taller than the box they were given, as the box's own font draws them;
    texts cut off by the window or their panel; buttons on top of each other."""
    for box in scene.texts:
        element = box.element
        if not element.alive() or not element.visible:
            continue
        font = getattr(element, "font", None)
        if font is None or not box.text:
            continue
        width, height = font.size(box.text)
        padding = getattr(element, "text_horiz_alignment_padding", 0) or 0
        border = getattr(element, "border_width", 0) or 0
        if isinstance(border, dict):  # per side in newer pygame_gui
            border = max(border.values(), default=0)
        room = element.rect.w - 2 * padding - 2 * border
        if width > room or height > element.rect.h:
            yield (f"{type(scene).__name__}: {box.text!r} needs {width}x{height} px, "
                   f"its box holds {room}x{element.rect.h}")
    screen = pygame.Rect((0, 0), scene.app.screen.get_size())
    for box in scene.texts:
        element = box.element
        if not element.alive() or not element.visible:
            continue
        container = element.ui_container.get_rect() if element.ui_container is not None else screen
        if not screen.contains(element.rect) or not container.contains(element.rect):
            yield f"{type(scene).__name__}: {box.text!r} at {element.rect} is cut off by {container}"
    shown = [f.element for f in scene.focusables if f.element.alive() and f.element.visible]
    for i, one in enumerate(shown):
        for other in shown[i + 1:]:
            if one.get_abs_rect().colliderect(other.get_abs_rect()):
                yield f"{type(scene).__name__}: {one.text!r} and {other.text!r} overlap"
    for elements, bounds in scene.bounds():
        for element in elements:
            if element.alive() and not bounds.contains(element.rect):
                yield f"{type(scene).__name__}: {element.text!r} at {element.rect} falls outside its panel {bounds}"


def badly_broken_lines(app: App) -> Iterator[str]:
    """Lines of the text boxes on screen that start with a mark Japanese never starts a line with
    (、。」） ...), as pygame_gui laid them out."""
    for element in app.ui.get_sprite_group().sprites():
        if not isinstance(element, UITextBox) or not element.alive() or element.text_box_layout is None:
            continue
        for row in element.text_box_layout.layout_rows:
            text = "".join(getattr(item, "text", "") for item in row.items).lstrip(" ")
            if text and text[0] in NO_LINE_START:
                yield f"{type(app.top).__name__}: {text[:30]!r}"


def on_turn_screen(app: App) -> bool:
    """Whether the turn screen is on top, with no pop-up over it and no tutorial showing or to come."""
    top = app.top
    return top.name == "turn" and not top.tutorial.active and not top.tutorial.pending


def start_level(app: App, level: str = "2010-trawler", seed: int = 1) -> None:
    """Open a level on its turn screen with every pop-up and the tutorial dismissed."""
    app.start_game(Game(level, seed=seed), "turn")
    app.frame([])
    while not on_turn_screen(app):
        # Esc closes the events page, as Enter would without the turn screen's pause after it
        # (ENTER_PAUSE_AFTER_PAGE_SECONDS): an End turn pressed next ends the turn.
        press(app, pygame.K_ESCAPE if app.top.name == "event" else pygame.K_RETURN)


def open_at_level(level: str = "2010-trawler", seed: int = 1, size: tuple[int, int] = BASE_SIZE,
                  **settings: object) -> App:
    """A window on ``level``'s turn screen, as a returning player sees it: the tutorial done, no
    sound, End turn without its warning; ``settings`` are any others (language, scale)."""
    app = open_app(size, settings=Settings(**{"sound": False, "warn_before_end": False, **settings}))
    app.progress.tutorial_done = True
    app.frame([])
    start_level(app, level, seed=seed)
    return app


def every_scene(app: App, level: str = "2014-urban-mining") -> Iterator[Scene]:
    """Each screen in turn, reached as a person would; yields the scene on top, drawn."""
    for name, options in (("title", {}), ("campaign", {}), ("briefing", {"level_ref": level}), ("load", {}),
                          ("settings", {})):
        app.switch(name, **options)
        app.frame([])
        yield app.top
    start_level(app, level)
    for _ in range(2):  # a few quarters, so the map has flows and the charts have lines
        press(app, pygame.K_RETURN)
        while len(app.scenes) > 1:
            press(app, pygame.K_ESCAPE)
    for tab in range(5):
        press(app, pygame.K_1 + tab)
        yield app.top
    press(app, pygame.K_s)  # the supply panel in the map's place
    yield app.top
    press(app, pygame.K_s)
    events = [n for n in app.game.world.news if n.source and n.quarter == app.game.world.quarter - 1][:6]
    warnings = ["An objective the quarter can break would be named here, with where it stands now.",
                *app.top.warnings()]
    release_tonnes = LEVER_BY_KIND["release_stockpile"].choices[1]
    for name, options in (("negotiation", {}), ("menu", {}), ("event", {"events": events}), ("objectives", {}),
                          ("warning", {"warnings": warnings, "end_turn": lambda: None}),
                          ("amount", {"title": "Release stockpile", "choice": release_tonnes,
                                      "world_values": {"material": Material.NDPR}, "value": 100.0,
                                      "on_set": lambda value: None})):
        dialog = app.push(name, **options)
        app.frame([])
        yield app.top
        app.pop(dialog)
    app.top.tutorial.step = 0
    app.rebuild()
    app.frame([])
    yield app.top
    app.top.tutorial.step = -1
    app.rebuild()
    app.show_help = True
    app.frame([])
    yield app.top
    app.show_help = False
    while not app.game.session.is_over:
        app.game.end_turn()
    app.switch("debrief")
    app.frame([])
    yield app.top
