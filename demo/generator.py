"""Deterministic demo extracts: a year of SAP-style files for the reference company.

`generate(inbox, billing_lines=...)` writes the customer-side extracts with the quirks real
extracts have (see docs/extract-formats.md): decimal comma with thousands separators, trailing
minus, DD.MM.YYYY dates in one month, a UTF-8 BOM, a Latin-1 customer master, keys with and
without leading zeros, a report spool with banners, rules, page breaks and subtotals,
Norwegian header labels, tab delimiters, JPY amounts with SAP's two decimals, inverted
dates in the rate table, superseded timesheet rows, credit memos, returns and a
cancelled invoice. June's billing file carries five deliberately broken lines.

Arrays are built with numpy from one seed; the large billing files are formatted and
written by DuckDB, so millions of lines take seconds.
"""

from __future__ import annotations

import argparse
import shutil
from datetime import timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from demo import reference_company as ref
from demo.sap_format import sap_number, write_extract
from demo.suppliers import write_supplier_extracts
from ingestion.specs import BILLING_LINES, CURRENCY_DECIMALS

BASE_BILLING_LINES = sum(g.order_lines for g in ref.GROUPS)
BILLING_HEADER = ";".join(column.name for column in BILLING_LINES.columns)
# June's five broken lines: bad date, letters in an amount, missing customer, a year
# typed 2100, a short line. Each must land in quarantine with a reason naming it.
BROKEN_BILLING_LINES = (
    "99000001;000010;F2;M;20100631;10001;10001;19000001;89000001;62340001;10,000;ST;"
    "120,00;100,00;NOK;MAN",
    "99000002;000010;F2;M;20100615;10001;10001;19000002;89000002;62340001;10,000;ST;"
    "120,00;1OO,00;NOK;MAN",
    "99000003;000010;F2;M;20100615;;;19000003;89000003;62340001;10,000;ST;120,00;100,00;NOK;MAN",
    "99000004;000010;F2;M;21000615;10001;10001;19000004;89000004;62340001;10,000;ST;"
    "120,00;100,00;NOK;MAN",
    "99000005;000010;F2;M;20100615;10001",
)


def _amount_sql(expr: str, decimals: int = 2) -> str:
    """DuckDB SQL formatting a number the SAP Norwegian way: 1.234,56 and 1.234,56-."""
    body = f"translate(format('{{:,.{decimals}f}}', abs({expr})), ',.', '.,')"
    return f"({body} || case when {expr} < 0 then '-' else '' end)"


def _workdays(year: int) -> np.ndarray:
    days = pd.bdate_range(f"{year}-01-01", f"{year}-12-31")
    return days.to_numpy().astype("datetime64[D]")


def _customers(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    number = 10001
    cities = {
        "SE": ["Göteborg", "Umeå", "Södertälje", "Tuve"],
        "DE": ["München", "Burtenbach", "Hannover", "Köln"],
        "FR": ["Lyon Vénissieux", "Annonay", "Bourg-en-Bresse"],
        "IT": ["Torino", "Brescia", "Suzzara"],
        "NO": ["Raufoss", "Kongsberg", "Hønefoss", "Ålesund", "Tromsø"],
        "GB": ["Coventry", "Leyland"],
        "BE": ["Koningshooikt"],
        "JP": ["Ageo", "Hino"],
    }
    for g in ref.GROUPS:
        for i in range(g.customers):
            if g.code == "DI":
                name = ("Örum Oy", "Tube Gear Ltd")[i % 2] + f" {i + 1}"
                country = ("FI", "GB")[i % 2]
            elif g.code == "AN":
                name = ("Cummins", "Isringhausen", "Bjørnstad Mek.", "Hägglunds")[
                    i % 4
                ] + f" {i + 1}"
                country = "NO"
            else:
                city = cities[g.country][i % len(cities[g.country])]
                name = f"{g.name} {city}" + (f" {i + 1}" if g.customers > 1 else "")
                country = g.country
            rows.append((number, name, country, g.code, g.name, g.currency))
            number += 1
    frame = pd.DataFrame(rows, columns=["kunnr", "name", "country", "group", "group_name", "cur"])
    frame["incoterms"] = np.where(rng.random(len(frame)) < 0.7, "FCA", "DDP")
    return frame


def _materials(rng: np.random.Generator) -> pd.DataFrame:
    n = ref.MATERIALS
    unit_cost = np.round(np.exp(rng.normal(np.log(5.0), 0.55, n)), 4).clip(0.8, 60)
    frame = pd.DataFrame({"matnr": 62340001 + np.arange(n), "unit_cost": unit_cost})
    frame["peinh"] = np.where(rng.random(n) < 0.3, 100, 1)
    frame["vprsv"] = np.where(rng.random(n) < 0.05, "V", "S")
    # A mid-year revision for some materials: a second validity period from 1 July.
    frame["revised"] = rng.random(n) < 0.04
    return frame


def _billing(rng, customers: pd.DataFrame, materials: pd.DataFrame, scale: float) -> pd.DataFrame:
    workdays = _workdays(ref.YEAR)
    lines = []
    order_no = 10_000_001
    for g in ref.GROUPS:
        custs = customers.loc[customers["group"] == g.code, "kunnr"].to_numpy()
        weights = 1.0 / np.arange(1, len(custs) + 1) ** 0.8
        n_orders = max(1, round(g.orders * scale))
        per_order = max(g.order_lines / g.orders, 1.0)
        pool_size = int(min(ref.MATERIALS, max(5, g.order_lines // 8)))
        pool = rng.choice(materials.index.to_numpy(), size=pool_size, replace=False)
        n_lines = 1 + rng.poisson(per_order - 1, n_orders)
        n_lines = np.minimum(n_lines, pool_size)
        order_idx = np.repeat(np.arange(n_orders), n_lines)
        frame = pd.DataFrame(
            {
                "aubel": order_no + order_idx,
                "kunag": rng.choice(custs, size=n_orders, p=weights / weights.sum())[order_idx],
                "fkdat": rng.choice(workdays, size=n_orders)[order_idx],
                "mat": rng.choice(pool, size=len(order_idx)),
            }
        )
        frame = frame.drop_duplicates(["aubel", "mat"]).reset_index(drop=True)
        order_no += n_orders
        frame["group"], frame["waerk"], frame["bsark"] = g.code, g.currency, g.channel
        mats = materials.loc[frame["mat"]]
        noise = 1 + rng.normal(0, 0.05, len(frame))
        unit_price_nok = mats["unit_cost"].to_numpy() * g.markup * noise
        if g.code == "KONG":  # internal sales: standard cost + 25 %
            unit_price_nok = mats["unit_cost"].to_numpy() * 1.25
        qty_weight = np.exp(rng.normal(0, 0.8, len(frame)))
        target = ref.NET_REVENUE_NOK * g.revenue_share / 100 * scale
        raw_value = qty_weight * unit_price_nok
        qty = np.maximum(1, np.round(qty_weight * target / raw_value.sum()))
        rate = np.array(ref.RATES_TO_NOK.get(g.currency, (1.0,) * 12)) / ref.RATE_UNITS.get(
            g.currency, 1
        )
        month = pd.DatetimeIndex(frame["fkdat"]).month.to_numpy() - 1
        price_doc = unit_price_nok / rate[month]
        frame["fkimg"] = qty
        discount = {"EDI": 0.03, "PLAN": 0.02, "MAN": 0.0}[g.channel]
        # SAP stores every amount with two decimals: 123,400 JPY is kept as 1234,00.
        shift = 10 ** (2 - CURRENCY_DECIMALS.get(g.currency, 2))
        frame["netwr"] = np.round(qty * price_doc * 100 / shift) / 100
        frame["brtwr"] = np.round(qty * price_doc / (1 - discount) * 100 / shift) / 100
        frame["matnr"] = mats["matnr"].to_numpy()
        lines.append(frame.drop(columns=["mat"]))
    billing = pd.concat(lines, ignore_index=True).sort_values(["fkdat", "aubel", "matnr"])
    billing = billing.reset_index(drop=True)
    # Deliveries and billing documents: one per order, except Scania, whose orders are
    # consolidated into one shipment per delivery point and month (invoiced per shipment).
    month = pd.DatetimeIndex(billing["fkdat"]).month.to_numpy().astype("int64")
    is_scania = billing["group"].to_numpy() == "SC"
    delivery_key = np.where(
        is_scania,
        -(billing["kunag"].to_numpy().astype("int64") * 100 + month),
        billing["aubel"].to_numpy().astype("int64"),
    )
    codes, _ = pd.factorize(delivery_key, sort=True)
    billing["vgbel"] = 80_000_001 + codes
    billing["vbeln"] = 90_000_001 + codes
    billing = billing.sort_values(["vbeln", "aubel", "matnr"]).reset_index(drop=True)
    billing["posnr"] = (billing.groupby("vbeln").cumcount() + 1) * 10
    billing["fkart"], billing["vbtyp"] = "F2", "M"
    return _with_corrections(rng, billing)


def _with_corrections(rng, billing: pd.DataFrame) -> pd.DataFrame:
    """Credit memos (G2), returns (RE) and one cancelled-and-reissued invoice (S1 + F2)."""
    next_doc = int(billing["vbeln"].max()) + 1
    n = len(billing)
    picks = rng.choice(n, size=max(2, n // 120), replace=False)
    credits = billing.iloc[picks[: len(picks) // 2]].copy()
    credits["fkart"], credits["vbtyp"] = "G2", "O"
    credits[["netwr", "brtwr"]] = (credits[["netwr", "brtwr"]] * 0.1).round(2)
    returns = billing.iloc[picks[len(picks) // 2 :]].copy()
    returns["fkart"], returns["vbtyp"] = "RE", "O"
    returns["fkimg"] = np.maximum(1, (returns["fkimg"] * 0.05).round())
    returns["netwr"] = (
        returns["netwr"]
        * returns["fkimg"]
        / billing.iloc[picks[len(picks) // 2 :]]["fkimg"].to_numpy()
    ).round(2)
    returns["brtwr"] = returns["netwr"]
    corrections = pd.concat([credits, returns])
    corrections["fkdat"] = np.minimum(
        corrections["fkdat"] + np.timedelta64(7, "D"), np.datetime64(f"{ref.YEAR}-12-31")
    )
    # Each correction document holds one line.
    corrections["vbeln"] = next_doc + np.arange(len(corrections))
    corrections["posnr"] = 10
    next_doc += len(corrections)
    # The first invoice of March is cancelled (S1, same amounts) and issued again (F2).
    first = billing.loc[billing["fkdat"] >= np.datetime64(f"{ref.YEAR}-03-01"), "vbeln"].iloc[0]
    original = billing.loc[billing["vbeln"] == first]
    cancel = original.copy()
    cancel["fkart"], cancel["vbtyp"], cancel["vbeln"] = "S1", "N", next_doc
    reissue = original.copy()
    reissue["vbeln"] = next_doc + 1
    out = pd.concat([billing, corrections, cancel, reissue], ignore_index=True)
    return out.sort_values(["fkdat", "vbeln", "posnr"]).reset_index(drop=True)


def _billing_line_sql(date_style: str, pad_keys: bool) -> str:
    key = "lpad({c}::varchar, 10, '0')" if pad_keys else "{c}::varchar"
    mat = "lpad(matnr::varchar, 18, '0')" if pad_keys else "matnr::varchar"
    fkdat = "strftime(fkdat, '%d.%m.%Y')" if date_style == "dmy" else "strftime(fkdat, '%Y%m%d')"
    return (
        "concat_ws(';', vbeln::varchar, lpad(posnr::varchar, 6, '0'), fkart, vbtyp, "
        f"{fkdat}, {key.format(c='kunag')}, {key.format(c='kunag')}, "
        f"{key.format(c='aubel')}, {key.format(c='vgbel')}, {mat}, "
        f"{_amount_sql('fkimg', 3)}, 'ST', {_amount_sql('brtwr')}, {_amount_sql('netwr')}, "
        "waerk, bsark)"
    )


def _write_billing(con: duckdb.DuckDBPyConnection, inbox: Path) -> None:
    for month in range(1, 13):
        path = inbox / f"VBRP_{ref.YEAR}-{month:02d}.csv"
        line = _billing_line_sql("dmy" if month == 2 else "ymd", pad_keys=month % 2 == 1)
        where = f"month(fkdat) = {month}"
        body = path.with_suffix(".body")
        if month == 3:
            _write_spool(con, line, where, body)
        else:
            con.execute(
                f"copy (select {line} from billing where {where} order by fkdat, vbeln, posnr) "
                f"to '{body}' (header false, quote '', escape '', delimiter '\x01')"
            )
        header = BILLING_HEADER
        if month == 9:  # labels as SAP shows them in a Norwegian logon
            header = (
                "Fakturadokument;Posisjon;Fakturaart;VBTYP;Fakturadato;Ordregiver;Varemottaker;"
                "Salgsordre;Levering;Materiale;Fakturert mengde;VRKME;Bruttoverdi;Nettoverdi;"
                "Valuta;Bestillingsart"
            )
        with path.open("wb") as out:
            if month == 1:
                out.write(b"\xef\xbb\xbf")
            if month != 3:
                out.write((header + "\n").encode())
            with body.open("rb") as src:
                shutil.copyfileobj(src, out)
            if month == 6:
                out.write(("\n".join(BROKEN_BILLING_LINES) + "\n").encode())
        body.unlink()


def _write_spool(con, line: str, where: str, body: Path, page: int = 60) -> None:
    """March as an ABAP report spool: banner, rules, header per page, page breaks, subtotals."""
    title = f"Fakturajournal {ref.YEAR}  Raufoss Couplings AS"
    con.execute(
        f"""copy (
        with data as (
            select row_number() over (order by fkdat, vbeln, posnr) - 1 as rn, {line} as line,
                netwr
            from billing where {where}
        ),
        pages as (select distinct rn // {page} as p from data),
        noise as (
            select p * {page} * 10 - 5 as k, chr(12) as line from pages where p > 0
            union all select p * {page} * 10 - 4, '{title}  Side ' || (p + 1) from pages
            union all select p * {page} * 10 - 3, repeat('-', 120) from pages
            union all select p * {page} * 10 - 2, '{BILLING_HEADER}' from pages
            union all select p * {page} * 10 - 1, repeat('-', 120) from pages
            union all select max(rn) * 10 + 3,
                '*;;;;;;;;;;;;;' || {_amount_sql("sum(netwr::decimal(18, 2))")}
                || ';;' from data group by rn // {page}
        )
        select line from (select rn * 10 as k, line from data union all select k, line from noise)
        order by k
    ) to '{body}' (header false, quote '', escape '', delimiter '\x01')"""
    )


def _write_masters(rng, inbox: Path, customers: pd.DataFrame, materials: pd.DataFrame) -> None:
    # Customer master in Latin-1 (Windows download), keys with leading zeros.
    write_extract(
        inbox / "KNA1_customers.csv",
        ["KUNNR", "NAME1", "LAND1", "KDGRP", "KTEXT", "INCO1"],
        [
            [f"{r.kunnr:010d}", r.name, r.country, r.group, r.group_name, r.incoterms]
            for r in customers.itertuples()
        ],
        encoding="latin-1",
    )
    # Material valuation, tab-delimited, price per price unit, a mid-year revision.
    rows = []
    for r in materials.itertuples():
        price = r.unit_cost * r.peinh
        stprs, verpr = (sap_number(price, 2), sap_number(price * 1.02, 2))
        if r.vprsv == "V":
            stprs, verpr = sap_number(0, 2), sap_number(price, 2)
        valid_to = f"{ref.YEAR}0630" if r.revised else "99991231"
        matnr = f"{r.matnr:018d}"
        rows.append(
            [matnr, "1000", r.vprsv, stprs, verpr, str(r.peinh), "NOK", f"{ref.YEAR}0101", valid_to]
        )
        if r.revised:
            rows.append(
                [
                    matnr,
                    "1000",
                    r.vprsv,
                    sap_number(price * 1.05, 2) if r.vprsv == "S" else stprs,
                    sap_number(price * 1.05, 2) if r.vprsv == "V" else verpr,
                    str(r.peinh),
                    "NOK",
                    f"{ref.YEAR}0701",
                    "99991231",
                ]
            )
    write_extract(
        inbox / f"MBEW_{ref.YEAR}.txt",
        ["MATNR", "BWKEY", "VPRSV", "STPRS", "VERPR", "PEINH", "WAERS", "KADAT", "BIDAT"],
        rows,
        delimiter="\t",
    )
    # Exchange rates with inverted dates and ratio factors.
    rate_rows = []
    for cur, rates in ref.RATES_TO_NOK.items():
        for month, rate in enumerate(rates, start=1):
            valid_from = int(f"{ref.YEAR}{month:02d}01")
            rate_rows.append(
                [
                    "M",
                    cur,
                    "NOK",
                    str(99999999 - valid_from),
                    sap_number(rate, 5),
                    str(ref.RATE_UNITS[cur]),
                    "1",
                ]
            )
    write_extract(
        inbox / "TCURR_rates.csv",
        ["KURST", "FCURR", "TCURR", "GDATU", "UKURS", "FFACT", "TFACT"],
        rate_rows,
    )


def _write_costs_and_people(rng, inbox: Path, staff_scale: int) -> None:
    """Cost-centre actuals and the employees of the service departments. A company with
    `staff_scale` times the reference company's volume has that many times its people, so
    the share of its capacity it uses stays the reference's (with the reference's staff,
    1M billing lines kept the finished-goods store at 1,144 % and the build stopped). Its
    cost pools stay the reference's amounts: scaled too, a monthly posting passes the
    cost-centre extract's sanity bound of 100 million NOK a line from about five million
    billing lines on. So a bigger company's rates are the reference's over the scale; the
    benchmark times the work, which is the same either way."""
    rows = []
    centres = {
        **{k: v[2] for k, v in ref.DEPARTMENTS.items()},
        ref.PRODUCTION_COST_CENTRE[0]: ref.PRODUCTION_COST_CENTRE[2],
    }
    for kostl, elements in centres.items():
        for kstar, total in elements.items():
            cents = round(total * 100)
            monthly = np.full(12, cents // 12)
            monthly[11] += cents - monthly.sum()  # the remainder lands in December
            if kostl == "4200" and kstar == "470000":
                # A supplier credit note in May: the month is negative (trailing minus).
                monthly[4], monthly[5] = -250_000, monthly[5] + monthly[4] + 250_000
            for month, amount in enumerate(monthly, start=1):
                rows.append(
                    [kostl, kstar, str(ref.YEAR), f"{month:03d}", sap_number(amount / 100), "NOK"]
                )
    write_extract(
        inbox / f"COSP_{ref.YEAR}.csv",
        ["KOSTL", "KSTAR", "GJAHR", "PERIO", "WKGBTR", "TWAER"],
        rows,
    )

    people = []
    pernr = 41001
    for kostl, (name, fte, _) in ref.DEPARTMENTS.items():
        shares = [100.0] * int(fte)
        if kostl == "4200":  # four full-time and two half-time packers
            shares = [100.0] * 4 + [50.0, 50.0]
        for share in shares * staff_scale:
            people.append(
                [
                    str(pernr),
                    f"{ref.YEAR - 5}0101",
                    "99991231",
                    kostl,
                    f"{name} {pernr}",
                    sap_number(share),
                ]
            )
            pernr += 1
    # A developer leaves on 30 June and is replaced on 1 July: the FTE stays 10.
    leaver = next(p for p in people if p[3] == "4500")
    leaver[2] = f"{ref.YEAR}0630"
    people.append(
        [str(pernr), f"{ref.YEAR}0701", "99991231", "4500", f"Development {pernr}", sap_number(100)]
    )
    write_extract(
        inbox / "PA0001_employees.csv",
        ["PERNR", "BEGDA", "ENDDA", "KOSTL", "ENAME", "BSGRD"],
        people,
    )


def _write_projects_and_timesheets(rng, inbox: Path, customers: pd.DataFrame, scale: float) -> None:
    main_customer = customers.groupby("group")["kunnr"].first()
    project_rows = []
    cats = []
    counter = 1
    developers = list(range(41013, 41023))  # the development department (cost centre 4500)
    workdays = _workdays(ref.YEAR)
    for i, (group, text, dev_hours, test_hours) in enumerate(ref.PROJECTS, start=1):
        posid = f"P-{ref.YEAR % 100:02d}{i:03d}"
        project_rows.append([posid, text, f"{main_customer[group]:010d}"])
        # Project work grows with the business; the department and its staff do not.
        for lstar, hours in (("DEV", dev_hours * scale), ("TESTX", test_hours * scale)):
            if hours <= 0:
                continue
            tenths = round(hours * 10)
            n = max(1, tenths // 60)
            split = rng.multinomial(tenths - n, np.ones(n) / n) + 1  # every row > 0 h
            split = np.minimum(split, 240)
            split[-1] += tenths - split.sum()
            days = np.sort(rng.choice(workdays, size=n))
            for tenth, day in zip(split, days, strict=True):
                person = developers[int(rng.integers(len(developers)))]
                cats.append(
                    [
                        f"{counter:012d}",
                        str(person),
                        str(day).replace("-", ""),
                        sap_number(tenth / 10),
                        lstar,
                        "4500",
                        "",
                        posid,
                        "30",
                    ]
                )
                counter += 1
    # A booking changed after approval: the old row (60) must not count, its successor (30) does.
    changed = cats[3]
    cats.append([f"{counter:012d}", *changed[1:8], "60"])
    counter += 1
    # Internal time on the department's own order, some not yet approved in December.
    for person in developers:
        for day in rng.choice(workdays, size=40, replace=False):
            status = "20" if str(day) >= f"{ref.YEAR}-12-20" else "30"
            cats.append(
                [
                    f"{counter:012d}",
                    str(person),
                    str(day).replace("-", ""),
                    sap_number(7.5),
                    "DEV",
                    "4500",
                    "INT-4500",
                    "",
                    status,
                ]
            )
            counter += 1
    write_extract(
        inbox / "PRPS_projects.csv", ["PSP-element", "Beskrivelse", "Kunde"], project_rows
    )
    write_extract(
        inbox / f"CATSDB_{ref.YEAR}.csv",
        [
            "COUNTER",
            "PERNR",
            "WORKDATE",
            "CATSHOURS",
            "LSTAR",
            "SKOSTL",
            "RAUFNR",
            "POSID",
            "STATUS",
        ],
        cats,
    )


def _scaled(count: int, scale: float) -> int:
    return max(1, round(count * scale))


def _write_quality_and_travel(
    rng, inbox: Path, customers, materials, scale: float, supplier_complaints: list[list[str]]
) -> None:
    workdays = _workdays(ref.YEAR)
    rows = []
    number = 200001
    for qmart, counts in (("Q1", ref.COMPLAINTS), ("ZP", ref.PPAPS), ("ZA", ref.AUDITS)):
        for group, count in counts.items():
            custs = customers.loc[customers["group"] == group, "kunnr"].to_numpy()
            for _ in range(_scaled(count, scale)):
                day = str(rng.choice(workdays)).replace("-", "")
                matnr = int(materials["matnr"].iloc[int(rng.integers(len(materials)))])
                qty = sap_number(float(rng.integers(1, 500)), 3) if qmart == "Q1" else ""
                rows.append(
                    [
                        f"{number:012d}",
                        qmart,
                        day,
                        f"{int(rng.choice(custs)):010d}",
                        "",
                        str(matnr),
                        qty,
                    ]
                )
                number += 1
    rows += supplier_complaints
    write_extract(
        inbox / f"QMEL_{ref.YEAR}.csv",
        ["QMNUM", "QMART", "ERDAT", "KUNUM", "LIFNUM", "MATNR", "RKMNG"],
        rows,
    )

    trips = []
    trip = 5001
    for group, count, hours, cost, per_diem, currency in ref.VISITS:
        seller = 41010 if currency == "NOK" else 49001  # 49001: the seller abroad, paid in EUR
        kunnr = customers.loc[customers["group"] == group, "kunnr"].iloc[0]
        trips_made = min(_scaled(count, scale), len(workdays))
        for day in np.sort(rng.choice(workdays, size=trips_made, replace=False)):
            start = pd.Timestamp(day).date()
            end = start + timedelta(days=1)
            trips.append(
                [
                    str(trip),
                    str(seller),
                    start.strftime("%d.%m.%Y"),
                    end.strftime("%d.%m.%Y"),
                    str(kunnr),
                    sap_number(hours),
                    sap_number(cost),
                    sap_number(per_diem),
                    currency,
                ]
            )
            trip += 1
    write_extract(
        inbox / f"PTRV_{ref.YEAR}.csv",
        [
            "Reisenummer",
            "Ansattnr",
            "Fra dato",
            "Til dato",
            "Kunde",
            "Timer borte",
            "Reisekost",
            "Diett",
            "Valuta",
        ],
        trips,
    )


def generate(inbox: Path, billing_lines: int | None = None, seed: int = 2010) -> Path:
    """Write the demo extracts into `inbox`; `billing_lines` scales the billing volume."""
    inbox.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    scale = (billing_lines or BASE_BILLING_LINES) / BASE_BILLING_LINES
    customers = _customers(rng)
    materials = _materials(rng)
    billing = _billing(rng, customers, materials, scale)
    con = duckdb.connect()
    con.register("billing_frame", billing)
    con.execute("create table billing as select * from billing_frame")
    _write_billing(con, inbox)
    con.close()
    _write_masters(rng, inbox, customers, materials)
    # Whole people: a volume below one and a half times the reference keeps its staff.
    _write_costs_and_people(rng, inbox, staff_scale=max(1, round(scale)))
    _write_projects_and_timesheets(rng, inbox, customers, scale)
    complaints = write_supplier_extracts(inbox, ref.YEAR, _workdays(ref.YEAR), scale, seed)
    _write_quality_and_travel(rng, inbox, customers, materials, scale, complaints)
    return inbox


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inbox", type=Path)
    parser.add_argument("--billing-lines", type=int, default=None)
    parser.add_argument("--seed", type=int, default=2010)
    args = parser.parse_args()
    generate(args.inbox, args.billing_lines, args.seed)


if __name__ == "__main__":
    main()
