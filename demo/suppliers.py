"""Supplier-side demo extracts: about 40 suppliers with distinct behaviour.

Archetypes: punctual, late, early, overcharging (invoice above the agreed price), capable
and incapable processes, and one supplier whose characteristic has only an upper limit.
Its own random stream (seed + 1), so the customer-side files stay as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from demo.sap_format import sap_number, write_extract

SEGMENTS = {
    "castings": "Castings and forgings",
    "machining": "Machined parts",
    "seals": "Rubber and seals",
    "packaging": "Packaging",
}
ARCHETYPES = ("punctual", "late", "early", "overcharging", "capable", "incapable")


@dataclass(frozen=True)
class Supplier:
    lifnr: int
    name: str
    segment: str
    archetype: str
    late_probability: float
    early_probability: float
    price_premium: float  # invoiced / agreed unit price - 1
    defect_rate: float  # share of received quantity complained about
    process_cp: float  # spread of the process: tolerance width / (6 sigma)
    process_shift: float  # mean offset as a share of the half tolerance


def suppliers(rng: np.random.Generator) -> list[Supplier]:
    out = []
    number = 300001
    for segment in SEGMENTS:
        for _ in range(10):
            archetype = ARCHETYPES[len(out) % len(ARCHETYPES)]
            out.append(
                Supplier(
                    lifnr=number,
                    name=f"{SEGMENTS[segment].split()[0]} supplier {number - 300000:02d}",
                    segment=segment,
                    archetype=archetype,
                    late_probability={"late": 0.4, "punctual": 0.02}.get(archetype, 0.1),
                    early_probability=0.45 if archetype == "early" else 0.05,
                    price_premium=(
                        float(rng.uniform(0.02, 0.06)) if archetype == "overcharging" else 0.0
                    ),
                    defect_rate={"incapable": 0.0002, "capable": 0.000002}.get(archetype, 0.00002),
                    process_cp={"capable": 2.2, "incapable": 0.9}.get(
                        archetype, float(rng.uniform(1.1, 1.8))
                    ),
                    process_shift=0.35 if archetype == "incapable" else float(rng.uniform(0, 0.15)),
                )
            )
            number += 1
    return out


def write_supplier_extracts(
    inbox: Path, year: int, workdays: np.ndarray, scale: float, seed: int
) -> list[list[str]]:
    """Write the supplier extracts; return supplier complaints (QMEL Q2 rows) for the
    quality notification file, which must stay one file per period."""
    rng = np.random.default_rng(seed + 1)
    sups = suppliers(rng)
    # One supplier's characteristic has only an upper limit (burr height at most ...).
    one_sided_supplier = next(
        s.lifnr for s in sups if s.segment == "seals" and s.archetype == "capable"
    )
    write_extract(
        inbox / "LFA1_suppliers.csv",
        ["LIFNR", "NAME1", "LAND1", "SEGMENT", "CATEGORY"],
        [
            [
                f"{s.lifnr:010d}",
                s.name,
                ("NO", "SE", "DE", "PL")[s.lifnr % 4],
                s.segment,
                SEGMENTS[s.segment],
            ]
            for s in sups
        ],
    )
    po_rows, gr_rows, inv_rows, complaints, inspection, ratings = [], [], [], [], [], []
    po_number, gr_number, inv_number, lot_number, qmel_number = (
        4500000001,
        5000000001,
        5105600001,
        10000001,
        400001,
    )
    for s in sups:
        materials = 71000000 + s.lifnr % 1000 * 10 + np.arange(1, 4)
        lines = max(3, round(60 * scale))
        for line in range(lines):
            matnr = int(materials[line % len(materials)])
            eindt = pd.Timestamp(rng.choice(workdays))
            quantity = float(rng.integers(5, 50) * 100)
            peinh = 100 if matnr % 2 else 1
            unit_price = float(np.round(rng.uniform(2, 40), 2))
            netpr = unit_price * peinh
            contract = f"{4600000000 + s.lifnr % 100:010d}" if rng.random() < 0.7 else ""
            po_rows.append(
                [
                    f"{po_number}",
                    "00010",
                    "0001",
                    f"{s.lifnr:010d}",
                    str(matnr),
                    s.segment.upper()[:4],
                    (eindt - pd.Timedelta(days=30)).strftime("%Y%m%d"),
                    eindt.strftime("%Y%m%d"),
                    sap_number(quantity, 3),
                    sap_number(netpr, 2),
                    str(peinh),
                    "NOK",
                    contract,
                ]
            )
            draw = rng.random()
            if draw < s.late_probability:
                delay = int(rng.integers(1, 15 if s.archetype == "late" else 5))
            elif draw < s.late_probability + s.early_probability:
                delay = -int(rng.integers(1, 9))
            else:
                delay = 0
            received = quantity if rng.random() > 0.05 else quantity * 0.9
            budat = eindt + pd.Timedelta(days=delay)
            if budat.year != year:
                budat = eindt
            # Goods movements: sometimes a wrong receipt reversed the same day, then the
            # receipt, and a return to the supplier of what was rejected.
            movements = [("101", received), ("102", received)] if rng.random() < 0.03 else []
            movements.append(("101", received))
            rejected = float(rng.binomial(int(received), s.defect_rate))
            if rejected > 0:
                movements.append(("122", rejected))
            for bwart, moved in movements:
                gr_rows.append(
                    [
                        f"{gr_number}",
                        str(year),
                        "0001",
                        bwart,
                        budat.strftime("%Y%m%d"),
                        f"{po_number}",
                        "00010",
                        f"{s.lifnr:010d}",
                        str(matnr),
                        sap_number(moved, 3),
                    ]
                )
                gr_number += 1
            if rejected > 0:
                complaints.append(
                    [
                        f"{qmel_number:012d}",
                        "Q2",
                        budat.strftime("%Y%m%d"),
                        "",
                        f"{s.lifnr:010d}",
                        str(matnr),
                        sap_number(rejected, 3),
                    ]
                )
                qmel_number += 1
            invoiced_unit = round(unit_price * (1 + s.price_premium), 2)
            inv_rows.append(
                [
                    f"{inv_number}",
                    str(year),
                    "001",
                    f"{po_number}",
                    "00010",
                    f"{s.lifnr:010d}",
                    (budat + pd.Timedelta(days=3)).strftime("%Y%m%d")
                    if (budat + pd.Timedelta(days=3)).year == year
                    else budat.strftime("%Y%m%d"),
                    sap_number(received, 3),
                    sap_number(received * invoiced_unit, 2),
                    "NOK",
                    "S",
                ]
            )
            inv_number += 1
            po_number += 1
        # Inspection: one characteristic per material, lots of five values each.
        for k, matnr in enumerate(materials[:2], start=1):
            target, half = 10.0 + k, 0.05 * k
            sigma = 2 * half / (6 * s.process_cp)
            mean = target + s.process_shift * half
            one_sided = s.lifnr == one_sided_supplier and k == 1
            lots = 4 if (s.lifnr % 7 == 0) else 10  # a few with too few values
            for lot in range(lots):
                day = pd.Timestamp(rng.choice(workdays)).strftime("%Y%m%d")
                values = rng.normal(mean, sigma, 5)
                for sample, value in enumerate(values, start=1):
                    inspection.append(
                        [
                            f"{lot_number:012d}",
                            f"{k:04d}",
                            f"{lot + 1:06d}",
                            f"{sample:03d}",
                            f"{s.lifnr:010d}",
                            str(int(matnr)),
                            "Burr height" if one_sided else f"Bore diameter {k}",
                            sap_number(target, 6),
                            "" if one_sided else sap_number(target - half, 6),
                            sap_number(target + half, 6),
                            sap_number(float(value), 6),
                            day,
                        ]
                    )
                lot_number += 1
        for criterion, weight in (
            ("cooperation", 0.4),
            ("flexibility", 0.3),
            ("documentation", 0.3),
        ):
            score = float(
                np.clip(np.round(rng.normal(3.5 if s.archetype != "late" else 2.5, 0.8)), 1, 5)
            )
            ratings.append(
                [
                    f"{s.lifnr:010d}",
                    f"{year}1215",
                    criterion,
                    sap_number(score, 1),
                    sap_number(weight, 3),
                    "",
                ]
            )
    write_extract(
        inbox / f"EKET_{year}.csv",
        [
            "EBELN",
            "EBELP",
            "ETENR",
            "LIFNR",
            "MATNR",
            "MATKL",
            "BEDAT",
            "EINDT",
            "MENGE",
            "NETPR",
            "PEINH",
            "WAERS",
            "KONNR",
        ],
        po_rows,
    )
    write_extract(
        inbox / f"MSEG_{year}.csv",
        ["MBLNR", "MJAHR", "ZEILE", "BWART", "BUDAT", "EBELN", "EBELP", "LIFNR", "MATNR", "MENGE"],
        gr_rows,
    )
    write_extract(
        inbox / f"RSEG_{year}.csv",
        [
            "BELNR",
            "GJAHR",
            "BUZEI",
            "EBELN",
            "EBELP",
            "LIFNR",
            "BLDAT",
            "MENGE",
            "WRBTR",
            "WAERS",
            "SHKZG",
        ],
        inv_rows,
    )
    write_extract(
        inbox / f"QASE_{year}.csv",
        [
            "PRUEFLOS",
            "MERKNR",
            "PROBENR",
            "MESSWNR",
            "LIFNR",
            "MATNR",
            "KURZTEXT",
            "SOLLWERT",
            "TOLERANZUN",
            "TOLERANZOB",
            "MESSWERT",
            "PRUEFDATUM",
        ],
        inspection,
    )
    write_extract(
        inbox / f"supplier_scorecard_{year}.csv",
        ["LIFNR", "RATING_DATE", "CRITERION", "SCORE", "WEIGHT", "COMMENT"],
        ratings,
    )
    return complaints
