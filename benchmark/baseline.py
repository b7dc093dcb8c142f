"""The baseline a user would otherwise write: pandas reading the extracts, groupby and merge.

`python -m benchmark.baseline <inbox> <seeds> <fct_activity_rates.parquet> <out.parquet>`,
as the other peers (benchmark/peer_duckdb.py, benchmark/peer_polars.py).

It computes the yearly customer cost of the order- and order-line-driven activities and
production at standard from the same files the product loads, with the same costing
rules (docs/domain.md, the seeds under dbt_project/seeds/costing), so the benchmark can
check that product and baseline agree. The activity rates are an input, read from the
product's published `fct_activity_rates`, as a user would read them off the controller's
rate sheet: computing the pools is not what this baseline is timed on.

Written the way such scripts are written (read everything, coerce, filter, merge), not
as a second implementation of the loader: no quarantine, no reconciliation.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

VBRP = [
    "VBELN", "POSNR", "FKART", "VBTYP", "FKDAT", "KUNAG", "KUNWE", "AUBEL", "VGBEL",
    "MATNR", "FKIMG", "VRKME", "BRTWR", "NETWR", "WAERK", "BSARK",
]  # fmt: skip
# The activities this baseline costs: driven by orders, order lines, shipments or units.
FAMILIES = ("order_handling", "delivery", "invoicing", "informing", "packing", "production")


def _number(text: pd.Series) -> pd.Series:
    """SAP's 1.234,56 (and 1234.56) as a float; anything else NaN."""
    text = text.str.strip()
    comma = text.str.contains(",", regex=False)
    text = text.where(~comma, text.str.replace(".", "", regex=False).str.replace(",", "."))
    return pd.to_numeric(text, errors="coerce")


def _key(text: pd.Series) -> pd.Series:
    return text.str.strip().str.lstrip("0")


def read_billing(files: list[Path]) -> pd.DataFrame:
    frames = [
        pd.read_csv(
            f,
            sep=";",
            header=None,
            names=VBRP,
            dtype=str,
            encoding="utf-8-sig",
            on_bad_lines="skip",
            engine="c",
            skip_blank_lines=True,
        )  # fmt: skip
        for f in files
    ]
    raw = pd.concat(frames, ignore_index=True)
    raw = raw[raw["VBELN"].str.fullmatch(r"\s*\d+\s*", na=False)]  # headers, banners, rules
    dates = raw["FKDAT"].str.strip()
    fkdat = pd.to_datetime(dates, format="%Y%m%d", errors="coerce").fillna(
        pd.to_datetime(dates, format="%d.%m.%Y", errors="coerce")
    )
    # As the loader: a billing date outside 1950-2099 is a typo, the line is not revenue.
    fkdat = fkdat.where(fkdat.dt.year.between(1950, 2099))
    lines = pd.DataFrame(
        {
            "document": raw["VBELN"].str.strip(),
            "item": pd.to_numeric(raw["POSNR"], errors="coerce"),
            "category": raw["FKART"].str.strip(),
            "date": fkdat,
            "customer": _key(raw["KUNAG"]),
            "order": _key(raw["AUBEL"]),
            "delivery": _key(raw["VGBEL"]),
            "material": _key(raw["MATNR"]),
            "quantity": _number(raw["FKIMG"]),
            "gross": _number(raw["BRTWR"]),
            "net": _number(raw["NETWR"]),
            "channel": raw["BSARK"].str.strip().str.upper(),
        }
    )
    lines = lines.replace({"customer": {"": None}}).dropna()
    return lines


def customer_costs(inbox: Path, seeds: Path, rates: pd.DataFrame) -> pd.DataFrame:
    """Yearly cost per customer and activity family (columns customer, family, cost)."""
    lines = read_billing(sorted(inbox.glob("VBRP_*")))
    categories = pd.read_csv(seeds / "billing_categories.csv", dtype={"billing_category": str})
    lines = lines.merge(categories, left_on="category", right_on="billing_category")
    lines["quantity"] *= lines["sign"]
    customers = pd.read_csv(next(inbox.glob("KNA1_*")), sep=";", dtype=str, encoding="latin-1")
    customers = pd.DataFrame(
        {"customer": _key(customers["KUNNR"]), "group": customers["KDGRP"].str.strip()}
    )
    lines = lines.merge(customers, on="customer", how="left")
    lines["month"] = lines["date"].dt.to_period("M")

    # Production at the standard cost valid on the billing date.
    mbew = pd.read_csv(next(inbox.glob("MBEW_*")), sep="\t", dtype=str)
    standard = pd.DataFrame(
        {
            "material": _key(mbew["MATNR"]),
            "unit_cost": _number(mbew["VERPR"]).where(mbew["VPRSV"] == "V", _number(mbew["STPRS"]))
            / _number(mbew["PEINH"]),
            "valid_from": pd.to_datetime(mbew["KADAT"], format="%Y%m%d"),
            "valid_to": pd.to_datetime(
                mbew["BIDAT"].replace("99991231", "22621231"), format="%Y%m%d"
            ),
        }
    )
    goods = lines[lines["moves_goods"]].merge(standard, on="material")
    goods = goods[(goods["date"] >= goods["valid_from"]) & (goods["date"] <= goods["valid_to"])]
    goods["cost"] = goods["quantity"] * goods["unit_cost"]
    production = goods.groupby("customer", as_index=False)["cost"].sum()
    production["family"] = "production"

    # Drivers: an order belongs to the customer and channel of its first invoice line.
    order_lines = lines[lines["counts_as_order"]]
    first = order_lines.sort_values(["date", "document", "item"]).drop_duplicates("order")
    orders = first[["order", "customer", "group", "channel"]].merge(
        order_lines.groupby("order", as_index=False)["material"]
        .nunique()
        .rename(columns={"material": "order_lines"}),
        on="order",
    )
    shipments = (
        order_lines.drop_duplicates(["customer", "month", "delivery"])
        .groupby(["customer", "group"], as_index=False, dropna=False)
        .size()
        .rename(columns={"size": "shipment"})
    )
    orders["order_count"] = 1
    per_customer = orders.groupby(["customer", "group", "channel"], as_index=False, dropna=False)[
        ["order_count", "order_lines"]
    ].sum()

    catalogue = pd.read_csv(seeds / "activity_catalogue.csv")
    catalogue = catalogue[
        catalogue["activity_family"].isin(FAMILIES) & (catalogue["cost_method"] == "time")
    ]
    overrides = pd.read_csv(seeds / "activity_time_overrides.csv")
    year_rates = rates.set_index("activity_id")["applied_rate_per_hour"].astype(float)
    costs = []
    for activity in catalogue.itertuples():
        drivers = per_customer
        if isinstance(activity.applies_to_channel, str):
            drivers = drivers[drivers["channel"] == activity.applies_to_channel]
        drivers = drivers.groupby(["customer", "group"], as_index=False, dropna=False)[
            ["order_count", "order_lines"]
        ].sum()
        drivers = drivers.merge(shipments, on=["customer", "group"], how="left").fillna(
            {"shipment": 0}
        )
        minutes = activity.time_per_driver_unit * (60 if activity.time_unit == "hour" else 1)
        driver = {"order": "order_count", "order_line": "order_lines"}[activity.cost_driver]
        drivers["minutes"] = drivers[driver] * minutes
        for rule in overrides[overrides["activity_id"] == activity.activity_id].itertuples():
            mine = drivers["group"] == rule.customer_group
            if rule.is_excluded:
                drivers.loc[mine, "minutes"] = 0.0
                continue
            unit = rule.time_per_driver_unit * (60 if rule.time_unit == "hour" else 1)
            column = {"shipment": "shipment", "order_line": "order_lines"}.get(
                rule.cost_driver if isinstance(rule.cost_driver, str) else "", driver
            )
            drivers.loc[mine, "minutes"] = drivers.loc[mine, column] * unit
        drivers["cost"] = drivers["minutes"] / 60 * year_rates[activity.activity_id]
        drivers["family"] = activity.activity_family
        costs.append(drivers[["customer", "family", "cost"]])
    result = pd.concat([production, *costs], ignore_index=True)
    return result.groupby(["customer", "family"], as_index=False)["cost"].sum()


def main(argv: list[str]) -> None:
    inbox, seeds, rates_file, out = map(Path, argv)
    rates = pd.read_parquet(rates_file)
    rates = rates[rates["period_type"] == "year"][["activity_id", "applied_rate_per_hour"]]
    customer_costs(inbox, seeds, rates).to_parquet(out)


if __name__ == "__main__":
    main(sys.argv[1:])
