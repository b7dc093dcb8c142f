"""The demo company: a brake-coupling maker modelled on the reference company of seed 004
(data year 2010). Customer groups, revenue shares and customer counts follow the thesis's
table 8.1; department costs and FTEs follow docs/domain.md; order and order-line volumes follow
docs/domain.md where it gives them (Andre, Distributors, Evobus) and are plausible elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Group:
    code: str  # KDGRP
    name: str
    customers: int  # sold-to customers / delivery points
    revenue_share: float  # % of net revenue, table 8.1
    channel: str  # BSARK: EDI, PLAN (manual 3-week plan), MAN (manual order), thesis table 8.2
    currency: str
    orders: int  # sales orders per year at scale 1
    order_lines: int  # distinct materials over all orders per year at scale 1
    markup: float  # price / standard cost
    country: str


# The two negligible groups (Daimler, Volvo Car) are kept, as in the thesis, but carry
# almost no revenue. Volvo Truck has the 35 delivery points the thesis's text names.
GROUPS: tuple[Group, ...] = (
    Group("AN", "Andre", 86, 5.64, "MAN", "NOK", 950, 2023, 1.3, "NO"),
    Group("AS", "Astra", 1, 0.50, "EDI", "EUR", 40, 260, 1.15, "IT"),
    Group("DAIM", "Daimler", 1, 0.0007, "MAN", "EUR", 1, 1, 1.1, "DE"),
    Group("DI", "Distributører", 14, 3.32, "MAN", "EUR", 189, 3924, 1.2, "GB"),
    Group("EV", "Evobus/MB", 6, 0.17, "MAN", "EUR", 65, 111, 1.05, "DE"),
    Group("HA", "Haldex", 2, 0.32, "MAN", "SEK", 30, 110, 1.12, "SE"),
    Group("IR", "Irisbus", 6, 2.53, "EDI", "EUR", 110, 640, 1.15, "FR"),
    Group("IV", "Iveco", 20, 10.22, "EDI", "EUR", 900, 2900, 1.12, "IT"),
    Group("KN", "Knorr-Bremse", 9, 4.25, "EDI", "EUR", 420, 1500, 1.1, "DE"),
    Group("KONG", "Kongsberg", 6, 7.75, "PLAN", "NOK", 300, 1700, 1.25, "NO"),
    Group("KO", "Kögel", 2, 0.34, "MAN", "EUR", 40, 100, 1.18, "DE"),
    Group("NI", "Nippon", 2, 0.66, "MAN", "JPY", 30, 140, 1.3, "JP"),
    Group("RF", "Raufoss France", 1, 6.23, "MAN", "EUR", 240, 1900, 1.1, "FR"),
    Group("RT", "Renault Truck", 10, 7.25, "EDI", "EUR", 700, 2300, 1.12, "FR"),
    Group("SC", "Scania", 14, 7.85, "EDI", "SEK", 800, 2500, 1.14, "SE"),
    Group("SH", "Schmitz", 2, 1.32, "MAN", "EUR", 80, 290, 1.16, "DE"),
    Group("VH", "Van Hool", 1, 0.16, "PLAN", "EUR", 21, 270, 1.08, "BE"),
    Group("VOCA", "Volvo Car", 2, 0.02, "MAN", "SEK", 3, 5, 1.05, "SE"),
    Group("VO", "Volvo Truck", 35, 33.86, "EDI", "SEK", 2500, 7800, 1.12, "SE"),
    Group("WA", "Wabco", 11, 7.60, "EDI", "EUR", 600, 2000, 1.08, "DE"),
)

YEAR = 2010
NET_REVENUE_NOK = 300_000_000  # demo scale: the thesis does not publish the total
MATERIALS = 750

# Department cost centres, their FTEs and 2010 resource cost per cost element (docs/domain.md).
# Cost elements: 400000 salaries and social costs, 460000 IT, 461000 telephone,
# 470000 consumables, 471000 forklifts.
DEPARTMENTS: dict[str, tuple[str, float, dict[str, float]]] = {
    "4100": (
        "Order office",
        3,
        {"400000": 2_169_441.39, "460000": 17_946.07, "461000": 24_379.82, "470000": 78_286.45},
    ),
    "4200": (
        "Finished-goods store",
        5,
        {
            "400000": 3_815_395.90,
            "461000": 14_077.88,
            "470000": 1_098_274.71,
            "471000": 3_717.60,
        },
    ),
    "4300": (
        "Sales",
        1,
        {"400000": 731_037.59, "461000": 5_114.54, "470000": 163_776.03},
    ),
    "4400": (
        "Quality",
        2,
        {"400000": 1_375_449.37, "460000": 4_086.30, "461000": 24_912.58},
    ),
    "4500": (
        "Development",
        10,
        {"400000": 7_275_360.11, "460000": 493_269.87, "461000": 150_677.83},
    ),
}
# A production cost centre whose costs are in the standard costs, not in any activity pool.
PRODUCTION_COST_CENTRE = ("5000", "Production", {"400000": 41_250_000.00, "480000": 6_800_000.00})

# Quality notifications 2010 per group (thesis tables 8.10 and 8.11; audits from docs/domain.md).
COMPLAINTS = {"AN": 11, "IV": 9, "RT": 34, "SC": 8, "VO": 19, "WA": 9}
PPAPS = {"AN": 10, "IR": 2, "IV": 8, "KN": 2, "SC": 1, "SH": 17, "VO": 11, "WA": 5}
AUDITS = {"VO": 1, "WA": 1}

# Development projects: (group, description, development hours, external test hours).
# Volvo's three projects add up to 3,856.6 h with 839 external test hours (docs/domain.md).
PROJECTS = (
    ("VO", "Volvo FH coupling redesign", 2883.7, 636.0),
    ("VO", "Volvo ABS connector", 913.9, 203.0),
    ("VO", "Volvo Asia adaptation", 59.0, 0.0),
    ("IV", "Iveco Stralis push-in fitting", 1240.5, 180.0),
    ("SC", "Scania R-series valve block", 980.0, 95.0),
    ("WA", "Wabco EBS port", 640.0, 60.0),
    ("RT", "Renault Premium line kit", 410.0, 0.0),
    ("KN", "Knorr-Bremse compressor outlet", 520.0, 40.0),
)

# Customer visits: (group, trips, hours away per trip, travel cost per trip, per diem, currency)
VISITS = (
    ("VO", 8, 10.5, 5_274.77, 1_080.00, "NOK"),
    ("SC", 4, 9.0, 3_981.50, 720.00, "NOK"),
    ("KONG", 3, 6.0, 1_120.00, 0.00, "NOK"),
    ("IV", 3, 7.5, 610.00, 76.00, "EUR"),
    ("RT", 3, 7.5, 545.00, 76.00, "EUR"),
    ("KN", 2, 7.5, 480.00, 76.00, "EUR"),
    ("WA", 2, 7.5, 495.00, 76.00, "EUR"),
)

# Average monthly rates 2010, units of NOK per unit (JPY per 100 units).
RATES_TO_NOK = {
    "EUR": (8.16, 8.08, 8.00, 7.89, 7.87, 7.93, 8.04, 7.98, 7.96, 8.13, 8.21, 7.99),
    "SEK": (0.80, 0.80, 0.82, 0.82, 0.81, 0.81, 0.84, 0.83, 0.84, 0.87, 0.88, 0.88),
    "JPY": (6.26, 6.42, 6.33, 6.28, 6.54, 6.60, 6.93, 6.97, 7.05, 7.27, 7.45, 7.23),
}
RATE_UNITS = {"EUR": 1, "SEK": 1, "JPY": 100}
