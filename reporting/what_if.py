"""The what-if reports: the costing scenarios against actual (scenarios.html) and how sure
the profitability ranking is, given that the activity times are estimates
(sensitivity.html). Each writer takes the year rows of the marts and analytics tables it
shows, draws the latest year, and returns the Report with its charts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reporting.charts import change_bars_chart, s_curve_chart, tornado_chart
from reporting.report import LEVEL_TITLES, Report, fmt, render_page, table_of

NOK = "{:,.0f}"
# The levels of marts.fct_scenario_comparison as a table names them.
LEVEL_NAMES = {"customer": "customer", "customer_group": "customer group", "company": "company"}
TORNADOES = 3  # the members whose profit the time estimates move most


def _latest(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["period_start"] == frame["period_start"].max()]


def _remove_stale_charts(report: Report, folder: Path) -> None:
    """The charts of earlier runs this one did not draw (fewer levels, a renamed chart)."""
    drawn = set(report.charts.values())
    for chart in folder.glob("*.png"):
        if chart not in drawn:
            chart.unlink()


def _write_chart(report: Report, folder: Path, name: str, png: bytes) -> str:
    path = folder / f"{name}.png"
    path.write_bytes(png)
    report.charts[name] = path
    return f"{folder.name}/{path.name}"


def write_scenario_report(
    out_dir: Path,
    scenarios: pd.DataFrame,
    comparison: pd.DataFrame,
    departments: pd.DataFrame,
) -> Report:
    """out_dir/scenarios.html: per scenario the customers' and the company's profit against
    actual, the members whose profit changes sign, and each department's unused capacity.
    scenarios: marts.dim_scenario; comparison: the year rows of marts.fct_scenario_comparison
    (company lines and members' net_profit); departments: the year rows of
    marts.fct_scenario_activity_rates."""
    report = Report(out_dir / "scenarios.html")
    charts = out_dir / "scenarios"
    charts.mkdir(parents=True, exist_ok=True)
    if comparison.empty:
        render_page("scenarios.html", report.html_path, year=None)
        _remove_stale_charts(report, charts)
        return report
    comparison = _latest(comparison)
    year = pd.Timestamp(comparison["period_start"].iloc[0]).year
    order = list(scenarios.sort_values("scenario_id", key=lambda s: s != "actual")["scenario_id"])
    names = dict(zip(scenarios["scenario_id"], scenarios["scenario_name"], strict=True))
    company = comparison[comparison["level"] == "company"].pivot_table(
        index="scenario_id", columns="line", values=["scenario_value", "change"]
    )
    flips = comparison[comparison["changes_sign"]]

    def line(value: str, name: str) -> list[float]:
        return [company.loc[s, (value, name)] for s in order]

    summary = pd.DataFrame(
        {
            "scenario": order,
            "customers' net profit": line("scenario_value", "customers_net_profit"),
            "customers: change": line("change", "customers_net_profit"),
            "unused capacity": line("scenario_value", "unused_capacity_cost"),
            "unused: change": line("change", "unused_capacity_cost"),
            "company profit": line("scenario_value", "company_profit"),
            "company: change": line("change", "company_profit"),
            "members changing sign": [int((flips["scenario_id"] == s).sum()) for s in order],
        }
    )
    others = [s for s in order if s != "actual"]
    changes = summary.set_index("scenario").loc[others]
    chart = _write_chart(
        report,
        charts,
        "scenario_changes",
        change_bars_chart(
            others,
            {
                "customers' net profit": changes["customers: change"].to_numpy(float),
                "company profit": changes["company: change"].to_numpy(float),
            },
            f"What each scenario changes, {year}",
        ),
    )
    signs = []
    for scenario in others:
        mine = flips[flips["scenario_id"] == scenario].sort_values(["level", "change"])
        if mine.empty:
            continue
        table = mine.assign(
            level=mine["level"].map(LEVEL_NAMES),
            actual_net_profit=mine["actual_value"],
            scenario_net_profit=mine["scenario_value"],
        )[["level", "member_id", "member_name", "actual_net_profit", "scenario_net_profit"]]
        signs.append(
            {
                "scenario": scenario,
                "name": names[scenario],
                "table": table_of(table, {"actual_net_profit": NOK, "scenario_net_profit": NOK}),
            }
        )
    unused = _latest(departments).pivot_table(
        index="department_name", columns="scenario_id", values="unused_capacity_cost", aggfunc="sum"
    )[order]
    unused.loc["all departments"] = unused.sum()
    unused = unused.reset_index()
    render_page(
        "scenarios.html",
        report.html_path,
        year=year,
        chart=chart,
        summary=table_of(summary, {c: NOK for c in summary.columns[1:-1]}),
        descriptions=[(s, names[s], _describe(scenarios, s)) for s in order],
        signs=signs,
        departments=table_of(unused, {c: NOK for c in order}),
    )
    _remove_stale_charts(report, charts)
    return report


def _describe(scenarios: pd.DataFrame, scenario: str) -> str:
    row = scenarios[scenarios["scenario_id"] == scenario].iloc[0]
    changes = row["changes"] if isinstance(row["changes"], str) else "no override"
    return f"{row['description']} ({changes})"


def write_sensitivity_report(
    out_dir: Path, sensitivity: pd.DataFrame, tornado: pd.DataFrame
) -> Report:
    """out_dir/sensitivity.html: per level the S-curve with each member's 5-95 % range of
    net profit over the draws of the activity times, the probability of being profitable,
    the rank's range, and the tornado of the members whose profit the estimates move most.
    sensitivity, tornado: the year rows of analytics.profitability_sensitivity and
    analytics.sensitivity_tornado."""
    report = Report(out_dir / "sensitivity.html")
    charts = out_dir / "sensitivity"
    charts.mkdir(parents=True, exist_ok=True)
    if sensitivity.empty:
        render_page("sensitivity.html", report.html_path, year=None, sections=[])
        _remove_stale_charts(report, charts)
        return report
    sensitivity = _latest(sensitivity)
    tornado = tornado[tornado["period_start"] == sensitivity["period_start"].iloc[0]]
    year = pd.Timestamp(sensitivity["period_start"].iloc[0]).year
    sections = []
    for level, who in LEVEL_TITLES.items():
        members = sensitivity[sensitivity["level"] == level].sort_values("actual_rank")
        if members.empty:
            continue
        first = members.iloc[0]
        unsure = members[
            (members["probability_profitable"] > 0.05) & (members["probability_profitable"] < 0.95)
        ]
        figures = [
            ("draws of the activity times", f"{int(first['draws']):,}"),
            ("rank correlation with the actual ranking, mean", fmt(first["spearman_mean"])),
            ("rank correlation, 5-95 % of the draws",
             f"{fmt(first['spearman_p05'])} – {fmt(first['spearman_p95'])}"),
            (f"{who} whose sign is uncertain (profitable in 5-95 % of the draws)",
             str(len(unsure))),
        ]  # fmt: skip
        s_curve = _write_chart(
            report,
            charts,
            f"s_curve_band_{level}",
            s_curve_chart(
                members["member_name"].fillna(members["member_id"]).astype(str).tolist(),
                members["actual_net_profit"].to_numpy(float),
                f"Net profit per {who[:-1]}, ranked, with its 5-95 % range, {year}",
                band=(
                    members["net_profit_p05"].to_numpy(float),
                    members["net_profit_p95"].to_numpy(float),
                ),
            ),
        )
        # Every group; of the customers, those whose sign is uncertain and the top ten.
        shown = members if level == "customer_group" else pd.concat(
            [members.head(10), unsure]
        ).drop_duplicates("member_id").sort_values("actual_rank")  # fmt: skip
        columns = ["actual_rank", "member_id", "member_name", "actual_net_profit",
                   "probability_profitable", "net_profit_p05", "net_profit_p50",
                   "net_profit_p95", "rank_p05", "rank_p95"]  # fmt: skip
        table = table_of(
            shown[columns],
            {
                "actual_rank": "{:.0f}", "actual_net_profit": NOK,
                "probability_profitable": "{:.0%}", "net_profit_p05": NOK,
                "net_profit_p50": NOK, "net_profit_p95": NOK, "rank_p05": "{:.0f}",
                "rank_p95": "{:.0f}",
            },
        )  # fmt: skip
        spread = members.assign(spread=members["net_profit_p95"] - members["net_profit_p05"])
        top = spread.sort_values(["spread", "member_id"], ascending=[False, True]).head(TORNADOES)
        panels = []
        for member in top.itertuples():
            bars = tornado[(tornado["level"] == level) & (tornado["member_id"] == member.member_id)]
            if bars.empty:
                continue
            labels = [
                a if pd.isna(g) else f"{a} ({g})"
                for a, g in zip(bars["activity_id"], bars["estimate_customer_group"], strict=True)
            ]
            name = member.member_name if isinstance(member.member_name, str) else member.member_id
            panels.append((
                f"{member.member_id}: {name}", labels, bars["net_profit_at_low"].to_numpy(float),
                bars["net_profit_at_high"].to_numpy(float), float(member.actual_net_profit),
            ))  # fmt: skip
        tornadoes = None
        if panels:
            tornadoes = {
                "alt": "Tornadoes of " + "; ".join(title for title, *_ in panels),
                "chart": _write_chart(report, charts, f"tornado_{level}", tornado_chart(panels)),
            }
        sections.append(
            {
                "title": f"{who.capitalize()}, {year}",
                "figures": figures,
                "s_curve": s_curve,
                "table": table,
                "shown": "every group" if level == "customer_group" else
                f"the ten most profitable and the {len(unsure)} whose sign is uncertain, "
                f"of {len(members)}",
                "tornadoes": tornadoes,
            }
        )  # fmt: skip
    render_page("sensitivity.html", report.html_path, year=year, sections=sections)
    _remove_stale_charts(report, charts)
    return report
