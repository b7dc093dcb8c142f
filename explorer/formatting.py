"""Numbers as a controller reads them, and data kept as text.

Amounts are NOK with thousands separators (whole kroner; øre on billing lines), shares
as percentages. The same rules serve the static tables (text) and the interactive ones
(Streamlit's column formats), so a figure reads the same in both. Text from the data (a
customer's name, a material number) is never markup: `plain` escapes what Markdown would
interpret, and tables render cells as text.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, time

import pandas as pd

# How each kind of column is shown: Python format for the static tables, printf format
# for Streamlit's interactive tables (sprintf-js; ',' groups thousands).
FORMATS = {
    "nok": ("{:,.0f}", "%,.0f"),
    "nok_ore": ("{:,.2f}", "%,.2f"),
    "hours": ("{:,.2f}", "%,.2f"),
    "minutes": ("{:,.2f}", "%,.2f"),
    "quantity": ("{:,.0f}", "%,.0f"),
    "rate": ("{:,.2f}", "%,.2f"),
    "index": ("{:.2f}", "%.2f"),
    "count": ("{:,.0f}", "%,d"),
}
MISSING = "–"


def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def figure(value, kind: str) -> str:
    """One number as text, by the kind of column it is in (`FORMATS`, or `percent`)."""
    if _missing(value):
        return MISSING
    if kind == "percent":
        text = f"{float(value) * 100:,.1f} %"
    else:
        text = FORMATS[kind][0].format(float(value))
    # A value that rounds to zero reads as zero, whatever side of it it lies.
    return text[1:] if text.startswith("-") and not text.strip("-0.,% ") else text


def nok(value) -> str:
    """An amount with its currency, for a heading or a key figure."""
    return MISSING if _missing(value) else f"{figure(value, 'nok')} NOK"


def text(value) -> str:
    """A value that is not a figure: a date as YYYY-MM-DD (a time only where there is one),
    a missing value as a dash, anything else as it is."""
    if _missing(value):
        return MISSING
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != time() else value.date().isoformat()
    return str(value)


def as_text(rows: pd.DataFrame, kinds: dict[str, str]) -> pd.DataFrame:
    """A table with its numeric columns written out by kind (for a static table) and the
    others as text."""
    shown = pd.DataFrame(index=rows.index)
    for column in rows.columns:
        kind = kinds.get(column)
        shown[column] = [figure(v, kind) if kind else text(v) for v in rows[column]]
    return shown


def column_formats(kinds: dict[str, str]) -> dict:
    """Streamlit column configuration for an interactive table with these kinds."""
    import streamlit as st

    config = {}
    for column, kind in kinds.items():
        if kind == "percent":
            config[column] = st.column_config.NumberColumn(format="percent")
        else:
            config[column] = st.column_config.NumberColumn(format=FORMATS[kind][1])
    return config


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def plain(text) -> str:
    """Text from the data, safe inside Markdown: every character Markdown (or Streamlit's
    additions to it: colours, icons, maths) could read as markup is escaped."""
    return _MARKDOWN.sub(r"\\\1", str(text))
