"""Shared fixtures: a temporary warehouse (real DuckDB file), inbox and archive per test,
the dbt manifest built once per session, and helpers to write small extract files."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from demo.generator import BILLING_HEADER
from ingestion.specs import SPECS
from orchestration.resources import dbt_executable

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The supplier side's extracts; the rest are the customer side's.
SUPPLIER_SIDE = (
    "purchase_order_lines",
    "goods_receipts",
    "supplier_invoices",
    "inspection_results",
    "suppliers",
    "scorecard_ratings",
)
__all__ = ["BILLING_HEADER"]


def point_env_at(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Point every path variable at a fresh temporary folder."""
    (tmp_path / "inbox").mkdir()
    return point_env_at_existing(tmp_path, monkeypatch)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    return point_env_at(tmp_path, monkeypatch)


@pytest.fixture(scope="module")
def module_env(tmp_path_factory: pytest.TempPathFactory):
    """As `env`, shared by the tests of one module (for fixtures that run dbt once)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield point_env_at(tmp_path_factory.mktemp("module"), monkeypatch)


def write_extract(
    folder: Path, name: str, lines: list[str], encoding: str = "utf-8", bom: bool = False
) -> Path:
    path = folder / name
    data = ("\n".join(lines) + "\n").encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def billing_line(
    vbeln="90000001",
    posnr="000010",
    fkart="F2",
    vbtyp="M",
    fkdat="20100315",
    kunag="12345",
    aubel="10000001",
    vgbel="80000001",
    matnr="62340001",
    fkimg="10,000",
    brtwr="1.100,00",
    netwr="1.000,00",
    waerk="NOK",
    bsark="EDI",
) -> str:
    return ";".join(
        [
            vbeln,
            posnr,
            fkart,
            vbtyp,
            fkdat,
            kunag,
            kunag,
            aubel,
            vgbel,
            matnr,
            fkimg,
            "ST",
            brtwr,
            netwr,
            waerk,
            bsark,
        ]
    )


def query(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="session")
def dbt_manifest() -> Path:
    """dbt parse once per session, as `abc-warehouse prepare` does."""
    from orchestration.cli import prepare

    prepare()
    manifest = PROJECT_ROOT / "dbt_project" / "target" / "manifest.json"
    assert manifest.exists()
    return manifest


def run_dbt(args: list[str]) -> subprocess.CompletedProcess:
    """Run the real dbt CLI on the project against the warehouse in ABC_WAREHOUSE_PATH."""
    result = subprocess.run(
        [dbt_executable(), *args, "--profiles-dir", str(PROJECT_ROOT / "profiles")],
        cwd=PROJECT_ROOT / "dbt_project",
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-5000:])
    return result


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory, dbt_manifest):
    """The whole graph materialized once on a small demo, shared by costing and analytics
    tests. Tests that rebuild dbt with other settings restore the project's own."""
    from demo.generator import generate
    from orchestration.definitions import defs
    from tests.test_dagster import materialize_all

    with pytest.MonkeyPatch.context() as monkeypatch:
        env = point_env_at(tmp_path_factory.mktemp("demo_run"), monkeypatch)
        generate(env["inbox"], billing_lines=3000)
        result = materialize_all(defs, env)
        yield env, result


@pytest.fixture
def demo_copy(demo_run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A copy of the built demo (warehouse, inbox, archive, reports, serving snapshot) for a
    test that changes it, with every path variable pointed at the copy: the shared demo
    stays as built, whatever order the tests run in."""
    built, _ = demo_run
    root = tmp_path / "demo"
    shutil.copytree(built["warehouse"].parent, root, symlinks=True)
    paths = point_env_at_existing(root, monkeypatch)
    carry_inbox_index(paths["inbox"], paths["archive"])
    return paths


def carry_inbox_index(inbox: Path, archive: Path) -> None:
    """A copied file has a new inode and change time, so the inbox index would take it
    for a rewrite: record each copy whose bytes are those taken in as it is now."""
    from ingestion.intake import TakenIn, read_index, remember, signature

    for name, entry in read_index(archive).items():
        copy = inbox / name
        if copy.exists() and hashlib.sha256(copy.read_bytes()).hexdigest() == entry["sha256"]:
            size = copy.stat().st_size
            remember(copy, archive, TakenIn(entry["sha256"], copy, size, signature(copy)))


def point_env_at_existing(root: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    paths = {
        "warehouse": root / "warehouse.duckdb",
        "inbox": root / "inbox",
        "archive": root / "archive",
    }
    monkeypatch.setenv("ABC_WAREHOUSE_PATH", str(paths["warehouse"]))
    monkeypatch.setenv("ABC_INBOX_DIR", str(paths["inbox"]))
    monkeypatch.setenv("ABC_ARCHIVE_DIR", str(paths["archive"]))
    monkeypatch.delenv("ABC_HEADER_ALIASES", raising=False)
    return paths


def raw_fingerprint(path: Path) -> dict[str, tuple]:
    """Row count and a sum over every numeric column, per raw table."""
    out = {}
    with duckdb.connect(str(path), read_only=True) as con:
        for spec in SPECS.values():
            numeric = [c.sql_name for c in spec.columns if c.sap_type in {"CURR", "QUAN", "DEC"}]
            sums = ", ".join(f"sum({c})" for c in numeric) or "null"
            out[spec.name] = con.execute(
                f"select count(*), {sums} from raw.{spec.name}"
            ).fetchall()[0]
    return out


def big_billing_file(path: Path, lines: int) -> None:
    """A billing extract of `lines` lines billed in March 2010, net 1,000.00 each."""
    with duckdb.connect() as con:
        con.execute(f"""copy (
            select '{BILLING_HEADER}' as line
            union all
            select * from (
                select concat_ws(';', (90000000 + i)::varchar, '000010', 'F2', 'M',
                    '201003' || lpad((1 + i % 28)::varchar, 2, '0'), (10001 + i % 200)::varchar,
                    (10001 + i % 200)::varchar, (10000000 + i // 3)::varchar,
                    (80000000 + i // 3)::varchar,
                    (62340001 + i % 750)::varchar, '10,000', 'ST', '1.100,00', '1.000,00',
                    'NOK', 'EDI')
                from range({lines}) t(i) order by i)
        ) to '{path}' (header false, quote '', escape '', delimiter '\x01')""")
