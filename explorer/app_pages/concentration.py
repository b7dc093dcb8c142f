"""Concentration: the S-curve (whale curve), Lorenz and Stobachoff curves of a period and
level, with their coefficients and bootstrap intervals."""

from __future__ import annotations

import streamlit as st

from explorer import charts, queries
from explorer.formatting import figure, plain
from explorer.layout import download, level_filter, period_filter, table


def _interval(row, low: str, high: str) -> str:
    return f"95 % interval {figure(row[low], 'index')} to {figure(row[high], 'index')}"


def render(con) -> None:
    st.title("Customer concentration")
    chosen = period_filter(con)
    if chosen is None:
        return
    period_type, start = chosen
    level, who = level_filter()
    row = queries.concentration(con, period_type, start, level)
    if row is None:
        st.info("No concentration figures for this period and level in the snapshot.")
        return

    first, second, third, fourth = st.columns(4)
    first.metric(
        "Gini of net revenue",
        figure(row["gini"], "index"),
        help=_interval(row, "gini_ci_low", "gini_ci_high"),
    )
    first.caption(_interval(row, "gini_ci_low", "gini_ci_high"))
    if row["stobachoff_state"] == "defined":
        second.metric("Stobachoff S", figure(row["stobachoff_s"], "index"))
        second.caption(_interval(row, "stobachoff_s_ci_low", "stobachoff_s_ci_high"))
    else:
        second.metric("Stobachoff S", "undefined")
        second.caption(plain(row["stobachoff_state"]))
    third.metric("Vulnerability SI", figure(row["vulnerability_index_si"], "index"))
    third.caption(f"SS (share with a loss) {figure(row['vulnerability_index_ss'], 'index')}")
    fourth.metric("Net profit, NOK", figure(row["total_net_profit"], "nok"))
    fourth.caption(
        f"profit peak {figure(row['profit_peak'], 'percent')} of it; {int(row['n'])} {who}"
    )

    members = queries.ranked_members(con, period_type, start, level)
    st.subheader(f"S-curve: net profit of the {who}, ranked")
    st.altair_chart(charts.s_curve(members, who.capitalize()), width="stretch")
    left, right = st.columns(2)
    with left:
        st.subheader("Lorenz curve of net revenue")
        st.altair_chart(
            charts.lorenz(queries.lorenz_points(con, period_type, start, level), who),
            width="stretch",
        )
    with right:
        st.subheader("Stobachoff curve of net profit")
        points = queries.stobachoff_points(con, period_type, start, level)
        if points.empty:
            st.info(plain(row["stobachoff_state"]))
        else:
            st.altair_chart(charts.stobachoff(points, who), width="stretch")

    st.subheader(f"The {who}, most profitable first")
    table(
        members.drop(columns=["cumulative_profit"]),
        f"{who} ranked",
        {
            "net_revenue": "nok",
            "total_cost": "nok",
            "net_profit": "nok",
            "relative_profitability": "percent",
        },
        key="members",
    )
    st.subheader("All figures of the period")
    figures = row.to_frame("value").reset_index(names="figure").astype({"value": str})
    st.dataframe(figures, hide_index=True)
    download(figures, "concentration figures", key="figures")
