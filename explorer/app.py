"""The explorer's entry point, run by Streamlit (`abc-warehouse app`, `make app`):

    streamlit run explorer/app.py -- --serving-dir data/serving

It frames every page: it opens the newest serving snapshot (read-only) before each page
run, hands the connection to the chosen page and states which snapshot the page shows.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb
import streamlit as st

from explorer import snapshot
from explorer.app_pages import PAGES
from explorer.formatting import plain


def serving_dir(argv: list[str]) -> Path:
    parser = argparse.ArgumentParser(prog="explorer")
    parser.add_argument("--serving-dir", type=Path, required=True)
    return parser.parse_args(argv).serving_dir


@st.cache_resource(max_entries=2)
def _connection(path: str):
    # One per snapshot file; a new publish is a new file, so a new connection, and the
    # oldest is dropped (its file may already be gone: an open connection keeps reading).
    return snapshot.connect(Path(path))


def _runner(module, con):
    """The page as Streamlit wants it: a function of no arguments."""

    def run() -> None:
        module.render(con)

    return run


def main() -> None:
    st.set_page_config(page_title="ABC Warehouse explorer", layout="wide")
    try:
        path = snapshot.current_snapshot(serving_dir(sys.argv[1:]))
    except snapshot.NoSnapshot as exc:
        st.error(str(exc))
        return
    con = _connection(str(path))
    page = st.navigation(
        [
            st.Page(_runner(module, con), title=title, url_path=url, default=url == PAGES[0][2])
            for module, title, url in PAGES
        ]
    )
    try:
        page.run()
    except duckdb.CatalogException as exc:
        # A snapshot published by an older version lacks a table this one reads.
        st.error(
            "The serving snapshot lacks a table this page reads; `abc-warehouse run` "
            f"publishes a complete one. ({plain(exc)})"
        )
    shown = snapshot.describe(con, path)
    # Last on the page: once it shows, the page has finished (the browser test waits for it).
    st.caption(
        f"{page.title}: serving snapshot published {shown.published_at:%Y-%m-%d %H:%M:%S} "
        f"(abc-warehouse {shown.version or 'unknown'})"
    )


main()
