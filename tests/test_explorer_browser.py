"""The explorer in a real browser (the system's Chromium, driven by Playwright) against the
demo's serving snapshot: every page renders without an error in the page or the server,
and a drill-down from a customer group to one billing document, chosen by clicking,
shows the marts' numbers. A screenshot of each page is written beside the test folders
(explorer-screenshots/)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote_plus

import duckdb
import pytest

from benchmark.explorer_pages import (
    CHROMIUM_ARGS,
    TITLES,
    open_page,
    serve,
    system_chromium,
    wait_rendered,
)

pytestmark = pytest.mark.pipeline

CHROMIUM = system_chromium()
if CHROMIUM is None:
    pytest.skip(
        "no Chromium on this machine (Debian: apt-get install chromium; .ci/run installs "
        "it where it can): the explorer's browser test did not run",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture(scope="module")
def app(demo_run, tmp_path_factory):
    env, _ = demo_run
    folder = tmp_path_factory.mktemp("explorer")
    log = folder / "server.log"
    with serve(env["warehouse"].parent / "serving", log) as url:
        yield url, log


@pytest.fixture(scope="module")
def browser_page():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on(
            "console",
            lambda message: (
                problems.append(f"console: {message.text}") if message.type == "error" else None
            ),
        )
        page.on(
            "response",
            lambda response: (
                problems.append(f"HTTP {response.status}: {response.url}")
                if response.status >= 400
                else None
            ),
        )
        yield page, problems
        browser.close()


@pytest.fixture(scope="module")
def snapshot_con(demo_run):
    env, _ = demo_run
    path = env["warehouse"].parent / "serving" / "abc_warehouse.duckdb"
    with duckdb.connect(str(path), read_only=True) as con:
        yield con


def _screenshot(page, tmp_path_factory, name: str) -> Path:
    folder = tmp_path_factory.getbasetemp() / "explorer-screenshots"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.png"
    # Streamlit scrolls inside its main block: a tall viewport shows the whole page.
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": max(1100, min(int(height) + 50, 8000))})
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1100})
    return path


def _errors_on_page(page) -> list[str]:
    return page.locator(
        '[data-testid="stException"], [data-testid="stAlertContentError"]'
    ).all_inner_texts()


def test_every_page_renders_without_an_error(app, browser_page, tmp_path_factory):
    url, log = app
    page, problems = browser_page
    page.goto(url)
    wait_rendered(page, TITLES[0])
    shots = {TITLES[0]: _screenshot(page, tmp_path_factory, "concentration")}
    assert _errors_on_page(page) == []
    for title in TITLES[1:]:
        open_page(page, title)
        assert _errors_on_page(page) == [], title
        shots[title] = _screenshot(page, tmp_path_factory, title.lower().replace("-", ""))
    assert problems == []
    server = log.read_text()
    assert "Traceback" not in server and "Error" not in server, server
    assert all(path.stat().st_size > 20_000 for path in shots.values())


def _choose(page, label: str, option: str, param: str, value: str) -> None:
    """Pick `option` in the select box labelled `label`, as a user does (open, type,
    pick), and wait for the page to run with it (the choice reaches the address)."""
    exact = re.compile(f"^{re.escape(label)}$")
    labelled = page.locator('[data-testid="stWidgetLabel"]').filter(has_text=exact)
    page.locator('[data-testid="stSelectbox"]').filter(has=labelled).click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()
    page.wait_for_url(lambda address: f"{param}={quote_plus(value)}" in address)
    wait_rendered(page, "Drill-down")


def _tables(page) -> list[list[list[str]]]:
    """The static tables of the page: rows of cell texts, headers first."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stTable"] table')].map(
            table => [...table.querySelectorAll('tr')].map(
                row => [...row.querySelectorAll('th, td')].map(cell => cell.innerText.trim())))"""
    )


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def test_a_drill_down_from_a_group_to_a_billing_document_shows_the_marts_numbers(
    app, browser_page, snapshot_con, tmp_path_factory
):
    url, _ = app
    page, problems = browser_page
    con = snapshot_con
    # Not the first choice anywhere, so each step is a real choice: the group with the most
    # customers, its most profitable customer, that customer's second costliest order of
    # 2010, and that order's last billing document.
    group, name = con.execute(
        """select customer_group, customer_group_name from marts.fct_customer_group_profitability
        where period_type = 'year' order by customers desc, customer_group limit 1"""
    ).fetchone()
    customer, customer_name = con.execute(
        """select customer_id, customer_name from marts.fct_customer_profitability
        where period_type = 'year' and customer_group = ?
        order by net_profit desc, customer_id limit 1""",
        [group],
    ).fetchone()
    (order,) = con.execute(
        """select sales_order from marts.fct_order_costs where customer_id = ?
        order by total_order_cost desc, sales_order limit 1 offset 1""",
        [customer],
    ).fetchone()
    (document,) = con.execute(
        """select billing_document from marts.fct_billing_lines where sales_order = ?
        group by billing_document order by min(billing_date) desc, billing_document desc
        limit 1""",
        [order],
    ).fetchone()

    page.goto(url)
    wait_rendered(page, TITLES[0])
    open_page(page, "Drill-down")
    _choose(page, "Customer group", f"{group}: {name}", "group", group)
    _choose(page, "Customer", f"{customer}: {customer_name}", "customer", customer)
    _choose(page, "Sales order", order, "order", order)
    _choose(page, "Billing document", document, "document", document)
    page.get_by_text(f"Lines of billing document {document}", exact=True).wait_for()
    waterfall, activities, order_activities, documents, lines = _tables(page)
    _screenshot(page, tmp_path_factory, "drilldown_to_a_billing_document")

    # The waterfall: net revenue, each cost, net profit, to the krone.
    pnl = (
        con.execute(
            """select * from marts.fct_customer_profitability
        where period_type = 'year' and customer_id = ?""",
            [customer],
        )
        .df()
        .iloc[0]
    )
    shown = {row[0]: _number(row[1]) for row in waterfall[1:]}
    assert shown["net revenue"] == pytest.approx(pnl["net_revenue"], abs=0.5)
    assert shown["net profit"] == pytest.approx(pnl["net_profit"], abs=0.5)
    assert shown["production"] == pytest.approx(-pnl["production_cost"], abs=0.5)
    families = {
        k: v for k, v in shown.items() if k not in ("net revenue", "production", "net profit")
    }
    for family, amount in families.items():
        assert amount == pytest.approx(-pnl[f"{family}_cost"], abs=0.5), family
    assert sum(families.values()) == pytest.approx(-pnl["cost_to_serve"], abs=0.5 * len(families))

    # The customer's activities: driver quantity and cost of each, as the mart has them.
    header, *rows = activities
    expected = dict(
        con.execute(
            """select activity_id, cost from marts.fct_customer_activity_costs
            where period_type = 'year' and customer_id = ?""",
            [customer],
        ).fetchall()
    )
    cost_at = header.index("cost")
    assert {row[1]: _number(row[cost_at]) for row in rows} == pytest.approx(expected, abs=0.5)

    # The order: each activity's driver quantity, hours, rate and cost.
    header, *rows = order_activities
    expected = con.execute(
        """select activity_id, driver_quantity, applied_rate_per_hour, cost
        from marts.fct_order_activity_costs where sales_order = ? order by activity_id""",
        [order],
    ).fetchall()
    columns = [header.index(c) for c in ("driver_quantity", "applied_rate_per_hour", "cost")]
    got = sorted((row[1], *(_number(row[i]) for i in columns)) for row in rows)
    assert [g[0] for g in got] == [e[0] for e in expected]
    for g, e in zip(got, expected, strict=True):
        assert g[1:] == pytest.approx(e[1:], abs=0.005)

    # The order's documents and the chosen document's lines, to the øre.
    assert [row[0] for row in documents[1:]] == [
        d
        for (d,) in con.execute(
            """select billing_document from marts.fct_billing_lines where sales_order = ?
            group by billing_document order by min(billing_date), billing_document""",
            [order],
        ).fetchall()
    ]
    header, *rows = lines
    expected = con.execute(
        """select billing_item, material_id, net_revenue, production_cost
        from marts.fct_billing_lines where billing_document = ? order by billing_item""",
        [document],
    ).fetchall()
    net, production = header.index("net_revenue"), header.index("production_cost")
    got = [(int(r[0]), r[1], _number(r[net]), _number(r[production])) for r in rows]
    assert [g[:2] for g in got] == [(e[0], e[1]) for e in expected]
    for g, e in zip(got, expected, strict=True):
        assert g[2:] == pytest.approx(e[2:], abs=0.005)

    # The choices are in the address: the same link opens the same document.
    assert f"document={document}" in page.url and f"group={group}" in page.url
    assert problems == []


def test_the_scenarios_page_shows_the_company_profit_of_each_scenario(
    app, browser_page, snapshot_con
):
    url, _ = app
    page, problems = browser_page
    page.goto(url)
    wait_rendered(page, TITLES[0])
    open_page(page, "Scenarios")
    company = _tables(page)[0]
    header, *rows = company
    profit = header.index("company_profit")
    shown = {row[0]: _number(row[profit]) for row in rows}
    expected = dict(
        snapshot_con.execute(
            """select scenario_id, scenario_value from marts.fct_scenario_comparison
            where period_type = 'year' and level = 'company' and line = 'company_profit'"""
        ).fetchall()
    )
    assert shown == pytest.approx(expected, abs=0.5)
    assert problems == []
