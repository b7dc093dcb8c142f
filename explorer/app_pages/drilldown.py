"""Drill-down: customer group -> customer -> its costs from net revenue to net profit ->
its orders -> an order's activities and billing documents -> a document's lines. Each
figure is shown with the driver quantities, hours and rates that produced it."""

from __future__ import annotations

import streamlit as st

from explorer import charts, queries
from explorer.formatting import nok, plain
from explorer.layout import period_filter, pick, static_table, table

MONEY = {
    "net_revenue": "nok",
    "total_cost": "nok",
    "net_profit": "nok",
    "production_cost": "nok",
    "cost_to_serve": "nok",
    "relative_profitability": "percent",
}


def render(con) -> None:
    st.title("Drill-down: from a customer group to a billing line")
    chosen = period_filter(con)
    if chosen is None:
        return
    period_type, start = chosen

    groups = queries.group_profitability(con, period_type, start)
    st.subheader("Customer groups, least profitable first")
    table(groups, "customer groups", {**MONEY, "customers": "count"}, key="groups")
    names = dict(zip(groups["customer_group"], groups["customer_group_name"], strict=True))
    group = pick(
        "Customer group", list(groups["customer_group"]), "group", lambda g: f"{g}: {names[g]}"
    )
    if group is None:
        return

    customers = queries.customers_of_group(con, period_type, start, group)
    st.subheader(f"Customers of {plain(names[group])}, least profitable first")
    table(customers, f"customers of {group}", MONEY, key="customers")
    customer_names = dict(zip(customers["customer_id"], customers["customer_name"], strict=True))
    customer = pick(
        "Customer",
        list(customers["customer_id"]),
        "customer",
        lambda c: f"{c}: {customer_names[c]}",
    )
    if customer is None:
        return
    _customer(con, period_type, start, customer, customer_names[customer])


def _customer(con, period_type, start, customer: str, name: str) -> None:
    pnl = queries.customer_pnl(con, period_type, start, customer)
    st.header(f"{plain(customer)} {plain(name)}: net profit {plain(nok(pnl['net_profit']))}")
    steps = queries.waterfall_steps(pnl)
    left, right = st.columns([3, 2])
    with left:
        st.altair_chart(charts.waterfall(steps), width="stretch")
    with right:
        static_table(
            steps[["step", "amount"]], f"profit of {customer}", {"amount": "nok"}, key="waterfall"
        )

    st.subheader("Activities behind the costs")
    st.caption(
        "cost = driver quantity x time per driver unit x the department's rate; "
        "production at standard cost, commission at the agreed rate"
    )
    activities = queries.customer_activities(con, period_type, start, customer)
    static_table(
        activities,
        f"activities of {customer}",
        {
            "driver_quantity": "quantity",
            "time_hours": "hours",
            "cost_per_driver_unit": "nok_ore",
            "rate_per_hour": "rate",
            "time_cost": "nok",
            "non_pool_cost": "nok",
            "cost": "nok",
        },
        key="activities",
    )

    orders = queries.orders_of_customer(con, period_type, start, customer)
    st.subheader(f"Orders of the period ({len(orders):,}), costliest first")
    money = {c: "nok_ore" for c in orders.columns if c.endswith("cost")}
    table(
        orders,
        f"orders of {customer}",
        {**money, "order_lines": "count", "time_hours": "hours"},
        key="orders",
    )
    order = pick("Sales order", list(orders["sales_order"]), "order")
    if order is None:
        return
    _order(con, order)


def _order(con, order: str) -> None:
    st.header(f"Sales order {plain(order)}")
    st.caption("time cost = hours x the department's applied rate per hour of the rate period")
    static_table(
        queries.order_activities(con, order),
        f"activities of order {order}",
        {
            "driver_quantity": "quantity",
            "minutes_per_driver_unit": "minutes",
            "time_hours": "hours",
            "applied_rate_per_hour": "rate",
            "time_cost": "nok_ore",
            "non_pool_cost": "nok_ore",
            "cost": "nok_ore",
        },
        key="order_activities",
    )
    documents = queries.order_documents(con, order)
    st.subheader("Billing documents of the order")
    money = {
        "gross_revenue": "nok_ore",
        "discounts": "nok_ore",
        "net_revenue": "nok_ore",
        "production_cost": "nok_ore",
    }
    static_table(
        documents,
        f"billing documents of order {order}",
        {**money, "lines": "count"},
        key="documents",
    )
    document = pick("Billing document", list(documents["billing_document"]), "document")
    if document is None:
        return
    st.subheader(f"Lines of billing document {plain(document)}")
    static_table(
        queries.document_lines(con, document),
        f"lines of billing document {document}",
        {**money, "billed_quantity": "quantity", "standard_unit_cost": "nok_ore"},
        key="lines",
    )
