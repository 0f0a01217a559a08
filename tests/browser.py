"""Headless Chromium for tests of the HTML the game writes (handouts, debrief pages): the DOM a
browser builds from a page, the PDF it prints, a screenshot.

``chromium_or_skip()`` finds Debian's ``chromium`` (or ``chromium-browser``); when it is missing
it tries once to install it (only as root, where apt-get exists), and otherwise skips the test.
Every run is offline and bounded: a fresh profile in a temporary folder, no background
networking, host names resolved to nothing, and a timeout on the process.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import pytest

BINARIES = ("chromium", "chromium-browser")
INSTALL_TIMEOUT = 600.0  # seconds for apt-get; a slow mirror is given up on, not waited for
RUN_TIMEOUT = 60.0  # seconds for one page: a render takes about one
VIRTUAL_TIME_MS = 3000  # how long the page may "run" before the DOM is taken (no scripts here: ample)

#: Flags for every run: headless, no GPU or sandbox (containers run as root), nothing fetched.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--mute-audio",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
_MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]")


def find_chromium() -> str | None:
    for name in BINARIES:
        found = shutil.which(name)
        if found:
            return found
    return None


@cache
def _install_attempt() -> str:
    """Try once per test run to install Chromium with apt-get; "" on success, else why not."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "not root, so not installing it"
    apt = shutil.which("apt-get")
    if apt is None:
        return "no apt-get to install it with"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    steps = [[apt, "install", "-y", "-q", "chromium"]]
    if not any(Path("/var/lib/apt/lists").glob("*_Packages*")):  # a fresh container has no package lists
        steps.insert(0, [apt, "update", "-q"])
    for step in steps:
        try:
            done = subprocess.run(step, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                                  timeout=INSTALL_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            return f"{' '.join(step[1:3])} failed: {error}"
        if done.returncode != 0:
            last = (done.stderr or done.stdout).decode(errors="replace").strip().splitlines()
            return f"{' '.join(step[1:3])} failed: {last[-1] if last else done.returncode}"
    return ""


def chromium_or_skip() -> str:
    """The path of a headless Chromium, installing it once if possible; skips the test if not."""
    found = find_chromium()
    if found:
        return found
    problem = _install_attempt()
    found = find_chromium()
    if found:
        return found
    pytest.skip(f"headless Chromium is not installed (apt-get install chromium): {problem or 'not found after install'}")


def _run(html_path: Path, *flags: str) -> subprocess.CompletedProcess:
    """Chromium on one local page with ``flags``, in a fresh profile, within RUN_TIMEOUT; on a
    timeout the whole process group it started (renderers, GPU and zygote processes) is killed."""
    chromium = chromium_or_skip()
    with tempfile.TemporaryDirectory(prefix="chromium-profile-", ignore_cleanup_errors=True) as profile:
        command = [chromium, *FLAGS, f"--user-data-dir={profile}", f"--crash-dumps-dir={profile}", *flags,
                   Path(html_path).resolve().as_uri()]
        env = {**os.environ, "HOME": profile}  # nothing written to the real home folder
        with subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, start_new_session=True) as process:
            try:
                out, err = process.communicate(timeout=RUN_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.communicate()
                pytest.fail(f"Chromium took more than {RUN_TIMEOUT:.0f} s on {html_path}")
        return subprocess.CompletedProcess(command, process.returncode, out, err)


def render(html_path: Path) -> str:
    """The page's DOM as Chromium serialises it after loading and laying it out."""
    done = _run(html_path, f"--virtual-time-budget={VIRTUAL_TIME_MS}", "--dump-dom")
    dom = done.stdout.decode("utf-8", errors="replace")
    if done.returncode != 0 or "<html" not in dom:
        pytest.fail(f"Chromium could not render {html_path} (exit {done.returncode}): "
                    f"{done.stderr.decode(errors='replace')[-500:]}")
    return dom


def print_pdf(html_path: Path, pdf_path: Path) -> int:
    """Print the page to ``pdf_path`` as Chromium's print does (the page's @page size, no
    header or footer); returns the number of pages."""
    pdf_path = Path(pdf_path).resolve()
    pdf_path.unlink(missing_ok=True)
    done = _run(html_path, f"--virtual-time-budget={VIRTUAL_TIME_MS}", "--no-pdf-header-footer",
                "--print-to-pdf-no-header", f"--print-to-pdf={pdf_path}")
    if not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        pytest.fail(f"Chromium printed no PDF of {html_path} (exit {done.returncode}): "
                    f"{done.stderr.decode(errors='replace')[-500:]}")
    return pdf_page_count(pdf_path)


def screenshot(html_path: Path, png_path: Path, size: tuple[int, int] = (1240, 1754)) -> Path:
    """A PNG of the page on screen, ``size`` pixels (A4 at 150 dpi by default)."""
    png_path = Path(png_path).resolve()
    png_path.unlink(missing_ok=True)
    done = _run(html_path, f"--window-size={size[0]},{size[1]}", f"--screenshot={png_path}")
    if not png_path.is_file():
        pytest.fail(f"Chromium took no screenshot of {html_path} (exit {done.returncode})")
    return png_path


def pdf_page_count(pdf_path: Path) -> int:
    """Pages in a PDF: its ``/Type /Page`` objects (Chromium writes them uncompressed)."""
    return len(_PAGE.findall(Path(pdf_path).read_bytes()))


def pdf_page_sizes(pdf_path: Path) -> list[tuple[float, float]]:
    """Each page's width and height in points (A4: about 595 x 842)."""
    sizes = []
    for box in _MEDIA_BOX.findall(Path(pdf_path).read_bytes()):
        x0, y0, x1, y1 = (float(v) for v in box)
        sizes.append((x1 - x0, y1 - y0))
    return sizes
