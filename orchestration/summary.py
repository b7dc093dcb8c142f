"""The short summary `make demo` prints: what each extract load did, and net revenue per
customer group reconciled to the billing extract."""

from __future__ import annotations

import duckdb

from ingestion.inbox import unrecognised_files
from ingestion.warehouse import inbox_dir

# Net revenue straight from the raw billing extract, converted at the rate valid on the
# billing date - written independently of the dbt models it is compared with.
EXTRACT_NET_REVENUE = """
with rates as (
    select fcurr, gdatu as valid_from,
        (case when ukurs < 0 then 1 / abs(ukurs) else ukurs end)
            * coalesce(tfact, 1) / coalesce(ffact, 1) as rate
    from raw.exchange_rates where kurst = 'M' and tcurr = 'NOK'
)
select sum(abs(b.netwr) * b._sign * case when b.waerk = 'NOK' then 1 else r.rate end)
from raw.billing_lines b
asof left join rates r on r.fcurr = b.waerk and b.fkdat >= r.valid_from
"""

GROUP_NET_REVENUE = """
select coalesce(c.customer_group_name, 'UNKNOWN CUSTOMER') as customer_group,
    count(distinct b.sold_to_customer_id) as customers,
    sum(b.net_amount) as net_revenue
from intermediate.int_billing_lines_converted b
left join staging.stg_sap__customers c on c.customer_id = b.sold_to_customer_id
group by 1
order by net_revenue desc
"""


def load_table(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        """select extract, sum(rows_read), sum(rows_loaded), sum(rows_quarantined),
            sum(rows_skipped), count(*) filter (where status = 'loaded'),
            count(*) filter (where status = 'already_loaded'),
            count(*) filter (where status = 'failed')
        from raw._load_log
        where load_id in (select max_by(load_id, started_at) from raw._load_log
                          group by file_hash, file_name)
        group by extract order by extract"""
    ).fetchall()


def render(con: duckdb.DuckDBPyConnection) -> str:
    out = ["", "Extract loads (latest attempt per file)", ""]
    out.append(
        f"{'extract':<24}{'read':>10}{'loaded':>10}{'quarant.':>10}{'skipped':>9}"
        f"{'files new/old/failed':>22}"
    )
    for ext, read, loaded, quarantined, skipped, new, old, failed in load_table(con):
        out.append(
            f"{ext or '?':<24}{read:>10,}{loaded:>10,}{quarantined:>10,}{skipped:>9,}"
            f"{f'{new}/{old}/{failed}':>22}"
        )
    quarantine = con.execute(
        "select file_name, line_no, reason from raw._quarantine order by file_name, line_no"
        " limit 10"
    ).fetchall()
    if quarantine:
        out += ["", "Quarantined rows (first 10; all in raw._quarantine)"]
        out += [f"  {f}, line {n}: {reason}" for f, n, reason in quarantine]
    stray = unrecognised_files(inbox_dir())
    if stray:
        out += ["", "Files in the inbox no extract type claims (not loaded):"]
        out += [f"  {p.name}" for p in stray]

    groups = con.execute(GROUP_NET_REVENUE).fetchall()
    total = sum(r[2] for r in groups)
    extract_total = con.execute(EXTRACT_NET_REVENUE).fetchall()[0][0] or 0
    out += ["", "Net revenue per customer group, NOK", ""]
    out.append(f"{'customer group':<24}{'customers':>10}{'net revenue':>18}{'share':>8}")
    for name, customers, revenue in groups:
        out.append(f"{name:<24}{customers:>10}{revenue:>18,.2f}{revenue / total:>8.2%}")
    out.append(f"{'total':<24}{'':>10}{total:>18,.2f}")
    diff = float(total) - float(extract_total)
    verdict = "reconciles" if abs(diff) < 0.005 else f"DOES NOT RECONCILE (difference {diff:,.2f})"
    out.append(f"{'billing extract':<24}{'':>10}{extract_total:>18,.2f}  {verdict}")
    return "\n".join(out)
