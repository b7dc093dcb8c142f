"""How long each page of the explorer takes to render in a real browser, on a serving
snapshot (the demo's, or a benchmark warehouse's):

    python -m benchmark.explorer_pages data/serving [--repeat 5]

The explorer runs as `abc-warehouse app` runs it; Chromium from the system's packages,
driven by Playwright, opens the first page and then follows the navigation as a user
does. A page has rendered when its last line (the snapshot it shows) is on screen and no
element is still loading. The browser test (tests/test_explorer_browser.py) drives the
app with the same parts.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from explorer.app_pages import PAGES
from explorer.command import explorer_command

# Chromium as root in a container with a closed network: no sandbox, and none of its
# background connections (each refused connection is noise in the page's console).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
TITLES = [title for _, title, _ in PAGES]


def system_chromium() -> str | None:
    """The system's Chromium (Debian's package `chromium`), if installed."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("localhost", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(serving_dir: Path, log: Path, startup_seconds: float = 120) -> Iterator[str]:
    """The explorer on a free local port until the block ends; yields its address. What
    the server prints goes to `log`."""
    port = free_port()
    with log.open("w") as out:
        server = subprocess.Popen(
            explorer_command(serving_dir, port), stdout=out, stderr=subprocess.STDOUT
        )
        try:
            url = f"http://localhost:{port}"
            deadline = time.monotonic() + startup_seconds
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5):
                        break
                except OSError as exc:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(
                            f"the explorer did not start:\n{log.read_text()}"
                        ) from exc
                    time.sleep(0.2)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=30)


def wait_rendered(page, title: str, timeout_ms: float = 60_000) -> None:
    """Until the page titled `title` has run to its end and drawn every element."""
    page.get_by_text(f"{title}: serving snapshot published").wait_for(timeout=timeout_ms)
    # Nothing left of a previous run (stale), no run going (the status widget), no element
    # still loading its code (skeleton), every chart drawn.
    page.wait_for_function(
        """() => !document.querySelector(
                '[data-stale="true"], [data-testid="stStatusWidget"], [data-testid="stSkeleton"]')
            && [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                .every(chart => chart.querySelector('canvas, svg'))""",
        timeout=timeout_ms,
    )


def open_page(page, title: str) -> None:
    page.get_by_role("link", name=title, exact=True).click()
    wait_rendered(page, title)


def page_timings(url: str, chromium: str, repeat: int) -> dict[str, list[float]]:
    """Seconds from a click on a page's link (the first page: from opening the address)
    to the page rendered, `repeat` times each."""
    from playwright.sync_api import sync_playwright

    timings: dict[str, list[float]] = {title: [] for title in TITLES}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for _ in range(repeat):
            start = time.monotonic()
            page.goto(url)
            wait_rendered(page, TITLES[0])
            timings[TITLES[0]].append(time.monotonic() - start)
            for title in TITLES[1:]:
                start = time.monotonic()
                open_page(page, title)
                timings[title].append(time.monotonic() - start)
        browser.close()
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("serving_dir", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    chromium = system_chromium()
    if chromium is None:
        print("No Chromium on this machine: apt-get install chromium")
        return 2
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "server.log"
        with serve(args.serving_dir, log) as url:
            timings = page_timings(url, chromium, args.repeat)
    # The first load after the server starts also pays the app's imports and the
    # browser's first download of Streamlit's JavaScript: shown apart from the others.
    print(
        f"{'page':<15}{'first s':>9}{'median s':>10}{'max s':>8}   (then {args.repeat - 1} loads)"
    )
    for title, seconds in timings.items():
        rest = seconds[1:] or seconds
        print(f"{title:<15}{seconds[0]:>9.2f}{statistics.median(rest):>10.2f}{max(rest):>8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
