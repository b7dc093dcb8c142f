"""Sensitivity: how sure each member's profit and rank are, given that the activity times
are estimates (analytics.profitability_sensitivity and analytics.sensitivity_tornado)."""

from __future__ import annotations

import streamlit as st

from explorer import charts, queries
from explorer.formatting import figure, plain
from explorer.layout import level_filter, period_filter, pick, static_table, table

MONEY = {c: "nok" for c in (
    "actual_net_profit", "net_profit_p05", "net_profit_p50", "net_profit_p95",
    "net_profit_at_low", "net_profit_at_high", "swing",
)}  # fmt: skip


def render(con) -> None:
    st.title("Sensitivity: how sure the ranking is")
    chosen = period_filter(con)
    if chosen is None:
        return
    period_type, start = chosen
    level, who = level_filter()
    members = queries.sensitivity(con, period_type, start, level)
    if members.empty:
        st.info("No sensitivity figures for this period and level in the snapshot.")
        return
    first = members.iloc[0]
    left, middle, right = st.columns(3)
    left.metric("Rank correlation with the actual ranking", figure(first.spearman_mean, "index"))
    left.caption(
        f"5-95 % of the {int(first.draws):,} draws: {figure(first.spearman_p05, 'index')} to "
        f"{figure(first.spearman_p95, 'index')}"
    )
    unsure = members[
        (members.probability_profitable > 0.05) & (members.probability_profitable < 0.95)
    ]
    middle.metric(f"{who.capitalize()} whose sign is uncertain", f"{len(unsure)}")
    middle.caption("profitable in more than 5 % and less than 95 % of the draws")
    right.metric("Draws of the activity times", f"{int(first.draws):,}")
    right.caption("PERT between each activity's low and high time (dim_activity_time_estimate)")
    st.subheader(f"S-curve with the 5-95 % range of each of the {who}")
    st.altair_chart(charts.s_curve_band(members, who.capitalize()), width="stretch")
    st.subheader("Probability of being profitable, net profit and rank over the draws")
    table(
        members.drop(columns=["spearman_mean", "spearman_p05", "spearman_p95", "draws"]),
        f"sensitivity of {who}",
        {**MONEY, "probability_profitable": "percent", "actual_rank": "count",
         "rank_p05": "count", "rank_p95": "count"},
        key="sensitivity",
    )  # fmt: skip
    names = dict(zip(members["member_id"], members["member_name"], strict=True))
    # The members whose profit moves most with the times first.
    by_spread = list(
        members.assign(spread=members.net_profit_p95 - members.net_profit_p05)
        .sort_values(["spread", "member_id"], ascending=[False, True])["member_id"]
    )  # fmt: skip
    member = pick("Tornado of", by_spread, "member", lambda m: f"{m}: {names[m]}")
    if member is None:
        return
    bars = queries.tornado_bars(con, period_type, start, level, member)
    st.subheader(f"Tornado: {plain(names[member])}")
    st.caption("net profit with one activity time at its low (green) or high (red) value, "
               "every other at its most likely")  # fmt: skip
    if bars.empty:
        st.info("No time-driven activity in this member's costs.")
        return
    st.altair_chart(charts.tornado_chart(bars), width="stretch")
    static_table(
        bars.drop(columns=["actual_net_profit"]), f"tornado of {member}",
        {**MONEY, "low": "minutes", "likely": "minutes", "high": "minutes"}, key="tornado",
    )  # fmt: skip
