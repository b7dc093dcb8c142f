"""Concentration measures for every period and level of the profitability marts, as the
tables analytics.customer_concentration, analytics.lorenz_curve and
analytics.stobachoff_curve hold them. pandas in, pandas out."""

from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.concentration import (
    bootstrap_interval,
    gini_of_rows,
    lorenz_curve,
    profit_concentration,
    revenue_concentration,
    stobachoff_curve,
    stobachoff_s_of_rows,
)

KEYS = ["period_type", "period_start", "level"]
# The tables' columns and types, so that they keep them when empty (no billing lines
# loaded, or every Stobachoff curve undefined).
_KEY_TYPES = {"period_type": "object", "period_start": "object", "level": "object"}
SUMMARY_COLUMNS = {
    **_KEY_TYPES,
    "n": "int64",
    "n_on_lorenz_curve": "int64",
    "n_revenue_not_positive": "int64",
    "total_net_revenue": "float64",
    "total_net_profit": "float64",
    "gini": "float64",
    "gini_corrected": "float64",
    "gini_ci_low": "float64",
    "gini_ci_high": "float64",
    "vulnerability_index_si": "float64",
    "top_20_percent_revenue_share": "float64",
    "customers_for_80_percent_revenue": "int64",
    "stobachoff_state": "object",
    "stobachoff_area_u": "float64",
    "stobachoff_s": "float64",
    "stobachoff_s_ci_low": "float64",
    "stobachoff_s_ci_high": "float64",
    "vulnerability_index_ss": "float64",
    "profit_peak": "float64",
    "loss_ratio": "float64",
    "customers_for_90_percent_profit": "Int64",
    "share_of_customers_for_90_percent_profit": "float64",
}
LORENZ_COLUMNS = {
    **_KEY_TYPES,
    "point": "int64",
    "member_id": "object",
    "cumulative_member_share": "float64",
    "cumulative_revenue_share": "float64",
}
STOBACHOFF_COLUMNS = {
    **_KEY_TYPES,
    "point": "int64",
    "member_id": "object",
    "net_profit": "float64",
    "cumulative_member_share": "float64",
    "cumulative_profit_share": "float64",
}


def _frame(rows: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(columns))
    return frame.astype(columns) if frame.empty else frame


def concentration_tables(
    members: pd.DataFrame, resamples: int = 1000, seed: int = 2010
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """`members`: one row per period, level and member (customer or customer group) with
    columns period_type, period_start, level, member_id, net_revenue, net_profit."""
    summary, lorenz, stobachoff = [], [], []
    if members.empty:
        members = pd.DataFrame(columns=[*KEYS, "member_id", "net_revenue", "net_profit"])
    for (period_type, period_start, level), group in members.groupby(KEYS, sort=True):
        revenue = group["net_revenue"].to_numpy(dtype=float)
        profit = group["net_profit"].to_numpy(dtype=float)
        rc = revenue_concentration(revenue)
        pc = profit_concentration(profit)
        gini_low, gini_high = bootstrap_interval(revenue, gini_of_rows, resamples, seed)
        s_low, s_high = (
            bootstrap_interval(profit, stobachoff_s_of_rows, resamples, seed)
            if pc.defined
            else (None, None)
        )
        key = {"period_type": period_type, "period_start": period_start, "level": level}
        summary.append(
            {
                **key,
                "n": len(group),
                "n_on_lorenz_curve": rc.n,
                "n_revenue_not_positive": rc.excluded,
                "total_net_revenue": float(revenue.sum()),
                "total_net_profit": float(profit.sum()),
                "gini": rc.gini,
                "gini_corrected": rc.gini_corrected,
                "gini_ci_low": gini_low,
                "gini_ci_high": gini_high,
                "vulnerability_index_si": rc.vulnerability_index,
                "top_20_percent_revenue_share": rc.top_20_percent_share,
                "customers_for_80_percent_revenue": rc.customers_for_80_percent,
                "stobachoff_state": pc.state,
                "stobachoff_area_u": pc.u,
                "stobachoff_s": pc.s,
                "stobachoff_s_ci_low": s_low,
                "stobachoff_s_ci_high": s_high,
                "vulnerability_index_ss": pc.ss,
                "profit_peak": pc.peak,
                "loss_ratio": pc.loss_ratio,
                "customers_for_90_percent_profit": pc.customers_for_90_percent,
                "share_of_customers_for_90_percent_profit": pc.share_of_customers_for_90_percent,
            }
        )
        ascending = group[group["net_revenue"] > 0].sort_values(["net_revenue", "member_id"])
        x, y = lorenz_curve(ascending["net_revenue"].to_numpy(dtype=float))
        names = [None, *ascending["member_id"]]
        lorenz += [
            {
                **key,
                "point": k,
                "member_id": names[k],
                "cumulative_member_share": float(x[k]),
                "cumulative_revenue_share": float(y[k]),
            }
            for k in range(len(x))
        ]
        curve = stobachoff_curve(profit)
        if curve is not None:
            descending = group.sort_values(["net_profit", "member_id"], ascending=[False, True])
            names = [None, *descending["member_id"]]
            profits = [None, *descending["net_profit"].astype(float)]
            stobachoff += [
                {
                    **key,
                    "point": k,
                    "member_id": names[k],
                    "net_profit": profits[k],
                    "cumulative_member_share": float(curve[0][k]),
                    "cumulative_profit_share": float(curve[1][k]),
                }
                for k in range(len(curve[0]))
            ]
    return (
        _frame(summary, SUMMARY_COLUMNS),
        _frame(lorenz, LORENZ_COLUMNS),
        _frame(stobachoff, STOBACHOFF_COLUMNS),
    )


CAPABILITY_KEYS = ["supplier_id", "material_id", "characteristic_number", "characteristic"]
# The order measurements were taken in: the moving range of single values runs along it.
# Columns a frame lacks are passed over; the value itself breaks the last ties, so the
# result never depends on the order the rows arrive in.
MEASUREMENT_ORDER = ["inspection_date", "inspection_lot", "sample_number", "value_number"]


def capability_table(measurements: pd.DataFrame) -> pd.DataFrame:
    """One row per supplier, material and characteristic from single measured values.

    `measurements`: supplier_id, material_id, characteristic_number, characteristic,
    lower_limit, upper_limit, inspection_lot, sample_number, measured_value, and for the
    time order inspection_date and value_number. The rational subgroup is the sample of an
    inspection lot; with one value per sample, sigma within comes from the moving range of
    the values in MEASUREMENT_ORDER.
    """
    from metrics.capability import capability

    if measurements.empty:
        return _empty_capability_table()
    order = [c for c in MEASUREMENT_ORDER if c in measurements.columns] + ["measured_value"]
    measurements = measurements.sort_values(CAPABILITY_KEYS + order, kind="stable")
    rows = []
    for key, group in measurements.groupby(CAPABILITY_KEYS, sort=True, dropna=False):
        lsl = group["lower_limit"].dropna()
        usl = group["upper_limit"].dropna()
        subgroups = group["inspection_lot"].astype(str) + "/" + group["sample_number"].astype(str)
        result = capability(
            group["measured_value"].to_numpy(dtype=float),
            float(lsl.iloc[0]) if len(lsl) else None,
            float(usl.iloc[0]) if len(usl) else None,
            subgroups=subgroups.to_numpy(),
        )
        rows.append(
            {
                **dict(zip(CAPABILITY_KEYS, key, strict=True)),
                "lower_limit": float(lsl.iloc[0]) if len(lsl) else None,
                "upper_limit": float(usl.iloc[0]) if len(usl) else None,
                **result.__dict__,
            }
        )
    return pd.DataFrame(rows)


def _empty_capability_table() -> pd.DataFrame:
    """No inspection results: the table with its columns and types, and no row."""
    from dataclasses import fields

    from metrics.capability import Capability

    types = {"characteristic_number": "int64", "lower_limit": "float64", "upper_limit": "float64"}
    for f in fields(Capability):
        types[f.name] = {"int": "int64", "str": "object"}.get(str(f.type), "float64")
    columns = {name: pd.Series(dtype=types.get(name, "object")) for name in CAPABILITY_KEYS}
    columns.update({name: pd.Series(dtype=dtype) for name, dtype in types.items()})
    return pd.DataFrame(columns)


SENSITIVITY_COLUMNS = {
    **_KEY_TYPES,
    "member_id": "object",
    "member_name": "object",
    "draws": "int64",
    "actual_net_profit": "float64",
    "probability_profitable": "float64",
    "net_profit_p05": "float64",
    "net_profit_p50": "float64",
    "net_profit_p95": "float64",
    "relative_profitability_p05": "float64",
    "relative_profitability_p50": "float64",
    "relative_profitability_p95": "float64",
    "actual_rank": "int64",
    "rank_p05": "int64",
    "rank_p95": "int64",
    "spearman_mean": "float64",
    "spearman_p05": "float64",
    "spearman_p95": "float64",
}
TORNADO_COLUMNS = {
    **_KEY_TYPES,
    "member_id": "object",
    "activity_id": "object",
    "estimate_customer_group": "object",
    "low": "float64",
    "likely": "float64",
    "high": "float64",
    "time_unit": "object",
    "actual_net_profit": "float64",
    "net_profit_at_low": "float64",
    "net_profit_at_high": "float64",
    "swing": "float64",
}


def _estimate_keys(costs: pd.DataFrame, estimates: pd.DataFrame) -> pd.Series:
    """Each cost row's estimate: its group's own range where there is one, else the
    activity's; NaN for an activity without a range (not time-driven)."""
    keyed = estimates.reset_index(drop=True)
    pairs = list(zip(keyed["activity_id"], keyed["customer_group"], strict=True))
    own = {(a, g): i for i, (a, g) in enumerate(pairs) if isinstance(g, str)}
    every = {a: i for i, (a, g) in enumerate(pairs) if not isinstance(g, str)}
    return pd.Series(
        [
            own.get((a, g), every.get(a, np.nan))
            for a, g in zip(costs["activity_id"], costs["customer_group"], strict=True)
        ],
        index=costs.index,
        dtype=float,
    )


def sensitivity_tables(
    members: pd.DataFrame,
    costs: pd.DataFrame,
    estimates: pd.DataFrame,
    draws: int = 2000,
    seed: int = 2010,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """analytics.profitability_sensitivity and analytics.sensitivity_tornado.

    members: per period and customer, customer_id, customer_name, customer_group,
    customer_group_name, net_revenue, net_profit (fct_customer_profitability); costs: per
    period, customer and activity, customer_group and time_cost
    (fct_customer_activity_costs); estimates: activity_id, customer_group (None: every
    group), low, likely, high, time_unit (dim_activity_time_estimate). One set of draws
    serves every period and level, so a member's figures are comparable across them."""
    from metrics.sensitivity import pert_draws, simulate, summarise, tornado

    estimates = estimates.reset_index(drop=True)
    factors = pert_draws(
        estimates["low"], estimates["likely"], estimates["high"], draws,
        np.random.default_rng(seed),
    ) / estimates["likely"].to_numpy(dtype=float)  # fmt: skip
    low_factor = (estimates["low"] / estimates["likely"]).to_numpy(dtype=float)
    high_factor = (estimates["high"] / estimates["likely"]).to_numpy(dtype=float)
    costs = costs.assign(estimate=_estimate_keys(costs, estimates)).dropna(subset=["estimate"])
    costs["estimate"] = costs["estimate"].astype(int)
    summary_parts, tornado_parts = [], []
    levels = {
        "customer": ("customer_id", "customer_name"),
        "customer_group": ("customer_group", "customer_group_name"),
    }
    for (period_type, period_start), period in members.groupby(
        ["period_type", "period_start"], sort=True
    ):
        spent = costs[
            (costs["period_type"] == period_type) & (costs["period_start"] == period_start)
        ]
        for level, (key, name) in levels.items():
            who = period.groupby(key, sort=True).agg(
                member_name=(name, "first"),
                net_revenue=("net_revenue", "sum"),
                net_profit=("net_profit", "sum"),
            )
            matrix = (
                spent.groupby([key, "estimate"])["time_cost"].sum().unstack(fill_value=0.0)
                .reindex(index=who.index, columns=range(len(estimates)), fill_value=0.0)
            )  # fmt: skip
            time_cost = matrix.to_numpy(dtype=float)
            profit = who["net_profit"].to_numpy(dtype=float)
            result = summarise(
                simulate(profit, who["net_revenue"].to_numpy(dtype=float), time_cost, factors),
                profit,
            )
            spearman = (
                float(result.spearman.mean()),
                *np.quantile(result.spearman, [0.05, 0.95]),
            )
            # Whole columns at a time: a row at a time from pandas was most of the time.
            summary_parts.append(pd.DataFrame({
                "period_type": period_type, "period_start": period_start, "level": level,
                "member_id": who.index.to_numpy(), "member_name": who["member_name"].to_numpy(),
                "draws": draws, "actual_net_profit": profit,
                "probability_profitable": result.probability_profitable,
                "net_profit_p05": result.profit_quantiles[0],
                "net_profit_p50": result.profit_quantiles[1],
                "net_profit_p95": result.profit_quantiles[2],
                "relative_profitability_p05": result.relative_quantiles[0],
                "relative_profitability_p50": result.relative_quantiles[1],
                "relative_profitability_p95": result.relative_quantiles[2],
                "actual_rank": result.actual_rank.astype(int),
                "rank_p05": result.rank_low.astype(int), "rank_p95": result.rank_high.astype(int),
                "spearman_mean": spearman[0], "spearman_p05": spearman[1],
                "spearman_p95": spearman[2],
            }))  # fmt: skip
            at_low, at_high = tornado(profit, time_cost, low_factor, high_factor)
            rows, used = np.nonzero(time_cost)
            chosen = estimates.iloc[used]
            group = chosen["customer_group"].to_numpy(dtype=object)
            tornado_parts.append(pd.DataFrame({
                "period_type": period_type, "period_start": period_start, "level": level,
                "member_id": who.index.to_numpy()[rows],
                "activity_id": chosen["activity_id"].to_numpy(),
                "estimate_customer_group": [g if isinstance(g, str) else None for g in group],
                "low": chosen["low"].to_numpy(), "likely": chosen["likely"].to_numpy(),
                "high": chosen["high"].to_numpy(), "time_unit": chosen["time_unit"].to_numpy(),
                "actual_net_profit": profit[rows], "net_profit_at_low": at_low[rows, used],
                "net_profit_at_high": at_high[rows, used],
                "swing": np.abs(at_low[rows, used] - at_high[rows, used]),
            }))  # fmt: skip
    return _stacked(summary_parts, SENSITIVITY_COLUMNS), _stacked(tornado_parts, TORNADO_COLUMNS)


def _stacked(parts: list[pd.DataFrame], columns: dict[str, str]) -> pd.DataFrame:
    """The frames one under the other in the documented column order; typed when empty."""
    parts = [part for part in parts if not part.empty]
    if not parts:
        return _frame([], columns)
    return pd.concat(parts, ignore_index=True)[list(columns)]
