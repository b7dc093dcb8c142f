"""The strategy views on the demo (the hand-computed edge cases are dbt unit tests in
dbt_project/models/marts/strategy/_strategy__unit_tests.yml): each mart is filled,
adds up to its source, and has its chart in the report."""

from __future__ import annotations

import pytest

from orchestration.settings import beside_warehouse
from tests.conftest import query

pytestmark = pytest.mark.pipeline


@pytest.fixture(scope="module")
def demo(demo_run):
    env, result = demo_run
    assert result.success
    return env["warehouse"]


def test_every_strategy_mart_is_filled(demo):
    for mart in ("fct_customer_relationship", "fct_supplier_relationship", "fct_make_or_buy",
                 "fct_spend"):  # fmt: skip
        assert query(demo, f"select count(*) from marts.{mart}")[0][0] > 0, mart


def test_spend_adds_up_to_the_supplier_invoices(demo):
    spend, items = query(demo, "select sum(spend), sum(invoice_items) from marts.fct_spend")[0]
    invoiced, count = query(
        demo,
        "select sum(invoiced_amount_company_currency), count(*)"
        " from intermediate.int_supplier_price_variance",
    )[0]
    assert count == query(demo, "select count(*) from staging.stg_sap__supplier_invoices")[0][0]
    assert items == count and spend == pytest.approx(float(invoiced), abs=0.01)
    on, off = query(
        demo, "select sum(spend_on_contract), sum(spend_off_contract) from marts.fct_spend"
    )[0]
    assert on + off == pytest.approx(spend, abs=0.01) and 0 < on < spend


def test_relationship_revenue_matches_the_profitability_marts(demo):
    rows = query(
        demo,
        """
        select r.level, r.period_start, sum(r.net_revenue), sum(r.revenue_share),
            (select sum(net_revenue) from marts.fct_customer_profitability p
             where p.period_type = 'year' and p.period_start = r.period_start)
        from marts.fct_customer_relationship r group by all""",
    )
    assert {level for level, *_ in rows} == {"customer", "customer_group"}
    for _, _, revenue, shares, profitability in rows:
        assert revenue == pytest.approx(float(profitability), rel=1e-9)
        assert shares == pytest.approx(1.0, abs=1e-6)
    # The seed's Volvo Truck estimate: a third of our revenue, switching cost 4.
    assert query(
        demo,
        "select quadrant from marts.fct_customer_relationship"
        " where level = 'customer_group' and member_id = 'VO'",
    ) == [("mutual dependence",)]


def test_make_or_buy_prices_development_against_the_lab(demo):
    ((internal, volume, saving, quote),) = query(
        demo,
        """select m.internal_cost_per_unit, m.driver_quantity, m.saving_if_bought,
            m.external_price_per_unit
        from marts.fct_make_or_buy m where m.period_type = 'year'
            and m.activity_id = 'development'""",
    )
    rate = query(
        demo,
        "select rate_per_driver_unit from marts.fct_activity_rates"
        " where period_type = 'year' and activity_id = 'development'",
    )[0][0]
    assert quote == 540 and internal == pytest.approx(rate)
    assert saving == pytest.approx((internal - 540) * volume, abs=1e-3)


def test_the_strategy_report_has_a_chart_per_view(demo):
    reports = beside_warehouse(demo, "reports")
    page = (reports / "strategy.html").read_text()
    for chart in ("customer_relationship", "supplier_relationship", "make_or_buy", "spend"):
        assert f'src="strategy/{chart}.png"' in page
        assert (reports / "strategy" / f"{chart}.png").stat().st_size > 5000


def test_every_report_page_escapes_what_comes_from_the_data(tmp_path):
    """Reports are rendered from templates with autoescaping: a supplier name, a section
    title or a table cell holding markup shows as text, and every page has the shared
    layout (its links to the other reports)."""
    import pandas as pd

    from reporting.report import render_page, table_of, write_concentration_report
    from reporting.what_if import write_scenario_report, write_sensitivity_report

    markup = "<script>alert(1)</script>"
    frame = pd.DataFrame({"supplier_name": [markup], "spend": [1234.5]})
    page = render_page(
        "strategy.html",
        tmp_path / "strategy.html",
        sections=[{"title": markup, "intro": markup, "chart": "x.png",
                   "table": table_of(frame, {"spend": "{:,.0f}"}), "note": ""}],
    ).read_text()  # fmt: skip
    assert (
        "<script>" not in page and page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 4
    )  # title, alt, intro, cell
    assert '<td class="number">1,234</td>' in page
    empty = pd.DataFrame(columns=["period_type"])
    write_concentration_report(tmp_path, empty, empty, empty, empty)
    for folder in ("scenarios", "sensitivity"):  # charts of a run that had data
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "earlier.png").write_bytes(b"png")
    write_scenario_report(tmp_path, empty, empty, empty)
    write_sensitivity_report(tmp_path, empty, empty)
    assert not list((tmp_path / "scenarios").iterdir())
    assert not list((tmp_path / "sensitivity").iterdir())
    for name in ("strategy.html", "report.html", "scenarios.html", "sensitivity.html"):
        text = (tmp_path / name).read_text()
        assert '<a href="capability.html">Supplier capability</a>' in text, name
    assert "No customer revenue is loaded yet" in (tmp_path / "report.html").read_text()
    assert "No scenario is built yet" in (tmp_path / "scenarios.html").read_text()
    assert "No sensitivity figures yet" in (tmp_path / "sensitivity.html").read_text()


def test_the_quadrant_names_are_the_marts_and_missing_values_read_as_missing():
    """The charts name each quadrant as the marts do (the power_quadrant macro), and a
    table cell with no value shows a dash, never pandas' "<NA>"."""
    import re

    import pandas as pd

    from reporting.report import power_quadrants, table_of
    from tests.conftest import PROJECT_ROOT

    macro = (PROJECT_ROOT / "dbt_project" / "macros" / "strategy.sql").read_text()
    named = set(re.findall(r"(?:then|else) '([^']+)'", macro)) - {"not estimated"}
    assert set(power_quadrants("{{ counterpart }}").values()) == named
    frame = pd.DataFrame({"name": ["a", pd.NA], "share": [0.5, None]}).astype(
        {"name": "string", "share": "Float64"}
    )
    cells = [[c["text"] for c in row] for row in table_of(frame, {"share": "{:.0%}"})["rows"]]
    assert cells == [["a", "50%"], ["–", "–"]]
