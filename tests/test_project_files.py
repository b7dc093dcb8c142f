"""Files generated from code must match it; the demo must be deterministic."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from demo.generator import generate
from ingestion.dbt_sources import render
from tests.conftest import PROJECT_ROOT


def test_dbt_sources_match_the_extract_specs():
    committed = PROJECT_ROOT / "dbt_project/models/staging/sap/_sap__sources.yml"
    assert committed.read_text() == render(), (
        "run: python -m ingestion.dbt_sources > dbt_project/models/staging/sap/_sap__sources.yml"
    )


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_demo_generator_is_deterministic(tmp_path):
    first = _digest(generate(tmp_path / "a", billing_lines=2000))
    second = _digest(generate(tmp_path / "b", billing_lines=2000))
    assert first == second
    assert len(first) == 27  # 12 billing months, 9 other customer-side and 6 supplier extracts


def test_a_bigger_demo_company_has_the_staff_for_its_volume(tmp_path):
    """At 1M billing lines the generator once kept the reference company's 5 packers and
    3 order clerks for 33 times its orders: the finished-goods store ran at 1,144 % of
    its capacity and the build (rightly) stopped, so `make bench` failed. A company
    generated at k times the volume has k times the people, so its utilisation stays the
    reference company's; its cost pools stay the reference's (demo/generator.py says why)."""
    import duckdb

    from demo import reference_company as ref
    from demo.generator import BASE_BILLING_LINES

    def people_and_cost(inbox: Path) -> dict[str, tuple[float, float]]:
        with duckdb.connect() as con:
            rows = con.execute(
                f"""
                with people as (
                    select KOSTL as centre, sum(replace(BSGRD, ',', '.')::double) / 100 as fte
                    from read_csv('{inbox}/PA0001_employees.csv', all_varchar = true)
                    where ENDDA = '99991231' group by 1
                ), cost as (
                    select KOSTL as centre, sum(
                        replace(replace(rtrim(WKGBTR, '-'), '.', ''), ',', '.')::double
                        * if(WKGBTR like '%-', -1, 1)) as cost
                    from read_csv('{inbox}/COSP_{ref.YEAR}.csv', all_varchar = true) group by 1
                )
                select centre, fte, cost from people join cost using (centre)"""
            ).fetchall()
        return {centre: (fte, cost) for centre, fte, cost in rows}

    base = people_and_cost(generate(tmp_path / "base"))
    bigger = people_and_cost(generate(tmp_path / "bigger", billing_lines=4 * BASE_BILLING_LINES))
    assert set(base) == set(ref.DEPARTMENTS)
    for centre, (name, fte, elements) in ref.DEPARTMENTS.items():
        assert base[centre][0] == pytest.approx(fte), name
        assert base[centre][1] == pytest.approx(sum(elements.values()), abs=0.01), name
        assert bigger[centre][0] == pytest.approx(4 * fte), name
        assert bigger[centre][1] == pytest.approx(sum(elements.values()), abs=0.01), name


def test_format_documentation_matches_the_extract_specs():
    from ingestion.format_docs import render as render_docs

    committed = PROJECT_ROOT / "docs/extract-formats.md"
    assert committed.read_text() == render_docs(), (
        "run: python -m ingestion.format_docs > docs/extract-formats.md"
    )


def test_analytics_documentation_is_generated_from_the_dbt_yaml(dbt_manifest):
    from orchestration.table_docs import render_analytics_page

    committed = PROJECT_ROOT / "docs/analytics.md"
    assert committed.read_text() == render_analytics_page(dbt_manifest), (
        "run: python -m orchestration.table_docs > docs/analytics.md"
    )


def test_every_docs_page_the_project_cites_exists():
    """README, the code and the docs cite pages under docs/: each must be in the repository,
    and every relative Markdown link must resolve."""
    import re
    import subprocess

    files = subprocess.run(
        ["git", "ls-files"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    cited, broken = set(), []
    for name in files:
        if not name.endswith((".py", ".sql", ".yml", ".md", ".toml", "Makefile")):
            continue
        text = (PROJECT_ROOT / name).read_text(encoding="utf-8")
        cited |= set(re.findall(r"\bdocs/[\w./-]+\.md", text))
        if name.endswith(".md"):
            for link in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
                if not (PROJECT_ROOT / name).parent.joinpath(link).exists():
                    broken.append(f"{name}: {link}")
    assert "docs/domain.md" in cited
    assert [page for page in sorted(cited) if not (PROJECT_ROOT / page).exists()] == []
    assert broken == []


README_DEMO_BLOCK = "<!-- demo output: checked by tests/test_project_files.py -->\n```text\n"


def test_readme_shows_what_the_demo_prints(demo_run):
    """README's example is the output of `abc-warehouse demo` (demo_run runs it as `make
    demo` does), with the demo's folder shown as make demo shows it, `data/`: no warning,
    no dbt log, the same numbers."""
    from tests.conftest import DEMO_OUTPUT

    env, _ = demo_run
    root = env["warehouse"].parent
    printed = (root.parent / DEMO_OUTPUT).read_text().replace(str(root), "data")
    readme = (PROJECT_ROOT / "README.md").read_text()
    shown = readme.split(README_DEMO_BLOCK, 1)[1].split("```\n", 1)[0]
    assert shown == printed
    assert "Warning" not in printed and "dbt=" not in printed


def test_summary_prints_the_demos_summary_without_loading_dagster(demo_run):
    """`abc-warehouse summary` prints what the last good run wrote, every report and the
    snapshot: a file read, so it imports neither Dagster nor dbt (it once loaded the whole
    Definitions to learn the summary file's name, 4.5 s to print a page)."""
    import subprocess
    import sys

    from tests.conftest import DEMO_OUTPUT

    env, _ = demo_run
    root = env["warehouse"].parent
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\n"
            "from orchestration.cli import main\n"
            "code = main(['summary'])\n"
            "heavy = ('dagster', 'dbt', 'dagster_dbt')\n"
            "print('loaded:', sorted(m for m in heavy if m in sys.modules))\n"
            "sys.exit(code)",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    assert printed.returncode == 0, printed.stderr
    summary, loaded = printed.stdout.rsplit("loaded: ", 1)
    assert loaded.strip() == "[]"
    demo = (root.parent / DEMO_OUTPUT).read_text()
    # The demo printed its stage lines, then exactly what `summary` prints.
    assert summary.strip() and demo.endswith(summary)
    assert "Serving snapshot for BI tools" in summary and "capability.html" in summary
