"""Capacity: each department's pool, practical capacity, used and unused hours, and the
activity rates it gives, for a period."""

from __future__ import annotations

import streamlit as st

from explorer import charts, queries
from explorer.formatting import nok
from explorer.layout import period_filter, table


def render(con) -> None:
    st.title("Capacity and activity rates")
    chosen = period_filter(con)
    if chosen is None:
        return
    period_type, start = chosen
    departments = queries.department_capacity(con, period_type, start)
    if departments.empty:
        st.info("No department capacity in the snapshot for this period.")
        return
    left, middle, right = st.columns(3)
    left.metric("Cost pools", nok(departments["pool_cost"].sum()))
    middle.metric("Assigned to customers", nok(departments["assigned_cost"].sum()))
    right.metric("Unused capacity", nok(departments["unused_capacity_cost"].sum()))
    st.caption("pool = assigned + not assigned to a customer + unused capacity")
    st.altair_chart(charts.capacity(departments), width="stretch")
    hours = {c: "hours" for c in ("capacity_hours", "used_hours", "unused_hours")}
    money = {
        c: "nok" for c in ("pool_cost", "assigned_cost", "unassigned_cost", "unused_capacity_cost")
    }
    table(
        departments,
        "department capacity",
        {**hours, **money, "utilisation": "percent"},
        key="departments",
    )
    st.subheader("Activity rates")
    table(
        queries.activity_rates(con, period_type, start),
        "activity rates",
        {
            "time_per_driver_unit": "minutes",
            "rate_per_hour": "rate",
            "applied_rate_per_hour": "rate",
            "rate_per_driver_unit": "rate",
            "driver_quantity": "quantity",
            "used_hours": "hours",
            "assigned_cost": "nok",
        },
        key="rates",
    )
