"""The debrief as a page to keep: one self-contained HTML file (its charts embedded as PNG
data, no other files, no scripts) and a PNG of the debrief with each text whole, written to the
data folder's ``debriefs`` folder. Teachers print it; players compare their games."""

from __future__ import annotations

import base64
import contextlib
import errno
import io
from dataclasses import dataclass
from html import escape as html_escape
from pathlib import Path

import pygame

from game.ui import storage
from game.whole_files import write_whole_as_new


@dataclass(frozen=True)
class DebriefPage:
    """What the page holds; texts already in the player's language. ``*_html`` parts are the
    text-box markup the screen shows (<b>, <font color>, <br>, escaped text), which browsers read."""

    language: str
    title: str
    stars_line: str
    objectives_html: tuple[str, ...]
    turning_points_heading: str
    turning_points_html: tuple[str, ...]
    actions_heading: str
    actions_html: tuple[str, ...]
    history_heading: str
    history_html: str
    charts: tuple[tuple[str, pygame.Surface], ...]
    footer: str


def whole_text_box(box, height: int = 0) -> pygame.Surface:
    """A pygame_gui text box drawn with all its text, without its scroll bar: as tall as the box
    on the screen, or as its text if that is taller, or ``height`` if taller still. A box on the
    screen shows what fits and scrolls the rest, and a picture of it was cut mid-line."""
    text = box.text_box_layout.finalise_to_new()
    inset = (box.text_wrap_rect.x - box.rect.x, box.text_wrap_rect.y - box.rect.y)
    surface = pygame.Surface((box.rect.w, max(height, text.get_height() + 2 * inset[1])))
    surface.fill(box.background_colour)
    edge = box.border_width["top"] if isinstance(box.border_width, dict) else box.border_width
    if edge:
        pygame.draw.rect(surface, box.border_colour, surface.get_rect(), edge)
    surface.blit(text, inset)
    return surface


def png_bytes(surface: pygame.Surface) -> bytes:
    buffer = io.BytesIO()
    pygame.image.save(surface, buffer, "debrief.png")
    return buffer.getvalue()


def page_html(page: DebriefPage) -> str:
    """The whole page as one HTML document."""
    def listing(items: tuple[str, ...]) -> str:
        return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>" if items else ""

    charts = "".join(
        f'<figure><img alt="{html_escape(title)}" src="data:image/png;base64,'
        f'{base64.b64encode(png_bytes(surface)).decode("ascii")}"><figcaption>{html_escape(title)}</figcaption></figure>'
        for title, surface in page.charts)
    return f"""<!DOCTYPE html>
<html lang="{page.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html_escape(page.title)}</title>
<style>
body {{ font-family: "Noto Sans JP", "Hiragino Sans", "Yu Gothic", "Segoe UI", sans-serif; max-width: 60rem;
        margin: 2rem auto; padding: 0 1rem; color: #1b1f24; line-height: 1.55; }}
h1 {{ font-size: 1.6rem; margin-bottom: 0.2rem; }}
h2 {{ font-size: 1.2rem; margin-top: 1.6rem; border-bottom: 1px solid #ccd; }}
.stars {{ font-size: 1.3rem; color: #b8860b; }}
figure {{ display: inline-block; margin: 0.5rem; }}
figure img {{ max-width: 100%; border: 1px solid #ccd; }}
footer {{ margin-top: 2rem; color: #667; font-size: 0.85rem; }}
@media print {{ body {{ margin: 0; }} figure {{ page-break-inside: avoid; }} }}
</style>
</head>
<body>
<h1>{html_escape(page.title)}</h1>
<p class="stars">{html_escape(page.stars_line)}</p>
{listing(page.objectives_html)}
<h2>{html_escape(page.turning_points_heading)}</h2>
{listing(page.turning_points_html)}
<h2>{html_escape(page.actions_heading)}</h2>
{listing(page.actions_html)}
{charts}
<h2>{html_escape(page.history_heading)}</h2>
<p>{page.history_html}</p>
<footer>{html_escape(page.footer)}</footer>
</body>
</html>
"""


def export(page: DebriefPage, screen: pygame.Surface, level_id: str) -> tuple[Path, Path]:
    """Write the page and a PNG of ``screen``; returns their paths. Raises OSError."""
    folder = storage.data_dir() / "debriefs"
    folder.mkdir(parents=True, exist_ok=True)
    # The page takes the first name nobody has (two windows exporting in one second wrote one
    # pair, and each said it had written its own), and its picture the same name: no other
    # export claims a name whose page it did not write. A name whose picture is still there (its
    # page deleted by hand) is passed over too: the picture would refuse the pair.
    names = (name for name in storage.dated_names(folder, (level_id,), ".html")
             if not name.with_suffix(".png").exists())
    html_path = None
    try:
        html_path = write_whole_as_new(names, page_html(page))
        png_path = write_whole_as_new([html_path.with_suffix(".png")], png_bytes(screen))
    except OSError as error:
        if html_path is not None:
            # Both or neither: a page left without its picture (the disk filled between them)
            # sat there while the notice said nothing was exported.
            with contextlib.suppress(OSError):
                html_path.unlink()
        if isinstance(error, FileExistsError):
            raise OSError(errno.EEXIST, "no free name left for the export", str(folder)) from error
        raise
    return html_path, png_path
