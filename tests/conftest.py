"""Shared fixtures: a temporary warehouse (real DuckDB file), inbox and archive per test,
the dbt manifest built once per session, and helpers to write small extract files."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from demo.generator import BILLING_HEADER
from ingestion.specs import SPECS
from orchestration.dbt_paths import DBT_PROJECT_DIR, MANIFEST, PROFILES_DIR
from orchestration.settings import DEFAULT_MAX_SNAPSHOT_SHRINK, DEFAULT_MEMORY_LIMIT

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _temp_in_memory(folder: str = "/dev/shm", need_bytes: int = 8 * 2**30) -> None:
    """Test folders (warehouses, Dagster instances, inboxes) in a memory file system when
    the machine has one with room: every commit of DuckDB and of Dagster's SQLite storage
    waits for an fsync on disk, a fifth of a whole-pipeline run here, and no test is about
    surviving a power cut. Set before pytest makes its first folder; subprocesses (the
    CLI, dbt) inherit TMPDIR. A machine without one runs the same tests on disk."""
    try:
        if shutil.disk_usage(folder).free < need_bytes or not os.access(folder, os.W_OK):
            return
    except OSError:
        return
    os.environ["TMPDIR"] = folder
    tempfile.tempdir = folder


_temp_in_memory()
# The tests run with the default settings, whatever settings file sits beside a warehouse
# a test points at (the demo writes one): set before anything imports the definitions.
os.environ["ABC_SETTINGS_FILE"] = str(PROJECT_ROOT / "tests" / "abc-warehouse.toml")
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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that reads or copies the built demo runs the pipeline: the fast tier
    (make test-fast, `-m "not pipeline"`) leaves it out. Other pipeline tests say so.

    Pipeline tests run first: the workers start on the long ones and share out the many
    short ones at the end (make test: `--dist worksteal`), instead of one worker finishing
    a long test alone."""
    for item in items:
        if "demo_run" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.pipeline)
    items.sort(key=lambda item: item.get_closest_marker("pipeline") is None)


def point_env_at(folder: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Point every path variable at an empty folder."""
    (folder / "inbox").mkdir()
    return point_env_at_existing(folder, monkeypatch)


def reused_folder(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """An empty folder at the same path for every test of this xdist worker that asks for
    it by this name. dbt parses the whole project again for a warehouse at a path it has
    not parsed under (its profile holds the path), about 5 s a test; at a handful of paths
    a worker, it starts from the parse state it kept for the path. A worker runs one test
    at a time, and a name is used by one fixture scope, so one user at a time."""
    folder = tmp_path_factory.getbasetemp() / f"reused-{name}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    return folder


@pytest.fixture
def env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """A warehouse, inbox and archive of this test's own, every path variable on them."""
    return point_env_at(reused_folder(tmp_path_factory, "env"), monkeypatch)


@pytest.fixture(scope="module")
def module_env(tmp_path_factory: pytest.TempPathFactory):
    """As `env`, shared by the tests of one module (for fixtures that run dbt once)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield point_env_at(reused_folder(tmp_path_factory, "module"), monkeypatch)


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


def archive_of(con: duckdb.DuckDBPyConnection) -> Path:
    """The archive beside the warehouse this connection has open, as the settings place it."""
    from orchestration.settings import beside_warehouse

    (path,) = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()
    return beside_warehouse(Path(path), "archive")


def load_file(con: duckdb.DuckDBPyConnection, path: Path, *args, **kwargs):
    """ingestion.loader.load_file with the default settings' archive and shrink limit."""
    from ingestion import loader

    kwargs.setdefault("archive", archive_of(con))
    kwargs.setdefault("max_snapshot_shrink", DEFAULT_MAX_SNAPSHOT_SHRINK)
    return loader.load_file(con, path, *args, **kwargs)


def load_extract(con: duckdb.DuckDBPyConnection, spec, inbox: Path, *args, **kwargs):
    """ingestion.inbox.load_extract with the default settings' archive and shrink limit."""
    from ingestion import inbox as intake

    kwargs.setdefault("archive", archive_of(con))
    kwargs.setdefault("max_snapshot_shrink", DEFAULT_MAX_SNAPSHOT_SHRINK)
    return intake.load_extract(con, spec, inbox, *args, **kwargs)


def query(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def xdist_worker() -> str:
    """This pytest-xdist worker's name (gw0, gw1, ...), or "main" without xdist."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@contextmanager
def once_per_test_run(
    tmp_path_factory: pytest.TempPathFactory, name: str
) -> Iterator[tuple[Path, bool]]:
    """A folder shared by every pytest-xdist worker of this test run, held under a lock:
    yields (folder, first); the first worker to ask builds in it, the others wait for it
    and find it built. Without xdist the folder is this process's own."""
    base = tmp_path_factory.getbasetemp()
    shared = base if xdist_worker() == "main" else base.parent
    folder = shared / name
    with (shared / f"{name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared / f"{name}.done"
        first = not done.exists()
        folder.mkdir(exist_ok=True)
        yield folder, first
        done.touch()


@pytest.fixture(scope="session")
def dbt_manifest(tmp_path_factory) -> Path:
    """dbt parse once per test run, as `abc-warehouse prepare` does."""
    from orchestration.cli import prepare

    with once_per_test_run(tmp_path_factory, "dbt_manifest") as (_, first):
        if first:
            prepare()
    assert MANIFEST.exists()
    return MANIFEST


DBT_TEST_TARGETS = DBT_PROJECT_DIR / "target"
WAREHOUSE_NOTE = "tested-warehouse.txt"


def dbt_target() -> Path:
    """Where run_dbt's dbt writes: a target folder per xdist worker and warehouse. dbt
    writes its manifest and parse state there in place (a state is good for one warehouse
    path, see reused_folder); the project's own target/manifest.json is what Dagster loads.
    The folder notes its warehouse, so a later session removes it once that is gone."""
    warehouse = os.environ["ABC_WAREHOUSE_PATH"]
    key = hashlib.sha256(warehouse.encode()).hexdigest()[:12]
    target = DBT_TEST_TARGETS / f"tests-{xdist_worker()}-{key}"
    target.mkdir(parents=True, exist_ok=True)
    (target / WAREHOUSE_NOTE).write_text(warehouse)
    return target


def pytest_configure(config: pytest.Config) -> None:
    """Before the workers start: remove run_dbt's target folders of warehouses that are
    gone (pytest keeps the folders of its last three sessions), whichever session made
    them; those of a session running beside this one stay."""
    if hasattr(config, "workerinput"):
        return
    for folder in DBT_TEST_TARGETS.glob("tests-*"):
        note = folder / WAREHOUSE_NOTE
        if not note.exists() or not Path(note.read_text()).parent.exists():
            shutil.rmtree(folder, ignore_errors=True)


# Parsed projects, per project folder and its files, dbt vars and warehouse name.
_PARSED: dict[tuple, object] = {}
_PARSED_KEPT = 6


def _arg(args: list[str], flag: str) -> str | None:
    return args[args.index(flag) + 1] if flag in args else None


def _project_files(project: Path) -> str:
    """What a parse of the project reads, by path, size and time: another folder, or an
    edited copy of the project (a test's own), is parsed again."""
    digest = hashlib.sha256()
    read = [p for p in project.iterdir() if p.name not in ("target", "logs")]
    for path in sorted(f for top in read for f in [top, *top.rglob("*")] if f.is_file()):
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def run_dbt(args: list[str]) -> subprocess.CompletedProcess:
    """Run dbt on the project against the warehouse in ABC_WAREHOUSE_PATH, as the dbt CLI
    with these arguments would, in this process: dbt's programmatic entry point (dbtRunner)
    runs the same commands, and saves the new interpreter and dbt's imports a CLI start
    costs (about 3 s, more than a small build). Returns what the CLI would: its exit code
    (0 success, 1 a failed node, 2 an error that stopped dbt) and the lines it would print
    (info and above; dbt.log in the target folder has the debug log).

    The project is parsed once per worker for its files, vars and warehouse name, and the
    parsed project handed to each command (dbt's way of reusing a manifest): dbt's own
    parse state is good for one profile, which holds the warehouse path, so each test's
    warehouse would parse the whole project again (about 5 s). What a parse reads is the
    same for every warehouse of the same name: the path and memory limit reach the
    parsed project only through the database name, the file's stem."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.cli.main import dbtRunner

    target = dbt_target()
    printed: list[str] = []

    def collect(event) -> None:
        if event.info.level in ("info", "warn", "error"):
            printed.append(event.info.msg)

    project = Path(_arg(args, "--project-dir") or DBT_PROJECT_DIR)
    flags = [
        "--profiles-dir",
        str(PROFILES_DIR),
        "--target-path",
        str(target),
        "--log-path",
        str(target),
        # What the CLI prints is collected above; the file keeps the debug log.
        "--log-level",
        "none",
        "--log-level-file",
        "debug",
    ]
    vars_given = _arg(args, "--vars")
    key = (_project_files(project), vars_given, Path(os.environ["ABC_WAREHOUSE_PATH"]).stem)
    # The profile reads both; the warehouse is the test's (ABC_WAREHOUSE_PATH).
    unset = "ABC_DUCKDB_MEMORY_LIMIT" not in os.environ
    if unset:
        os.environ["ABC_DUCKDB_MEMORY_LIMIT"] = DEFAULT_MEMORY_LIMIT
    try:
        if key not in _PARSED:
            vars_flag = ["--vars", vars_given] if vars_given else []
            parse = ["parse", "--project-dir", str(project), *flags, *vars_flag]
            parsed = dbtRunner().invoke(parse)
            if parsed.success:  # else the command below parses and reports the error itself
                _PARSED[key] = parsed.result
                for stale in list(_PARSED)[:-_PARSED_KEPT]:
                    del _PARSED[stale]
        in_project = [] if "--project-dir" in args else ["--project-dir", str(project)]
        command = [*args, *in_project, *flags]
        result = dbtRunner(manifest=_PARSED.get(key), callbacks=[collect]).invoke(command)
    finally:
        if unset:
            del os.environ["ABC_DUCKDB_MEMORY_LIMIT"]
        # dbt-duckdb keeps its connection open for the life of the process (the CLI's
        # process ends with the command): close it, so the file lock is free for the CLI
        # runs and other processes a test starts next.
        DuckDBConnectionManager.close_all_connections()
    error = "" if result.exception is None else f"{result.exception}\n"
    code = 0 if result.success else (2 if result.exception is not None else 1)
    output = "\n".join(printed) + "\n"
    if code != 0:
        sys.stderr.write((output + error)[-5000:])
    return subprocess.CompletedProcess(args, code, output, error)


@dataclass(frozen=True)
class RecordedRun:
    """A run read back from the Dagster instance it ran on: what tests ask of
    ExecuteInProcessResult, for a run another xdist worker may have made."""

    home: Path
    run_id: str

    def _events(self, event_type: dg.DagsterEventType) -> list[dg.DagsterEvent]:
        with dg.DagsterInstance.from_config(str(self.home)) as instance:
            return [e.dagster_event for e in instance.all_logs(self.run_id, of_type=event_type)]

    @property
    def success(self) -> bool:
        with dg.DagsterInstance.from_config(str(self.home)) as instance:
            return instance.get_run_by_id(self.run_id).status == dg.DagsterRunStatus.SUCCESS

    def get_asset_check_evaluations(self) -> list[dg.AssetCheckEvaluation]:
        return [
            e.asset_check_evaluation_data
            for e in self._events(dg.DagsterEventType.ASSET_CHECK_EVALUATION)
        ]

    def get_asset_materialization_events(self) -> list[dg.DagsterEvent]:
        return self._events(dg.DagsterEventType.ASSET_MATERIALIZATION)


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory, dbt_manifest) -> Iterator[tuple[dict[str, Path], RecordedRun]]:
    """`abc-warehouse demo`, as `make demo` runs it, once per test run: the demo's inbox
    loaded, built and published by a real CLI run on a Dagster instance configured as
    `make setup` configures it. Shared by the tests that read it (every xdist worker
    reads the same one) and never changed: a test that changes it takes `demo_copy`.
    What the command printed is in DEMO_OUTPUT beside it."""
    with once_per_test_run(tmp_path_factory, "demo_run") as (root, first):
        home = root.parent / "demo_run_dagster_home"
        if first:
            home.mkdir(exist_ok=True)
            shutil.copy(PROJECT_ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")
            paths = {"warehouse": root / "warehouse.duckdb", "inbox": root / "inbox"}
            demo = subprocess.run(
                [sys.executable, "-m", "orchestration.cli", "demo"],
                cwd=PROJECT_ROOT,
                env={
                    # As `make demo`: the settings file beside the warehouse, which it writes.
                    **{k: v for k, v in os.environ.items() if k != "ABC_SETTINGS_FILE"},
                    "ABC_WAREHOUSE_PATH": str(paths["warehouse"]),
                    "ABC_INBOX_DIR": str(paths["inbox"]),
                    "ABC_ARCHIVE_DIR": str(root / "archive"),
                    "DAGSTER_HOME": str(home),
                },
                capture_output=True,
                text=True,
            )
            (root.parent / DEMO_OUTPUT).write_text(demo.stdout + demo.stderr)
            assert demo.returncode == 0, (demo.stdout + demo.stderr)[-5000:]
            with dg.DagsterInstance.from_config(str(home)) as instance:
                (run,) = instance.get_runs()
            (home / "run_id").write_text(run.run_id)
    # The paths stay set for the session, as for a test's own `env`.
    with pytest.MonkeyPatch.context() as monkeypatch:
        env = point_env_at_existing(root, monkeypatch)
        yield env, RecordedRun(home, (home / "run_id").read_text())


# What `abc-warehouse demo` printed for demo_run, beside its folder.
DEMO_OUTPUT = "demo_run_output.txt"


@pytest.fixture
def demo_copy(
    demo_run, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Path]:
    """A copy of the built demo (warehouse, inbox, archive, reports, serving snapshot) for a
    test that changes it, with every path variable pointed at the copy: the shared demo
    stays as built, whatever order the tests run in."""
    built, _ = demo_run
    root = reused_folder(tmp_path_factory, "demo-copy") / "demo"
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


def kill_inside_the_load(proc: subprocess.Popen, path: Path, archive: Path) -> None:
    """SIGKILL `proc` while it loads the file at `path`: once the file is taken into the
    archive and the loader's working folder (`.work-*`, there until the file is loaded)
    exists. Looked for every 10 ms, against a second or more of reading and writing a
    file of 600,000 lines; a condition, not a wait of some seconds."""
    taken_in = archive / hashlib.sha256(path.read_bytes()).hexdigest() / path.name
    deadline = time.monotonic() + 180
    while not (taken_in.exists() and any(archive.glob(".work-*"))):
        assert proc.poll() is None, f"the process ended before it was seen loading {path.name}"
        assert time.monotonic() < deadline, f"not seen loading {path.name} in 180 s"
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
