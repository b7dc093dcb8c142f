"""Suppliers: the scorecard of a year and the capability of their processes, worst first,
with the inspection level each implies and the histogram behind it."""

from __future__ import annotations

import streamlit as st

from explorer import charts, queries
from explorer.formatting import figure, plain
from explorer.layout import pick, table


def render(con) -> None:
    st.title("Suppliers: scorecard and capability")
    years = queries.scorecard_years(con)
    if years:
        year = st.sidebar.selectbox(
            "Scorecard year", years, format_func=lambda d: f"{d:%Y}", key="scorecard_year"
        )
        st.subheader(f"Scorecard {year:%Y}, lowest total score first")
        shares = {c: "percent" for c in ("otif_share", "price_variance_share")}
        scores = {
            c: "index"
            for c in ("delivery_score", "quality_score", "price_score", "soft_score", "total_score")
        }
        table(
            queries.scorecard(con, year),
            f"scorecard {year:%Y}",
            {**shares, **scores, "ppm": "quantity"},
            key="scorecard",
        )
    else:
        st.info("No supplier scorecard in the snapshot.")

    capability = queries.capability(con)
    st.subheader("Process capability, worst first")
    if capability.empty:
        st.info("No inspection results in the snapshot.")
        return
    indices = {c: "index" for c in ("cp", "cpk", "pp", "ppk", "cpk_ci_low", "cpk_ci_high")}
    table(
        capability[
            [
                "supplier_id",
                "material_id",
                "characteristic_number",
                "characteristic",
                "n",
                "status",
                "cp",
                "cpk",
                "cpk_ci_low",
                "cpk_ci_high",
                "pp",
                "ppk",
                "expected_ppm",
                "inspection_level",
                "inspection_level_lower_bound",
            ]
        ],
        "supplier capability",
        {**indices, "n": "count", "expected_ppm": "quantity"},
        key="capability",
    )
    rows = {
        f"{r.supplier_id}|{r.material_id}|{r.characteristic_number}": r
        for r in capability.itertuples()
    }
    chosen = pick(
        "Characteristic",
        list(rows),
        "characteristic",
        lambda key: (
            f"{rows[key].supplier_id} / {rows[key].material_id} / {rows[key].characteristic}"
        ),
    )
    row = rows[chosen]
    st.subheader(
        f"{plain(row.supplier_id)} / {plain(row.material_id)} / {plain(row.characteristic)}"
    )
    first, second, third = st.columns(3)
    first.metric(
        "Cpk",
        figure(row.cpk, "index"),
        help="95 % interval (Bissell) "
        f"{figure(row.cpk_ci_low, 'index')} to {figure(row.cpk_ci_high, 'index')}",
    )
    second.metric("Ppk", figure(row.ppk, "index"))
    third.metric("Inspect", str(row.inspection_level))
    values = queries.measurements(
        con, row.supplier_id, row.material_id, int(row.characteristic_number)
    )
    st.altair_chart(charts.histogram(values, row.lower_limit, row.upper_limit), width="stretch")
