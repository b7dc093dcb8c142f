"""`abc-warehouse bench` / `make bench`: speed and memory as ratios taken in one run.

Machines are noisy, so every number is set against peers measured in the same run on the
same files:
  floor        DuckDB alone summing two columns of the billing extracts: a lower bound no
               product approaches, reported for scale only
  product      the full pipeline: `abc-warehouse run` (load, dbt build, analytics, publish)
  duckdb_peer  the job written by hand in DuckDB SQL (benchmark/peer_duckdb.sql)
  polars_peer  the same in polars (benchmark/peer_polars.py)
  baseline     the same in pandas (benchmark/baseline.py)
  incremental  one more month dropped into the warehouse holding twelve, `abc-warehouse run`
The peers compute the yearly cost per customer and activity family from every field of
the billing extracts and are each checked to agree with the product's numbers. Each stage
is a child process; its wall time and peak resident memory (of the child and every
process it starts, summed while they run together) are recorded, and the two product runs
are profiled (benchmark/profile.py). Results: JSON and a short table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from orchestration.settings import child_environment

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT_ROOT / "dbt_project" / "seeds" / "costing"
FAMILIES_SQL = "('order_handling', 'delivery', 'invoicing', 'informing', 'packing', 'production')"

# The bars a run is held to, by size: at 10M lines the product's work on the detail
# dominates; at 1M lines its fixed costs do. Ratios without a bar (over the floor and the
# polars peer) are reported for scale.
LARGE = 10_000_000
TARGETS_LARGE = {
    "product_over_duckdb_peer": ("<=", 4.0),
    "baseline_over_product": (">=", 1.5),
    "product_peak_rss_gb": ("<", 4.0),
    "incremental_over_full": ("<=", 0.15),
}
TARGETS_SMALL = {
    "product_over_duckdb_peer": ("<=", 10.0),
    "product_peak_rss_gb": ("<", 4.0),
    "incremental_over_full": ("<=", 0.25),
}
PEERS = {
    "baseline": "benchmark.baseline",
    "duckdb_peer": "benchmark.peer_duckdb",
    "polars_peer": "benchmark.peer_polars",
}
SKIPPABLE = (*PEERS, "incremental")


def targets_for(billing_lines: int) -> dict[str, tuple[str, float]]:
    return TARGETS_LARGE if billing_lines >= LARGE else TARGETS_SMALL


# Reported, not a bar: whether the pandas baseline's measured peak fits a laptop with this
# much memory (--laptop-memory-gb) where the product's does.
LAPTOP_MEMORY_GB = 8.0

FLOOR = """
import json, sys, duckdb
files = json.loads(sys.argv[1])
con = duckdb.connect()
rows = con.execute(f'''
    with lines as (
        select * from read_csv({files!r}, delim = ';', header = false, all_varchar = true,
            null_padding = true, ignore_errors = true, strict_mode = false)
    )
    select ltrim(trim(column05), '0') as customer, count(*) as lines,
        sum(try_cast(replace(replace(column13, '.', ''), ',', '.') as decimal(18, 2)))
    from lines where regexp_full_match(trim(column00), '[0-9]+')
    group by 1
''').fetchall()
print(len(rows), sum(r[1] for r in rows))
"""


@dataclass
class Stage:
    name: str
    seconds: float
    peak_rss_mb: float
    ok: bool
    rows_per_second: float | None = None
    output: str = ""


def _tree_rss_kib(root: int) -> int:
    """Resident memory of a process and all its descendants now, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
        except OSError:  # the process ended meanwhile
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
        rss[int(entry.name)] = next(
            (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")),
            0,
        )
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def _run(name: str, args: list[str], env: dict[str, str], rows: int | None) -> Stage:
    """Run one stage as a child process. Wall time; peak RSS as the larger of wait4's (the
    largest single process) and the sum over the process tree sampled every 0.2 s (Dagster
    and the dbt it starts are alive at the same time)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        args, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    peak_tree = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak_tree[0] = max(peak_tree[0], _tree_rss_kib(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out = proc.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    stage = Stage(
        name,
        round(seconds, 2),
        round(max(usage.ru_maxrss, peak_tree[0]) / 1024, 1),  # KiB on Linux
        proc.returncode == 0,
        round(rows / seconds) if rows else None,
        out[-3000:],
    )
    print(
        f"  {name:12s} {stage.seconds:9.1f} s  {stage.peak_rss_mb:8.0f} MB  "
        f"{'ok' if stage.ok else 'FAILED'}",
        flush=True,
    )
    return stage


def _next_month_file(inbox: Path, target: Path) -> int:
    """A 13th month of billing: December's lines moved to January of the next year (same
    customers and materials; new billing documents, sales orders and deliveries, as a new
    month brings). Returns its line count."""
    import duckdb

    december = sorted(inbox.glob("VBRP_*-12.csv"))[-1]
    year = int(december.stem.split("_")[1].split("-")[0])
    target.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        header = december.open(encoding="utf-8").readline().strip()
        con.execute(
            f"""copy (
                select {header!r} as line
                union all
                select * from (
                    select concat_ws(';', '7' || substr(f[1], 2), f[2], f[3], f[4],
                        '{year + 1}01' || substr(f[5], 7, 2), f[6], f[7],
                        '7' || ltrim(f[8], '0'), '7' || ltrim(f[9], '0'),
                        list_aggregate(f[10:], 'string_agg', ';'))
                    from (select string_split(line, ';') as f
                          from read_csv('{december}', columns = {{'line': 'VARCHAR'}},
                              delim = '\x01', quote = '', header = true, auto_detect = false))
                    where regexp_full_match(f[5], '[0-9]{{8}}')
                )
            ) to '{target}' (header false, quote '', escape '', delimiter '\x01')"""
        )
    with target.open("rb") as handle:
        return sum(1 for _ in handle) - 1


def _compare(serving: Path, peer_costs: Path) -> dict:
    """A peer's customer x family costs against the product's, to the cent."""
    import duckdb

    with duckdb.connect() as con:
        con.execute(f"attach '{serving}' as product (read_only)")
        row = con.execute(
            f"""
            with product as (
                select customer_id as customer, activity_family as family,
                    sum(cost)::double as cost
                from product.marts.fct_customer_activity_costs
                where period_type = 'year' and period_start = date '2010-01-01'
                    and activity_family in {FAMILIES_SQL}
                group by all
            ),
            peer as (select * from '{peer_costs}')
            select count(*), max(abs(coalesce(p.cost, 0) - coalesce(b.cost, 0))),
                sum(p.cost), sum(b.cost)
            from product p full join peer b using (customer, family)
            """
        ).fetchall()[0]
    pairs, max_diff, product_total, peer_total = row
    return {
        "customer_family_pairs": pairs,
        "max_abs_difference": max_diff,
        "product_total": product_total,
        "peer_total": peer_total,
        "agree": max_diff is not None and max_diff < 0.01,
    }


def run_benchmark(
    billing_lines: int,
    workdir: Path,
    laptop_memory_gb: float = LAPTOP_MEMORY_GB,
    skip: frozenset[str] = frozenset(),
) -> dict:
    """`skip`: stages not run (SKIPPABLE), for sizes a peer cannot hold in memory; the
    ratios and agreements that need them are left out of the results."""
    if workdir.resolve().is_relative_to(PROJECT_ROOT):
        raise SystemExit(f"{workdir}: the working folder must be outside the repository")
    code = _code()  # before the stages: what they run
    shutil.rmtree(workdir, ignore_errors=True)
    inbox, extra = workdir / "inbox", workdir / "next_month"
    home = workdir / "dagster"
    home.mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    env = child_environment(workdir / "warehouse.duckdb", inbox, home)
    python = sys.executable
    cli = [python, "-m", "orchestration.cli"]
    print(f"Benchmark: {billing_lines:,} billing lines in {workdir}", flush=True)

    stages = {}
    stages["generate"] = _run(
        "generate", [*cli, "generate-demo", str(inbox), "--billing-lines", str(billing_lines)],
        env, None,
    )  # fmt: skip
    next_month_lines = _next_month_file(inbox, extra / "VBRP_2011-01.csv")
    billing_files = sorted(str(p) for p in inbox.glob("VBRP_*"))
    lines_loaded = sum(sum(1 for _ in open(p, "rb")) for p in billing_files)
    _run("prepare", [*cli, "prepare"], env, None)

    stages["floor"] = _run(
        "floor", [python, "-c", FLOOR, json.dumps(billing_files)], env, lines_loaded
    )
    stages["product"] = _run("product", [*cli, "run"], env, lines_loaded)
    profiles = {"product": _profile(home, stages["product"])}
    serving = workdir / "serving"
    rates = serving / "parquet" / "marts" / "fct_activity_rates.parquet"
    peer_args = [str(inbox), str(SEEDS), str(rates)]
    for name, module in PEERS.items():
        if name not in skip:
            stages[name] = _run(
                name,
                [python, "-m", module, *peer_args, str(workdir / f"{name}_costs.parquet")],
                env, lines_loaded,
            )  # fmt: skip
    agreement = {
        name: (
            _compare(serving / "abc_warehouse.duckdb", workdir / f"{name}_costs.parquet")
            if stages[name].ok and stages["product"].ok
            else {"agree": False}
        )
        for name in PEERS
        if name in stages
    }
    if "incremental" not in skip:
        shutil.copy(extra / "VBRP_2011-01.csv", inbox / "VBRP_2011-01.csv")
        stages["incremental"] = _run("incremental", [*cli, "run"], env, next_month_lines)
        profiles["incremental"] = _profile(home, stages["incremental"])

    ratios = _ratios(stages)
    targets = {
        name: {"target": f"{op} {bar}", "met": _meets(ratios[name], op, bar)}
        for name, (op, bar) in targets_for(billing_lines).items()
        if name in ratios
    }
    # Reported beside the bars: whether the pandas baseline would run out of a laptop's
    # memory where the product would not (nothing is killed; both run to the end here).
    memory = {"laptop_memory_gb": laptop_memory_gb}
    if "baseline" in stages:
        memory["baseline_peak_rss_gb"] = round(stages["baseline"].peak_rss_mb / 1024, 2)
        memory["baseline_out_of_laptop_memory"] = (
            memory["baseline_peak_rss_gb"] > laptop_memory_gb > ratios["product_peak_rss_gb"]
        )
    results = {
        "billing_lines": billing_lines,
        "laptop_memory_gb": laptop_memory_gb,
        "billing_file_lines": lines_loaded,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "code": code,
        "stages": {name: asdict(stage) for name, stage in stages.items()},
        "ratios": ratios,
        "targets": targets,
        "memory": memory,
        "agreement": agreement,
        "profile": profiles,
    }
    return results


def _ratios(stages: dict[str, Stage]) -> dict[str, float]:
    """The product against each stage that ran (a ratio over a skipped one is left out)."""
    product = stages["product"].seconds

    def over(name: str) -> float | None:
        return round(product / stages[name].seconds, 2) if name in stages else None

    ratios = {
        "product_over_floor": over("floor"),
        "product_over_duckdb_peer": over("duckdb_peer"),
        "product_over_polars_peer": over("polars_peer"),
        "baseline_over_product": (
            round(stages["baseline"].seconds / product, 3) if "baseline" in stages else None
        ),
        "product_peak_rss_gb": round(stages["product"].peak_rss_mb / 1024, 2),
        "incremental_over_full": (
            round(stages["incremental"].seconds / product, 3) if "incremental" in stages else None
        ),
    }
    return {name: value for name, value in ratios.items() if value is not None}


def _code() -> dict:
    """Which code was timed: the package version, the pipeline's code fingerprint (what a
    run records) and, in a git checkout, the commit and whether it had local changes."""
    from orchestration.selection import code_fingerprint, package_version

    code = {"version": package_version(), "fingerprint": code_fingerprint()}
    git = ["git", "-C", str(PROJECT_ROOT)]
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True)
    if head.returncode == 0:
        status = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True)
        code["commit"] = head.stdout.strip()
        code["local_changes"] = bool(status.stdout.strip())
    return code


def _profile(home: Path, stage: Stage) -> dict:
    from benchmark.profile import profile_table, run_profile
    from orchestration.dbt_project import dbt_project

    if not stage.ok:
        return {}
    target = dbt_project.project_dir / dbt_project.target_path
    profile = run_profile(home, target, stage.seconds)
    print(profile_table(profile), flush=True)
    return profile


def _meets(value: float, op: str, bar: float) -> bool:
    return {"<=": value <= bar, ">=": value >= bar, "<": value < bar}[op]


def table(results: dict) -> str:
    rows = ["| stage | wall s | peak RSS MB | rows/s | ok |", "|---|---|---|---|---|"]
    for name, s in results["stages"].items():
        rate = f"{s['rows_per_second']:,}" if s["rows_per_second"] else ""
        rows.append(f"| {name} | {s['seconds']} | {s['peak_rss_mb']:.0f} | {rate} | {s['ok']} |")
    rows += ["", "| ratio | value | target | met |", "|---|---|---|---|"]
    for name, value in results["ratios"].items():
        target = results["targets"].get(name, {"target": "(for scale)", "met": ""})
        rows.append(f"| {name} | {value} | {target['target']} | {target['met']} |")
    memory = results["memory"]
    if memory.get("baseline_out_of_laptop_memory"):
        rows.append(
            f"\nThe baseline's peak ({memory['baseline_peak_rss_gb']:.1f} GB) does not fit in a "
            f"{memory['laptop_memory_gb']:g} GB laptop; the product's does."
        )
    rows.append("")
    for peer, a in results["agreement"].items():
        rows.append(
            f"{peer} agrees with the product's customer costs: {a.get('agree')} "
            f"(max difference {a.get('max_abs_difference')}, "
            f"{a.get('customer_family_pairs')} customer x family pairs)"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="abc-warehouse bench", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--billing-lines", type=int, default=10_000_000)
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "abc-warehouse-bench",
    )
    parser.add_argument("--json", type=Path, help="where to write the results (default: workdir)")
    parser.add_argument(
        "--laptop-memory-gb",
        type=float,
        default=LAPTOP_MEMORY_GB,
        help="the laptop memory the peaks are read against (default: %(default)s)",
    )
    parser.add_argument(
        "--skip",
        action="append",
        choices=SKIPPABLE,
        default=[],
        help="a stage not to run (repeatable): a peer that cannot hold the size in memory",
    )
    args = parser.parse_args(argv)
    results = run_benchmark(
        args.billing_lines, args.workdir.resolve(), args.laptop_memory_gb, frozenset(args.skip)
    )
    out = args.json or args.workdir / "bench.json"
    out.write_text(json.dumps(results, indent=2, default=str))
    print()
    print(table(results))
    print(f"\nResults: {out}")
    return (
        0
        if all(s["ok"] for s in results["stages"].values())
        and all(a["agree"] for a in results["agreement"].values())
        else 1
    )


if __name__ == "__main__":
    sys.exit(main())
