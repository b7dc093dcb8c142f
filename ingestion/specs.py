"""Declarative specifications of the SAP-style extracts the warehouse accepts.

One `ExtractSpec` per extract type says which files it matches, which columns it has
(with their SAP data types), which are required, the business key and the column that
decides the period a row belongs to. The loader (`ingestion.loader`) turns a spec into
the DuckDB SQL that parses a file; nothing here runs any code.

SAP types understood:
  CHAR  text; with `alpha=True` an ALPHA-converted key (leading zeros of an all-digit
        value are dropped, so 0000012345 and 12345 are the same customer)
  NUMC  digits only, stored as BIGINT
  DATS  date: YYYYMMDD or DD.MM.YYYY (or ISO); 00000000 and empty are NULL;
        99991231 stays 9999-12-31 (open-ended validity)
  INVDATS  SAP's inverted date in rate tables: 99999999 - YYYYMMDD
  CURR  amount; decimal comma or point, thousands separators, trailing minus; shifted by
        the currency's decimals when `currency` names the currency column (JPY, KRW...)
  QUAN  quantity, as CURR without the currency shift
  DEC   other decimal number
  CUKY  currency key (upper-cased text)
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field

SAP_TYPES = {"CHAR", "NUMC", "DATS", "INVDATS", "CURR", "QUAN", "DEC", "CUKY"}

# The years a date that decides a row's month, or a fiscal year, may name. Outside them
# a date is a placeholder (00010101, 19000101, 99991231) or a typing error: quarantined.
PLAUSIBLE_YEARS = (1950, 2099)

# Decimal places of currencies that SAP stores with two decimals anyway (table TCURX).
# An amount in such a currency must be multiplied by 10 ** (2 - decimals).
CURRENCY_DECIMALS: dict[str, int] = {
    "JPY": 0,
    "KRW": 0,
    "CLP": 0,
    "ISK": 0,
    "HUF": 0,
    "VND": 0,
    "KWD": 3,
    "BHD": 3,
    "OMR": 3,
    "TND": 3,
}


@dataclass(frozen=True)
class Column:
    name: str  # SAP field name, as in the extract header
    sap_type: str
    required: bool = False
    alpha: bool = False  # ALPHA conversion for CHAR keys
    scale: int = 2  # decimals kept for CURR / QUAN / DEC
    currency: str | None = None  # CURR: the column holding the currency key
    allowed: tuple[str, ...] | None = None  # values outside this set are quarantined
    positive: bool = False  # must be > 0 (e.g. price unit PEINH)
    description: str = ""

    def __post_init__(self) -> None:
        if self.sap_type not in SAP_TYPES:
            raise ValueError(f"{self.name}: unknown SAP type {self.sap_type!r}")

    @property
    def sql_name(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Expectation:
    """A data-quality rule checked by great-expectations on each loaded batch."""

    # not_null | unique | in_set | between: great-expectations checks each loaded batch.
    # date_in_file_period: every row falls in the month the file name declares
    # (VBRP_2010-03.csv); checked by the loader before it replaces anything.
    kind: str
    columns: tuple[str, ...]
    severity: str = "error"  # error blocks downstream assets; warning only reports
    value_set: tuple[str, ...] | None = None
    min_value: float | None = None
    max_value: float | None = None


@dataclass(frozen=True)
class ExtractSpec:
    name: str  # raw table name and Dagster asset key raw/<name>
    sap_origin: str
    description: str
    # What a file name of this extract starts with (case-insensitive), followed by anything
    # but a letter: VBRP_2010-03.csv, billing-2010-03.txt, KNA1.csv. Anchored, so that
    # customer_visits_2010.csv is no customer master.
    file_prefixes: tuple[str, ...]
    columns: tuple[Column, ...]
    business_key: tuple[str, ...]
    # The DATS column deciding a row's period (month). A corrected file replaces the rows
    # of the periods it touches. None: a master-data snapshot, replaced whole by a new file.
    period_column: str | None = None
    # Or a (year NUMC, month NUMC) pair, as in cost-centre actuals (GJAHR, PERIO).
    period_year_month: tuple[str, str] | None = None
    expectations: tuple[Expectation, ...] = field(default_factory=tuple)

    @property
    def file_patterns(self) -> tuple[str, ...]:
        """The prefixes as case-insensitive globs on the lower-cased file name."""
        return tuple(f"{prefix}[!a-z]*" for prefix in self.file_prefixes) + self.file_prefixes

    @property
    def example_file(self) -> str:
        return self.file_prefixes[0].upper() + (".csv" if self.is_snapshot else "_2010-03.csv")

    def matches(self, file_name: str) -> bool:
        name = file_name.lower()
        return any(fnmatch.fnmatchcase(name, pattern) for pattern in self.file_patterns)

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name}: no column {name}")

    @property
    def is_snapshot(self) -> bool:
        return self.period_column is None and self.period_year_month is None


# Order channels (VBAK-BSARK, carried on the billing line): EDI, manual 3-week plan,
# manual order by mail or fax. The activity catalogue costs each channel differently.
ORDER_CHANNELS = ("EDI", "PLAN", "MAN")
# CATS status: 10 in process, 20 released, 30 approved, 40 rejected,
# 50 changed after approval, 60 cancelled. Only 30 counts.
CATS_STATUSES = ("10", "20", "30", "40", "50", "60")
# Notification types: Q1 customer complaint, Q2 complaint against a supplier,
# Q3 internal problem, ZP PPAP, ZA customer audit.
NOTIFICATION_TYPES = ("Q1", "Q2", "Q3", "ZP", "ZA")


def _amount(name: str, currency: str, required: bool = False, description: str = "") -> Column:
    return Column(name, "CURR", required=required, currency=currency, description=description)


BILLING_LINES = ExtractSpec(
    name="billing_lines",
    sap_origin="VBRK/VBRP",
    description="Billing document lines: invoices, credit and debit memos, returns, cancellations.",
    file_prefixes=("vbrp", "vbrk", "billing_lines", "billing", "fakturalinjer"),
    columns=(
        Column("VBELN", "CHAR", required=True, alpha=True, description="Billing document"),
        Column("POSNR", "NUMC", required=True, description="Billing item"),
        # Which categories exist, their sign and what they count as: the seed
        # billing_categories (dbt), not the loader.
        Column("FKART", "CHAR", required=True, description="Billing category"),
        Column("VBTYP", "CHAR", description="SD document category (M, N, O, P, S)"),
        Column("FKDAT", "DATS", required=True, description="Billing date"),
        Column("KUNAG", "CHAR", required=True, alpha=True, description="Sold-to customer"),
        Column("KUNWE", "CHAR", alpha=True, description="Ship-to party (delivery point)"),
        Column("AUBEL", "CHAR", required=True, alpha=True, description="Sales order"),
        Column("VGBEL", "CHAR", alpha=True, description="Delivery"),
        Column("MATNR", "CHAR", required=True, alpha=True, description="Material"),
        Column("FKIMG", "QUAN", required=True, scale=3, description="Billed quantity"),
        Column("VRKME", "CHAR", description="Sales unit"),
        _amount("BRTWR", "WAERK", description="Gross value (unsigned)"),
        _amount("NETWR", "WAERK", required=True, description="Net value (unsigned)"),
        Column("WAERK", "CUKY", required=True, description="Document currency"),
        Column("BSARK", "CHAR", description="Order channel: EDI, PLAN, MAN"),
    ),
    business_key=("VBELN", "POSNR"),
    period_column="FKDAT",
    expectations=(
        Expectation("unique", ("VBELN", "POSNR")),
        Expectation("in_set", ("BSARK",), value_set=ORDER_CHANNELS),
        Expectation("in_set", ("VBTYP",), value_set=("M", "N", "O", "P", "S", "U")),
        Expectation("between", ("FKIMG",), min_value=0, max_value=10_000_000),
        Expectation("between", ("NETWR",), min_value=0, max_value=100_000_000),
        Expectation("date_in_file_period", ("FKDAT",)),
        Expectation("not_null", ("KUNWE",), severity="warning"),
    ),
)

STANDARD_COSTS = ExtractSpec(
    name="standard_costs",
    sap_origin="MBEW / KEKO",
    description="Material valuation: standard or moving-average price per price unit.",
    file_prefixes=("mbew", "keko", "standard_costs", "standard_cost", "standardkost"),
    columns=(
        Column("MATNR", "CHAR", required=True, alpha=True, description="Material"),
        Column("BWKEY", "CHAR", required=True, description="Valuation area (plant)"),
        Column("VPRSV", "CHAR", required=True, allowed=("S", "V"), description="Price control"),
        Column("STPRS", "CURR", scale=4, description="Standard price per price unit"),
        Column("VERPR", "CURR", scale=4, description="Moving average price per price unit"),
        Column("PEINH", "DEC", required=True, scale=0, positive=True, description="Price unit"),
        Column("WAERS", "CUKY", description="Currency (company currency when empty)"),
        Column("KADAT", "DATS", required=True, description="Valid from"),
        Column("BIDAT", "DATS", description="Valid to (99991231: open-ended)"),
    ),
    business_key=("MATNR", "BWKEY", "KADAT"),
    period_column="KADAT",
    expectations=(
        Expectation("unique", ("MATNR", "BWKEY", "KADAT")),
        Expectation("between", ("STPRS",), min_value=0, max_value=10_000_000),
        Expectation("between", ("PEINH",), min_value=1, max_value=100_000),
    ),
)

TIMESHEETS = ExtractSpec(
    name="timesheets",
    sap_origin="CATSDB",
    description="Time sheet rows: hours per person, day, activity type and receiver.",
    file_prefixes=("catsdb", "timesheets", "timesheet", "timelister", "timeliste"),
    columns=(
        Column("COUNTER", "NUMC", required=True, description="CATS row counter"),
        Column("PERNR", "NUMC", required=True, description="Personnel number"),
        Column("WORKDATE", "DATS", required=True, description="Work date"),
        Column("CATSHOURS", "QUAN", required=True, scale=2, description="Hours"),
        Column("LSTAR", "CHAR", description="Activity type (DEV, TESTX external test, ...)"),
        Column("SKOSTL", "CHAR", alpha=True, description="Sender cost centre"),
        Column("RAUFNR", "CHAR", alpha=True, description="Receiver order"),
        Column("POSID", "CHAR", description="Receiver WBS element (project)"),
        Column("STATUS", "CHAR", required=True, description="Status: only 30 is approved"),
    ),
    business_key=("COUNTER",),
    period_column="WORKDATE",
    expectations=(
        Expectation("unique", ("COUNTER",)),
        Expectation("in_set", ("STATUS",), value_set=CATS_STATUSES),
        Expectation("between", ("CATSHOURS",), min_value=0, max_value=24),
        Expectation("date_in_file_period", ("WORKDATE",)),
    ),
)

CUSTOMERS = ExtractSpec(
    name="customers",
    sap_origin="KNA1/KNVV",
    description="Customer master: name, country, customer group, delivery terms.",
    file_prefixes=("kna1", "knvv", "customers", "customer_master", "kunder", "kunde"),
    columns=(
        Column("KUNNR", "CHAR", required=True, alpha=True, description="Customer"),
        Column("NAME1", "CHAR", required=True, description="Name"),
        Column("LAND1", "CHAR", description="Country"),
        Column("KDGRP", "CHAR", required=True, description="Customer group"),
        Column("KTEXT", "CHAR", description="Customer group name"),
        Column("INCO1", "CHAR", description="Incoterms (FCA, DDP, ...)"),
    ),
    business_key=("KUNNR",),
    expectations=(Expectation("unique", ("KUNNR",)),),
)

PROJECTS = ExtractSpec(
    name="projects",
    sap_origin="PROJ/PRPS",
    description="Project master: WBS elements and the customer each serves.",
    file_prefixes=("prps", "proj", "projects", "project", "prosjekter", "prosjekt"),
    columns=(
        Column("POSID", "CHAR", required=True, description="WBS element"),
        Column("POST1", "CHAR", description="Description"),
        Column("KUNNR", "CHAR", alpha=True, description="Customer served"),
    ),
    business_key=("POSID",),
    expectations=(
        Expectation("unique", ("POSID",)),
        Expectation("not_null", ("KUNNR",), severity="warning"),
    ),
)

COST_CENTRE_ACTUALS = ExtractSpec(
    name="cost_centre_actuals",
    sap_origin="COSP/COEP",
    description="Actual costs per cost centre, cost element, fiscal year and period.",
    file_prefixes=(
        "cosp",
        "coep",
        "cost_centre_actuals",
        "cost_centre",
        "cost_center",
        "kostnadssted",
    ),
    columns=(
        Column("KOSTL", "CHAR", required=True, alpha=True, description="Cost centre"),
        Column("KSTAR", "CHAR", required=True, alpha=True, description="Cost element"),
        Column("GJAHR", "NUMC", required=True, description="Fiscal year"),
        Column("PERIO", "NUMC", required=True, description="Posting period 1-12"),
        Column("WKGBTR", "CURR", required=True, currency="TWAER", description="Amount"),
        Column("TWAER", "CUKY", description="Currency (company currency when empty)"),
    ),
    business_key=("KOSTL", "KSTAR", "GJAHR", "PERIO"),
    period_year_month=("GJAHR", "PERIO"),
    expectations=(
        Expectation("unique", ("KOSTL", "KSTAR", "GJAHR", "PERIO")),
        Expectation("between", ("PERIO",), min_value=1, max_value=16),
        Expectation("between", ("WKGBTR",), min_value=-100_000_000, max_value=100_000_000),
    ),
)

EMPLOYEES = ExtractSpec(
    name="employees",
    sap_origin="PA0001/PA0008",
    description="Which cost centre a person works for, and at what FTE share.",
    file_prefixes=("pa0001", "pa0008", "employees", "employee", "ansatte", "ansatt"),
    columns=(
        Column("PERNR", "NUMC", required=True, description="Personnel number"),
        Column("BEGDA", "DATS", required=True, description="Valid from"),
        Column("ENDDA", "DATS", required=True, description="Valid to (99991231: open-ended)"),
        Column("KOSTL", "CHAR", required=True, alpha=True, description="Cost centre"),
        Column("ENAME", "CHAR", description="Name"),
        Column("BSGRD", "DEC", required=True, scale=2, description="Capacity utilisation %"),
    ),
    business_key=("PERNR", "BEGDA"),
    expectations=(
        Expectation("unique", ("PERNR", "BEGDA")),
        Expectation("between", ("BSGRD",), min_value=0, max_value=100),
    ),
)

QUALITY_NOTIFICATIONS = ExtractSpec(
    name="quality_notifications",
    sap_origin="QMEL",
    description="Quality notifications: customer complaints, PPAPs, audits, supplier complaints.",
    file_prefixes=("qmel", "quality_notifications", "quality", "reklamasjoner", "reklamasjon"),
    columns=(
        Column("QMNUM", "CHAR", required=True, alpha=True, description="Notification"),
        Column("QMART", "CHAR", required=True, allowed=NOTIFICATION_TYPES, description="Type"),
        Column("ERDAT", "DATS", required=True, description="Created on"),
        Column("KUNUM", "CHAR", alpha=True, description="Customer"),
        Column("LIFNUM", "CHAR", alpha=True, description="Supplier"),
        Column("MATNR", "CHAR", alpha=True, description="Material"),
        Column("RKMNG", "QUAN", scale=3, description="Complaint quantity"),
    ),
    business_key=("QMNUM",),
    period_column="ERDAT",
    expectations=(
        Expectation("unique", ("QMNUM",)),
        Expectation("date_in_file_period", ("ERDAT",)),
    ),
)

TRAVEL_EXPENSES = ExtractSpec(
    name="travel_expenses",
    sap_origin="PTRV_HEAD/PTRV_SHDR",
    description="Trips: who travelled, when, to which customer, hours away, travel cost, per diem.",
    file_prefixes=("ptrv", "travel_expenses", "travel", "reiser", "reise"),
    columns=(
        Column("REINR", "NUMC", required=True, description="Trip number"),
        Column("PERNR", "NUMC", required=True, description="Personnel number"),
        Column("DATV1", "DATS", required=True, description="Trip start"),
        Column("DATB1", "DATS", description="Trip end"),
        Column("KUNDE", "CHAR", alpha=True, description="Customer visited"),
        Column("HOURS", "QUAN", required=True, scale=2, description="Working hours away"),
        _amount("TRIP_COST", "WAERS", required=True, description="Travel cost"),
        _amount("PER_DIEM", "WAERS", description="Per diem"),
        Column("WAERS", "CUKY", required=True, description="Currency"),
    ),
    business_key=("PERNR", "REINR"),
    period_column="DATV1",
    expectations=(
        Expectation("unique", ("PERNR", "REINR")),
        Expectation("between", ("HOURS",), min_value=0, max_value=500),
        Expectation("not_null", ("KUNDE",), severity="warning"),
    ),
)

EXCHANGE_RATES = ExtractSpec(
    name="exchange_rates",
    sap_origin="TCURR/TCURF",
    description="Exchange rates with SAP's inverted validity date and ratio factors.",
    file_prefixes=("tcurr", "exchange_rates", "exchange_rate", "valutakurser", "valutakurs"),
    columns=(
        Column("KURST", "CHAR", required=True, description="Rate type (M = average)"),
        Column("FCURR", "CUKY", required=True, description="From currency"),
        Column("TCURR", "CUKY", required=True, description="To currency"),
        Column("GDATU", "INVDATS", required=True, description="Valid from (inverted date)"),
        Column("UKURS", "DEC", required=True, scale=5, description="Rate (negative: indirect)"),
        Column("FFACT", "DEC", scale=0, description="Ratio for the from-currency units"),
        Column("TFACT", "DEC", scale=0, description="Ratio for the to-currency units"),
    ),
    business_key=("KURST", "FCURR", "TCURR", "GDATU"),
    expectations=(Expectation("unique", ("KURST", "FCURR", "TCURR", "GDATU")),),
)

CUSTOMER_SIDE: tuple[ExtractSpec, ...] = (
    BILLING_LINES,
    STANDARD_COSTS,
    TIMESHEETS,
    CUSTOMERS,
    PROJECTS,
    COST_CENTRE_ACTUALS,
    EMPLOYEES,
    QUALITY_NOTIFICATIONS,
    TRAVEL_EXPENSES,
    EXCHANGE_RATES,
)

# --- supplier side ---------------------------------------------------------------------

# Goods movement types: 101 receipt, 102 its reversal, 122 return to supplier,
# 123 reversal of a return.
MOVEMENT_TYPES = ("101", "102", "122", "123")

PURCHASE_ORDER_LINES = ExtractSpec(
    name="purchase_order_lines",
    sap_origin="EKKO/EKPO/EKET",
    description="Purchase order schedule lines: agreed quantity, date and price per price unit.",
    file_prefixes=(
        "eket",
        "ekpo",
        "purchase_order_lines",
        "purchase_orders",
        "purchase_order",
        "innkjopsordre",
    ),
    columns=(
        Column("EBELN", "CHAR", required=True, alpha=True, description="Purchase order"),
        Column("EBELP", "NUMC", required=True, description="Item"),
        Column("ETENR", "NUMC", required=True, description="Schedule line"),
        Column("LIFNR", "CHAR", required=True, alpha=True, description="Supplier"),
        Column("MATNR", "CHAR", required=True, alpha=True, description="Material"),
        Column("MATKL", "CHAR", description="Material group (purchasing category)"),
        Column("BEDAT", "DATS", description="Order date"),
        Column("EINDT", "DATS", required=True, description="Agreed delivery date"),
        Column("MENGE", "QUAN", required=True, scale=3, description="Scheduled quantity"),
        Column(
            "NETPR",
            "CURR",
            required=True,
            scale=4,
            currency="WAERS",
            description="Agreed net price per price unit",
        ),
        Column("PEINH", "DEC", required=True, scale=0, positive=True, description="Price unit"),
        Column("WAERS", "CUKY", required=True, description="Currency"),
        Column("KONNR", "CHAR", alpha=True, description="Contract the order refers to"),
    ),
    business_key=("EBELN", "EBELP", "ETENR"),
    period_column="EINDT",
    expectations=(
        Expectation("unique", ("EBELN", "EBELP", "ETENR")),
        Expectation("between", ("MENGE",), min_value=0, max_value=100_000_000),
        Expectation("date_in_file_period", ("EINDT",)),
    ),
)

GOODS_RECEIPTS = ExtractSpec(
    name="goods_receipts",
    sap_origin="MKPF/MSEG",
    description="Goods movements against purchase orders: receipts, reversals, returns.",
    file_prefixes=("mseg", "mkpf", "goods_receipts", "goods_receipt", "varemottak"),
    columns=(
        Column("MBLNR", "CHAR", required=True, alpha=True, description="Material document"),
        Column("MJAHR", "NUMC", required=True, description="Material document year"),
        Column("ZEILE", "NUMC", required=True, description="Item"),
        Column(
            "BWART",
            "CHAR",
            required=True,
            allowed=MOVEMENT_TYPES,
            description="Movement type: 101 receipt, 102 reversal, 122 return, 123",
        ),
        Column("BUDAT", "DATS", required=True, description="Posting date"),
        Column("EBELN", "CHAR", required=True, alpha=True, description="Purchase order"),
        Column("EBELP", "NUMC", required=True, description="Purchase order item"),
        Column("LIFNR", "CHAR", required=True, alpha=True, description="Supplier"),
        Column("MATNR", "CHAR", required=True, alpha=True, description="Material"),
        Column("MENGE", "QUAN", required=True, scale=3, description="Quantity (unsigned)"),
    ),
    business_key=("MBLNR", "MJAHR", "ZEILE"),
    period_column="BUDAT",
    expectations=(
        Expectation("unique", ("MBLNR", "MJAHR", "ZEILE")),
        Expectation("between", ("MENGE",), min_value=0, max_value=100_000_000),
        Expectation("date_in_file_period", ("BUDAT",)),
    ),
)

SUPPLIER_INVOICES = ExtractSpec(
    name="supplier_invoices",
    sap_origin="RBKP/RSEG",
    description="Supplier invoice items against purchase orders.",
    file_prefixes=("rseg", "rbkp", "supplier_invoices", "supplier_invoice", "inngaende_faktura"),
    columns=(
        Column("BELNR", "CHAR", required=True, alpha=True, description="Invoice document"),
        Column("GJAHR", "NUMC", required=True, description="Fiscal year"),
        Column("BUZEI", "NUMC", required=True, description="Item"),
        Column("EBELN", "CHAR", required=True, alpha=True, description="Purchase order"),
        Column("EBELP", "NUMC", required=True, description="Purchase order item"),
        Column("LIFNR", "CHAR", required=True, alpha=True, description="Supplier"),
        Column("BLDAT", "DATS", required=True, description="Invoice date"),
        Column("MENGE", "QUAN", required=True, scale=3, description="Invoiced quantity"),
        _amount("WRBTR", "WAERS", required=True, description="Invoiced amount"),
        Column("WAERS", "CUKY", required=True, description="Currency"),
        Column("SHKZG", "CHAR", allowed=("S", "H"), description="S debit (invoice), H credit"),
    ),
    business_key=("BELNR", "GJAHR", "BUZEI"),
    period_column="BLDAT",
    expectations=(
        Expectation("unique", ("BELNR", "GJAHR", "BUZEI")),
        Expectation("between", ("WRBTR",), min_value=0, max_value=100_000_000),
    ),
)

INSPECTION_RESULTS = ExtractSpec(
    name="inspection_results",
    sap_origin="QALS/QAMV/QASE",
    description="Single measured values of inspection characteristics, with their limits.",
    file_prefixes=("qase", "qamv", "inspection_results", "inspection", "maleresultat"),
    columns=(
        Column("PRUEFLOS", "CHAR", required=True, alpha=True, description="Inspection lot"),
        Column("MERKNR", "NUMC", required=True, description="Characteristic number"),
        Column("PROBENR", "NUMC", required=True, description="Sample (subgroup) number"),
        Column("MESSWNR", "NUMC", required=True, description="Value number within the sample"),
        Column("LIFNR", "CHAR", required=True, alpha=True, description="Supplier"),
        Column("MATNR", "CHAR", required=True, alpha=True, description="Material"),
        Column("KURZTEXT", "CHAR", description="Characteristic description"),
        Column("SOLLWERT", "DEC", scale=6, description="Target value"),
        Column("TOLERANZUN", "DEC", scale=6, description="Lower specification limit"),
        Column("TOLERANZOB", "DEC", scale=6, description="Upper specification limit"),
        Column("MESSWERT", "DEC", required=True, scale=6, description="Measured value"),
        Column("PRUEFDATUM", "DATS", required=True, description="Inspection date"),
    ),
    business_key=("PRUEFLOS", "MERKNR", "PROBENR", "MESSWNR"),
    period_column="PRUEFDATUM",
    expectations=(Expectation("unique", ("PRUEFLOS", "MERKNR", "PROBENR", "MESSWNR")),),
)

SUPPLIERS = ExtractSpec(
    name="suppliers",
    sap_origin="LFA1",
    description="Supplier master with segment and purchasing category.",
    file_prefixes=("lfa1", "suppliers", "supplier_master", "leverandorer", "leverandor"),
    columns=(
        Column("LIFNR", "CHAR", required=True, alpha=True, description="Supplier"),
        Column("NAME1", "CHAR", required=True, description="Name"),
        Column("LAND1", "CHAR", description="Country"),
        Column("SEGMENT", "CHAR", required=True, description="Supplier segment"),
        Column("CATEGORY", "CHAR", description="Purchasing category"),
    ),
    business_key=("LIFNR",),
    expectations=(Expectation("unique", ("LIFNR",)),),
)

SCORECARD_RATINGS = ExtractSpec(
    name="scorecard_ratings",
    sap_origin="supplier survey",
    description="Soft scorecard criteria rated 1-5 per supplier.",
    file_prefixes=(
        "scorecard_ratings",
        "supplier_scorecard",
        "scorecard",
        "ratings",
        "rating",
        "leverandorvurdering",
    ),
    columns=(
        Column("LIFNR", "CHAR", required=True, alpha=True, description="Supplier"),
        Column("RATING_DATE", "DATS", required=True, description="Date of the rating"),
        Column("CRITERION", "CHAR", required=True, description="Criterion rated"),
        Column("SCORE", "DEC", required=True, scale=1, description="Score 1-5"),
        Column("WEIGHT", "DEC", scale=3, description="Weight of the criterion"),
        Column("COMMENT", "CHAR", description="Comment"),
    ),
    business_key=("LIFNR", "RATING_DATE", "CRITERION"),
    period_column="RATING_DATE",
    expectations=(
        Expectation("unique", ("LIFNR", "RATING_DATE", "CRITERION")),
        Expectation("between", ("SCORE",), min_value=1, max_value=5),
    ),
)

SUPPLIER_SIDE: tuple[ExtractSpec, ...] = (
    PURCHASE_ORDER_LINES,
    GOODS_RECEIPTS,
    SUPPLIER_INVOICES,
    INSPECTION_RESULTS,
    SUPPLIERS,
    SCORECARD_RATINGS,
)

SPECS: dict[str, ExtractSpec] = {spec.name: spec for spec in CUSTOMER_SIDE + SUPPLIER_SIDE}
