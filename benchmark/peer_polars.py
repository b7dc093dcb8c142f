"""The hand-written polars peer: what benchmark/baseline.py computes with pandas, written
the way a data engineer would in polars (lazy scans, native typed reads, one plan).

`python -m benchmark.peer_polars <inbox> <seeds> <fct_activity_rates.parquet> <out.parquet>`
writes the yearly cost per customer and activity family (customer, family, cost).
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

from benchmark.baseline import FAMILIES, VBRP


def _number(column: str) -> pl.Expr:
    """SAP's 1.234,56 (and 1234.56) as a float; anything else null."""
    text = pl.col(column).str.strip_chars()
    return (
        pl.when(text.str.contains(",", literal=True))
        .then(text.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
        .otherwise(text)
        .cast(pl.Float64, strict=False)
    )


def _key(column: str) -> pl.Expr:
    return pl.col(column).str.strip_chars().str.strip_chars_start("0")


def read_billing(files: list[Path], seeds: Path, customers_file: Path) -> pl.LazyFrame:
    raw = pl.scan_csv(
        files,
        separator=";",
        has_header=False,
        new_columns=VBRP,
        # Every field as read; POSNR typed natively (banners and headers give null there).
        schema_overrides={name: pl.String for name in VBRP} | {"POSNR": pl.Int64},
        ignore_errors=True,
        truncate_ragged_lines=True,
        encoding="utf8-lossy",
    ).filter(pl.col("VBELN").str.contains(r"^\s*\d+\s*$"))
    dates = pl.col("FKDAT").str.strip_chars()
    billing_date = pl.coalesce(
        dates.str.strptime(pl.Date, "%Y%m%d", strict=False),
        dates.str.strptime(pl.Date, "%d.%m.%Y", strict=False),
    )
    lines = raw.select(
        document=pl.col("VBELN").str.strip_chars(),
        item=pl.col("POSNR"),
        category=pl.col("FKART").str.strip_chars(),
        # As the loader: a billing date outside 1950-2099 is a typo, not revenue.
        billing_date=pl.when(billing_date.dt.year().is_between(1950, 2099)).then(billing_date),
        customer=_key("KUNAG").replace("", None),
        sales_order=_key("AUBEL"),
        delivery=_key("VGBEL"),
        material=_key("MATNR"),
        quantity=_number("FKIMG"),
        gross=_number("BRTWR"),
        net=_number("NETWR"),
        channel=pl.col("BSARK").str.strip_chars().str.to_uppercase(),
    ).drop_nulls()
    categories = pl.scan_csv(
        seeds / "billing_categories.csv", schema_overrides={"billing_category": pl.String}
    )
    customers = (
        pl.scan_csv(customers_file, separator=";", infer_schema=False, encoding="utf8-lossy")
        .select(customer=_key("KUNNR"), customer_group=pl.col("KDGRP").str.strip_chars())
        .unique()
    )
    return (
        lines.join(categories, left_on="category", right_on="billing_category")
        .with_columns(quantity=pl.col("quantity") * pl.col("sign"))
        .join(customers, on="customer", how="left")
        .with_columns(month=pl.col("billing_date").dt.truncate("1mo"))
    )


def customer_costs(inbox: Path, seeds: Path, rates_file: Path) -> pl.DataFrame:
    lines = read_billing(sorted(inbox.glob("VBRP_*")), seeds, next(inbox.glob("KNA1_*"))).collect()

    standard = pl.scan_csv(next(inbox.glob("MBEW_*")), separator="\t", infer_schema=False).select(
        material=_key("MATNR"),
        unit_cost=pl.when(pl.col("VPRSV") == "V").then(_number("VERPR")).otherwise(_number("STPRS"))
        / _number("PEINH"),
        valid_from=pl.col("KADAT").str.strptime(pl.Date, "%Y%m%d"),
        valid_to=pl.col("BIDAT")
        .str.replace("99991231", "22621231")
        .str.strptime(pl.Date, "%Y%m%d"),
    )
    production = (
        lines.lazy()
        .filter(pl.col("moves_goods"))
        .join(standard, on="material")
        .filter(pl.col("billing_date").is_between(pl.col("valid_from"), pl.col("valid_to")))
        .group_by("customer")
        .agg(cost=(pl.col("quantity") * pl.col("unit_cost")).sum())
        .with_columns(family=pl.lit("production"))
    )

    order_lines = lines.lazy().filter(pl.col("counts_as_order"))
    # An order belongs to the customer and channel of its first invoice line.
    orders = (
        order_lines.sort("billing_date", "document", "item")
        .group_by("sales_order")
        .agg(
            pl.col("customer", "customer_group", "channel").first(),
            order_lines=pl.col("material").n_unique(),
        )
    )
    per_channel = orders.group_by("customer", "customer_group", "channel").agg(
        order_count=pl.len(), order_lines=pl.col("order_lines").sum()
    )
    shipments = (
        order_lines.unique(["customer", "month", "delivery"])
        .group_by("customer", "customer_group")
        .agg(shipment=pl.len())
    )

    minutes = pl.col("time_per_driver_unit") * pl.when(pl.col("time_unit") == "hour").then(
        60
    ).otherwise(1)
    catalogue = (
        pl.scan_csv(seeds / "activity_catalogue.csv")
        .filter(pl.col("activity_family").is_in(FAMILIES) & (pl.col("cost_method") == "time"))
        .select("activity_id", "activity_family", "cost_driver", "applies_to_channel",
                minutes_per_unit=minutes)
    )  # fmt: skip
    overrides = pl.scan_csv(seeds / "activity_time_overrides.csv").select(
        "activity_id", "customer_group", "is_excluded",
        override_driver=pl.col("cost_driver"), override_minutes=minutes,
    )  # fmt: skip
    rates = (
        pl.scan_parquet(rates_file)
        .filter(pl.col("period_type") == "year")
        .select("activity_id", rate_per_hour=pl.col("applied_rate_per_hour").cast(pl.Float64))
    )
    drivers = (
        catalogue.join(per_channel, how="cross")
        .filter(
            pl.col("applies_to_channel").is_null()
            | (pl.col("channel") == pl.col("applies_to_channel"))
        )
        .group_by("activity_id", "activity_family", "cost_driver", "minutes_per_unit",
                  "customer", "customer_group")
        .agg(pl.col("order_count", "order_lines").sum())
    )  # fmt: skip

    def driver(name: pl.Expr) -> pl.Expr:
        return (
            pl.when(name == "shipment")
            .then(pl.col("shipment").fill_null(0))
            .when(name == "order_line")
            .then(pl.col("order_lines"))
            .otherwise(pl.col("order_count"))
        )

    activity_minutes = (
        pl.when(pl.col("is_excluded"))
        .then(0.0)
        .when(pl.col("override_minutes").is_not_null())
        .then(
            driver(pl.coalesce(pl.col("override_driver"), pl.col("cost_driver")))
            * pl.col("override_minutes")
        )
        .otherwise(driver(pl.col("cost_driver")) * pl.col("minutes_per_unit"))
    )
    activity_costs = (
        drivers.join(rates, on="activity_id")
        .join(shipments, on=["customer", "customer_group"], how="left", nulls_equal=True)
        .join(overrides, on=["activity_id", "customer_group"], how="left")
        .select(
            "customer",
            family=pl.col("activity_family"),
            cost=activity_minutes / 60 * pl.col("rate_per_hour"),
        )
    )
    return (
        pl.concat([production.select("customer", "family", "cost"), activity_costs])
        .group_by("customer", "family")
        .agg(pl.col("cost").sum())
        .collect()
    )


def main(argv: list[str]) -> None:
    inbox, seeds, rates_file, out = map(Path, argv)
    customer_costs(inbox, seeds, rates_file).write_parquet(out)


if __name__ == "__main__":
    main(sys.argv[1:])
