"""What every page of the explorer lays out the same way: the period filter, a choice kept
in the page's address (so a drill-down can be shared as a link), and tables that can be
downloaded as CSV with the numbers unrounded."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import streamlit as st

from explorer import queries
from explorer.formatting import as_text, column_formats, plain

PERIOD_TYPES = {"year": "Year", "month": "Month"}


def period_filter(con) -> tuple[str, date] | None:
    """The period type and period chosen in the sidebar (latest first); None without data."""
    period_type = st.sidebar.radio(
        "Period",
        list(PERIOD_TYPES),
        format_func=PERIOD_TYPES.get,
        horizontal=True,
        key="period_type",
    )
    starts = queries.periods(con, period_type)
    if not starts:
        st.info("The snapshot holds no customer profitability yet: load billing lines and run.")
        return None
    shown = "%Y" if period_type == "year" else "%Y-%m"
    start = st.sidebar.selectbox(
        PERIOD_TYPES[period_type],
        starts,
        format_func=lambda d: d.strftime(shown),
        key=f"period_start_{period_type}",
    )
    return period_type, start


LEVELS = {"customer_group": "customer groups", "customer": "customers"}


def level_filter() -> tuple[str, str]:
    """The level chosen in the sidebar (customer groups or customers), and its name."""
    level = st.sidebar.radio("Level", list(LEVELS), format_func=LEVELS.get, key="level")
    return level, LEVELS[level]


def pick(label: str, options: list, param: str, describe=str):
    """A choice among `options`, started from and kept in the address's `param`, so that a
    link opens the same drill-down. A new list of options (another group, another
    period) starts a new choice: the first option, unless the address names one."""
    if not options:
        return None
    wanted = st.query_params.get(param)
    index = next((i for i, option in enumerate(options) if str(option) == wanted), 0)
    key = f"pick_{param}_{hash(tuple(map(str, options)))}"
    choice = st.selectbox(label, options, index=index, format_func=describe, key=key)
    st.query_params[param] = str(choice)
    return choice


def _file_name(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_") + ".csv"


def download(rows: pd.DataFrame, title: str, key: str) -> None:
    st.download_button(
        f"Download {plain(title)} as CSV",
        rows.to_csv(index=False).encode("utf-8"),
        file_name=_file_name(title),
        mime="text/csv",
        key=f"download_{key}",
        on_click="ignore",
    )


def table(rows: pd.DataFrame, title: str, kinds: dict[str, str], key: str) -> None:
    """A table to scroll, sort and search (any length), with its CSV download."""
    # DuckDB's dates arrive as timestamps: shown as the dates they are.
    dates = {
        column: st.column_config.DateColumn(format="YYYY-MM-DD")
        for column in rows.select_dtypes("datetime").columns
    }
    config = {**column_formats(kinds), **dates}
    st.dataframe(rows, hide_index=True, column_config=config, key=f"table_{key}")
    download(rows, title, key)


def static_table(rows: pd.DataFrame, title: str, kinds: dict[str, str], key: str) -> None:
    """A short table printed as text (every figure readable on the page, and by a test),
    with its CSV download."""
    # st.table reads every cell and header as Markdown: escape them, data is text.
    shown = as_text(rows, kinds).map(plain).rename(columns=plain)
    st.table(shown.set_index(shown.columns[0]))
    download(rows, title, key)
