"""Colours, fonts and the pygame_gui theme, built for a UI scale and a palette.

Two palettes: the default, and a colour-blind-safe one from Okabe and Ito's eight colours.
Neither relies on colour alone: flows are drawn solid, dashed or crossed; chart lines differ
in dash and marker; and every state has a label.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.asset_paths import FONT_BOLD, FONT_REGULAR

__all__ = ["FONT_BOLD", "FONT_REGULAR"]  # (the window's modules take them from here, with the theme)
FONT_NAME = "notojp"

#: The text on a button picked or held, on its accent fill.
SELECTED_TEXT = "#000000"

#: Base sizes in points at 100%.
TEXT, SMALL, HEADING, TITLE = 15, 13, 20, 40


@dataclass(frozen=True)
class Palette:
    background: str
    panel: str
    panel_edge: str
    text: str
    muted: str
    accent: str
    button: str
    button_hover: str
    button_text: str
    disabled: str
    focus: str
    sea: str
    land: str
    land_edge: str
    japan: str
    china: str
    other: str
    flow: str
    flow_licensed: str
    flow_embargoed: str
    history: str
    good: str
    bad: str
    star: str

    def rgb(self, name: str) -> tuple[int, int, int]:
        value = getattr(self, name).lstrip("#")
        return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


DEFAULT = Palette(
    background="#151b23", panel="#1f2833", panel_edge="#3a4756", text="#e8edf2", muted="#9aa7b4",
    accent="#4fb3bf", button="#2d3b4a", button_hover="#3d5166", button_text="#f2f5f8", disabled="#5a6470",
    focus="#ffd166", sea="#0f2a3d", land="#33475b", land_edge="#5b7288", japan="#ef476f", china="#f4a259",
    other="#8ecae6", flow="#8ecae6", flow_licensed="#f4d35e", flow_embargoed="#ef476f", history="#ffffff",
    good="#06d6a0", bad="#ef476f", star="#ffd166")

# Okabe-Ito: distinguishable with protanopia, deuteranopia and tritanopia.
COLOUR_BLIND = Palette(
    background="#141414", panel="#222222", panel_edge="#555555", text="#f0f0f0", muted="#b0b0b0",
    accent="#56b4e9", button="#333333", button_hover="#4a4a4a", button_text="#ffffff", disabled="#666666",
    focus="#f0e442", sea="#1b2a33", land="#3d3d3d", land_edge="#777777", japan="#d55e00", china="#e69f00",
    other="#56b4e9", flow="#56b4e9", flow_licensed="#f0e442", flow_embargoed="#cc79a7", history="#ffffff",
    good="#009e73", bad="#d55e00", star="#f0e442")


def palette(colour_blind: bool) -> Palette:
    return COLOUR_BLIND if colour_blind else DEFAULT


def points(base: int, scale: float) -> int:
    return max(8, round(base * scale))


def preloads(scale: float) -> list[dict]:
    """Every font the theme uses, loaded up front (pygame_gui warns about, and stalls on, late loads)."""
    return [{"name": FONT_NAME, "point_size": points(size, scale), "style": style}
            for size in (TEXT, SMALL, HEADING, TITLE) for style in ("regular", "bold")]


def gui_theme(scale: float, colours: Palette) -> dict:
    """The pygame_gui theme as a dict: fonts sized for the scale (laid out again, not scaled)."""
    def font(size: int, bold: bool = False) -> dict:
        return {"name": FONT_NAME, "size": str(points(size, scale)), "bold": "1" if bold else "0",
                "regular_path": str(FONT_REGULAR), "bold_path": str(FONT_BOLD)}

    c = colours
    common = {"normal_bg": c.button, "hovered_bg": c.button_hover, "disabled_bg": c.panel, "selected_bg": c.accent,
              "active_bg": c.accent, "dark_bg": c.panel, "normal_text": c.button_text, "hovered_text": c.button_text,
              "selected_text": SELECTED_TEXT, "active_text": SELECTED_TEXT, "disabled_text": c.disabled,
              "normal_border": c.panel_edge, "hovered_border": c.accent, "disabled_border": c.panel_edge,
              "selected_border": c.focus, "active_border": c.focus, "text_cursor": c.text,
              "link_text": c.accent, "link_hover": c.focus, "link_selected": c.focus}
    misc = {"shape": "rounded_rectangle", "shape_corner_radius": str(max(2, round(4 * scale))),
            "border_width": "1", "shadow_width": "0", "tool_tip_delay": "0.6",
            "text_horiz_alignment_padding": str(round(6 * scale))}
    return {
        "defaults": {"colours": common, "font": font(TEXT), "misc": misc},
        "button": {"colours": common, "font": font(TEXT), "misc": misc},
        "label": {"colours": {"normal_text": c.text, "dark_bg": "#00000000", "normal_bg": "#00000000"},
                  "font": font(TEXT), "misc": {"text_horiz_alignment": "left"}},
        "text_box": {"colours": {"dark_bg": c.panel, "normal_border": c.panel_edge, "normal_text": c.text},
                     "font": font(TEXT), "misc": {"border_width": "1", "padding": f"{round(8 * scale)},{round(6 * scale)}",
                                                  "shape": "rectangle"}},
        "panel": {"colours": {"dark_bg": c.panel, "normal_border": c.panel_edge}, "misc": {"border_width": "1"}},
        "text_entry_line": {"colours": {"dark_bg": c.background, "normal_text": c.text, "selected_bg": c.accent,
                                        "selected_text": "#000000", "normal_border": c.accent,
                                        "text_cursor": c.focus},
                            "font": font(HEADING), "misc": {"border_width": str(max(1, round(2 * scale))),
                                                            "padding": f"{round(8 * scale)},{round(4 * scale)}"}},
        "#name_entry": {"font": font(TEXT), "misc": {"border_width": str(max(1, round(2 * scale))),
                                                      "padding": f"{round(6 * scale)},{round(2 * scale)}"}},
        "tool_tip": {"colours": {"dark_bg": "#0b0f14", "normal_border": c.accent, "normal_text": c.text},
                     "font": font(SMALL), "misc": {"border_width": "1"}},
        "#title": {"colours": {"normal_text": c.text}, "font": font(TITLE, bold=True),
                   "misc": {"text_horiz_alignment": "center"}},
        "#subtitle": {"colours": {"normal_text": c.muted}, "font": font(TEXT), "misc": {"text_horiz_alignment": "center"}},
        "#heading": {"colours": {"normal_text": c.text}, "font": font(HEADING, bold=True)},
        "#small": {"colours": {"normal_text": c.muted}, "font": font(SMALL)},
        "#hint": {"colours": {"normal_text": c.muted}, "font": font(SMALL), "misc": {"text_horiz_alignment": "center"}},
        "#muted": {"colours": {"normal_text": c.muted}, "font": font(TEXT)},
        "#good": {"colours": {"normal_text": c.good}, "font": font(TEXT, bold=True)},
        "#bad": {"colours": {"normal_text": c.bad}, "font": font(TEXT, bold=True)},
        "#stars": {"colours": {"normal_text": c.star}, "font": font(HEADING, bold=True)},
        "#primary": {"colours": {**common, "normal_bg": c.accent, "normal_text": "#000000", "hovered_text": "#000000",
                                 "hovered_bg": c.focus}, "font": font(TEXT, bold=True), "misc": misc},
        "#indicator": {"colours": {**common, "normal_bg": c.panel, "hovered_bg": c.button}, "font": font(SMALL),
                       "misc": {**misc, "shape": "rectangle"}},
        "#tab": {"colours": {**common}, "font": font(SMALL),
                 "misc": {**misc, "text_horiz_alignment_padding": str(round(2 * scale))}},
        "#small_button": {"colours": common, "font": font(SMALL), "misc": misc},
        # A button whose text takes two lines: pygame_gui draws one only, so its own text is
        # drawn in no colour and the scene draws the lines (game.ui.button_lines).
        "#two_lines": {"colours": {**common, **{key: "#00000000" for key in common if key.endswith("_text")}},
                       "font": font(SMALL), "misc": misc},
        # A list's rows (saved games, the level's events): each from the left edge, so a row cut
        # short and one whole start alike and their dates line up (they were centred, and a cut
        # row, filling its button, read as left-aligned beside them).
        "#row_button": {"colours": common, "font": font(TEXT), "misc": {**misc, "text_horiz_alignment": "left"}},
        "#small_row_button": {"colours": common, "font": font(SMALL),
                              "misc": {**misc, "text_horiz_alignment": "left"}},
        # A lever the level keeps locked: muted, so it does not look like one to use, also when
        # picked (the live levers' accent fill made it look open): then its border and a lighter
        # fill say so.
        "#locked_button": {"colours": {**common, "normal_text": c.muted, "hovered_text": c.muted,
                                       "selected_bg": c.button_hover, "selected_text": c.muted,
                                       "active_bg": c.button_hover, "active_text": c.muted},
                           "font": font(SMALL), "misc": misc},
        "#scrim": {"colours": {"dark_bg": "#000000a0", "normal_border": "#00000000"}, "misc": {"border_width": "0"}},
        "#card": {"colours": {"dark_bg": c.background, "normal_border": c.panel_edge, "normal_text": c.text},
                  "font": font(SMALL), "misc": {"border_width": "1", "padding": f"{round(6 * scale)},{round(4 * scale)}"}},
    }
