"""How the explorer is started: `streamlit run` on explorer/app.py with the settings that
make it a read-only local server (no file watcher, no usage statistics, no browser
opened on the server)."""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).with_name("app.py")


def explorer_command(serving_dir: Path, port: int, address: str = "localhost") -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        "--global.developmentMode",
        "false",
        "--client.toolbarMode",
        "viewer",
        "--theme.base",
        "light",
        "--",
        "--serving-dir",
        str(serving_dir.absolute()),
    ]
