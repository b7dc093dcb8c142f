"""The HTML reports: concentration (report.html), supplier capability (capability.html) and
the strategy views (strategy.html), each a folder of a page plus its charts, so it opens
from disk and the charts can be attached to Dagster materializations.

The pages are Jinja templates (reporting/templates/, one base layout) rendered with
autoescaping: every value from the data is text here and escaped there."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import pandas as pd

from reporting.charts import lorenz_chart, s_curve_chart, stobachoff_chart

LEVEL_TITLES = {"customer_group": "customer groups", "customer": "customers"}
TEMPLATES = Path(__file__).parent / "templates"


@functools.cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,  # a misspelt field fails, not renders empty
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_page(template: str, path: Path, **context) -> Path:
    """A report page from its template (reporting/templates/), written to path."""
    path.write_text(_templates().get_template(template).render(**context), encoding="utf-8")
    return path


@dataclass
class Report:
    """A written page and the charts it shows (attached to Dagster materializations)."""

    html_path: Path
    charts: dict[str, Path] = field(default_factory=dict)


def fmt(value, pattern: str = "{:.3f}") -> str:
    """A number as a report shows it: formatted by pattern, a dash when missing."""
    if value is None or pd.isna(value):  # None, NaN, pandas' NA and NaT
        return "–"
    text = pattern.format(value)
    # A value that rounds to zero reads 0, not -0.
    if text.startswith("-") and not text.strip("-0.,%"):
        return text[1:]
    return text


def _figures(row: pd.Series) -> list[tuple[str, str]]:
    def interval(low, high):
        return f"{fmt(low)} – {fmt(high)}" if low is not None and not pd.isna(low) else "–"

    items = [
        (
            "members",
            f"{int(row['n'])} ({int(row['n_revenue_not_positive'])} without positive revenue)",
        ),
        ("net revenue, NOK", fmt(row["total_net_revenue"], "{:,.0f}")),
        ("net profit, NOK", fmt(row["total_net_profit"], "{:,.0f}")),
        ("Gini", fmt(row["gini"])),
        ("Gini, 95 % bootstrap interval", interval(row["gini_ci_low"], row["gini_ci_high"])),
        ("Gini, small-sample corrected", fmt(row["gini_corrected"])),
        ("vulnerability index SI", fmt(row["vulnerability_index_si"])),
        ("revenue share of the top 20 %", fmt(row["top_20_percent_revenue_share"], "{:.1%}")),
        ("members making 80 % of revenue", fmt(row["customers_for_80_percent_revenue"], "{:.0f}")),
        (
            "Stobachoff coefficient S",
            fmt(row["stobachoff_s"])
            if row["stobachoff_state"] == "defined"
            else str(row["stobachoff_state"]),
        ),
        (
            "S, 95 % bootstrap interval",
            interval(row["stobachoff_s_ci_low"], row["stobachoff_s_ci_high"]),
        ),
        ("vulnerability index SS (share losing money)", fmt(row["vulnerability_index_ss"])),
        ("profit peak P+/P", fmt(row["profit_peak"], "{:.1%}")),
        ("loss ratio P-/P+", fmt(row["loss_ratio"])),
        ("members making 90 % of profit", fmt(row["customers_for_90_percent_profit"], "{:.0f}")),
    ]
    return items


def write_concentration_report(
    out_dir: Path,
    summary: pd.DataFrame,
    lorenz: pd.DataFrame,
    stobachoff: pd.DataFrame,
    members: pd.DataFrame,
) -> Report:
    """Charts and key figures of the latest year, per level, into out_dir/report.html."""
    out_dir.mkdir(parents=True, exist_ok=True)
    years = summary[summary["period_type"] == "year"]
    if years.empty:
        # No customer side loaded (or no billing line yet): say so instead of failing.
        report = Report(out_dir / "report.html")
        render_page("concentration.html", report.html_path, year=None, sections=[], trend=[])
        return report
    latest = years["period_start"].max()
    label = pd.Timestamp(latest).year
    report = Report(out_dir / "report.html")
    sections = []
    for level in ("customer_group", "customer"):
        row = years[(years["period_start"] == latest) & (years["level"] == level)]
        if row.empty:
            continue
        row = row.iloc[0]
        who = LEVEL_TITLES[level]
        key = (lorenz["period_type"] == "year") & (lorenz["period_start"] == latest)
        points = lorenz[key & (lorenz["level"] == level)].sort_values("point")
        charts = {
            f"lorenz_{level}": lorenz_chart(
                points["cumulative_member_share"].to_numpy(),
                points["cumulative_revenue_share"].to_numpy(),
                row["gini"],
                f"Lorenz curve of net revenue, {who}, {label}",
                who,
            )
        }
        key = (stobachoff["period_type"] == "year") & (stobachoff["period_start"] == latest)
        points = stobachoff[key & (stobachoff["level"] == level)].sort_values("point")
        if not points.empty:
            charts[f"stobachoff_{level}"] = stobachoff_chart(
                points["cumulative_member_share"].to_numpy(),
                points["cumulative_profit_share"].to_numpy(),
                row["stobachoff_s"],
                f"Stobachoff curve, {who}, {label}",
                who,
            )
        mine = members[
            (members["period_type"] == "year")
            & (members["period_start"] == latest)
            & (members["level"] == level)
        ]
        charts[f"s_curve_{level}"] = s_curve_chart(
            mine["member_name"].astype(str).tolist(),
            mine["net_profit"].to_numpy(dtype=float),
            f"Net profit per {who[:-1]}, ranked, {label}",
        )
        images = []
        for name, png in charts.items():
            path = out_dir / f"{name}.png"
            path.write_bytes(png)
            report.charts[name] = path
            images.append({"src": path.name, "alt": name})
        sections.append(
            {"title": f"{who.capitalize()}, {label}", "figures": _figures(row), "charts": images}
        )
    monthly = summary[(summary["period_type"] == "month") & (summary["level"] == "customer")]
    trend = [
        {
            "month": f"{pd.Timestamp(r.period_start):%Y-%m}",
            "gini": fmt(r.gini),
            "s": fmt(r.stobachoff_s),
            "ss": fmt(r.vulnerability_index_ss),
        }
        for r in monthly.sort_values("period_start").itertuples()
    ]
    render_page("concentration.html", report.html_path, year=label, sections=sections, trend=trend)
    return report


def write_capability_report(
    out_dir: Path, capability: pd.DataFrame, measurements: pd.DataFrame
) -> Path:
    """out_dir/capability.html: per characteristic its indices, inspection level and histogram."""
    from reporting.histogram import capability_histogram_svg

    charts = out_dir / "capability"
    charts.mkdir(parents=True, exist_ok=True)
    rows, wanted = [], set()
    ordered = worst_first(capability)
    for r in ordered.itertuples():
        mine = measurements[
            (measurements["supplier_id"] == r.supplier_id)
            & (measurements["material_id"] == r.material_id)
            & (measurements["characteristic_number"] == r.characteristic_number)
        ]
        values = mine["measured_value"].to_numpy(dtype=float)
        title = f"{r.supplier_id} / {r.material_id} / {r.characteristic}"
        # Named by a hash of what it shows: a chart whose measurements did not change since
        # the last run is not written again, and ids are data, never parts of a path (SAP
        # allows '/' in a material number).
        key = (r.supplier_id, r.material_id, r.characteristic_number)
        drawn = hashlib.sha256(
            repr((key, values.tolist(), r.lower_limit, r.upper_limit, title)).encode()
        )
        name = f"{drawn.hexdigest()[:32]}.svg"
        if not (charts / name).exists():
            svg = capability_histogram_svg(values, r.lower_limit, r.upper_limit, title)
            (charts / name).write_text(svg, encoding="utf-8")
        wanted.add(name)
        rows.append(
            {
                "supplier": str(r.supplier_id),
                "material": str(r.material_id),
                "characteristic": str(r.characteristic),
                "n": r.n,
                "cp": fmt(r.cp, "{:.2f}"),
                "cpk": fmt(r.cpk, "{:.2f}"),
                "interval": f"{fmt(r.cpk_ci_low, '{:.2f}')} – {fmt(r.cpk_ci_high, '{:.2f}')}",
                "ppk": fmt(r.ppk, "{:.2f}"),
                "ppm": fmt(r.expected_ppm, "{:,.0f}"),
                "status": "enough" if r.status == "ok" else str(r.status),
                "level": str(r.inspection_level),
                "level_lower_bound": str(r.inspection_level_lower_bound),
                "chart": name,
            }
        )
    path = render_page("capability.html", out_dir / "capability.html", rows=rows)
    # Charts of characteristics no longer shown, and those of earlier versions (PNG).
    for stale in charts.iterdir():
        if stale.name not in wanted:
            stale.unlink()
    return path


def worst_first(capability: pd.DataFrame) -> pd.DataFrame:
    """The characteristics in the order a purchaser works through them: the largest share
    of lots to inspect first; within it, too few values to tell first, then the lowest
    Cpk (its interval's lower bound breaking ties), then supplier, material, number."""
    from metrics.capability import inspection_share

    keyed = capability.assign(
        _share=capability["inspection_level"].map(inspection_share),
        _enough=capability["status"] == "ok",
        _cpk=capability["cpk"].astype(float),
        _low=capability["cpk_ci_low"].astype(float),
    )
    keyed = keyed.sort_values(
        ["_share", "_enough", "_cpk", "_low", "supplier_id", "material_id",
         "characteristic_number"],
        ascending=[False, True, True, True, True, True, True],
        na_position="first",
        kind="stable",
    )  # fmt: skip
    return keyed.drop(columns=["_share", "_enough", "_cpk", "_low"])


def table_of(frame: pd.DataFrame, formats: dict[str, str]) -> dict:
    """A frame as the base layout's data_table: column names and cells of text, numbers
    fmt by `formats` (and aligned right), everything else as it is."""
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, record, strict=True):
            pattern = formats.get(column)
            # A missing value (None, NaN, pandas' <NA>) reads as a dash in every column.
            text = fmt(value, pattern or "{}")
            cells.append({"text": text, "number": bool(pattern)})
        rows.append(cells)
    return {"columns": list(frame.columns), "rows": rows}


def power_quadrants(counterpart: str) -> dict[str, str]:
    """The quadrants' names as the marts' power_quadrant macro gives them
    (dbt_project/macros/strategy.sql), placed as the charts draw them: our dependence on
    the counterpart to the right, its dependence on us upwards."""
    return {
        "top_right": "mutual dependence",
        "bottom_right": f"{counterpart} holds the power",
        "top_left": "we hold the power",
        "bottom_left": "low mutual interest",
    }


def write_strategy_report(
    out_dir: Path,
    relationship: pd.DataFrame,
    suppliers: pd.DataFrame,
    make_or_buy: pd.DataFrame,
    spend: pd.DataFrame,
    thresholds: dict[str, float],
) -> Report:
    """out_dir/strategy.html: a section and a chart per strategy view, latest year."""
    from reporting.charts import quadrant_chart, stacked_bar_chart

    report = Report(out_dir / "strategy.html")
    charts = out_dir / "strategy"
    charts.mkdir(parents=True, exist_ok=True)
    sections = []

    groups = relationship[relationship["level"] == "customer_group"]
    groups = groups[groups["period_start"] == groups["period_start"].max()]
    estimated = groups[groups["quadrant"] != "not estimated"]
    path = charts / "customer_relationship.png"
    path.write_bytes(
        quadrant_chart(
            estimated["revenue_share"].to_numpy(dtype=float),
            estimated["share_of_customer_purchases"].fillna(0).to_numpy(dtype=float),
            estimated["member_name"].fillna(estimated["member_id"]).astype(str).tolist(),
            thresholds["revenue_share"],
            thresholds["purchase_share"],
            "share of our net revenue (who the customer is for us)",
            "our share of the customer's purchases (who we are for it)",
            "Relationship power, customer groups",
            power_quadrants("customer"),
        )
    )
    report.charts["customer_relationship"] = path
    columns = ["member_id", "member_name", "revenue_share", "profit_share",
               "relative_profitability", "share_of_customer_purchases", "switching_cost",
               "quadrant"]  # fmt: skip
    sections.append(
        {
            "title": "Relationship power: customer groups",
            "intro": "Right of the vertical line the group matters to us (share of net revenue "
            f"at or above {thresholds['revenue_share']:.0%}); above the horizontal line we "
            f"matter to it (our share of its purchases at or above "
            f"{thresholds['purchase_share']:.0%}, or a switching cost of "
            f"{thresholds['switching_cost']:.0f} or more). Groups without an estimate are "
            "listed, not plotted.",
            "chart": path.name,
            "note": "",
            "table": table_of(
                groups.sort_values("revenue_share", ascending=False)[columns],
                {
                    "revenue_share": "{:.1%}",
                    "profit_share": "{:.1%}",
                    "relative_profitability": "{:.1%}",
                    "share_of_customer_purchases": "{:.0%}",
                },
            ),  # fmt: skip
        }
    )

    latest = suppliers[suppliers["period_start"] == suppliers["period_start"].max()]
    known = latest[latest["quadrant"] != "not estimated"]
    path = charts / "supplier_relationship.png"
    path.write_bytes(
        quadrant_chart(
            known["category_spend_share"].to_numpy(dtype=float),
            known["supplier_dependency_on_us"].to_numpy(dtype=float),
            known["supplier_name"].fillna(known["supplier_id"]).astype(str).tolist(),
            thresholds["category_share"],
            thresholds["supplier_dependency"],
            "supplier's share of our spend in its category (our dependence)",
            "our spend / supplier's turnover (its dependence on us)",
            "Supplier preferencing",
            power_quadrants("supplier"),
        )
    )
    report.charts["supplier_relationship"] = path
    sections.append(
        {
            "title": "Relationship power: suppliers",
            "intro": "",
            "chart": path.name,
            "table": table_of(
                known[
                    [
                        "supplier_id",
                        "supplier_name",
                        "purchasing_category",
                        "spend",
                        "category_spend_share",
                        "supplier_dependency_on_us",
                        "quadrant",
                    ]
                ],
                {
                    "spend": "{:,.0f}",
                    "category_spend_share": "{:.1%}",
                    "supplier_dependency_on_us": "{:.1%}",
                },
            ),  # fmt: skip
            "note": f"{len(latest) - len(known)} suppliers have no turnover in the seed "
            "supplier_turnover and are not placed.",
        }
    )

    yearly = make_or_buy[make_or_buy["period_type"] == "year"]
    path = charts / "make_or_buy.png"
    path.write_bytes(
        stacked_bar_chart(
            [f"{a} vs {s}" for a, s in zip(yearly["activity_id"], yearly["supplier"], strict=True)],
            {
                "internal rate per unit": yearly["internal_cost_per_unit"].to_numpy(dtype=float),
                "unused capacity per unit": yearly["unused_capacity_per_unit"].to_numpy(
                    dtype=float
                ),
            },
            "NOK per driver unit",
            "Make or buy: internal cost per unit against the external quote",
            marks=("external quote", yearly["external_price_per_unit"].to_numpy(dtype=float)),
        )
    )
    report.charts["make_or_buy"] = path
    sections.append(
        {
            "title": "Make or buy",
            "intro": "",
            "chart": path.name,
            "table": table_of(
                yearly[
                    [
                        "period_start",
                        "activity_id",
                        "supplier",
                        "driver_quantity",
                        "internal_cost_per_unit",
                        "unused_capacity_per_unit",
                        "external_price_per_unit",
                        "saving_if_bought",
                        "saving_if_bought_and_capacity_released",
                        "cheaper_at_capacity_rate",
                    ]
                ],
                {
                    "driver_quantity": "{:,.1f}",
                    "internal_cost_per_unit": "{:,.2f}",
                    "unused_capacity_per_unit": "{:,.2f}",
                    "external_price_per_unit": "{:,.2f}",
                    "saving_if_bought": "{:,.0f}",
                    "saving_if_bought_and_capacity_released": "{:,.0f}",
                },
            ),  # fmt: skip
            "note": "A negative saving means buying costs more than making.",
        }
    )

    by_category = spend.groupby("purchasing_category", as_index=False)[
        ["spend", "spend_on_contract", "spend_off_contract", "savings_against_agreed"]
    ].sum()
    path = charts / "spend.png"
    path.write_bytes(
        stacked_bar_chart(
            by_category["purchasing_category"].tolist(),
            {
                "on contract": by_category["spend_on_contract"].to_numpy(dtype=float),
                "off contract (maverick)": by_category["spend_off_contract"].to_numpy(dtype=float),
            },
            "spend, company currency",
            "Spend by purchasing category",
        )
    )
    report.charts["spend"] = path
    sections.append(
        {
            "title": "Spend and contract coverage",
            "intro": "",
            "chart": path.name,
            "table": table_of(
                by_category,
                {c: "{:,.0f}" for c in by_category.columns if c != "purchasing_category"},
            ),
            "note": "",
        }
    )

    render_page("strategy.html", report.html_path, sections=sections)
    return report
