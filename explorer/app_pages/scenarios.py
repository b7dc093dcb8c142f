"""Scenarios: company profit under each scenario of seeds/scenarios against actual, the
members whose profit changes sign, and the unused capacity the scenario leaves."""

from __future__ import annotations

import streamlit as st

from explorer import charts, queries
from explorer.formatting import plain
from explorer.layout import period_filter, pick, static_table, table

MONEY = {c: "nok" for c in (
    "actual_net_profit", "scenario_net_profit", "change", "actual_unused_capacity_cost",
    "scenario_unused_capacity_cost",
)}  # fmt: skip
COMPANY_LINES = ["customers_net_profit", "cost_without_customer", "unused_capacity_cost",
                 "company_profit"]  # fmt: skip


def render(con) -> None:
    st.title("Scenarios: what if")
    chosen = period_filter(con)
    if chosen is None:
        return
    period_type, start = chosen
    scenarios = queries.scenario_list(con)
    if scenarios.empty:
        st.info("No scenarios in the snapshot (dbt_project/seeds/scenarios).")
        return
    company = queries.company_by_scenario(con, period_type, start)
    wide = company.pivot(index="scenario_id", columns="line", values="scenario_value")
    change = company[company["line"] == "company_profit"].set_index("scenario_id")["change"]
    summary = (
        wide[COMPANY_LINES].assign(company_profit_change=change).reset_index()
        .set_index("scenario_id").loc[list(scenarios["scenario_id"])].reset_index()
    )  # fmt: skip
    st.subheader("The company under each scenario")
    st.caption(
        "company profit = the customers' net profit - cost of time without a customer - "
        "unused capacity: the pools stay unless a scenario changes or releases them"
    )
    st.altair_chart(charts.scenario_profits(summary), width="stretch")
    static_table(
        summary, "company by scenario",
        {c: "nok" for c in [*COMPANY_LINES, "company_profit_change"]}, key="company",
    )  # fmt: skip
    names = dict(zip(scenarios["scenario_id"], scenarios["scenario_name"], strict=True))
    others = [s for s in scenarios["scenario_id"] if s != "actual"]
    scenario = pick("Scenario", others, "scenario", lambda s: f"{s}: {names[s]}")
    if scenario is None:
        return
    row = scenarios.set_index("scenario_id").loc[scenario]
    st.header(plain(row["scenario_name"]))
    st.caption(plain(f"{row['description']} Overrides: {row['changes']}"))
    flips = queries.sign_changes(con, period_type, start, scenario)
    st.subheader(f"Profit changes sign ({len(flips)})")
    table(flips, f"sign changes in {scenario}", MONEY, key="flips")
    st.subheader("Largest changes of a customer's net profit")
    table(queries.largest_changes(con, period_type, start, scenario),
          f"largest changes in {scenario}", MONEY, key="largest")  # fmt: skip
    st.subheader("Departments: rates and unused capacity")
    static_table(
        queries.scenario_departments(con, period_type, start, scenario),
        f"departments in {scenario}",
        {**MONEY, "actual_rate_per_hour": "rate", "scenario_rate_per_hour": "rate"},
        key="departments",
    )
