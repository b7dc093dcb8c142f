"""The explorer's charts (Vega-Lite through Altair, drawn in the browser: hover shows the
member and the figures). Each takes the frame a query returned and returns a chart."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

PROFIT = "#2e7d32"
LOSS = "#c62828"
TOTAL = "#455a64"


def _points(data: pd.DataFrame):
    """Markers on a line of few members (one per member); a plain line for many."""
    return alt.OverlayMarkDef(color=TOTAL) if len(data) <= 40 else False


def _share_axis(field: str, title: str, channel=alt.X):
    return channel(f"{field}:Q", title=title, axis=alt.Axis(format="%"))


def s_curve(members: pd.DataFrame, who: str) -> alt.Chart:
    """Each member's net profit, most profitable first (bars), and the running total of
    profit (line): the whale curve rises above the company's profit and falls back to it."""
    data = members.assign(outcome=np.where(members["net_profit"] >= 0, "profit", "loss"))
    x = alt.X("rank:Q", title=f"{who}, ranked by net profit")
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("net_profit:Q", title="Net profit, NOK"),
            color=alt.Color(
                "outcome:N",
                scale=alt.Scale(domain=["profit", "loss"], range=[PROFIT, LOSS]),
                legend=alt.Legend(orient="bottom", title=None),
            ),
            tooltip=[
                alt.Tooltip("member_name:N", title=who),
                alt.Tooltip("net_profit:Q", title="net profit", format=",.0f"),
                alt.Tooltip("cumulative_profit:Q", title="cumulative", format=",.0f"),
            ],
        )
    )
    line = (
        alt.Chart(data)
        .mark_line(color=TOTAL, point=_points(data))
        .encode(x=x, y=alt.Y("cumulative_profit:Q", title="Cumulative net profit, NOK"))
    )
    return alt.layer(bars, line).resolve_scale(y="independent").properties(height=320)


def _share_curve(points: pd.DataFrame, who: str, share: str, of_what: str, tooltip: list):
    """A curve of cumulative shares: of `of_what` (the column `share`) against members."""
    return (
        alt.Chart(points)
        .mark_line(color=TOTAL, point=_points(points))
        .encode(
            x=_share_axis("cumulative_member_share", f"share of {who}"),
            y=_share_axis(share, f"share of {of_what}", alt.Y),
            tooltip=[
                alt.Tooltip("member_id:N", title="added"),
                *tooltip,
                alt.Tooltip(f"{share}:Q", format=".1%"),
            ],
        )
    )


def lorenz(points: pd.DataFrame, who: str) -> alt.Chart:
    """Cumulative share of revenue against cumulative share of members, smallest first,
    with the line of equal revenue."""
    curve = _share_curve(points, who, "cumulative_revenue_share", "net revenue", [])
    equal = (
        alt.Chart(pd.DataFrame({"x": [0.0, 1.0], "y": [0.0, 1.0]}))
        .mark_line(strokeDash=[4, 4], color="#9e9e9e")
        .encode(x="x:Q", y="y:Q")
    )
    return alt.layer(equal, curve).properties(height=320)


def stobachoff(points: pd.DataFrame, who: str) -> alt.Chart:
    """Cumulative share of profit against cumulative share of members, most profitable
    first: the peak above 100 % is the profit the loss-makers give back."""
    curve = _share_curve(
        points, who, "cumulative_profit_share", "net profit",
        [alt.Tooltip("net_profit:Q", format=",.0f")],
    )  # fmt: skip
    whole = alt.Chart(pd.DataFrame({"y": [1.0]})).mark_rule(strokeDash=[4, 4]).encode(y="y:Q")
    return alt.layer(whole, curve).properties(height=320)


def waterfall(steps: pd.DataFrame) -> alt.Chart:
    """Net revenue down to net profit, one bar per cost (explorer.queries.waterfall_steps)."""
    data = steps.assign(
        order=range(len(steps)),
        colour=np.where(steps["kind"] == "total", "total", "cost"),
    )
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "step:N",
                sort=alt.SortField("order"),
                title=None,
                axis=alt.Axis(labelAngle=-30, labelOverlap=False),
            ),
            y=alt.Y("start:Q", title="NOK"),
            y2="end:Q",
            color=alt.Color(
                "colour:N",
                scale=alt.Scale(domain=["total", "cost"], range=[TOTAL, LOSS]),
                legend=None,
            ),
            tooltip=[alt.Tooltip("step:N"), alt.Tooltip("amount:Q", format=",.0f")],
        )
        .properties(height=340)
    )


def capacity(departments: pd.DataFrame) -> alt.Chart:
    """Used and unused hours of each department's practical capacity."""
    data = departments.melt(
        id_vars=["department_name"],
        value_vars=["used_hours", "unused_hours"],
        var_name="hours",
        value_name="value",
    )
    data["hours"] = data["hours"].str.removesuffix("_hours")
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("department_name:N", title=None),
            x=alt.X("value:Q", title="hours of practical capacity", stack="zero"),
            color=alt.Color(
                "hours:N",
                scale=alt.Scale(domain=["used", "unused"], range=[TOTAL, "#ffb74d"]),
                legend=alt.Legend(orient="bottom", title=None),
            ),
            tooltip=["department_name:N", "hours:N", alt.Tooltip("value:Q", format=",.0f")],
        )
        .properties(height=alt.Step(34))
    )


def histogram(values: pd.DataFrame, lower: float | None, upper: float | None) -> alt.Chart:
    """The measured values of one characteristic with its specification limits."""
    bars = (
        alt.Chart(values)
        .mark_bar(color=TOTAL)
        .encode(
            x=alt.X("measured_value:Q", bin=alt.Bin(maxbins=30), title="measured value"),
            y=alt.Y("count():Q", title="values"),
        )
    )
    limits = pd.DataFrame(
        [
            (name, value)
            for name, value in (("LSL", lower), ("USL", upper))
            if value is not None and not pd.isna(value)
        ],
        columns=["limit", "value"],
    )
    if limits.empty:
        return bars.properties(height=280)
    rules = (
        alt.Chart(limits)
        .mark_rule(color=LOSS, strokeWidth=2)
        .encode(x="value:Q", tooltip=["limit:N", "value:Q"])
    )
    return alt.layer(bars, rules).properties(height=280)


def scenario_profits(summary: pd.DataFrame) -> alt.Chart:
    """Company profit per scenario (bars) beside the customers' net profit (ticks): where
    the two part, the whale curve misleads."""
    data = summary.melt(
        id_vars=["scenario_id"], value_vars=["customers_net_profit", "company_profit"],
        var_name="line", value_name="NOK",
    )  # fmt: skip
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("scenario_id:N", title=None, sort=list(summary["scenario_id"])),
            x=alt.X("NOK:Q", title="NOK"),
            yOffset="line:N",
            color=alt.Color(
                "line:N",
                scale=alt.Scale(
                    domain=["customers_net_profit", "company_profit"], range=["#90a4ae", TOTAL]
                ),
                legend=alt.Legend(orient="bottom", title=None),
            ),  # fmt: skip
            tooltip=["scenario_id:N", "line:N", alt.Tooltip("NOK:Q", format=",.0f")],
        )
        .properties(height=alt.Step(16))
    )


def s_curve_band(members: pd.DataFrame, who: str) -> alt.Chart:
    """Each member's net profit at the most likely times, ranked, with the 5-95 % range of
    the draws of the activity times around it."""
    x = alt.X("actual_rank:Q", title=f"{who}, ranked by net profit")
    band = (
        alt.Chart(members)
        .mark_rule(color="#90a4ae", strokeWidth=3)
        .encode(x=x, y=alt.Y("net_profit_p05:Q", title="Net profit, NOK"), y2="net_profit_p95:Q")
    )
    point = (
        alt.Chart(members)
        .mark_point(filled=True, color=TOTAL, size=18)
        .encode(
            x=x,
            y="actual_net_profit:Q",
            tooltip=[
                alt.Tooltip("member_name:N", title=who),
                alt.Tooltip("actual_net_profit:Q", format=",.0f"),
                alt.Tooltip("net_profit_p05:Q", format=",.0f"),
                alt.Tooltip("net_profit_p95:Q", format=",.0f"),
                alt.Tooltip("probability_profitable:Q", format=".0%"),
            ],
        )
    )
    return alt.layer(band, point).properties(height=320)


def tornado_chart(bars: pd.DataFrame) -> alt.Chart:
    """Net profit with each activity time at its low and at its high value, the largest
    swing on top, around the profit at the most likely times."""
    data = bars.assign(
        estimate=bars["activity_id"]
        + bars["estimate_customer_group"].map(lambda g: f" ({g})" if isinstance(g, str) else "")
    )
    order = list(data["estimate"])
    low = (
        alt.Chart(data)
        .mark_bar(color=PROFIT)
        .encode(
            y=alt.Y("estimate:N", sort=order, title=None),
            x=alt.X("actual_net_profit:Q", title="Net profit, NOK", scale=alt.Scale(zero=False)),
            x2="net_profit_at_low:Q",
            tooltip=["estimate:N", alt.Tooltip("net_profit_at_low:Q", format=",.0f")],
        )
    )
    high = (
        alt.Chart(data)
        .mark_bar(color=LOSS)
        .encode(
            y=alt.Y("estimate:N", sort=order),
            x="actual_net_profit:Q",
            x2="net_profit_at_high:Q",
            tooltip=["estimate:N", alt.Tooltip("net_profit_at_high:Q", format=",.0f")],
        )
    )
    return alt.layer(low, high).properties(height=alt.Step(22))
