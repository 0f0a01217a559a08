"""Where the game's assets are (``assets/`` in a source tree, else the installed ``game.assets``,
data installed as a package by that name: hence this module's own), and the font files every
text is drawn with: the window draws with them, and the level reader and the workshop server
check that they have a glyph for each character of a text.
"""

from __future__ import annotations

from pathlib import Path


def assets_dir() -> Path:
    """The folder of assets (fonts, map, string tables)."""
    package = Path(__file__).resolve().parent
    source = package.parent / "assets"
    return source if (source / "fonts").is_dir() else package / "assets"


FONT_REGULAR = assets_dir() / "fonts" / "NotoSansJP-Subset-Regular.otf"
FONT_BOLD = assets_dir() / "fonts" / "NotoSansJP-Subset-Bold.otf"
