"""The short summary `make demo` prints: what each extract load did, and net revenue per
customer group reconciled to the billing extract."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from ingestion.inbox import unrecognised_files
from reconciliation.checks import EXTRACT_NET_REVENUE


def summary_path(report_dir: Path) -> Path:
    """Where a build writes its summary, which `abc-warehouse summary` prints."""
    return report_dir / "summary.txt"


# Net revenue per customer group over every loaded year, from the mart; customers are
# those with revenue (gross or net) in it.
GROUP_NET_REVENUE = """
select coalesce(customer_group_name, customer_group) as customer_group,
    count(distinct customer_id) filter (where gross_revenue <> 0 or net_revenue <> 0)
        as customers,
    sum(net_revenue) as net_revenue
from marts.fct_customer_profitability
where period_type = 'year'
group by 1
order by net_revenue desc
"""


GROUP_PNL = """
select customer_group_name, customers, net_revenue, production_cost, cost_to_serve, net_profit,
    relative_profitability
from marts.fct_customer_group_profitability
where period_type = 'year' and period_start = (
    select max(period_start) from marts.fct_customer_group_profitability where period_type = 'year')
order by net_profit desc
"""

UNUSED_CAPACITY = """
select department_name, pool_cost, capacity_hours, used_hours, utilisation,
    assigned_cost, unassigned_cost, unused_capacity_cost
from marts.fct_unused_capacity
where period_type = 'year' and period_start = (
    select max(period_start) from marts.fct_unused_capacity where period_type = 'year')
order by cost_centre
"""


def load_table(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        """select extract, sum(rows_read), sum(coalesce(skipped_by_reason['header'], 0)),
            sum(rows_skipped - coalesce(skipped_by_reason['header'], 0)), sum(rows_loaded),
            sum(rows_quarantined), count(*) filter (where status = 'loaded'),
            count(*) filter (where status = 'already_loaded'),
            count(*) filter (where status in ('failed', 'refused'))
        from raw._load_log
        where load_id in (select max_by(load_id, started_at) from raw._load_log
                          where status <> 'removed' group by file_hash, file_name)
        group by extract order by extract"""
    ).fetchall()


def this_run_lines(con: duckdb.DuckDBPyConnection, since: datetime) -> list[str]:
    """The files this run took in (loaded, refused, failed), apart from what the warehouse
    held before: the table above sums the latest load of every file."""
    rows = con.execute(
        """select file_name, status, rows_read, rows_loaded, rows_quarantined, rows_replaced
        from raw._load_log where started_at >= ? and status <> 'removed'
        order by started_at""",
        [since],
    ).fetchall()
    if not rows:
        return ["", "This run took in no new file."]
    out = ["", f"This run took in {len(rows)} file(s)", ""]
    out.append(
        f"{'file':<32}{'status':>16}{'lines':>10}{'loaded':>10}{'quarant.':>10}{'replaced':>10}"
    )
    for name, status, read, loaded, quarantined, replaced in rows:
        out.append(
            f"{name:<32}{status:>16}{read or 0:>10,}{loaded or 0:>10,}{quarantined or 0:>10,}"
            f"{replaced or 0:>10,}"
        )
    return out


def render(con: duckdb.DuckDBPyConnection, inbox: Path, since: datetime | None = None) -> str:
    """The summary; with `since` (the run's start), also the files this run took in.
    `inbox`: where files no extract type claims are looked for."""
    out = [
        "",
        "Extract loads (latest attempt per file; every line is a header, noise, a loaded row "
        "or a quarantined one)",
        "",
    ]
    out.append(
        f"{'extract':<24}{'lines':>10}{'header':>8}{'noise':>8}{'loaded':>10}{'quarant.':>10}"
        f"{'files new/old/failed':>22}"
    )
    for ext, read, header, noise, loaded, quarantined, new, old, failed in load_table(con):
        out.append(
            f"{ext or '?':<24}{read:>10,}{header:>8,}{noise:>8,}{loaded:>10,}{quarantined:>10,}"
            f"{f'{new}/{old}/{failed}':>22}"
        )
    if since is not None:
        out += this_run_lines(con, since)
    quarantine = con.execute(
        "select file_name, line_no, reason from raw._quarantine order by file_name, line_no"
        " limit 10"
    ).fetchall()
    if quarantine:
        out += ["", "Quarantined rows (first 10; all in raw._quarantine)"]
        out += [f"  {f}, line {n}: {reason}" for f, n, reason in quarantine]
    stray = unrecognised_files(inbox)
    if stray:
        out += ["", "Files in the inbox no extract type claims (not loaded):"]
        out += [f"  {p.name}" for p in stray]

    groups = con.execute(GROUP_NET_REVENUE).fetchall()
    if not groups:
        out += [
            "",
            "No billing lines loaded: no revenue, customer P&L or cost-to-serve "
            "(the customer side needs billing lines, customers and cost-centre actuals).",
        ]
        return "\n".join(out + supplier_lines(con))
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
    return "\n".join(out + costing_lines(con) + supplier_lines(con))


def costing_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The customer-group P&L and the unused capacity of the latest year, if built."""
    built = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'marts'"
        " and table_name in ('fct_customer_group_profitability', 'fct_unused_capacity')"
    ).fetchall()[0][0]
    if built < 2:
        return []
    out = ["", "Customer-group P&L, latest year, NOK (cost-to-serve = activity costs)", ""]
    out.append(
        f"{'customer group':<20}{'cust.':>6}{'net revenue':>16}{'production':>16}"
        f"{'cost-to-serve':>15}{'net profit':>15}{'relative':>10}"
    )
    for name, n, revenue, production, serve, profit, relative in con.execute(GROUP_PNL).fetchall():
        rel = f"{relative:>10.1%}" if relative is not None else f"{'-':>10}"
        out.append(
            f"{name:<20}{n:>6}{revenue:>16,.0f}{production:>16,.0f}{serve:>15,.0f}"
            f"{profit:>15,.0f}{rel}"
        )
    out += [
        "",
        "Capacity per department, latest year (unused capacity is never charged to customers)",
        "",
    ]
    out.append(
        f"{'department':<22}{'pool':>14}{'capacity h':>12}{'used h':>10}{'used':>7}"
        f"{'to customers':>14}{'no customer':>13}{'unused':>14}"
    )
    for name, pool, cap, used, util, assigned, unassigned, unused in con.execute(
        UNUSED_CAPACITY
    ).fetchall():
        out.append(
            f"{name:<22}{pool:>14,.0f}{cap:>12,.0f}{used:>10,.0f}{util:>7.0%}"
            f"{assigned:>14,.0f}{unassigned:>13,.0f}{unused:>14,.0f}"
        )
    return out


SCORECARD = """
select supplier_name, supplier_segment, rank_in_segment, suppliers_in_segment, otif_share, ppm,
    price_variance_share, total_score
from marts.fct_supplier_scorecard
where period_start = (select max(period_start) from marts.fct_supplier_scorecard)
order by total_score {direction} nulls last, supplier_id
limit 10
"""

FULL_INSPECTION = """
select supplier_id, material_id, characteristic, n, cpk, cpk_ci_low, status
from analytics.supplier_capability
where inspection_level = '100 %'
order by status, cpk nulls first, supplier_id
"""


def _exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables"
            " where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchall()[0][0]
    )


def supplier_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The 10 best and 10 worst suppliers and the characteristics to inspect every lot."""
    out: list[str] = []
    if (
        not _exists(con, "marts", "dim_supplier")
        or not con.execute("select count(*) from marts.dim_supplier").fetchall()[0][0]
    ):
        return [
            "",
            "No supplier extracts loaded: no supplier scorecard or capability (the supplier "
            "side needs purchase order lines, goods receipts, invoices, inspection results).",
        ]
    if _exists(con, "marts", "fct_supplier_scorecard"):
        for title, direction in (("best", "desc"), ("worst", "asc")):
            out += ["", f"The 10 {title} suppliers, latest year (score 0-100)", ""]
            out.append(
                f"{'supplier':<24}{'segment':<11}{'rank':>8}{'OTIF':>7}{'PPM':>7}"
                f"{'price':>8}{'score':>7}"
            )
            for name, segment, rank, size, otif, ppm, price, score in con.execute(
                SCORECARD.format(direction=direction)
            ).fetchall():
                out.append(
                    f"{name or '?':<24}{segment or '-':<11}{f'{rank}/{size}':>8}{otif or 0:>7.0%}"
                    f"{ppm or 0:>7.0f}{price or 0:>+8.1%}{score or 0:>7.1f}"
                )
    if _exists(con, "analytics", "supplier_capability"):
        rows = con.execute(FULL_INSPECTION).fetchall()
        total = con.execute("select count(*) from analytics.supplier_capability").fetchall()[0][0]
        out += ["", f"Characteristics to inspect in every lot: {len(rows)} of {total}", ""]
        for supplier, material, characteristic, n, cpk, low, status in rows:
            reason = status if status != "ok" else f"Cpk {cpk:.2f} (95 % lower bound {low:.2f})"
            out.append(
                f"  supplier {supplier}, material {material}, {characteristic}: {reason}, n={n}"
            )
    return out
