"""The hand-written DuckDB peer: benchmark/peer_duckdb.sql run on an inbox.

`python -m benchmark.peer_duckdb <inbox> <seeds> <fct_activity_rates.parquet> <out.parquet>`
writes the yearly cost per customer and activity family (customer, family, cost), the
same table benchmark/baseline.py computes with pandas.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

SQL = Path(__file__).with_name("peer_duckdb.sql")


def sql_literal(value: str | list[str]) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(sql_literal(v) for v in value) + "]"
    return "'" + value.replace("'", "''") + "'"


def customer_costs_sql(inbox: Path, seeds: Path, rates_file: Path, out: Path) -> str:
    """The script with its $-placeholders filled in as SQL literals."""
    values = {
        "billing_files": [str(p) for p in sorted(inbox.glob("VBRP_*"))],
        "customers_file": str(next(inbox.glob("KNA1_*"))),
        "standard_costs_file": str(next(inbox.glob("MBEW_*"))),
        "seeds": str(seeds),
        "rates_file": str(rates_file),
        "out": str(out),
    }
    sql = SQL.read_text()
    # Longest names first, so that no placeholder is a prefix of a longer one.
    for name in sorted(values, key=len, reverse=True):
        sql = sql.replace(f"${name}", sql_literal(values[name]))
    return sql


def main(argv: list[str]) -> None:
    inbox, seeds, rates_file, out = map(Path, argv)
    with duckdb.connect() as con:
        con.execute(customer_costs_sql(inbox, seeds, rates_file, out))


if __name__ == "__main__":
    main(sys.argv[1:])
