"""Screenshots of every scene, in English and Japanese, at 100% (1280x720), 200% (2560x1440) and
200% in a 1280x720 window (the compact layouts).

Run it on a real X display (Xvfb will do) so the pictures are what a window shows:

    Xvfb :99 -screen 0 2560x1440x24 &
    DISPLAY=:99 python assets/tools/screenshots.py OUT_DIR [--readme]

With --readme it also writes the turn screen at 100% in English to
assets/screenshots/turn-screen.png, the picture the README shows.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument("--readme", action="store_true", help="also refresh the README's screenshot")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        sys.exit("screenshots.py: error: no DISPLAY; start Xvfb and set DISPLAY (see --help)")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ["RARE_EARTHS_DATA"] = tempfile.mkdtemp(prefix="rare-earths-shots-")
    import pygame

    from game.ui.app import open_app
    from game.ui.driver import every_scene
    from game.ui.storage import Settings

    args.out.mkdir(parents=True, exist_ok=True)
    for language in ("en", "ja"):
        for size, scale, label in (((1280, 720), 1.0, "100"), ((2560, 1440), 2.0, "200"),
                                   ((1280, 720), 2.0, "200-compact")):
            app = open_app(size, settings=Settings(language=language, scale=scale, sound=False))
            seen: dict[str, int] = {}
            for scene in every_scene(app):
                name = scene.name
                if app.show_help:
                    name = "help"
                seen[name] = seen.get(name, 0) + 1
                if seen[name] > 1:
                    name = f"{name}{seen[name]}"
                pygame.display.flip()
                path = args.out / f"{name}-{language}-{label}.png"
                pygame.image.save(app.screen, path)
                if args.readme and name == "turn5" and language == "en" and scale == 1.0:
                    pygame.image.save(app.screen, ROOT / "assets" / "screenshots" / "turn-screen.png")
            app.game.close()
            pygame.display.quit()
    print(f"screenshots in {args.out}")


if __name__ == "__main__":
    main()
